import type { SourcePosition } from './source-map.js';

/** One thing wrong with an environment file, located for a person to fix. */
export interface Problem extends SourcePosition {
  /** File path as the user knows it, e.g. `environments/dev.yaml`. */
  readonly file: string;
  /** Config path such as `tenants[1].quota.cpu`; empty for whole-file problems (YAML syntax). */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** `environments/dev.yaml:12:7: tenants[1].quota.cpu: <message>` */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** An environment file that cannot be rendered; carries every problem found, sorted by position. */
export class EnvironmentFileError extends Error {
  override readonly name = 'EnvironmentFileError';
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    super(sorted.map(formatProblem).join('\n'));
    this.problems = sorted;
  }
}
