import { createHash } from 'node:crypto';
import {
  paginateListVirtualClusters,
  type EMRContainersClient,
  type VirtualClusterState,
  type VirtualCluster,
} from '@aws-sdk/client-emr-containers';
import { EMR_RESOURCE_TAGS, PROJECT_NAME, tenantCostLabels } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '@emr-eks-gitops/charts';

/** Tags this project puts on the virtual clusters it creates; destroy touches nothing without them. */
export const TAG = {
  managedBy: EMR_RESOURCE_TAGS.managedBy,
  environment: EMR_RESOURCE_TAGS.environment,
  tenant: EMR_RESOURCE_TAGS.tenant,
} as const;

/** A virtual cluster as these commands need it. */
export interface VirtualClusterInfo {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly state: VirtualClusterState;
  /** The EKS namespace it is registered on. */
  readonly namespace: string;
  readonly eksCluster: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt?: Date;
}

/** States of a virtual cluster that still holds its namespace. */
export const LIVE_STATES: readonly VirtualClusterState[] = ['RUNNING', 'ARRESTED', 'TERMINATING'];
/** Every state: TERMINATED clusters count the generations of a tenant's registration. */
export const ALL_STATES: readonly VirtualClusterState[] = ['RUNNING', 'ARRESTED', 'TERMINATING', 'TERMINATED'];

/** Every virtual cluster of the EKS cluster `eksCluster` in `states`, all pages. */
export async function listVirtualClusters(
  client: EMRContainersClient,
  eksCluster: string,
  states: readonly VirtualClusterState[],
  pageSize?: number,
): Promise<VirtualClusterInfo[]> {
  const clusters: VirtualClusterInfo[] = [];
  const pages = paginateListVirtualClusters(
    { client, ...(pageSize !== undefined ? { pageSize } : {}) },
    { containerProviderId: eksCluster, containerProviderType: 'EKS', states: [...states] },
  );
  for await (const page of pages) {
    for (const cluster of page.virtualClusters ?? []) clusters.push(toInfo(cluster));
  }
  return clusters;
}

function toInfo(cluster: VirtualCluster): VirtualClusterInfo {
  return {
    id: cluster.id ?? '',
    name: cluster.name ?? '',
    arn: cluster.arn ?? '',
    state: cluster.state ?? 'RUNNING',
    namespace: cluster.containerProvider?.info?.eksInfo?.namespace ?? '',
    eksCluster: cluster.containerProvider?.id ?? '',
    tags: cluster.tags ?? {},
    ...(cluster.createdAt ? { createdAt: cluster.createdAt } : {}),
  };
}

/** True when this project created `cluster` for `environment` (its tags say so). */
export function isManagedBy(cluster: VirtualClusterInfo, environment: string): boolean {
  return cluster.tags[TAG.managedBy] === PROJECT_NAME && cluster.tags[TAG.environment] === environment;
}

/** Why a tenant needs a person before apply can do anything for it. */
export type FlagReason = 'arrested' | 'name-mismatch' | 'duplicate' | 'terminating' | 'other-environment';

/** What apply does (or cannot do) for one tenant. */
export type TenantPlan =
  | { readonly action: 'create'; readonly tenant: ResolvedTenant; readonly request: CreateRequest }
  | {
      readonly action: 'keep';
      readonly tenant: ResolvedTenant;
      readonly cluster: VirtualClusterInfo;
      readonly note?: string;
    }
  | {
      readonly action: 'flag';
      readonly tenant: ResolvedTenant;
      readonly reason: FlagReason;
      readonly message: string;
      readonly clusters: readonly VirtualClusterInfo[];
    }
  /** A retired tenant: nothing is created for it; its clusters are for `emr destroy --tenant` once its jobs have ended. */
  | { readonly action: 'retire'; readonly tenant: ResolvedTenant; readonly clusters: readonly VirtualClusterInfo[] };

/** The CreateVirtualCluster call for a tenant, fully determined by the environment and the cluster's history. */
export interface CreateRequest {
  readonly name: string;
  readonly namespace: string;
  readonly eksCluster: string;
  readonly tags: Readonly<Record<string, string>>;
  /** How many of this tenant's managed virtual clusters were destroyed before: 0 for the first registration. */
  readonly generation: number;
  readonly clientToken: string;
}

export interface RegistrationPlan {
  readonly environment: string;
  readonly eksCluster: string;
  readonly tenants: readonly TenantPlan[];
  /** Live clusters managed for this environment whose namespace is no tenant's any more; destroy removes them. */
  readonly orphans: readonly VirtualClusterInfo[];
  /** Live clusters on the EKS cluster that this environment does not manage and no tenant uses; left alone. */
  readonly others: readonly VirtualClusterInfo[];
}

/**
 * Matches the virtual clusters of the environment's EKS cluster (any states; TERMINATED ones count generations) to
 * its tenants by namespace and decides, per tenant, what `emr apply` does. Pure.
 */
