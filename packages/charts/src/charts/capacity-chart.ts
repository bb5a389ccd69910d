import type { Construct } from 'constructs';
import {
  configDiagnostic,
  Ec2NodeClass,
  effectiveInstanceSelection,
  KARPENTER_AWS_INSTANCE_LABELS,
  LABELS,
  SparkCapacity,
  autoModeTagPolicy,
  emptySelectionProblem,
  gpuSelectionProblem,
  instanceSelectionRequirements,
  instanceTypesMatching,
  karpenterControllerHelmValues,
} from '@emr-eks-gitops/core';
import type { KarpenterCapacity, ResolvedCapacityClass, ResolvedEnvironment } from '../config/resolve.js';
import {
  DEFAULT_CAPACITY_CLASS,
  classCostTags,
  hasOwnNodeClasses,
  needsNvmeNodeClass,
} from '../config/capacity-class-semantics.js';
import { underField, type RenderIssue } from '../config/render-error.js';
import {
  AUTO_MODE_TAG_POLICY_ARTIFACT,
  autoModeClusterConfigArtifact,
  autoModeSparkNodes,
  needsTagPolicy,
  sparkNodeClasses,
  type SparkNodes,
  type TaggedNodeClasses,
} from './auto-mode-capacity.js';
import { ManifestChart } from './manifest-chart.js';
import { capacitySummary } from './capacity-summary.js';
import type { CapacitySummary } from './summaries.js';

/** The controller's Helm values, an artifact when the controller is installed outside Git. */
const CONTROLLER_VALUES_ARTIFACT = 'controller-values.yaml';

type PoolLimitsConfig = { cpu: string | number; memory: string | number } | undefined;
const poolLimits = (pool: PoolLimitsConfig) =>
  pool ? { cpu: String(pool.cpu), memory: String(pool.memory) } : undefined;

/**
 * Karpenter capacity for Spark: the node class(es), the driver pool and the spot / on-demand executor pools (EBS, and
 * NVMe when capacity.nvmeInstanceStore is set) and the pools of each named capacity class (capacity.classes). With
 * self-managed Karpenter: EC2NodeClasses, plus the controller's Helm values as an artifact when the controller is
 * installed with the cluster (addons.karpenter absent; with addons.karpenter the same values are the release's,
 * addons/karpenter/chart.ts). With EKS Auto Mode (capacity.backend auto-mode): eks.amazonaws.com NodeClasses, Auto Mode's label
 * names and node lifetime, and the cluster's compute config as an artifact (auto-mode-capacity.ts). The pools, taints
 * and placements are the same on both.
 */
