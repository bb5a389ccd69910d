import { KARPENTER_CHART, type SparkCapacity } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { classCostTags, hasOwnNodeClasses, needsNvmeNodeClass } from '../config/capacity-class-semantics.js';
import { autoModeNodeClassTags, builtInNodePools, needsTagPolicy } from './auto-mode-capacity.js';
import type { CapacitySummary, InstanceSelectionSummary, PoolSummary } from './summaries.js';

/** The instance types a class selects, with the defaults instanceSelectionRequirements applies. */
function instanceSelection(spec: {
  readonly arch?: string;
  readonly families?: readonly string[];
  readonly categories?: readonly string[];
  readonly minGeneration?: number;
  readonly sizes?: readonly string[];
}): InstanceSelectionSummary {
  return {
    arch: spec.arch ?? 'amd64',
    ...(spec.families ? { families: spec.families } : { categories: spec.categories ?? ['c', 'm', 'r'] }),
    minGeneration: spec.minGeneration ?? (spec.families ? undefined : 6),
    sizes: spec.sizes,
  };
}

/** Every pool of every class, `default` first, as the README's table and diagram show them. */
function poolSummaries(classes: ReadonlyMap<string, SparkCapacity>): PoolSummary[] {
  return [...classes].flatMap(([name, capacity]) =>
    capacity.pools.map((pool) => ({
      name: pool.name,
      capacityTypes: pool.capacityTypes,
      limits: pool.limits,
      capacityClass: name,
      role: pool === capacity.driverPool ? ('driver' as const) : ('executor' as const),
    })),
  );
}

/** What CapacityChart rendered, from the pools it built and the settings it built them from. */
export function capacitySummary(
  config: ResolvedEnvironment,
  rendered: { readonly classes: ReadonlyMap<string, SparkCapacity>; readonly spark: SparkCapacity },
  controllerValues: boolean,
): CapacitySummary {
  const capacity = config.capacity;
  const defaultClass = rendered.spark;
  const _autoMode = capacity.backend === 'auto-mode';
  return {
    backend: capacity.backend,
    pools: poolSummaries(rendered.classes),
    defaultClass: { instances: instanceSelection({}), nvmeInstanceStore: capacity.nvmeInstanceStore === true },
    classes: (capacity.classes ?? []).map((spec) => ({
      name: spec.name,
      description: spec.description,
      instances: instanceSelection(spec),
      executorCapacity: spec.executorCapacity === 'on-demand' ? 'on-demand' : 'spot-first',
      scratchDisk: spec.localDisk === 'nvme' ? 'nvme' : 'ebs',
      gpu: spec.gpu && {
        perExecutor: spec.gpu.perExecutor ?? 1,
        resource: spec.gpu.resource ?? 'nvidia.com/gpu',
        taintKey: spec.gpu.taintKey ?? spec.gpu.resource ?? 'nvidia.com/gpu',
      },
      exclusiveTo: spec.exclusiveTo,
      costTags: hasOwnNodeClasses(config, spec) ? classCostTags(config, spec) : undefined,
    })),
    nvmeNodeClass: needsNvmeNodeClass(config),
    controller: capacity.backend === 'karpenter' ? capacity.controller : undefined,
    controllerValues: controllerValues
      ? { chart: { url: KARPENTER_CHART.url, version: KARPENTER_CHART.version } }
      : undefined,
    autoMode:
      capacity.backend === 'auto-mode'
        ? {
            addonPool: capacity.autoMode.addonNodePool,
            builtInPools: builtInNodePools(capacity),
            // The Spark pools' node lifetime (the driver pool's may be shorter: capacity.driverNodes).
            expireAfter: (defaultClass.executorOnDemandPool ?? defaultClass.driverPool).expireAfter,
            tagPolicyTags: needsTagPolicy(config) ? autoModeNodeClassTags(config) : undefined,
          }
        : undefined,
    driverNodes: {
      expireAfter: defaultClass.driverPool.expireAfter,
      terminationGracePeriod: defaultClass.driverPool.terminationGracePeriod,
    },
  };
}
