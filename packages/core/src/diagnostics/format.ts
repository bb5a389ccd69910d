// How diagnostics read as text, one line each: the CLI's stderr, its JSON and CI annotations print these.
import type { ConfigPath, ObjectDiagnostic, PlacedConfigDiagnostic, Diagnostic } from './diagnostic.js';
import { RULES } from './rules.js';

/** A config path the way users read it: `tenants[1].quota.cpu`. */
export function formatConfigPath(path: ConfigPath): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment),
    '',
  );
}

/** The message, its hint after `; ` and the rule id in brackets (unless the rule's messages never named it). */
export function messageText(d: Diagnostic): string {
  const text = d.hint === undefined ? d.message : `${d.message}; ${d.hint}`;
  return RULES[d.rule].untagged ? text : `${text} [${d.rule}]`;
}

/** `environments/dev.yaml:12:7: tenants[1].quota.cpu: <message> [rule]` */
export function formatProblem(problem: PlacedConfigDiagnostic): string {
  const { file, line, column } = problem.location.source;
  const where = `${file}:${line}:${column}`;
  const path = formatConfigPath(problem.location.path);
  return path ? `${where}: ${path}: ${messageText(problem)}` : `${where}: ${messageText(problem)}`;
}

/** A config diagnostic as the CLI's JSON has always shown it: where it is written, its path and its text. */
export function problemJson(problem: PlacedConfigDiagnostic) {
  return { ...problem.location.source, path: formatConfigPath(problem.location.path), message: messageText(problem) };
}

/** A GitHub check-run style annotation, for CI. */
export interface FindingAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'failure' | 'warning';
  readonly title: string;
  readonly message: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Total order on findings so that output and snapshots are stable across runs and machines. */
export function compareFindings(a: ObjectDiagnostic, b: ObjectDiagnostic): number {
  const x = a.location;
  const y = b.location;
  return (
    compare(x.environment, y.environment) ||
    compare(x.path, y.path) ||
    compare(x.object, y.object) ||
    compare(x.fieldPath, y.fieldPath) ||
    compare(a.rule, b.rule) ||
    compare(a.message, b.message)
  );
}

/** `<env> <file> <kind/ns/name> <fieldPath>: [rule] message — hint`, on one line. */
export function formatFinding(f: ObjectDiagnostic): string {
  const { environment, path, object, fieldPath } = f.location;
  const where = [environment, path, object, fieldPath].filter((part) => part !== '').join(' ');
  return `${where}: ${f.severity === 'warning' ? 'warning ' : ''}[${f.rule}] ${f.message} — ${f.hint}`;
}

/**
 * The finding as a CI annotation on the committed file `<outputDir>/<env>/<path>`. Findings are about objects, not
 * lines, so the annotation sits on line 1 of the object's file (one object per file).
 */
export function findingAnnotation(f: ObjectDiagnostic, outputDir = 'dist-manifests'): FindingAnnotation {
  const { environment, path, object, fieldPath } = f.location;
  return {
    path: `${outputDir}/${environment}/${path}`,
    start_line: 1,
    end_line: 1,
    annotation_level: f.severity === 'error' ? 'failure' : 'warning',
    title: `[${f.rule}] ${object}${fieldPath ? ` ${fieldPath}` : ''}`,
    message: `${f.message} — ${f.hint}`,
  };
}

/** A finding as the CLI's JSON has always shown it: its fields flat, then its annotation. */
export function findingJson(f: ObjectDiagnostic) {
  const { environment, path, object, fieldPath } = f.location;
  return {
    rule: f.rule,
    severity: f.severity,
    environment,
    path,
    object,
    fieldPath,
    message: f.message,
    hint: f.hint,
    annotation: findingAnnotation(f),
  };
}
