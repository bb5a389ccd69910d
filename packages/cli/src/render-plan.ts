import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EnvironmentFileError, formatProblem } from '@emr-eks-gitops/charts';
import { hasErrors } from '@emr-eks-gitops/core';
import { CliError, type CliIO } from './io.js';
import { environmentNames, selectEnvironments, type Project } from './project.js';
import { reportFindings, reportRenderWarnings } from './validation-report.js';
import { compareWithFolder, hasChanges, readTree, type FileTree, type TreeDiff } from './output/tree.js';
import { STEPS, type EnvironmentRendered, type RenderedFiles, type RenderSelection } from './prepare-environment.js';
import { prepareEnvironments } from './parallel-render.js';

export type { RenderedFiles, RenderSelection } from './prepare-environment.js';

// One home for "what would `render` do": `render` writes the plan, `render --check` and `diff` report it.

/**
 * Loads, renders and validates the selected environments in memory (in parallel, see prepareEnvironments),
 * printing the renderer's warnings and every finding on stderr, in the order of the environments. Returns
 * undefined when the output breaks a rule: `render` would refuse it.
 */
export async function renderValidated(
  project: Project,
  selection: RenderSelection,
  io: CliIO,
): Promise<RenderedFiles[] | undefined> {
  const outcomes = await prepareEnvironments(project, selectEnvironments(project, selection.env), selection, io.env);
  // As a serial run would stop: at the first unreadable file, else at every environment file's problems of the
  // first step that has any.
  for (const outcome of outcomes) if ('usage' in outcome) throw new CliError(outcome.usage, outcome.exitCode);
  for (const step of STEPS) {
    const problems = outcomes.flatMap((outcome) =>
      'refused' in outcome && outcome.refused === step ? outcome.problems : [],
    );
    // A tenant file's problem is found by every environment that reads it: reported once.
    if (problems.length > 0)
      throw new EnvironmentFileError([
        ...new Map(problems.map((problem) => [formatProblem(problem), problem])).values(),
      ]);
  }
  const rendered = outcomes.filter((outcome): outcome is EnvironmentRendered => 'rendered' in outcome);
  const findings = rendered.flatMap((outcome) => outcome.findings);
  reportRenderWarnings(
    rendered.flatMap((outcome) => outcome.warnings),
    io,
  );
  reportFindings(findings, io);
  return hasErrors(findings) ? undefined : rendered.map((outcome) => outcome.rendered);
}

/** How one environment's folder compares with what it renders to. */
export interface EnvironmentPlan {
  readonly environment: string;
  /** The folder as the user sees it, e.g. `dist-manifests/dev`. */
  readonly folder: string;
  readonly dir: string;
  readonly rendered: FileTree;
  /** What is committed of the files that differ (changed or removed); unchanged files are compared, not kept. */
  readonly committed: FileTree;
  readonly diff: TreeDiff;
  /** No folder yet: every file would be added. */
  readonly neverRendered: boolean;
}

/** An entry of the output folder that belongs to no environment; render removes it. */
export interface StaleOutput {
  readonly name: string;
  readonly folder: string;
  /** Absolute path of the entry. */
  readonly path: string;
  /** Its files (relative paths; a stray plain file is one entry with path ''). */
  readonly files: FileTree;
}

export interface OutputPlan {
  /** The output folder relative to the project root, e.g. `dist-manifests`. */
  readonly outputLabel: string;
  readonly environments: readonly EnvironmentPlan[];
  readonly stale: readonly StaleOutput[];
}

/** Compares rendered results with the output folder; `all` when every environment was rendered (stale folders known). */
export function planOutput(project: Project, results: readonly RenderedFiles[], all: boolean): OutputPlan {
  const outputLabel = relative(project.root, project.outputDir) || '.';
  const environments = results.map((result): EnvironmentPlan => {
    const dir = join(project.outputDir, result.environment);
    const { diff, differing } = compareWithFolder(result.files, dir);
    return {
      environment: result.environment,
      folder: `${outputLabel}/${result.environment}`,
      dir,
      rendered: result.files,
      committed: differing,
      diff,
      neverRendered: !existsSync(dir),
    };
  });
  const stale = all
    ? staleOutputs(project).map((name): StaleOutput => {
        const path = join(project.outputDir, name);
        const files = statSync(path).isDirectory() ? readTree(path) : new Map([['', readFileSync(path, 'utf8')]]);
        return { name, folder: `${outputLabel}/${name}`, path, files };
      })
    : [];
  return { outputLabel, environments, stale };
}

/** True when writing the plan would change anything on disk. */
export function planChanges(plan: OutputPlan): boolean {
  return plan.stale.length > 0 || plan.environments.some((environment) => hasChanges(environment.diff));
}

/** Entries of the output folder that belong to no environment (dotfiles such as an interrupted swap excepted). */
function staleOutputs(project: Project): string[] {
  if (!existsSync(project.outputDir)) return [];
  const names = new Set(environmentNames(project));
  return readdirSync(project.outputDir)
    .filter((entry) => !entry.startsWith('.') && !names.has(entry))
    .sort();
}
