import { ConfigurationError } from '@emr-eks-gitops/core';
import type { ConfigPath } from './source-map.js';

/** A builder refused a value of the environment file; `configPath` says which one. */
export interface RenderIssue {
  readonly configPath: ConfigPath;
  readonly message: string;
}

/** Rendering an environment failed on values the schema could not judge; carries every issue found. */
export class RenderError extends Error {
  override readonly name = 'RenderError';

  constructor(readonly environment: string, readonly issues: readonly RenderIssue[]) {
    super(`${environment}: ${issues.map((issue) => issue.message).join('; ')}`);
  }
}

/** `requirements[0].values` -> `['requirements', 0, 'values']` */
export function fieldToPath(field: string): ConfigPath {
  return field.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Runs `build`; a ConfigurationError it throws becomes an issue located under `configPath` instead of ending the
 * render, so one run reports every bad value. Anything else is a bug and propagates.
 */
export function collectIssues<T>(issues: RenderIssue[], configPath: ConfigPath, build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    issues.push({ configPath: [...configPath, ...fieldToPath(error.field)], message: error.problem });
    return undefined;
  }
}

/** Runs `build` and re-throws its ConfigurationError with `prefix` put before the field, to match the config's nesting. */
export function underField<T>(prefix: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError(`${prefix}.${error.field}`, error.problem, error.subject);
  }
}
