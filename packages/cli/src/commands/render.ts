import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RenderResult } from '@emr-eks-gitops/charts';
import { EXIT, type CliIO } from '../io.js';
import { environmentNames, loadEnvironments, renderAll, type Project } from '../project.js';
import { reportFindings, reportRenderWarnings, validateRendered, type ValidationOptions } from './validate.js';
import { hasErrors } from '@emr-eks-gitops/core';
import { driftReport } from '../output/drift-report.js';
import { compareTrees, hasChanges, readTree, writeTreeAtomically } from '../output/tree.js';
import { assertTenantRemovalsSafe } from '../tenant-removal.js';

export interface RenderOptions extends ValidationOptions {
  /** Environments to render; all when empty. */
  readonly env: readonly string[];
  /** Compare with what is committed instead of writing. */
  readonly check: boolean;
}

/**
 * `emr-gitops render`: environments/*.yaml -> dist-manifests/<env>/. Everything is loaded, rendered and validated
 * in memory first; output that breaks a rule is refused (exit 1). Only then is anything written, one environment
 * folder at a time, atomically.
 */
export function renderCommand(project: Project, options: RenderOptions, io: CliIO): number {
  const environments = loadEnvironments(project, options.env);
  const results = renderAll(environments);
  // A tenant dropped before it was retired is a mistake in the environment file (exit 2), whether writing or checking.
  assertTenantRemovalsSafe(project, environments, results);
  const findings = validateRendered(project, environments, results, options);
  reportRenderWarnings(environments, results, io);
  reportFindings(findings, io);
  if (hasErrors(findings)) {
    io.err('the rendered output breaks the rules above; nothing was written. Run `emr-gitops validate` to see them again.\n');
    return EXIT.failed;
  }
  // Folders of environments that no longer exist are stale, but only a full render knows which those are.
  const stale = options.env.length === 0 ? staleOutputs(project) : [];
  const outputLabel = relative(project.root, project.outputDir) || '.';
  return options.check
    ? check(project, results, stale, outputLabel, io)
    : write(project, results, stale, outputLabel, io);
}

function write(project: Project, results: readonly RenderResult[], stale: readonly string[], outputLabel: string, io: CliIO): number {
  for (const result of results) {
    const dir = join(project.outputDir, result.environment);
    const diff = compareTrees(result.files, readTree(dir));
    writeTreeAtomically(dir, result.files, diff);
    const summary = hasChanges(diff)
      ? `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged`
      : `up to date (${diff.unchanged.length} files)`;
    io.out(`${outputLabel}/${result.environment}: ${summary}\n`);
  }
  for (const entry of stale) {
    rmSync(join(project.outputDir, entry), { recursive: true, force: true });
    io.out(`${outputLabel}/${entry}: removed (no environments/${entry}.yaml)\n`);
  }
  return EXIT.ok;
}

function check(project: Project, results: readonly RenderResult[], stale: readonly string[], outputLabel: string, io: CliIO): number {
  let drifted = false;
  for (const result of results) {
    const folder = `${outputLabel}/${result.environment}`;
    const committed = readTree(join(project.outputDir, result.environment));
    const diff = compareTrees(result.files, committed);
    if (!hasChanges(diff)) {
      io.out(`${folder}: up to date (${diff.unchanged.length} files)\n`);
      continue;
    }
    drifted = true;
    io.out(`${folder}: drift: ${diff.changed.length} changed, ${diff.added.length} missing, ${diff.removed.length} stale\n`);
    io.out(driftReport(folder, result.files, committed, diff));
  }
  for (const entry of stale) {
    drifted = true;
    io.out(`${outputLabel}/${entry}: stale (no environments/${entry}.yaml)\n`);
  }
  if (drifted) io.err(`${outputLabel}/ does not match the environment files: run \`pnpm render\` and commit the result.\n`);
  return drifted ? EXIT.failed : EXIT.ok;
}

/** Entries of the output folder that belong to no environment (dotfiles such as an interrupted swap excepted). */
function staleOutputs(project: Project): string[] {
  if (!existsSync(project.outputDir)) return [];
  const names = new Set(environmentNames(project));
  return readdirSync(project.outputDir).filter((entry) => !entry.startsWith('.') && !names.has(entry)).sort();
}
