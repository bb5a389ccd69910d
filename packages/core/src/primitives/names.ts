import { ConfigurationError } from './errors.js';

/** RFC 1123 label, as Kubernetes requires for namespaces, label-like names and Service names. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RFC 1123 subdomain, as Kubernetes requires for most object names. */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

const dnsLabel = new RegExp(DNS_LABEL_PATTERN);
const dnsSubdomain = new RegExp(DNS_SUBDOMAIN_PATTERN);

/** Throws unless `value` is a DNS-1123 label (at most 63 characters). */
export function assertDnsLabel(value: string, field: string, subject?: string): void {
  if (!dnsLabel.test(value) || value.length > 63) {
    throw new ConfigurationError(
      field,
      `"${value}" is not a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
      subject,
    );
  }
}

/** Throws unless `value` is a DNS-1123 subdomain (at most 253 characters). */
export function assertDnsSubdomain(value: string, field: string, subject?: string): void {
  if (!dnsSubdomain.test(value) || value.length > 253) {
    throw new ConfigurationError(
      field,
      `"${value}" is not a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters`,
      subject,
    );
  }
}
