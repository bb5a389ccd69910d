import { findingJson, hasErrors, problemJson } from '@emr-eks-gitops/core';
import { EXIT, type CliIO } from '../io.js';
import { loadEnvironments, renderAll, type Project } from '../project.js';
import { promotionOrderProblems } from '../promotion-chain.js';
import {
  countOf,
  renderWarnings,
  reportFindings,
  reportRenderWarnings,
  validateRendered,
  type ValidationOptions,
} from '../validation-report.js';

export interface ValidateOptions extends ValidationOptions {
  readonly env: readonly string[];
  readonly output: 'text' | 'json';
}

/** `emr-gitops validate`: render in memory and run every rule, writing nothing. Exit 1 when any rule fails. */
export function validateCommand(project: Project, options: ValidateOptions, io: CliIO): number {
  const environments = loadEnvironments(project, options.env);
  const results = renderAll(environments, promotionOrderProblems(project, environments, io));
  const findings = validateRendered(project, environments, results, options);
  // Which official Kubernetes OpenAPI each environment's built-in kinds were checked against.
  // An environment with clusters: names each cluster's (`<env>/<cluster>`): each was checked against its own.
  const kubernetesSchemas = Object.fromEntries(
    environments.flatMap((env, index) => {
      const result = results[index]!;
      return result.clusters
        ? result.clusters.map((cluster) => [`${result.environment}/${cluster.name}`, cluster.kubernetesVersion])
        : [[result.environment, env.environment.cluster.kubernetesVersion]];
    }),
  );
  if (options.output === 'json') {
    io.out(
      `${JSON.stringify(
        {
          environments: results.map((result) => result.environment),
          kubernetesSchemas,
          errors: countOf(findings, 'error'),
          warnings: countOf(findings, 'warning') + results.reduce((sum, result) => sum + result.warnings.length, 0),
          findings: findings.map(findingJson),
          renderWarnings: renderWarnings(environments, results).map(problemJson),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    for (const [environment, version] of Object.entries(kubernetesSchemas))
      io.out(`${environment}: Kubernetes ${version} schemas\n`);
    reportRenderWarnings(renderWarnings(environments, results), io);
    reportFindings(findings, io);
    const warnings = results.reduce((n, r) => n + r.warnings.length, 0);
    const objects = `${results.reduce((n, r) => n + r.objects.length, 0)} objects`;
    if (findings.length === 0) {
      io.out(
        `${results.map((r) => r.environment).join(', ')}: ${warnings === 0 ? `every rule passes (${objects})` : `no errors, ${warnings} warning${warnings === 1 ? '' : 's'} (${objects})`}\n`,
      );
    }
  }
  return hasErrors(findings) ? EXIT.failed : EXIT.ok;
}
