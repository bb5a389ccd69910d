import {
  ConfigurationError,
  HelmValuesError,
  configDiagnostic,
  messageText,
  parseConfigPath,
  type ConfigDiagnostic,
  type ConfigPath,
} from '@emr-eks-gitops/core';

/** What a render found at a field of the environment file: a value a builder refused, or a rule the charts check. */
export type RenderIssue = ConfigDiagnostic;

/** Rendering an environment failed on values the schema could not judge; carries every issue found. */
export class RenderError extends Error {
  override readonly name = 'RenderError';

  constructor(
    readonly environment: string,
    readonly issues: readonly RenderIssue[],
  ) {
    super(`${environment}: ${issues.map(messageText).join('; ')}`);
  }
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
    // Values the builder wrote that its chart refuses are the helm-values rule's, as JupyterHub's are.
    const rule = error instanceof HelmValuesError ? 'helm-values' : 'config-value';
    issues.push(configDiagnostic(rule, [...configPath, ...parseConfigPath(error.field)], error.problem));
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
