import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RenderResult } from '@emr-eks-gitops/charts';
import { hasErrors } from '@emr-eks-gitops/core';
import type { CliIO } from './io.js';
import { environmentNames, loadEnvironments, renderAll, type Project } from './project.js';
import { reportFindings, reportRenderWarnings, validateRendered, type ValidationOptions } from './validation-report.js';
import { compareTrees, hasChanges, readTree, type FileTree, type TreeDiff } from './output/tree.js';
import { assertTenantRemovalsSafe } from './tenant-removal.js';

// One home for "what would `render` do": `render` writes the plan, `render --check` and `diff` report it.

export interface RenderSelection extends ValidationOptions {
  /** Environments to render; all when empty (only then are stale folders known). */
  readonly env: readonly string[];
}

/**
 * Loads, renders and validates the selected environments in memory, printing the renderer's warnings and every
 * finding on stderr. Returns undefined when the output breaks a rule: `render` would refuse it.
 */
export function renderValidated(project: Project, selection: RenderSelection, io: CliIO): RenderResult[] | undefined {
  const environments = loadEnvironments(project, selection.env);
  const results = renderAll(environments);
  // A tenant dropped before it was retired is a mistake in the environment file (exit 2), whether writing or checking.
  assertTenantRemovalsSafe(project, environments, results);
  const findings = validateRendered(project, environments, results, selection);
  reportRenderWarnings(environments, results, io);
  reportFindings(findings, io);
  return hasErrors(findings) ? undefined : results;
}

/** How one environment's folder compares with what it renders to. */
export interface EnvironmentPlan {
  readonly environment: string;
  /** The folder as the user sees it, e.g. `dist-manifests/dev`. */
  readonly folder: string;
  readonly dir: string;
  readonly rendered: FileTree;
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
export function planOutput(project: Project, results: readonly RenderResult[], all: boolean): OutputPlan {
  const outputLabel = relative(project.root, project.outputDir) || '.';
  const environments = results.map((result): EnvironmentPlan => {
    const dir = join(project.outputDir, result.environment);
    const committed = readTree(dir);
    return {
      environment: result.environment, folder: `${outputLabel}/${result.environment}`, dir,
      rendered: result.files, committed, diff: compareTrees(result.files, committed), neverRendered: !existsSync(dir),
    };
  });
  const stale = all ? staleOutputs(project).map((name): StaleOutput => {
    const path = join(project.outputDir, name);
    const files = statSync(path).isDirectory() ? readTree(path) : new Map([['', readFileSync(path, 'utf8')]]);
    return { name, folder: `${outputLabel}/${name}`, path, files };
  }) : [];
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
  return readdirSync(project.outputDir).filter((entry) => !entry.startsWith('.') && !names.has(entry)).sort();
}
