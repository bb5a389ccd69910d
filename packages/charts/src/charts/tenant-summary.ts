import { emrRapidsRelease, formatFargateSize, type FargatePodSize, type SparkLocalDisk } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import { DEFAULT_CAPACITY_CLASS, tenantCapacityClasses } from '../config/capacity-class-semantics.js';
import { tenantLocations } from '../config/tenant-locations.js';
import type { TenantChart } from './tenant-chart.js';
import type { TenantSummary } from './summaries.js';

/** A Fargate size as the README prints it; undefined for a pod Fargate cannot run. */
const fargateSize = (pod: FargatePodSize) => (pod.fits ? formatFargateSize(pod) : undefined);

/** What one tenant's chart rendered, with the defaults it rendered with (retired tenants too: they stay listed). */
export function tenantSummary(config: ResolvedEnvironment, tenant: ResolvedTenant, chart: TenantChart): TenantSummary {
  const chosen = tenantCapacityClasses(tenant);
  const classes = config.capacity.classes;
  const sizes = chart.fargateSizes;
  const { cloudWatchLogGroup, s3LogUri, eventLogDir } = tenantLocations(config, tenant);
  return {
    name: tenant.name,
    namespace: tenant.namespace,
    retired: tenant.retired === true,
    quota: tenant.quota,
    releaseLabel: tenant.releaseLabel,
    executionRoleArn: tenant.executionRoleArn,
    jobSize: tenant.spark.jobSize,
    scratchDisk: scratchDiskSummary(chart.localDisk),
    maxJobDuration: tenant.spark.maxJobDuration,
    classes: {
      ...chosen,
      executorOnDemandOnly: classes.find((spec) => spec.name === chosen.executor)?.executorCapacity === 'on-demand',
      defaultOnly: chosen.driver === DEFAULT_CAPACITY_CLASS && chosen.executor === DEFAULT_CAPACITY_CLASS,
    },
    singleZone: tenant.spark.singleZone,
    documents: {
      classVariants: chart.artifacts.some((artifact) => artifact.path.startsWith('classes/')),
      singleZone: chart.artifacts.some((artifact) => artifact.path.startsWith('single-zone/')),
    },
    fargate: tenant.fargate && {
      securityGroupIds: tenant.fargate.securityGroupIds,
      sizes: sizes && {
        jobRunner: fargateSize(sizes.jobRunner),
        driver: fargateSize(sizes.driver),
        executor: fargateSize(sizes.executor),
      },
    },
    costLabels: chart.costLabels,
    logs: { cloudWatchLogGroup, s3LogUri, eventLogDir },
    placement: chart.placement,
    gpuJobs: gpuJobs(config, tenant, chosen),
    irsa: tenant.identity === 'irsa',
  };
}

/** The scratch disk the tenant chart decided and its pod templates mount, as the README names it. */
function scratchDiskSummary(disk: SparkLocalDisk): TenantSummary['scratchDisk'] {
  switch (disk.kind) {
    case 'ephemeral-storage':
      return { kind: 'fargate', size: disk.size };
    case 'instance-store':
      return { kind: 'instance-store' };
    case 'generic-ephemeral-volume':
      return { kind: 'ebs', size: disk.size };
  }
}

/** The RAPIDS image of the tenant's job variants that run executors on a GPU class (its own class, or offered ones). */
function gpuJobs(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
  chosen: ReturnType<typeof tenantCapacityClasses>,
): TenantSummary['gpuJobs'] {
  if (tenant.retired || tenant.fargate) return [];
  const gpuClasses = config.capacity.classes.filter((spec) => spec.gpu).map((spec) => spec.name);
  const variants = [
    ...(gpuClasses.includes(chosen.executor) ? [['its jobs', '']] : []),
    ...chosen.offered
      .filter((name) => gpuClasses.includes(name))
      .map((name) => [`jobs on \`${name}\``, `classes/${name}/`]),
  ];
  const rapids = emrRapidsRelease(config.cluster.region, tenant.releaseLabel, config.cluster.partition);
  if (variants.length === 0 || 'unknown' in rapids) return [];
  return variants.map(([what, prefix]) => ({
    what: what!,
    prefix: prefix!,
    releaseLabel: rapids.releaseLabel,
    image: rapids.image,
  }));
}
