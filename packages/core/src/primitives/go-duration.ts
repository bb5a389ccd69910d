import { requireThat } from './errors.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };

/**
 * Seconds in a Go duration made of whole `h`, `m` and `s` parts (`720h`, `1h30m`, `90s`), the subset of
 * Go's syntax that Karpenter's CRD patterns accept. Returns undefined for anything else.
 */
export function goDurationSeconds(value: string): number | undefined {
  if (!/^([0-9]+[hms])+$/.test(value)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+)([hms])/g)) {
    seconds += Number(amount) * UNIT_SECONDS[unit as string]!;
  }
  return seconds;
}

export interface GoDurationRules {
  /** Whether the literal `Never` is allowed. */
  readonly allowNever?: boolean;
  /** Whether `s` parts are allowed (Karpenter budget durations take hours and minutes only). */
  readonly allowSeconds?: boolean;
}

/**
 * Validates a Go duration and returns its length in seconds (`Infinity` for `Never`).
 * Throws a ConfigurationError naming `field` otherwise.
 */
export function requireGoDuration(value: string, field: string, rules: GoDurationRules = {}): number {
  const allowSeconds = rules.allowSeconds ?? true;
  if (rules.allowNever && value === 'Never') return Infinity;
  const seconds = goDurationSeconds(value);
  const units = allowSeconds ? '`h`, `m` and `s`' : '`h` and `m`';
  requireThat(
    seconds !== undefined && (allowSeconds || !value.includes('s')),
    field,
    `"${value}" is not a Go duration of whole ${units} parts such as "720h" or "1h30m"${rules.allowNever ? ', or "Never"' : ''}`,
  );
  return seconds;
}
