import type { EnvironmentFile, FleetClusterConfig, TenantConfig } from './schema.js';
import type { DeliveryConfig } from './delivery-schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';
import type { ConfigPath } from './source-map.js';
import { clusterViewValues, placedOn } from './cluster-views.js';

// The rules of `clusters:` and `tenants[].clusters`, and those that compare a cluster's region and account with the
// settings that name one. They run once on the whole file; the rules of a single-cluster environment run on each
// cluster's view (environment/load.ts).

/** The environment's clusters as a whole: which key, unique names, placements, the rollout steps, regions. */
export const FLEET_RULES: ConfigRules = {
  topic: 'clusters',
  rules: [
    'config-schema',
    'fleet-settings',
    'fleet-cluster-unique',
    'fleet-placement',
    'fleet-progressive-sync',
    'fleet-region',
  ],
  withoutCluster: true,
  check: ({ file, tenants }, at) => fleetProblems(file ?? {}, tenants, at),
};

function fleetProblems(
  file: Partial<EnvironmentFile>,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const problems: Problem[] = [];
  const clusters = Array.isArray(file.clusters) ? (file.clusters as Partial<FleetClusterConfig>[]) : undefined;
  if (file.cluster !== undefined && clusters) {
    problems.push(
      at(
        'fleet-settings',
        ['clusters'],
        'cluster: and clusters: cannot both be set: cluster: is the one EKS cluster of an environment, clusters: lists them when it spans several; move cluster: into clusters:',
      ),
    );
  }
  if (file.cluster === undefined && !clusters) {
    problems.push(
      at(
        'config-schema',
        ['cluster'],
        'required field is missing: cluster (the EKS cluster of this environment: name, region, accountId, kubernetesVersion, oidcIssuer, emrAccess), or clusters: a list of them for an environment spanning several',
      ),
    );
  }
  const delivery = isObject(file.delivery) ? (file.delivery as Partial<DeliveryConfig>) : undefined;
  if (!clusters) {
    tenants.forEach((tenant, index) => {
      if (tenant.clusters !== undefined)
        problems.push(
          at(
            'fleet-settings',
            ['tenants', index, 'clusters'],
            'applies only to an environment with clusters:; this one has the one cluster of cluster:',
          ),
        );
    });
    if (delivery?.argocd?.progressiveSync !== undefined) {
      problems.push(
        at(
          'fleet-settings',
          ['delivery', 'argocd', 'progressiveSync'],
          'applies only to an environment with clusters: (it orders the clusters an ApplicationSet syncs)',
        ),
      );
    }
    return problems;
  }

  const names = clusters.map((cluster) => (typeof cluster?.name === 'string' ? cluster.name : undefined));
  const known = names.filter((name): name is string => name !== undefined);
  names.forEach((name, index) => {
    const first = names.indexOf(name);
    if (name !== undefined && first !== index) {
      problems.push(
        at(
          'fleet-cluster-unique',
          ['clusters', index, 'name'],
          `the cluster name "${name}" is also clusters[${first}]'s: each cluster renders into dist-manifests/<env>/<name>/ and registers its tenants under its name; give each its own`,
        ),
      );
    }
  });
  clusters.forEach((cluster, index) => {
    problems.push(...regionProblems(cluster, ['clusters', index], at));
  });
  // EMR job templates live per account and region, known to emr apply by environment and tenant: two clusters of one
  // environment there would replace each other's.
  clusters.forEach((cluster, index) => {
    const first = clusters.findIndex(
      (other) => other?.accountId === cluster?.accountId && other?.region === cluster?.region,
    );
    if (first !== index && typeof cluster?.region === 'string') {
      problems.push(
        at(
          'fleet-cluster-unique',
          ['clusters', index, 'region'],
          `clusters[${first}] is in the same account and region (${cluster.accountId}, ${cluster.region}): EMR job templates are per account and region, and emr apply knows a tenant's by environment and tenant, so the two clusters' templates would replace each other; shards of one region go in environments of their own`,
        ),
      );
    }
  });
  tenants.forEach((tenant, index) => {
    (Array.isArray(tenant.clusters) ? tenant.clusters : []).forEach((name, position) => {
      if (!known.includes(name))
        problems.push(
          at(
            'fleet-placement',
            ['tenants', index, 'clusters', position],
            `unknown cluster "${name}"; clusters of this environment: ${known.join(', ')}`,
          ),
        );
    });
  });
  known.forEach((name) => {
    if (placedOn(tenants, name).length === 0) {
      problems.push(
        at(
          'fleet-placement',
          ['clusters', names.indexOf(name), 'name'],
          `no tenant runs on cluster ${name}: place one there (tenants[].clusters, default every cluster) or remove the cluster`,
        ),
      );
    }
  });
  if (delivery?.engine === 'argocd' && delivery.argocd?.destinationServer !== undefined) {
    problems.push(
      at(
        'fleet-settings',
        ['delivery', 'argocd', 'destinationServer'],
        'applies only to a single-cluster environment: with clusters: each cluster is the Argo CD cluster registered under its name (argocd cluster add <context> --name <clusters[].name>)',
      ),
    );
  }
  if (delivery?.engine === 'flux' && delivery.argocd !== undefined) return problems; // the single-cluster rule says it
  const steps = delivery?.argocd?.progressiveSync?.steps;
  if (Array.isArray(steps)) {
    const stepped = steps.flatMap((step, index) =>
      Array.isArray(step)
        ? step.map((name, position) => ({
            name,
            path: ['delivery', 'argocd', 'progressiveSync', 'steps', index, position],
          }))
        : [],
    );
    for (const { name, path } of stepped) {
      if (!known.includes(name))
        problems.push(
          at(
            'fleet-progressive-sync',
            path,
            `unknown cluster "${name}"; clusters of this environment: ${known.join(', ')}`,
          ),
        );
      else if (stepped.filter((other) => other.name === name).length > 1)
        problems.push(
          at(
            'fleet-progressive-sync',
            path,
            `cluster ${name} is in more than one step; each cluster syncs in exactly one`,
          ),
        );
    }
    const missing = known.filter((name) => !stepped.some((entry) => entry.name === name));
    if (missing.length > 0) {
      problems.push(
        at(
          'fleet-progressive-sync',
          ['delivery', 'argocd', 'progressiveSync', 'steps'],
          `every cluster needs a step, these have none: ${missing.join(', ')} (an Application no step selects is never synced by RollingSync)`,
        ),
      );
    }
  }
  problems.push(...viewProblems(file, at));
  return problems;
}

