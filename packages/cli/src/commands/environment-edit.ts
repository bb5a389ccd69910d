import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors } from '@emr-eks-gitops/core';
import { loadEnvironmentText } from '@emr-eks-gitops/charts';
import { CliError, type CliIO } from '../io.js';
import { renderAll, type Project } from '../project.js';
import { reportFindings, validateRendered } from '../validation-report.js';

/**
 * Checks an environment file's new text as `validate` would (load, render, every rule) before anything is written:
 * a located EnvironmentFileError for the file or a builder's refusal, a CliError after the rules' findings.
 */
export function checkEnvironmentText(project: Project, name: string, text: string, io: CliIO): void {
  const environment = loadEnvironmentText(text, `environments/${name}.yaml`);
  const results = renderAll([environment]);
  const findings = validateRendered(project, [environment], results, {});
  if (hasErrors(findings)) {
    reportFindings(findings, io);
    throw new CliError(`environments/${name}.yaml would break the rules above; nothing was written`);
  }
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
  return new CliError(`environments/${name}.yaml exists already; init never overwrites a file (add teams with \`emr-gitops tenant add --env ${name}\`, or choose another name)`);
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
