import type { Construct } from 'constructs';
import {
  Ec2NodeClass, KARPENTER_AWS_INSTANCE_LABELS, LABELS, SparkCapacity, emptySelectionProblem, gpuSelectionProblem, instanceSelectionRequirements, karpenterControllerHelmValues,
} from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import type { CapacityClassConfig } from '../config/capacity-schema.js';
import { DEFAULT_CAPACITY_CLASS } from '../config/capacity-class-semantics.js';
import { underField, type RenderIssue } from '../render/render-error.js';
import { ManifestChart } from './manifest-chart.js';

type PoolLimitsConfig = { cpu: string | number; memory: string | number } | undefined;
const poolLimits = (pool: PoolLimitsConfig) => (pool ? { cpu: String(pool.cpu), memory: String(pool.memory) } : undefined);

/**
 * Karpenter capacity for Spark: the node class(es), the driver pool and the spot / on-demand executor pools (EBS, and
 * NVMe when capacity.nvmeInstanceStore is set), the pools of each named capacity class (capacity.classes), plus
 * the controller's Helm values as an artifact when the controller is installed with the cluster (addons.karpenter
 * absent); with addons.karpenter the same values are the release's (addon-charts.ts) and the artifact is not rendered.
 */
export class CapacityChart extends ManifestChart {
  /** The default class: the environment's own pools, unchanged by classes. */
  readonly spark: SparkCapacity;
  /** Every capacity class by name, `default` first, then capacity.classes in file order. */
  readonly classes: ReadonlyMap<string, SparkCapacity>;
  /** Classes whose instance selection cannot run what they promise, located in the environment file. */
  readonly problems: RenderIssue[] = [];

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-karpenter', { folder: 'platform/karpenter', environment: config.name, configPath: ['capacity'] });
    const capacity = config.capacity;
    const classes = capacity.classes ?? [];
    // One vocabulary for every requirement written here, so another capacity back end can swap it.
    const instanceLabels = KARPENTER_AWS_INSTANCE_LABELS;
    const nodeClass = {
      clusterName: config.cluster.name,
      amiAlias: capacity.amiAlias,
      role: capacity.nodeRole,
      rootVolume: { sizeGiB: capacity.rootVolumeGiB ?? 100 },
      tags: { [LABELS.environment]: config.name },
    };
    const driverNodeClass = new Ec2NodeClass(this, 'SparkNodeClass', { name: 'spark', ...nodeClass });
    // NVMe executor pools are rendered beside the EBS ones; only tenants with localDisk instance-store (or an NVMe class) reach them.
    const nvmeNodeClass = capacity.nvmeInstanceStore || classes.some((c) => c.localDisk === 'nvme')
      ? new Ec2NodeClass(this, 'SparkNvmeNodeClass', { name: 'spark-nvme', ...nodeClass, instanceStorePolicy: 'RAID0' })
      : undefined;

    const limits = capacity.limits;
    this.spark = new SparkCapacity(this, 'Spark', {
      driverNodeClass,
      nvmeExecutorNodeClass: capacity.nvmeInstanceStore ? nvmeNodeClass : undefined,
      instanceLabels,
      driverNodes: capacity.driverNodes,
      limits: {
        driver: poolLimits(limits?.driver),
        executorSpot: poolLimits(limits?.executorSpot),
        executorOnDemand: poolLimits(limits?.executorOnDemand),
      },
      executorIdleTimeout: capacity.executorIdleTimeout,
      executorConsolidateAfter: capacity.executorConsolidateAfter,
      noDisruptionWindows: capacity.noDisruptionWindows,
    });

    const all = new Map<string, SparkCapacity>([[DEFAULT_CAPACITY_CLASS, this.spark]]);
    classes.forEach((spec, index) => {
      const pools = underField(`classes[${index}]`, () => this.classCapacity(config, spec, driverNodeClass, nvmeNodeClass, instanceLabels));
      all.set(spec.name, pools);
      const empty = emptySelectionProblem(spec, instanceLabels);
      if (empty) {
        this.problems.push({ configPath: ['capacity', 'classes', index, spec.families ? 'families' : 'categories'], message: `capacity class ${spec.name} ${empty}; widen the selection [capacity-class-instances]` });
      } else if (spec.gpu) {
        const problem = gpuSelectionProblem(instanceSelectionRequirements(spec, instanceLabels), spec.gpu.perExecutor ?? 1);
        if (problem) {
          const field = problem.startsWith('asks') ? ['gpu', 'perExecutor'] : [spec.families ? 'families' : 'categories'];
          this.problems.push({ configPath: ['capacity', 'classes', index, ...field], message: `GPU class ${spec.name} ${problem} [capacity-class-gpu]` });
        }
      }
    });
    this.classes = all;

    if (!config.addons?.karpenter) this.addArtifact({
      path: 'controller-values.yaml',
      format: 'yaml',
      kubernetesObject: false,
      value: karpenterControllerHelmValues({
        clusterName: config.cluster.name,
        interruptionQueue: capacity.controller.interruptionQueue,
        controllerRoleArn: capacity.controller.roleArn,
        managedNodeGroups: capacity.controller.managedNodeGroups,
      }),
    });
  }

  /** A named class: its own pools, labelled and tainted with the class, sharing the environment's node lifetimes. */
  private classCapacity(
    config: EnvironmentConfig, spec: CapacityClassConfig, driverNodeClass: Ec2NodeClass, nvmeNodeClass: Ec2NodeClass | undefined,
    instanceLabels: typeof KARPENTER_AWS_INSTANCE_LABELS,
  ): SparkCapacity {
    const capacity = config.capacity;
    const nvme = spec.localDisk === 'nvme';
    return new SparkCapacity(this, `Class-${spec.name}`, {
      driverNodeClass,
      nvmeExecutorNodeClass: nvme ? nvmeNodeClass : undefined,
      ebsExecutors: !nvme,
      poolNamePrefix: `spark-${spec.name}`,
      capacityClass: spec.name,
      instanceLabels,
      instanceRequirements: instanceSelectionRequirements(spec, instanceLabels),
      // Drivers use no GPU: a GPU class's drivers run on general-purpose types of the class's architecture.
      driverInstanceRequirements: spec.gpu ? instanceSelectionRequirements({ arch: spec.arch }, instanceLabels) : undefined,
      executorCapacity: spec.executorCapacity,
      gpu: spec.gpu && {
        resource: spec.gpu.resource,
        perExecutor: spec.gpu.perExecutor,
        taint: spec.gpu.taintKey === undefined ? undefined : { key: spec.gpu.taintKey, effect: 'NoSchedule' },
      },
      driverNodes: capacity.driverNodes,
      limits: {
        driver: poolLimits(spec.limits?.driver),
        executorSpot: poolLimits(spec.limits?.executorSpot),
        executorOnDemand: poolLimits(spec.limits?.executorOnDemand),
      },
      executorIdleTimeout: capacity.executorIdleTimeout,
      executorConsolidateAfter: spec.executorConsolidateAfter ?? capacity.executorConsolidateAfter,
      noDisruptionWindows: spec.noDisruptionWindows ?? capacity.noDisruptionWindows,
    });
  }
}
