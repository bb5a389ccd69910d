// Validating rendered environments and telling people what was found: what `validate`, `render` and `diff` share.
import { resolve } from 'node:path';
import { formatFinding, validateObjects, type Finding } from '@emr-eks-gitops/core';
import {
  formatProblem,
  validationUnits,
  type LoadedEnvironment,
  type Problem,
  type RenderResult,
} from '@emr-eks-gitops/charts';
import type { CliIO } from './io.js';
import { locateIssue, type Project } from './project.js';

export interface ValidationOptions {
  /** A directory of JSON schemas named as kubeconform names them, used instead of the built-in ones where it has a kind. */
  readonly schemaDir?: string;
}

/** Every rule over every rendered object of each environment, plus the renderer's own warnings, in stable order. */
export function validateRendered(
  project: Project,
  environments: readonly LoadedEnvironment[],
  results: readonly RenderResult[],
  options: ValidationOptions,
): Finding[] {
  const schemaDir = options.schemaDir ? resolve(project.root, options.schemaDir) : undefined;
  // Cluster by cluster: a multi-cluster environment's capacity and isolation rules hold on each cluster on its own.
  return results.flatMap((result, index) =>
    validationUnits(result, environments[index]!.environment).flatMap((unit) =>
      validateObjects(unit.objects, {
        environment: result.environment,
        production: environments[index]!.environment.production,
        kubernetesVersion: unit.kubernetesVersion,
        schemaDir,
      }),
    ),
  );
}

/** Prints findings for people on stderr (one line each, then a count); says nothing when there are none. */
export function reportFindings(findings: readonly Finding[], io: CliIO): void {
  for (const finding of findings) io.err(`${finding.severity}: ${formatFinding(finding)}\n`);
  if (findings.length > 0) io.err(`${countOf(findings, 'error')} errors, ${countOf(findings, 'warning')} warnings\n`);
}

/** What the renderer noticed but did not refuse, at its line of the environment file. */
export function renderWarnings(
  environments: readonly LoadedEnvironment[],
  results: readonly RenderResult[],
): Problem[] {
  return results.flatMap((result, index) =>
    result.warnings.map((warning) => locateIssue(environments[index]!, warning)),
  );
}

/** Prints what the renderer noticed but did not refuse (see renderWarnings). */
export function reportRenderWarnings(warnings: readonly Problem[], io: CliIO): void {
  for (const warning of warnings) io.err(`warning: ${formatProblem(warning)}\n`);
}

/** How many findings have this severity. */
export function countOf(findings: readonly Finding[], severity: Finding['severity']): number {
  return findings.filter((finding) => finding.severity === severity).length;
}
