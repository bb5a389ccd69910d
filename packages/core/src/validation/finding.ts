/** Stable identifiers of the validation rules; CI filters and suppressions key on them. */
export type RuleId =
  | 'schema' | 'unknown-field' | 'unknown-kind' | 'dns-name' | 'label-syntax'
  | 'karpenter-label-domain' | 'node-class-labels' | 'budget-format' | 'ami-alias'
  | 'capacity-unschedulable' | 'driver-on-spot' | 'executor-spot-first' | 'gpu-pool-device-request'
  | 'pod-template-container-name' | 'pod-template-reserved-path' | 'pod-template-field'
  | 'rbac-wildcard' | 'tenant-isolation-missing' | 'tenant-pod-security-level' | 'secret-value' | 'imds-v2'
  | 'prod-dummy-auth' | 'prod-latest-ami' | 'fargate-unsupported';

export type Severity = 'error' | 'warning';

/** One problem found in the rendered objects: data, not an exception. */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly environment: string;
  /** File the object is rendered to, relative to `dist-manifests/<env>/`. */
  readonly path: string;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  /** Where in the object, e.g. `spec.template.spec.requirements[0].values`; empty for the whole object. */
  readonly fieldPath: string;
  /** What is wrong. */
  readonly message: string;
  /** What to change. */
  readonly hint: string;
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
export function compareFindings(a: Finding, b: Finding): number {
  return compare(a.environment, b.environment) || compare(a.path, b.path) || compare(a.object, b.object)
    || compare(a.fieldPath, b.fieldPath) || compare(a.rule, b.rule) || compare(a.message, b.message);
}

/** `<env> <file> <kind/ns/name> <fieldPath>: [rule] message — hint`, on one line. */
export function formatFinding(f: Finding): string {
  const where = [f.environment, f.path, f.object, f.fieldPath].filter((part) => part !== '').join(' ');
  return `${where}: ${f.severity === 'warning' ? 'warning ' : ''}[${f.rule}] ${f.message} — ${f.hint}`;
}

/**
 * The finding as a CI annotation on the committed file `<outputDir>/<env>/<path>`. Findings are about objects, not
 * lines, so the annotation sits on line 1 of the object's file (one object per file).
 */
export function findingAnnotation(f: Finding, outputDir = 'dist-manifests'): FindingAnnotation {
  return {
    path: `${outputDir}/${f.environment}/${f.path}`,
    start_line: 1,
    end_line: 1,
    annotation_level: f.severity === 'error' ? 'failure' : 'warning',
    title: `[${f.rule}] ${f.object}${f.fieldPath ? ` ${f.fieldPath}` : ''}`,
    message: `${f.message} — ${f.hint}`,
  };
}

/** True when any finding is an error (warnings do not block a render). */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
