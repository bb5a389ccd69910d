/**
 * The one error type builders throw for invalid props.
 *
 * `field` is the property path inside the props (e.g. `requirements[0].values`), so that callers that map
 * props back to a config file can point at the line the user wrote.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(
    /** Path of the offending property, dot/bracket notation, relative to the builder's props. */
    readonly field: string,
    /** What is wrong and what is allowed, as one sentence fragment. */
    readonly problem: string,
    /** The construct path or object that was being built, when known. */
    readonly subject?: string,
  ) {
    super(`${subject ? `${subject}: ` : ''}${field}: ${problem}`);
  }
}

/** Throws a ConfigurationError when `condition` is false. */
export function requireThat(condition: boolean, field: string, problem: string, subject?: string): asserts condition {
  if (!condition) throw new ConfigurationError(field, problem, subject);
}
