import { requireThat } from '../errors.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Validates a `metadata.name` as a DNS-1123 subdomain (at most 253 characters). */
export function requireObjectName(name: string, field: string): void {
  requireThat(
    name.length <= 253 && DNS_SUBDOMAIN.test(name),
    field,
    `"${name}" is not a valid object name: lower-case alphanumerics, "-" and ".", starting and ending alphanumeric, at most 253 characters`,
  );
}

/** Validates a label, annotation or taint key: optional DNS-subdomain prefix and `/`, then a name of at most 63. */
export function requireQualifiedName(key: string, field: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  requireThat(
    (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) &&
      name.length <= 63 &&
      QUALIFIED_NAME_PART.test(name),
    field,
    `"${key}" is not a valid key: an optional DNS subdomain prefix and "/", then at most 63 alphanumerics, "-", "_" or "."`,
  );
}

/** Validates a label value: empty, or at most 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. */
export function requireLabelValue(value: string, field: string): void {
  requireThat(
    value.length <= 63 && LABEL_VALUE.test(value),
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

const QUANTITY = /^[+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

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
  requireThat(Number.isInteger(value) && value >= min && value <= max, field, `${value} must be an integer from ${min} to ${max}`);
}
