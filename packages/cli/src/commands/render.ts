import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, type CliIO } from '../io.js';
import type { Project } from '../project.js';
import type { ValidationOptions } from '../validation-report.js';
import { driftReport } from '../output/drift-report.js';
import { hasChanges } from '../output/tree.js';
import { recoverInterruptedWrite, writeTreeAtomically } from '../output/tree-write.js';
import { planOutput, renderValidated, type OutputPlan } from '../render-plan.js';

export interface RenderOptions extends ValidationOptions {
  /** Environments to render; all when empty. */
  readonly env: readonly string[];
  /** Compare with what is committed instead of writing. */
  readonly check: boolean;
}

/**
 * `emr-gitops render`: environments/*.yaml -> dist-manifests/<env>/. Everything is loaded, rendered and validated
 * in memory first; output that breaks a rule is refused (exit 1). Only then is anything written, one environment
 * folder at a time, only the files that differ, atomically (see writeTreeAtomically).
 */
export async function renderCommand(project: Project, options: RenderOptions, io: CliIO): Promise<number> {
  const results = await renderValidated(project, options, io);
  if (!results) {
    io.err(
      'the rendered output breaks the rules above; nothing was written. Run `emr-gitops validate` to see them again.\n',
    );
    return EXIT.failed;
  }
  // A write an earlier run left half-done is completed before comparing, so the summary counts this run's changes.
  if (!options.check)
    for (const result of results) recoverInterruptedWrite(join(project.outputDir, result.environment));
  // Folders of environments that no longer exist are stale, but only a full render knows which those are.
  const plan = planOutput(project, results, options.env.length === 0);
  return options.check ? check(plan, io) : write(plan, io);
}

function write(plan: OutputPlan, io: CliIO): number {
  for (const { folder, dir, rendered, diff } of plan.environments) {
    writeTreeAtomically(dir, rendered, diff);
    const summary = hasChanges(diff)
      ? `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged`
      : `up to date (${diff.unchanged.length} files)`;
    io.out(`${folder}: ${summary}\n`);
  }
  for (const entry of plan.stale) {
    rmSync(entry.path, { recursive: true, force: true });
    io.out(`${entry.folder}: removed (no environments/${entry.name}.yaml)\n`);
  }
  return EXIT.ok;
}

function check(plan: OutputPlan, io: CliIO): number {
  let drifted = false;
  for (const { folder, rendered, committed, diff } of plan.environments) {
    if (!hasChanges(diff)) {
      io.out(`${folder}: up to date (${diff.unchanged.length} files)\n`);
      continue;
    }
    drifted = true;
    io.out(
      `${folder}: drift: ${diff.changed.length} changed, ${diff.added.length} missing, ${diff.removed.length} stale\n`,
    );
    io.out(driftReport(folder, rendered, committed, diff));
  }
  for (const entry of plan.stale) {
    drifted = true;
    io.out(`${entry.folder}: stale (no environments/${entry.name}.yaml)\n`);
  }
  if (drifted)
    io.err(`${plan.outputLabel}/ does not match the environment files: run \`pnpm render\` and commit the result.\n`);
  return drifted ? EXIT.failed : EXIT.ok;
}
