import type { PodPlacement } from '../scheduling/placement.js';
import type { SparkPlacements } from '../karpenter/spark-capacity.js';
import { requireGoDuration } from '../primitives/go-duration.js';

/**
 * Placements of a tenant whose pods a Fargate profile runs: no NodePool, no node selector, no toleration (the profile
 * selects the pods by namespace; EKS's admission hands them to the Fargate scheduler). Fargate has on-demand
 * capacity only, so executors are never interrupted by a spot reclaim.
 */
export function fargateSparkPlacements(executorIdleTimeout: string): SparkPlacements {
  requireGoDuration(executorIdleTimeout, 'executorIdleTimeout');
  const placement: PodPlacement = {
    nodePools: [],
    nodeSelector: {},
    tolerations: [],
    capacityTypes: ['on-demand'],
    instanceStoreEphemeralStorage: false,
  };
  return { driverPlacement: placement, executorPlacement: placement, executorIdleTimeout };
}
