import { requireThat } from './errors.js';
import { DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN } from './names.js';

// Kubernetes' name and label syntax, once: builders turn a violation into a ConfigurationError (require*), the
// validation rules into a finding (is* / qualifiedNameProblem).
const dnsLabel = new RegExp(DNS_LABEL_PATTERN);
const dnsSubdomain = new RegExp(DNS_SUBDOMAIN_PATTERN);
const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const isDnsLabel = (value: string): boolean => value.length <= 63 && dnsLabel.test(value);
export const isDnsSubdomain = (value: string): boolean => value.length <= 253 && dnsSubdomain.test(value);
/** A label value: empty, or at most 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. */
export const isLabelValue = (value: string): boolean => value.length <= 63 && labelValue.test(value);

/** What is wrong with a label, annotation or taint key (`[prefix/]name`), or undefined when it is valid. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return `its prefix "${prefix}" is not a DNS-1123 subdomain`;
  if (name.length > 63) return `its name part is ${name.length} characters long, more than 63`;
  if (!qualifiedNamePart.test(name))
    return `its name part "${name}" must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  return undefined;
}

/** Validates a `metadata.name` as a DNS-1123 subdomain (at most 253 characters). */
export function requireObjectName(name: string, field: string): void {
  requireThat(
    isDnsSubdomain(name),
    field,
    `"${name}" is not a valid object name: lower-case alphanumerics, "-" and ".", starting and ending alphanumeric, at most 253 characters`,
  );
}

/** Validates a label, annotation or taint key: optional DNS-subdomain prefix and `/`, then a name of at most 63. */
export function requireQualifiedName(key: string, field: string): void {
  const problem = qualifiedNameProblem(key);
  requireThat(problem === undefined, field, `"${key}" is not a valid key: ${problem}`);
}

/** Validates a label value: empty, or at most 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. */
export function requireLabelValue(value: string, field: string): void {
  requireThat(
    isLabelValue(value),
    field,
    `"${value}" is not a valid label value: at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric`,
  );
}

/** Validates every key and value of a label map. */
export function requireLabels(labels: Readonly<Record<string, string>>, field: string): void {
  for (const [key, value] of Object.entries(labels)) {
    requireQualifiedName(key, `${field}["${key}"]`);
    requireLabelValue(value, `${field}["${key}"]`);
  }
}

const QUANTITY =
  /^[+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** Validates a Kubernetes resource quantity such as `1000`, `500m` or `4000Gi`. */
export function requireQuantity(value: string | number, field: string): void {
  requireThat(
    typeof value === 'number' ? Number.isFinite(value) && value >= 0 : QUANTITY.test(value) && !value.startsWith('-'),
    field,
    `"${value}" is not a non-negative Kubernetes quantity such as "1000", "500m" or "4000Gi"`,
  );
}

/** Validates an integer within [min, max]. */
export function requireIntegerInRange(value: number, min: number, max: number, field: string): void {
  requireThat(
    Number.isInteger(value) && value >= min && value <= max,
    field,
    `${value} must be an integer from ${min} to ${max}`,
  );
}
