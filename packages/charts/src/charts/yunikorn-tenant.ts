import {
  effectiveLimitRange,
  goDurationSeconds,
  jobFootprint,
  jobStartTimeoutClassification,
  tenantQueueName,
  type EmrClassification,
  type GangPodSize,
  type SparkJobSize,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant, ResolvedTenantQueue } from '../config/resolve.js';

/** A tenant's pods run on YuniKorn: it has a queue, the add-on is on, and a Fargate profile does not schedule its pods. */
export function onYunikorn(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
): tenant is ResolvedTenant & { readonly queue: ResolvedTenantQueue } {
  return (
    tenant.queue !== undefined &&
    config.addons?.yunikorn !== undefined &&
    tenant.fargate === undefined &&
    !tenant.retired
  );
}

/** What the tenant's pod templates need to run on YuniKorn (SparkPodTemplatesProps.yunikorn), or undefined. */
export function tenantGang(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
  jobSize: SparkJobSize,
):
  | {
      readonly queue: string;
      readonly minExecutors: number;
      readonly sizes: { readonly driver: GangPodSize; readonly executor: GangPodSize };
    }
  | undefined {
  if (!onYunikorn(config, tenant)) return undefined;
  // The placeholders reserve what admission will count for the real pods: Spark's container, EMR's logging container
  // and the LimitRange defaults (the same figures as the quota rules).
  const logs = config.spark.logs;
  const job = jobFootprint(jobSize, effectiveLimitRange(tenant.containerDefaults), {
    emrLogging: logs.s3Uri !== undefined || logs.cloudWatchLogGroupPrefix !== undefined,
    initContainer: tenant.spark.customCode !== undefined,
  });
  const size = (pod: typeof job.driver): GangPodSize => ({ cores: pod.cores, memoryMiB: pod.memoryRequestMiB });
  return {
    queue: tenantQueueName(tenant.namespace),
    minExecutors: tenant.queue.gangMinExecutors,
    sizes: { driver: size(job.driver), executor: size(job.executor) },
  };
}

/** The tenant's `job-start-timeout` (queue.maxQueueWait) as EMR's classification; none keeps EMR's 15 minutes. */
export function queueWaitClassifications(tenant: ResolvedTenant): EmrClassification[] {
  const wait = tenant.queue?.maxQueueWait;
  if (wait === undefined || tenant.fargate) return [];
  return [jobStartTimeoutClassification(goDurationSeconds(wait)!)];
}
