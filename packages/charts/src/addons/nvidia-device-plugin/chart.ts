import type { App } from 'cdk8s';
import {
  ConfigurationError,
  NVIDIA_DEVICE_PLUGIN_CHART,
  helmRelease,
  nvidiaDevicePluginHelmValues,
  nvidiaDevicePluginPoolMisfit,
  type HelmDelivery,
  type NodePool,
  type NvidiaDevicePluginValues,
  type SparkCapacity,
} from '@emr-eks-gitops/core';
import type { DeepReadonly, ResolvedEnvironment } from '../../config/resolve.js';
import type { NvidiaDevicePluginAddonConfig } from './schema.js';
import { ManifestChart } from '../../charts/manifest-chart.js';
import type { AddonSummary } from '../../charts/summaries.js';

/** Where NVIDIA's device plugin release is rendered. */
export const NVIDIA_DEVICE_PLUGIN_FOLDER = 'addons/nvidia-device-plugin';

/**
 * NVIDIA's device plugin (NVIDIA_DEVICE_PLUGIN_CHART) in kube-system, on the nodes of the GPU capacity classes' executor
 * pools only, tolerating exactly their taints (nvidiaDevicePluginHelmValues). Built from the same pools the GPU
 * executors' pod templates target, and checked against every pool of the environment: the plugin must fit each GPU
 * pool (or its nodes never advertise the GPUs) and no other (where it would only waste a slot, or fail without a GPU).
 * The config refuses it on EKS Auto Mode (rules.ts), whose nodes run their own.
 */
export class NvidiaDevicePluginChart extends ManifestChart {
  readonly values: NvidiaDevicePluginValues;
  override readonly addonSummary: AddonSummary = {
    name: 'nvidiaDevicePlugin',
    rows: [
      {
        name: 'NVIDIA device plugin',
        chart: `\`${NVIDIA_DEVICE_PLUGIN_CHART.name}\` ${NVIDIA_DEVICE_PLUGIN_CHART.version} from ${NVIDIA_DEVICE_PLUGIN_CHART.url}`,
        namespace: NVIDIA_DEVICE_PLUGIN_CHART.namespace,
        folder: NVIDIA_DEVICE_PLUGIN_FOLDER,
        reach:
          "no UI: runs on the GPU classes' nodes only (see Capacity classes); each such node advertises `nvidia.com/gpu` (`kubectl describe node`)",
      },
    ],
    notes: [],
  };

  constructor(
    scope: App,
    config: ResolvedEnvironment,
    addon: DeepReadonly<NvidiaDevicePluginAddonConfig>,
    classes: ReadonlyMap<string, SparkCapacity>,
    delivery: HelmDelivery,
  ) {
    super(scope, 'addon-nvidia-device-plugin', {
      folder: NVIDIA_DEVICE_PLUGIN_FOLDER,
      environment: config.name,
      configPath: ['addons', 'nvidiaDevicePlugin'],
    });
    const { gpu, other } = gpuPools(classes);
    this.values = nvidiaDevicePluginHelmValues({ gpuPools: gpu, resources: addon.resources });
    const wrong = [
      ...gpu.flatMap((pool) => {
        const why = nvidiaDevicePluginPoolMisfit(this.values, pool);
        return why ? [why] : [];
      }),
      ...other
        .filter((pool) => nvidiaDevicePluginPoolMisfit(this.values, pool) === undefined)
        .map((pool) => `would also run on pool ${pool.name}, which has no GPUs`),
    ];
    // A guard against future edits of the builder or the pools: the values come from these very pools.
    if (wrong.length > 0)
      throw new ConfigurationError(
        'nvidiaDevicePlugin',
        `the plugin's placement disagrees with the pools: ${wrong.join('; ')}`,
      );
    helmRelease(
      this,
      'Release',
      {
        chart: NVIDIA_DEVICE_PLUGIN_CHART,
        namespace: NVIDIA_DEVICE_PLUGIN_CHART.namespace,
        values: this.values as unknown as Record<string, unknown>,
      },
      delivery,
    );
  }
}

/** The executor pools of the GPU classes (their executors request a device), and every other pool. */
export function gpuPools(classes: ReadonlyMap<string, SparkCapacity>): { gpu: NodePool[]; other: NodePool[] } {
  const gpu = new Set<NodePool>();
  for (const capacity of classes.values()) {
    for (const placement of [capacity.executorPlacement, capacity.nvmeExecutorPlacement]) {
      if (placement?.extendedResources !== undefined)
        capacity.poolsOf(placement).forEach((pool) => {
          gpu.add(pool);
        });
    }
  }
  const all = [...classes.values()].flatMap((capacity) => capacity.pools);
  return { gpu: all.filter((pool) => gpu.has(pool)), other: all.filter((pool) => !gpu.has(pool)) };
}
