import type { ObjectDiagnostic, RuleId, Severity } from '../diagnostics/index.js';

/** One rendered object to validate (the shape of the charts package's RenderedObject). */
export interface ValidationInput {
  /** Path relative to `dist-manifests/<env>/`. */
  readonly path: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** True when Flux/Argo CD applies it; false for artifacts such as Spark pod templates. */
  readonly applied: boolean;
}

export interface ValidationContext {
  readonly environment: string;
  /** Production environments also fail on what is tolerable elsewhere (dummy auth, drifting AMIs). */
  readonly production: boolean;
  /**
   * Kubernetes minor of the cluster, e.g. `'1.30'`: built-in kinds are checked against that minor's official OpenAPI.
   * One of SUPPORTED_KUBERNETES_VERSIONS; validateObjects throws a ConfigurationError for any other.
   */
  readonly kubernetesVersion: string;
  /**
   * Folder of JSON schemas laid out as kubeconform reads them (`{kind}-{group}-{version}.json`, `{kind}-{version}.json`
   * for the core group, lower case); a schema found there replaces the built-in one for its kind.
   */
  readonly schemaDir?: string;
}

export type Segment = string | number;
type Json = Readonly<Record<string, unknown>>;

/** `spec.requirements[0].values`; keys that are not identifiers, such as label keys, in brackets. */
export function formatFieldPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export const asRecord = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
export const asList = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
export const asText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The value at `segments` below `root`, or undefined. */
export function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof segment === 'number') current = Array.isArray(current) ? current[segment] : undefined;
    else current = asRecord(current)?.[segment];
    if (current === undefined) return undefined;
  }
  return current;
}

/** An object under validation, with what every rule needs to name it in a finding. */
export class Subject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** `Kind/namespace/name` or `Kind/name`. */
  readonly ref: string;

  constructor(
    readonly input: ValidationInput,
    readonly environment: string,
  ) {
    const object = input.object;
    const metadata = asRecord(object.metadata);
    this.apiVersion = asText(object.apiVersion) ?? '';
    this.kind = asText(object.kind) ?? '';
    this.name = asText(metadata?.name);
    this.namespace = asText(metadata?.namespace);
    this.labels = (asRecord(metadata?.labels) ?? {}) as Record<string, string>;
    this.ref = [this.kind || '(no kind)', ...(this.namespace ? [this.namespace] : []), this.name ?? '(unnamed)'].join(
      '/',
    );
  }

  get object(): Json {
    return this.input.object;
  }

  /** API group, '' for the core group. */
  get group(): string {
    const slash = this.apiVersion.indexOf('/');
    return slash < 0 ? '' : this.apiVersion.slice(0, slash);
  }

  get version(): string {
    return this.apiVersion.slice(this.apiVersion.indexOf('/') + 1);
  }

  is(group: string, kind: string): boolean {
    return this.group === group && this.kind === kind;
  }

  finding(
    rule: RuleId,
    severity: Severity,
    at: readonly Segment[] | string,
    message: string,
    hint: string,
  ): ObjectDiagnostic {
    return {
      rule,
      severity,
      message,
      hint,
      location: {
        kind: 'object',
        environment: this.environment,
        path: this.input.path,
        object: this.ref,
        fieldPath: typeof at === 'string' ? at : formatFieldPath(at),
      },
    };
  }
}