export class CapacityChart extends ManifestChart {
  /** The default class: the environment's own pools, unchanged by classes. */
  readonly spark: SparkCapacity;
  /** Every capacity class by name, `default` first, then capacity.classes in file order. */
  readonly classes: ReadonlyMap<string, SparkCapacity>;
  /** Classes whose instance selection cannot run what they promise, located in the environment file. */
  readonly problems: RenderIssue[] = [];
  /** What the README says about the pools, classes and node lifetimes. */
  readonly summary: CapacitySummary;

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-karpenter', {
      folder: 'platform/karpenter',
      environment: config.name,
      configPath: ['capacity'],
    });
    const capacity = config.capacity;
    const classes = capacity.classes;
    // NVMe executor pools are rendered beside the EBS ones; only tenants with localDisk instance-store (or an NVMe class) reach them.
    const nvme = needsNvmeNodeClass(config);
    const nodes =
      capacity.backend === 'auto-mode'
        ? autoModeSparkNodes(this, config, capacity, nvme)
        : this.karpenterNodes(config, capacity, nvme);

    const limits = capacity.limits;
    this.spark = new SparkCapacity(this, 'Spark', {
      driverNodeClass: nodes.driverNodeClass,
      nvmeExecutorNodeClass: capacity.nvmeInstanceStore ? nodes.nvmeNodeClass : undefined,
      instanceLabels: nodes.instanceLabels,
      expireAfter: nodes.expireAfter,
      driverNodes: nodes.driverNodes,
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
      const pools = underField(`classes[${index}]`, () => this.classCapacity(config, spec, nodes));
      all.set(spec.name, pools);
      const empty = emptySelectionProblem(spec, nodes.instanceLabels);
      const selectionPath = ['capacity', 'classes', index, spec.families ? 'families' : 'categories'];
      const selection = instanceSelectionRequirements(spec, nodes.instanceLabels);
      if (empty) {
        this.problems.push(
          configDiagnostic(
            'capacity-class-instances',
            selectionPath,
            `capacity class ${spec.name} ${empty}; widen the selection`,
          ),
        );
      } else if (instanceTypesMatching(selection).length === 0) {
        // The offline catalog leaves some families out: a selection it does not know may be real, or a typo.
        const effective = effectiveInstanceSelection(spec);
        const selected =
          'families' in effective
            ? `families ${effective.families.join(', ')}`
            : `categories ${effective.categories.join(', ')}`;
        this.warnings.push(
          configDiagnostic(
            'capacity-class-instances',
            selectionPath,
            `capacity class ${spec.name}: no instance type of the offline catalog matches its ${selected}, so no capacity rule can check that its pools hold the tenants' pods; if a name is misspelt, Karpenter launches no node and the class's pods stay Pending: check them against the EC2 instance types`,
            { severity: 'warning' },
          ),
        );
      } else if (spec.gpu) {
        const problem = gpuSelectionProblem(selection, spec.gpu.perExecutor);
        if (problem) {
          const field = problem.startsWith('asks')
            ? ['gpu', 'perExecutor']
            : [spec.families ? 'families' : 'categories'];
          this.problems.push(
            configDiagnostic(
              'capacity-class-gpu',
              ['capacity', 'classes', index, ...field],
              `GPU class ${spec.name} ${problem}`,
            ),
          );
        }
      }
    });
    this.classes = all;

    if (capacity.backend === 'auto-mode') {
      this.addArtifact({
        path: 'auto-mode-cluster-config.json',
        format: 'json',
        kubernetesObject: false,
        value: autoModeClusterConfigArtifact(config, capacity),
      });
      // NodeClass tags are user-defined tags, which Auto Mode's managed policies do not allow (auto-mode-tag-policy.ts).
      if (needsTagPolicy(config)) {
        this.addArtifact({
          path: AUTO_MODE_TAG_POLICY_ARTIFACT,
          format: 'json',
          kubernetesObject: false,
          value: autoModeTagPolicy(config.cluster.partition),
        });
      }
    } else if (!config.addons?.karpenter) {
      const { controller } = capacity;
      this.addArtifact({
        path: CONTROLLER_VALUES_ARTIFACT,
        format: 'yaml',
        kubernetesObject: false,
        value: karpenterControllerHelmValues({
          clusterName: config.cluster.name,
          interruptionQueue: controller.interruptionQueue,
          controllerRoleArn: controller.roleArn,
          managedNodeGroups: controller.managedNodeGroups,
        }),
      });
    }
    this.summary = capacitySummary(
      config,
      this,
      this.artifacts.some((artifact) => artifact.path === CONTROLLER_VALUES_ARTIFACT),
    );
  }

  /** Self-managed Karpenter's EC2NodeClasses: `spark`, and `spark-nvme` (RAID0 instance store) for NVMe executors. */
  private karpenterNodes(config: ResolvedEnvironment, capacity: KarpenterCapacity, nvme: boolean): SparkNodes {
    const nodeClasses = sparkNodeClasses(
      (id, name, tags, nvmeClass) =>
        new Ec2NodeClass(this, id, {
          name,
          clusterName: config.cluster.name,
          amiAlias: capacity.amiAlias,
          role: capacity.nodeRole,
          rootVolume: { sizeGiB: capacity.rootVolumeGiB },
          tags: { [LABELS.environment]: config.name, ...tags },
          ...(nvmeClass ? { instanceStorePolicy: 'RAID0' as const } : {}),
        }),
      nvme,
    );
    return {
      ...nodeClasses,
      instanceLabels: KARPENTER_AWS_INSTANCE_LABELS,
      driverNodes: capacity.driverNodes,
    };
  }

  /**
   * The node classes of a class: its own, tagged with the cost labels all its tenants share, when it is exclusive to
   * tenants that share any (EC2NodeClass and Auto Mode NodeClass `spec.tags` reach its instances and volumes); the
   * environment's otherwise, since its nodes may run any tenant's pods.
   */
  private classNodeClasses(
    config: ResolvedEnvironment,
    spec: ResolvedCapacityClass,
    nodes: SparkNodes,
  ): TaggedNodeClasses {
    if (!hasOwnNodeClasses(config, spec)) return nodes;
    // Prefixes no other node class name starts with, so no class name can collide with another's or the environment's.
    return nodes.taggedNodeClasses(
      `spark-class-${spec.name}`,
      classCostTags(config, spec),
      spec.localDisk === 'nvme' ? `spark-nvme-class-${spec.name}` : undefined,
    );
  }

  /** A named class: its own pools, labelled and tainted with the class, sharing the environment's node lifetimes. */
  private classCapacity(config: ResolvedEnvironment, spec: ResolvedCapacityClass, nodes: SparkNodes): SparkCapacity {
    const capacity = config.capacity;
    const nvme = spec.localDisk === 'nvme';
    const instanceLabels = nodes.instanceLabels;
    const nodeClasses = this.classNodeClasses(config, spec, nodes);
    return new SparkCapacity(this, `Class-${spec.name}`, {
      driverNodeClass: nodeClasses.driverNodeClass,
      nvmeExecutorNodeClass: nvme ? nodeClasses.nvmeNodeClass : undefined,
      expireAfter: nodes.expireAfter,
      ebsExecutors: !nvme,
      poolNamePrefix: `spark-${spec.name}`,
      capacityClass: spec.name,
      instanceLabels,
      instanceRequirements: instanceSelectionRequirements(spec, instanceLabels),
      // Drivers use no GPU: a GPU class's drivers run on general-purpose types of the class's architecture.
      driverInstanceRequirements: spec.gpu
        ? instanceSelectionRequirements({ arch: spec.arch }, instanceLabels)
        : undefined,
      executorCapacity: spec.executorCapacity,
      gpu: spec.gpu && {
        resource: spec.gpu.resource,
        perExecutor: spec.gpu.perExecutor,
        taint: { key: spec.gpu.taintKey, effect: 'NoSchedule' },
      },
      driverNodes: nodes.driverNodes,
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
