import { formatProblem, type ConfigPath, type PlacedConfigDiagnostic, type RuleId } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';

/** One thing wrong with an environment file, placed at its line for a person to fix. */
export type Problem = PlacedConfigDiagnostic;

/** Makes the problem `rule` reports about the value at `path`, placed where that value is written. */
export type Locate = (rule: RuleId, path: ConfigPath, message: string) => Problem;

export { formatProblem };

/**
 * The environment file as the config rules read it. They run even when the schema found problems (so one run reports
 * everything), so they read it defensively: a rule whose fields have the wrong shape is skipped; the schema reports those.
 */
export interface ConfigRuleInput {
  readonly file: Partial<EnvironmentFile> | null;
  /** Each entry of `tenants:` (an entry that is no mapping reads as `{}`). */
  readonly tenants: readonly Partial<TenantConfig>[];
}

/** The rules of one topic of the environment file: the ids its check may report, and the check. */
export interface ConfigRules {
  readonly topic: string;
  readonly rules: readonly RuleId[];
  /** Runs even on a file without a `cluster:` section (the other topics need it to say anything). */
  readonly withoutCluster?: true;
  readonly check: (input: ConfigRuleInput, at: Locate) => Problem[];
}

/** An environment file that cannot be rendered; carries every problem found, sorted by position. */
export class EnvironmentFileError extends Error {
  override readonly name = 'EnvironmentFileError';
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = [...problems].sort(
      ({ location: { source: a } }, { location: { source: b } }) =>
        a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
    );
    super(sorted.map(formatProblem).join('\n'));
    this.problems = sorted;
  }
}