/** In each cluster's view: the controller's role is of the cluster's account (a certificate's region is jupyterhub-semantics.ts's, on each view). */
function viewProblems(file: Partial<EnvironmentFile>, at: Locate): Problem[] {
  return clusterViewValues(file as Record<string, unknown>).flatMap(({ cluster: name, config, sourcePath }) => {
    const cluster = config.cluster as Partial<FleetClusterConfig> | undefined;
    const problems: Problem[] = [];
    const where = (path: ConfigPath, message: string) => problems.push(at('fleet-region', sourcePath(path), message));
    const controllerRole = (config.capacity as { controller?: { roleArn?: unknown } } | undefined)?.controller?.roleArn;
    const account =
      typeof controllerRole === 'string' ? /^arn:[\w-]+:iam::(\d{12}):/.exec(controllerRole)?.[1] : undefined;
    if (account && cluster?.accountId && account !== cluster.accountId) {
      where(
        ['capacity', 'controller', 'roleArn'],
        `on cluster ${name} the Karpenter controller's role is of account ${account}, the cluster is in account ${cluster.accountId}: its IRSA trust names this cluster's OIDC provider, which lives in the cluster's account; set clusters[].capacity.controller.roleArn`,
      );
    }
    return problems;
  });
}

/**
 * An OIDC issuer of another region (copied from a sibling cluster) never matches the cluster's service account
 * tokens. Checked on clusters: entries; a single-cluster environment's issuer is preflight's to compare with EKS.
 */
function regionProblems(cluster: unknown, path: ConfigPath, at: Locate): Problem[] {
  if (!isObject(cluster) || typeof cluster.oidcIssuer !== 'string' || typeof cluster.region !== 'string') return [];
  const issuerRegion = /^https:\/\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com/.exec(cluster.oidcIssuer)?.[1];
  if (!issuerRegion || issuerRegion === cluster.region) return [];
  const name = typeof cluster.name === 'string' ? cluster.name : '<name>';
  return [
    at(
      'fleet-region',
      [...path, 'oidcIssuer'],
      `the issuer is of region ${issuerRegion}, the cluster is in ${cluster.region}: copy it from aws eks describe-cluster --name ${name} --region ${cluster.region} --query cluster.identity.oidc.issuer`,
    ),
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
