import { requireThat } from '../primitives/errors.js';
import type { HelmChartSource } from '../delivery/helm-chart.js';
import { KARPENTER_AWS_INSTANCE_LABELS, type InstanceLabelKeys } from '../karpenter/instance-labels.js';
import {
  describeMisfit,
  podMisfit,
  poolNodeRequirements,
  tolerationFor,
  type PoolSchedulingView,
  type Toleration,
} from '../scheduling/placement.js';
import type { NodeRequirement } from '../scheduling/requirements.js';
import { CAPACITY_CLASS_LABEL } from '../karpenter/spark-capacity.js';

/**
 * NVIDIA's device plugin chart (repository NVIDIA/k8s-device-plugin, `deployments/helm/nvidia-device-plugin`), pinned.
 * The chart ships no values.schema.json at this version: its defaults are vendored in
 * `schemas/helm/nvidia-device-plugin/<version>/values.yaml` and a test checks the keys set here against them.
 */
export const NVIDIA_DEVICE_PLUGIN_CHART: HelmChartSource = {
  name: 'nvidia-device-plugin',
  url: 'https://nvidia.github.io/k8s-device-plugin',
  version: '0.20.0',
  namespace: 'kube-system',
};

/** The plugin's image, named in the values so image scanners see it (the chart's default: `v<appVersion>`). */
export const NVIDIA_DEVICE_PLUGIN_IMAGE = {
  repository: 'nvcr.io/nvidia/k8s-device-plugin',
  tag: `v${NVIDIA_DEVICE_PLUGIN_CHART.version}`,
} as const;

/** The extended resource the plugin advertises for each GPU (its default resource name, no renaming). */
export const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

export interface NvidiaDevicePluginProps {
  /**
   * The NodePools whose nodes have NVIDIA GPUs (the GPU executor pools of the GPU capacity classes). The plugin runs on
   * their nodes only and tolerates exactly their taints.
   */
  readonly gpuPools: readonly PoolSchedulingView[];
  /** Label names of the instance facts (GPU count and maker). @default KARPENTER_AWS_INSTANCE_LABELS */
  readonly instanceLabels?: InstanceLabelKeys;
  /** The label each GPU pool puts on its nodes to name its capacity class. @default CAPACITY_CLASS_LABEL */
  readonly classLabelKey?: string;
  /** Requests of the plugin container (the memory limit is the request doubled). @default 50m CPU, 64Mi memory */
  readonly resources?: { readonly cpu: string; readonly memory: string };
}

/** The Helm values the builder sets; everything else keeps the chart's defaults. */
export interface NvidiaDevicePluginValues {
  readonly image: typeof NVIDIA_DEVICE_PLUGIN_IMAGE;
  readonly affinity: {
    readonly nodeAffinity: {
      readonly requiredDuringSchedulingIgnoredDuringExecution: {
        readonly nodeSelectorTerms: ReadonlyArray<{ readonly matchExpressions: readonly NodeRequirement[] }>;
      };
    };
  };
  readonly tolerations: readonly Toleration[];
  readonly priorityClassName: 'system-node-critical';
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
  };
  readonly gfd: { readonly enabled: false };
}

/**
 * Values of the NVIDIA device plugin DaemonSet for Karpenter's GPU nodes. The chart's own node affinity wants labels
 * from Node Feature Discovery (`feature.node.kubernetes.io/pci-10de.present`) or `nvidia.com/gpu.present`, which
 * Karpenter's nodes do not carry, and it tolerates only `nvidia.com/gpu` and `CriticalAddonsOnly`: left as is, the
 * plugin never starts on these nodes, they never advertise `nvidia.com/gpu`, and GPU executors stay Pending. Here it
 * runs where a node is of a GPU class (the class label) and has NVIDIA GPUs (Karpenter's instance GPU labels), and
 * tolerates exactly the taints of those pools (workload, class and GPU taints), so it lands on no other node.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Ec2NodeClass, SparkCapacity, nvidiaDevicePluginHelmValues } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'karpenter');
 * const nodeClass = new Ec2NodeClass(chart, 'spark', {
 *   name: 'spark', clusterName: 'spark-platform', amiAlias: 'al2023@v20250115', role: 'KarpenterNodeRole-spark-platform',
 * });
 * const gpu = new SparkCapacity(chart, 'gpu', {
 *   driverNodeClass: nodeClass, poolNamePrefix: 'spark-gpu', capacityClass: 'gpu', gpu: {}, executorCapacity: 'on-demand',
 * });
 * const values = nvidiaDevicePluginHelmValues({ gpuPools: gpu.poolsOf(gpu.executorPlacement) });
 * // values: release values of NVIDIA_DEVICE_PLUGIN_CHART (helmRelease renders them for Flux or Argo CD)
 * ```
 */
