// One shape for everything a rule reports, whichever layer runs it: the environment file's rules, the run-time rules,
// the renderer's checks and the rendered objects' rules. Imports nothing of the project: every layer may use it.
import { RULES, type RuleId } from './rules.js';

export type Severity = 'error' | 'warning';

/** Keys and indexes from the root of the environment file, e.g. `['tenants', 1, 'quota', 'cpu']`. */
export type ConfigPath = readonly (string | number)[];

/** `requirements[0].values` -> `['requirements', 0, 'values']`: a field as builders and rules name it, as a path. */
export function parseConfigPath(field: string): ConfigPath {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** A place in a file, 1-based as editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Where a value of a file is written. */
export interface SourcePoint extends SourcePosition {
  /** File path as the user knows it, e.g. `environments/dev.yaml`. */
  readonly file: string;
}

/**
 * A field of the environment file (or, inside a rule that judges one part of it, of the input it was given: its caller
 * re-roots the path). `source` is where the field is written, once the loader or the CLI has placed it.
 */
export interface ConfigLocation {
  readonly kind: 'config';
  /** `[]` for the whole file (YAML syntax, the file name). */
  readonly path: ConfigPath;
  readonly source?: SourcePoint;
}

/** A config location placed at its line of the file. */
export interface PlacedConfigLocation extends ConfigLocation {
  readonly source: SourcePoint;
}

/** A field of a rendered object. */
export interface ObjectLocation {
  readonly kind: 'object';
  readonly environment: string;
  /** File the object is rendered to, relative to `dist-manifests/<env>/`. */
  readonly path: string;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  /** Where in the object, e.g. `spec.template.spec.requirements[0].values`; empty for the whole object. */
  readonly fieldPath: string;
}

export type DiagnosticLocation = ConfigLocation | ObjectLocation;

/** One thing a rule found: data, not an exception. */
export interface Diagnostic<L extends DiagnosticLocation = DiagnosticLocation> {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** What is wrong (and, for rules without a hint, what is allowed). */
  readonly message: string;
  /** What to change. */
  readonly hint?: string;
  readonly location: L;
}

/** A diagnostic about a field of the environment file, not yet placed at its line. */
export type ConfigDiagnostic = Diagnostic<ConfigLocation>;
/** A diagnostic placed at its line of the environment file. */
export type PlacedConfigDiagnostic = Diagnostic<PlacedConfigLocation>;
/** A diagnostic about a rendered object. */
export type ObjectDiagnostic = Diagnostic<ObjectLocation> & { readonly hint: string };

export interface DiagnosticOptions {
  readonly hint?: string;
  /** @default the rule's severity in RULES */
  readonly severity?: Severity;
}

/** A diagnostic of `rule` at a field of the environment file, with the rule's severity unless told otherwise. */
export function configDiagnostic(
  rule: RuleId,
  path: ConfigPath,
  message: string,
  options: DiagnosticOptions = {},
): ConfigDiagnostic {
  return {
    rule,
    severity: options.severity ?? RULES[rule].severity,
    message,
    ...(options.hint === undefined ? {} : { hint: options.hint }),
    location: { kind: 'config', path },
  };
}

/** The same diagnostic at another config path (a rule's input path re-rooted in the file), with `prefix` before its message. */
export function atConfigPath<D extends Diagnostic>(diagnostic: D, path: ConfigPath, prefix = ''): ConfigDiagnostic {
  return { ...diagnostic, message: `${prefix}${diagnostic.message}`, location: { kind: 'config', path } };
}

/** The diagnostic placed at `source`. */
export function placeDiagnostic(diagnostic: ConfigDiagnostic, source: SourcePoint): PlacedConfigDiagnostic {
  return { ...diagnostic, location: { ...diagnostic.location, source } };
}

/** True when any diagnostic is an error (warnings do not block a render). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
