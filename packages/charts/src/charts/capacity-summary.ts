import { KARPENTER_CHART, effectiveInstanceSelection, type SparkCapacity } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { classCostTags, hasOwnNodeClasses, needsNvmeNodeClass } from '../config/capacity-class-semantics.js';
import { autoModeNodeClassTags, builtInNodePools, needsTagPolicy } from './auto-mode-capacity.js';
import type { CapacitySummary, PoolSummary } from './summaries.js';

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
  return {
    backend: capacity.backend,
    pools: poolSummaries(rendered.classes),
    defaultClass: { instances: effectiveInstanceSelection({}), nvmeInstanceStore: capacity.nvmeInstanceStore },
    classes: capacity.classes.map((spec) => ({
      name: spec.name,
      description: spec.description,
      instances: effectiveInstanceSelection(spec),
      executorCapacity: spec.executorCapacity === 'on-demand' ? 'on-demand' : 'spot-first',
      scratchDisk: spec.localDisk,
      gpu: spec.gpu,
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
