import { formatProblem, type ConfigPath, type PlacedConfigDiagnostic, type RuleId } from '@emr-eks-gitops/core';

/** One thing wrong with an environment file, placed at its line for a person to fix. */
export type Problem = PlacedConfigDiagnostic;

/** Makes the problem `rule` reports about the value at `path`, placed where that value is written. */
export type Locate = (rule: RuleId, path: ConfigPath, message: string) => Problem;

export { formatProblem };

/** An environment file that cannot be rendered; carries every problem found, sorted by position. */
export class EnvironmentFileError extends Error {
  override readonly name = 'EnvironmentFileError';
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = [...problems].sort(({ location: { source: a } }, { location: { source: b } }) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    super(sorted.map(formatProblem).join('\n'));
    this.problems = sorted;
  }
}
