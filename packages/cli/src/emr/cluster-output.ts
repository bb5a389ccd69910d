import type { EnvironmentConfig } from '@emr-eks-gitops/charts';
import { CliError } from '../io.js';
import { toJson } from './format.js';

// The emr commands work cluster by cluster. A single-cluster environment prints what it always printed; one with
// clusters: prints each cluster's answer under its name, or one JSON document holding them.

/** The clusters a command works on: every cluster of the environment, or the one --cluster names. */
export function chosenClusters<T extends { readonly config: EnvironmentConfig }>(
  views: readonly T[],
  environment: EnvironmentConfig,
  options: { readonly cluster?: string; readonly region?: string; readonly output?: string },
): T[] {
  const names = views.map((view) => view.config.cluster.name);
  if (options.cluster !== undefined && !names.includes(options.cluster)) {
    throw new CliError(`unknown cluster "${options.cluster}": clusters of ${environment.name}: ${names.join(', ')}`);
  }
  const chosen = views.filter((view) => options.cluster === undefined || view.config.cluster.name === options.cluster);
  if (chosen.length > 1 && options.region !== undefined) {
    throw new CliError(
      `--region names one region, and ${environment.name}'s clusters are in ${[...new Set(views.map((view) => view.config.cluster.region))].join(', ')}: pass --cluster too, or leave --region out (each cluster's region is used)`,
    );
  }
  if (chosen.length > 1 && options.output === 'csv') {
    throw new CliError(`--output csv prints one cluster's table: pass --cluster (${names.join(', ')})`);
  }
  return chosen;
}

/** Each cluster's answer under its name (text), or one JSON document with an entry per cluster. */
export function clustersOutput(
  environment: string,
  answers: readonly { readonly config: EnvironmentConfig; readonly out: string }[],
  fleet: boolean,
  format: string,
): string {
  if (!fleet) return answers.map((answer) => answer.out).join('');
  if (format === 'json') {
    return toJson({
      environment,
      clusters: answers.map(({ config, out }) => ({
        cluster: config.cluster.name,
        region: config.cluster.region,
        ...(JSON.parse(out) as Record<string, unknown>),
      })),
    });
  }
  return answers
    .map(({ config, out }) => `== cluster ${config.cluster.name} (${config.cluster.region}) ==\n${out}`)
    .join('\n');
}