export function nvidiaDevicePluginHelmValues(props: NvidiaDevicePluginProps): NvidiaDevicePluginValues {
  const labels = props.instanceLabels ?? KARPENTER_AWS_INSTANCE_LABELS;
  const classLabel = props.classLabelKey ?? CAPACITY_CLASS_LABEL;
  requireThat(
    props.gpuPools.length > 0,
    'gpuPools',
    'is empty: the plugin would run on no node; give the GPU pools (a capacity class with gpu)',
  );
  const classes = new Set<string>();
  for (const pool of props.gpuPools) {
    const name = pool.labels[classLabel];
    requireThat(
      name !== undefined,
      'gpuPools',
      `pool ${pool.name} puts no ${classLabel} label on its nodes: the plugin could not select them`,
    );
    const gpus = pool.requirements.some(
      (r) => r.key === labels.gpuCount && (r.operator === 'Gt' || r.operator === 'Exists'),
    );
    requireThat(
      gpus,
      'gpuPools',
      `pool ${pool.name} does not require GPU instance types (${labels.gpuCount}): it is no GPU pool`,
    );
    classes.add(name!);
  }
  const taints = new Map(
    props.gpuPools
      .flatMap((pool) => pool.taints)
      .filter((taint) => taint.effect !== 'PreferNoSchedule')
      .map((taint) => [`${taint.key}=${taint.value ?? ''}:${taint.effect}`, taint] as const),
  );
  const resources = props.resources ?? { cpu: '50m', memory: '64Mi' };
  return {
    image: NVIDIA_DEVICE_PLUGIN_IMAGE,
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: classLabel, operator: 'In', values: [...classes].sort() },
                { key: labels.gpuCount, operator: 'Gt', values: ['0'] },
                { key: labels.gpuManufacturer, operator: 'In', values: ['nvidia'] },
              ],
            },
          ],
        },
      },
    },
    tolerations: [...taints].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, taint]) => tolerationFor(taint)),
    // A node whose plugin is evicted stops advertising its GPUs: the chart's default, kept explicit.
    priorityClassName: 'system-node-critical',
    resources: {
      requests: { cpu: resources.cpu, memory: resources.memory },
      limits: { memory: doubled(resources.memory) },
    },
    // GPU feature discovery (and Node Feature Discovery, the chart's dependency under condition nfd.enabled,gfd.enabled)
    // label nodes for selectors like the chart's default; Karpenter's instance labels do that here.
    gfd: { enabled: false },
  };
}

function doubled(memory: string): string {
  const match = /^([0-9]+)(Ki|Mi|Gi)$/.exec(memory);
  requireThat(match !== null, 'resources.memory', `"${memory}" must be a whole number of Ki, Mi or Gi such as 64Mi`);
  return `${Number(match![1]) * 2}${match![2]}`;
}

/**
 * Why the plugin's pod (its values' node affinity and tolerations) could not run on a node of `pool`, or undefined when
 * it can: the pool's taints must be tolerated and the affinity's requirements must be possible on the pool's nodes.
 */
export function nvidiaDevicePluginPoolMisfit(
  values: Pick<NvidiaDevicePluginValues, 'affinity' | 'tolerations'>,
  pool: PoolSchedulingView,
): string | undefined {
  const requirementTerms =
    values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.map(
      (term) => term.matchExpressions,
    );
  const found = podMisfit(
    { tolerations: values.tolerations, requirementTerms },
    { taints: pool.taints, nodeRequirements: poolNodeRequirements(pool) },
  );
  return (
    found &&
    describeMisfit(found, {
      suffix: ` of pool ${pool.name}`,
      impossible: (requirement) => `requires ${requirement}, which nodes of pool ${pool.name} never have`,
      together: `its node affinity cannot be met on pool ${pool.name}`,
    })
  );
}