export function planRegistration(
  config: ResolvedEnvironment,
  clusters: readonly VirtualClusterInfo[],
): RegistrationPlan {
  const eksCluster = config.cluster.name;
  const onCluster = clusters.filter((cluster) => cluster.eksCluster === eksCluster);
  const live = onCluster.filter((cluster) => cluster.state !== 'TERMINATED');
  const tenantNamespaces = new Set(config.tenants.map((tenant) => tenant.namespace));
  const tenants = config.tenants.map((tenant) => planTenant(config, tenant, onCluster));
  const unclaimed = live.filter((cluster) => !tenantNamespaces.has(cluster.namespace));
  return {
    environment: config.name,
    eksCluster,
    tenants,
    orphans: unclaimed.filter((cluster) => isManagedBy(cluster, config.name)),
    others: unclaimed.filter((cluster) => !isManagedBy(cluster, config.name)),
  };
}

function planTenant(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
  clusters: readonly VirtualClusterInfo[],
): TenantPlan {
  const inNamespace = clusters.filter((cluster) => cluster.namespace === tenant.namespace);
  const holding = inNamespace.filter((cluster) => cluster.state === 'RUNNING' || cluster.state === 'ARRESTED');
  const terminating = inNamespace.filter((cluster) => cluster.state === 'TERMINATING');
  const flag = (reason: FlagReason, message: string, flagged: readonly VirtualClusterInfo[]): TenantPlan => ({
    action: 'flag',
    tenant,
    reason,
    message,
    clusters: flagged,
  });
  if (tenant.retired) return { action: 'retire', tenant, clusters: [...holding, ...terminating] };

  if (holding.length > 1) {
    return flag(
      'duplicate',
      `namespace ${tenant.namespace} is registered ${holding.length} times (${holding.map(describeCluster).join(', ')}): ` +
        'jobs may land in any of them; keep one and delete the others (emr destroy removes only the ones emr-gitops made)',
      holding,
    );
  }
  const [cluster] = holding;
  if (!cluster) {
    if (terminating.length > 0) {
      return flag(
        'terminating',
        `the previous virtual cluster of namespace ${tenant.namespace} (${terminating.map(describeCluster).join(', ')}) is still terminating: ` +
          'run apply again once it is TERMINATED',
        terminating,
      );
    }
    return { action: 'create', tenant, request: createRequest(config, tenant, clusters) };
  }
  if (cluster.state === 'ARRESTED') {
    return flag(
      'arrested',
      `virtual cluster ${describeCluster(cluster)} is ARRESTED: EMR lost access to namespace ${tenant.namespace} ` +
        '(check the namespace, the emr-containers RBAC or access entry); delete it and run apply again',
      [cluster],
    );
  }
  if (cluster.name !== tenant.name) {
    return flag(
      'name-mismatch',
      `namespace ${tenant.namespace} is registered under another name: ${describeCluster(cluster)}, expected "${tenant.name}"; ` +
        'a virtual cluster cannot be renamed: delete it and run apply again, or rename the tenant',
      [cluster],
    );
  }
  const owner = cluster.tags[TAG.managedBy] === PROJECT_NAME ? cluster.tags[TAG.environment] : undefined;
  if (owner !== undefined && owner !== config.name) {
    return flag(
      'other-environment',
      `virtual cluster ${describeCluster(cluster)} is managed by environment "${owner}", not "${config.name}": ` +
        'two environment files point at the same EKS namespace; give each environment its own cluster or namespace',
      [cluster],
    );
  }
  return owner === undefined
    ? {
        action: 'keep',
        tenant,
        cluster,
        note: 'not created by emr-gitops (no managed-by tag): kept, and never destroyed by it',
      }
    : { action: 'keep', tenant, cluster };
}

function createRequest(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
  clusters: readonly VirtualClusterInfo[],
): CreateRequest {
  // Destroyed registrations of this tenant: a new generation gets a new clientToken, else EMR would answer a
  // create after destroy with the terminated cluster of the earlier token.
  const generation = clusters.filter(
    (cluster) =>
      (cluster.state === 'TERMINATED' || cluster.state === 'TERMINATING') &&
      isManagedBy(cluster, config.name) &&
      cluster.tags[TAG.tenant] === tenant.name,
  ).length;
  return {
    name: tenant.name,
    namespace: tenant.namespace,
    eksCluster: config.cluster.name,
    // The tenant's cost labels as tags too: EMR on EKS charges per virtual cluster (see artifacts/cost/).
    tags: {
      ...tenantCostLabels(config.costAllocation, tenant),
      [TAG.managedBy]: PROJECT_NAME,
      [TAG.environment]: config.name,
      [TAG.tenant]: tenant.name,
    },
    generation,
    clientToken: clientTokenFor(config, tenant, generation),
  };
}

/**
 * The idempotency token of a tenant's registration: the same inputs give the same token on every run and machine,
 * so a retried or repeated create returns the cluster already made. 64 hex characters, the API's maximum length.
 */
export function clientTokenFor(config: ResolvedEnvironment, tenant: ResolvedTenant, generation: number): string {
  const identity = [
    PROJECT_NAME,
    config.cluster.accountId,
    config.cluster.region,
    config.cluster.name,
    config.name,
    tenant.name,
    tenant.namespace,
    generation,
  ];
  return createHash('sha256').update(identity.join('\n')).digest('hex');
}

export function describeCluster(cluster: VirtualClusterInfo): string {
  return `"${cluster.name}" (${cluster.id}, ${cluster.state})`;
}
