import { ConfigurationError } from './errors.js';

/** Kubernetes resource.Quantity syntax: a signed decimal with an optional binary, decimal or exponent suffix. */
export const QUANTITY_PATTERN =
  '^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$';
const quantityRegExp = new RegExp(QUANTITY_PATTERN);

const SUFFIX_FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity as written in config: `"500m"`, `"64Gi"`, or a plain number. */
export type QuantityInput = string | number;

/** True when `value` is a valid Kubernetes quantity. */
export function isQuantity(value: QuantityInput): boolean {
  return quantityRegExp.test(String(value));
}

/**
 * The numeric value of a quantity in base units (cores, bytes, count), for comparisons only.
 * Throws ConfigurationError naming `field` when the text is not a quantity.
 */
export function parseQuantity(value: QuantityInput, field = 'quantity'): number {
  const text = String(value);
  const match = quantityRegExp.exec(text);
  if (!match) {
    throw new ConfigurationError(field, `"${text}" is not a Kubernetes quantity (e.g. "500m", "4", "64Gi")`);
  }
  const suffix = match[3] ?? '';
  const number = Number(text.slice(0, text.length - suffix.length).replace(/^\+/, ''));
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * (SUFFIX_FACTORS[suffix] ?? 1);
}

/** The canonical string form used in rendered manifests (numbers become strings, text is kept as written). */
export function quantityString(value: QuantityInput): string {
  return String(value);
}
