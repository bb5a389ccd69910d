import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors } from '@emr-eks-gitops/core';
import {
  loadEnvironmentText,
  type LoadedEnvironment,
  type RenderResult,
  type TenantFileText,
} from '@emr-eks-gitops/charts';
import { CliError, type CliIO } from '../io.js';
import { readTenantFiles, renderAll, type Project } from '../project.js';
import { promotionOrderProblems } from '../promotion-chain.js';
import { reportFindings, validateRendered } from '../validation-report.js';

/**
 * Checks an environment file's new text as `validate` would (load, render, every rule) before anything is written:
 * a located EnvironmentFileError for the file or a builder's refusal, a CliError after the rules' findings.
 * `tenantFiles` are the project's tenant files as they would be (by default as they are). Returns the environment
 * and its render.
 */
export function checkEnvironmentText(
  project: Project,
  name: string,
  text: string,
  io: CliIO,
  tenantFiles: readonly TenantFileText[] = readTenantFiles(project),
): { environment: LoadedEnvironment; result: RenderResult } {
  const environment = loadEnvironmentText(text, `environments/${name}.yaml`, tenantFiles);
  const results = renderAll([environment], promotionOrderProblems(project, [environment], io));
  const findings = validateRendered(project, [environment], results, {});
  if (hasErrors(findings)) {
    reportFindings(findings, io);
    throw new CliError(`environments/${name}.yaml would break the rules above; nothing was written`);
  }
  return { environment, result: results[0]! };
}

/**
 * Writes an environment file that was checked. `create` refuses an existing file (the `wx` flag: no race between a
 * look and the write).
 */
export function writeEnvironmentFile(project: Project, name: string, text: string, mode: 'create' | 'replace'): void {
  const file = join(project.environmentsDir, `${name}.yaml`);
  try {
    writeFileSync(file, text, { flag: mode === 'create' ? 'wx' : 'w' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(name);
    throw error;
  }
}

/** Refuses early (before rendering) to create an environment whose file exists. */
export function assertNewEnvironment(project: Project, name: string): void {
  if (existsSync(join(project.environmentsDir, `${name}.yaml`))) throw existsError(name);
}

function existsError(name: string): CliError {
  return new CliError(
    `environments/${name}.yaml exists already; init never overwrites a file (add teams with \`emr-gitops tenant add --env ${name}\`, or choose another name)`,
  );
}

/** The steps after an edit of the environment file, the same for every edit: render, review, commit, then EMR. */
export function nextSteps(name: string, extra: readonly string[] = []): string {
  const steps = [
    ...extra,
    `pnpm render (emr-gitops render --env ${name}), then review dist-manifests/${name}/README.md`,
    `git add environments/${name}.yaml dist-manifests/${name} && git commit`,
    `once Flux or Argo CD has synced it: emr-gitops emr plan --env ${name}, then emr-gitops emr apply --env ${name}`,
  ];
  return `next:\n${steps.map((step, index) => `  ${index + 1}. ${step}\n`).join('')}`;
}
