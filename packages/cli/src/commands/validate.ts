import { resolve } from 'node:path';
import { findingAnnotation, formatFinding, hasErrors, validateObjects, type Finding } from '@emr-eks-gitops/core';
import { formatProblem, type LoadedEnvironment, type Problem, type RenderResult } from '@emr-eks-gitops/charts';
import { EXIT, type CliIO } from '../io.js';
import { loadEnvironments, locateIssue, renderAll, type Project } from '../project.js';
import { promotionOrderProblems } from '../promotion-chain.js';

export interface ValidationOptions {
  /** A directory of JSON schemas named as kubeconform names them, used instead of the built-in ones where it has a kind. */
  readonly schemaDir?: string;
}

export interface ValidateOptions extends ValidationOptions {
  readonly env: readonly string[];
  readonly output: 'text' | 'json';
}

/** Every rule over every rendered object of each environment, plus the renderer's own warnings, in stable order. */
export function validateRendered(project: Project, environments: readonly LoadedEnvironment[], results: readonly RenderResult[], options: ValidationOptions): Finding[] {
  const schemaDir = options.schemaDir ? resolve(project.root, options.schemaDir) : undefined;
  return results.flatMap((result, index) => validateObjects(result.objects, {
    environment: result.environment,
    production: environments[index]!.config.production ?? false,
    kubernetesVersion: environments[index]!.config.cluster.kubernetesVersion,
    schemaDir,
  }));
}

/** Prints findings for people on stderr (one line each, then a count); says nothing when there are none. */
export function reportFindings(findings: readonly Finding[], io: CliIO): void {
  for (const finding of findings) io.err(`${finding.severity}: ${formatFinding(finding)}\n`);
  if (findings.length > 0) io.err(`${countOf(findings, 'error')} errors, ${countOf(findings, 'warning')} warnings\n`);
}

/** What the renderer noticed but did not refuse, at its line of the environment file. */
function renderWarnings(environments: readonly LoadedEnvironment[], results: readonly RenderResult[]): Problem[] {
  return results.flatMap((result, index) => result.warnings.map((warning) => locateIssue(environments[index]!, warning)));
}

/** Prints what the renderer noticed but did not refuse. */
export function reportRenderWarnings(environments: readonly LoadedEnvironment[], results: readonly RenderResult[], io: CliIO): void {
  for (const warning of renderWarnings(environments, results)) io.err(`warning: ${formatProblem(warning)}\n`);
}

/** `emr-gitops validate`: render in memory and run every rule, writing nothing. Exit 1 when any rule fails. */
export function validateCommand(project: Project, options: ValidateOptions, io: CliIO): number {
  const environments = loadEnvironments(project, options.env);
  const results = renderAll(environments, promotionOrderProblems(project, environments, io));
  const findings = validateRendered(project, environments, results, options);
  // Which official Kubernetes OpenAPI each environment's built-in kinds were checked against.
  const kubernetesSchemas = Object.fromEntries(environments.map((env, index) => [results[index]!.environment, env.config.cluster.kubernetesVersion]));
  if (options.output === 'json') {
    io.out(`${JSON.stringify({
      environments: results.map((result) => result.environment),
      kubernetesSchemas,
      errors: countOf(findings, 'error'),
      warnings: countOf(findings, 'warning') + results.reduce((sum, result) => sum + result.warnings.length, 0),
      findings: findings.map((finding) => ({ ...finding, annotation: findingAnnotation(finding) })),
      renderWarnings: renderWarnings(environments, results),
    }, null, 2)}\n`);
  } else {
    for (const [environment, version] of Object.entries(kubernetesSchemas)) io.out(`${environment}: Kubernetes ${version} schemas\n`);
    reportRenderWarnings(environments, results, io);
    reportFindings(findings, io);
    const warnings = results.reduce((n, r) => n + r.warnings.length, 0);
    const objects = `${results.reduce((n, r) => n + r.objects.length, 0)} objects`;
    if (findings.length === 0) {
      io.out(`${results.map((r) => r.environment).join(', ')}: ${warnings === 0 ? `every rule passes (${objects})` : `no errors, ${warnings} warning${warnings === 1 ? '' : 's'} (${objects})`}\n`);
    }
  }
  return hasErrors(findings) ? EXIT.failed : EXIT.ok;
}

function countOf(findings: readonly Finding[], severity: Finding['severity']): number {
  return findings.filter((finding) => finding.severity === severity).length;
}
