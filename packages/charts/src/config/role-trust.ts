import type { RoleTrustInput } from '@emr-eks-gitops/core';
import type { ResolvedCluster, ResolvedEnvironment, ResolvedTenant } from './resolve.js';

/** A cluster and the tenants that run there. */
export interface ClusterTenants {
  readonly cluster: ResolvedCluster;
  readonly tenants: readonly ResolvedTenant[];
}

/**
 * What a job execution role's IRSA trust policy covers: one statement per namespace of the IRSA tenants using it, on
 * each cluster they run on, clusters in the order given (clusters: order, so every cluster renders the same document).
 * Undefined when no IRSA tenant uses it (Pod Identity tenants add no statement per namespace).
 */
export function executionRoleTrustInput(
  roleArn: string,
  clusters: readonly ClusterTenants[],
): RoleTrustInput | undefined {
  const [first, ...others] = clusters.flatMap(({ cluster, tenants }) => {
    const namespaces = tenants
      .filter((tenant) => tenant.executionRoleArn === roleArn && tenant.identity === 'irsa')
      .map((tenant) => tenant.namespace);
    return namespaces.length > 0
      ? [{ namespaces, partition: cluster.partition, accountId: cluster.accountId, oidcIssuer: cluster.oidcIssuer }]
      : [];
  });
  return first && { roleArn, ...first, ...(others.length > 0 ? { otherClusters: others } : {}) };
}

/** The clusters of an environment (or of the fleet a cluster's view belongs to), with their tenants. */
export function clusterTenants(config: ResolvedEnvironment): ClusterTenants[] {
  return config.fleet ? [...config.fleet.clusters] : [{ cluster: config.cluster, tenants: config.tenants }];
}
