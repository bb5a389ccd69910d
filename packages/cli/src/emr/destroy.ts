import type { EMRContainersClient } from '@aws-sdk/client-emr-containers';
import { deleteOutcome, deleteVirtualCluster } from './deletes.js';
import type { ErrorContext } from './errors.js';
import { TAG, isManagedBy, type VirtualClusterInfo } from './inventory.js';
import { Progress, mapWithLimit } from './progress.js';
import type { CliIO } from '../io.js';

/** What destroy did to one virtual cluster. */
export interface DestroyOutcome {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly tenant: string;
  /** deleted: now terminating; gone: already deleted by someone else (EMR refused, Describe confirms); failed: an AWS error, explained. */
  readonly status: 'deleted' | 'gone' | 'failed';
  readonly message?: string;
  readonly exitCode?: number;
}

/**
 * The virtual clusters destroy may delete: live (RUNNING or ARRESTED), on the environment's EKS cluster, and tagged
 * as made by this project for this environment (and tenant, when given). Everything else is never touched.
 */
export function destroyTargets(
  clusters: readonly VirtualClusterInfo[],
  eksCluster: string,
  environment: string,
  tenant?: string,
): VirtualClusterInfo[] {
  return clusters.filter(
    (cluster) =>
      cluster.eksCluster === eksCluster &&
      (cluster.state === 'RUNNING' || cluster.state === 'ARRESTED') &&
      isManagedBy(cluster, environment) &&
      (tenant === undefined || cluster.tags[TAG.tenant] === tenant),
  );
}

/** Deletes `targets`, at most `concurrency` at a time; one failure does not stop the others. */
export async function destroyClusters(
  client: EMRContainersClient,
  targets: readonly VirtualClusterInfo[],
  io: CliIO,
  options: { readonly concurrency: number; readonly context: Omit<ErrorContext, 'operation'> },
): Promise<DestroyOutcome[]> {
  const progress = new Progress(io, 'deleting', targets.length);
  return mapWithLimit(targets, options.concurrency, async (cluster): Promise<DestroyOutcome> => {
    const base = {
      id: cluster.id,
      name: cluster.name,
      namespace: cluster.namespace,
      tenant: cluster.tags[TAG.tenant] ?? '',
    };
    progress.start(base.tenant || cluster.name, `virtual cluster ${cluster.id}`);
    const result = await deleteVirtualCluster(client, cluster.id, {
      ...options.context,
      operation: 'DeleteVirtualCluster',
      tenant: base.tenant,
      namespace: base.namespace,
      virtualClusterId: cluster.id,
    });
    const outcome: DestroyOutcome = deleteOutcome(base, result);
    progress.finish(
      base.tenant || cluster.name,
      `${outcome.status} ${base.tenant || cluster.name}: virtual cluster ${cluster.id}`,
    );
    return outcome;
  });
}
