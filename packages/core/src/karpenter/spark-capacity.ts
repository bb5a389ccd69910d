import { Construct } from 'constructs';
import { ConfigurationError, requireThat } from '../primitives/errors.js';
import { requireGoDuration } from '../primitives/go-duration.js';
import { requireObjectName, requireQualifiedName } from '../primitives/kubernetes-names.js';
import { noDisruptionBudgets, requireCronSchedule, type NoDisruptionWindow } from './disruption.js';
import type { SparkNodeClass } from './node-class-ref.js';
import { KARPENTER_AWS_INSTANCE_LABELS, type InstanceLabelKeys } from './instance-labels.js';
import { instanceSelectionRequirements } from './instance-selection.js';
import { NodePool, type NodePoolLimits } from './node-pool.js';
import { placementProblems, tolerationFor, type PodPlacement, type Taint } from '../scheduling/placement.js';
import type { NodeRequirement } from '../scheduling/requirements.js';
import { CAPACITY_TYPE_LABEL, type CapacityType } from '../scheduling/well-known-labels.js';

/** The label (and taint) key that marks Spark node classes. */
export const SPARK_WORKLOAD_LABEL = 'emr-eks-gitops.io/workload';
/** The label that tells executor pools apart by scratch disk: `ebs` (volumes per pod) or `nvme` (RAID0 instance store). */
export const EXECUTOR_LOCAL_DISK_LABEL = 'emr-eks-gitops.io/local-disk';
/** The label (and taint) key that marks the pools of a named capacity class; its value is the class name. */
export const CAPACITY_CLASS_LABEL = 'emr-eks-gitops.io/capacity-class';

/** Executor capacity of a pool set: spot first with an on-demand fallback, or on-demand only. */
export type ExecutorCapacity = 'spot-first' | 'on-demand';

/** GPUs on the executor pools: GPU instance types only, tainted, and executors that tolerate the taint and request the device. */
export interface SparkGpu {
  /** The extended resource the device plugin advertises and each executor requests. @default 'nvidia.com/gpu' */
  readonly resource?: string;
  /** Devices each executor requests (a container limit; the device plugin hands out whole devices). @default 1 */
  readonly perExecutor?: number;
  /** The taint GPU nodes carry, so only pods that want GPUs land there. @default { key: resource, effect: 'NoSchedule' } */
  readonly taint?: Taint;
  /** GPU maker the instance types must have (instance gpu-manufacturer label). @default 'nvidia' */
  readonly manufacturer?: string;
}

/** Where Spark driver and executor pods go, and the idle timeout the executor pools were sized against. */
export interface SparkPlacements {
  readonly driverPlacement: PodPlacement;
  /** Executors whose scratch space is an EBS volume per pod (or none): pools without instance-store requirements. */
  readonly executorPlacement: PodPlacement;
  /** Executors whose scratch space is the node's NVMe instance store; present when NVMe pools are rendered. */
  readonly nvmeExecutorPlacement?: PodPlacement;
  /** `spark.dynamicAllocation.executorIdleTimeout` (Go duration) that executor pools' consolidateAfter exceeds. */
  readonly executorIdleTimeout: string;
}

export interface SparkCapacityLimits {
  /** @default { cpu: '200', memory: '800Gi' } */
  readonly driver?: NodePoolLimits;
  /** @default { cpu: '1000', memory: '4000Gi' } */
  readonly executorSpot?: NodePoolLimits;
  /** @default { cpu: '200', memory: '800Gi' } */
  readonly executorOnDemand?: NodePoolLimits;
}

/** How driver nodes end: Karpenter's expiry is forceful and not held back by disruption budgets or windows. */
export interface DriverNodeLifetime {
  /** Node lifetime of the driver pool (Go duration or `Never`). @default NodePool's, KARPENTER_DEFAULT_EXPIRE_AFTER (720h) */
  readonly expireAfter?: string;
  /**
   * How long the drain of an expiring driver node waits for running drivers (they carry karpenter.sh/do-not-disrupt)
   * before it kills them; make it longer than the longest job any tenant allows. @default wait for the drivers, however long
   */
  readonly terminationGracePeriod?: string;
}

export interface SparkCapacityProps {
  /** Node class of the driver pool: an Ec2NodeClass (self-managed Karpenter) or an EksNodeClass (EKS Auto Mode). */
  readonly driverNodeClass: SparkNodeClass;
  /** Node class of the executor pools for EBS-backed (or diskless) executors. @default driverNodeClass */
  readonly executorNodeClass?: SparkNodeClass;
  /**
   * Node class with `instanceStorePolicy: RAID0` (on Auto Mode an EksNodeClass with `localNvmeEphemeralStorage`) for executors that use the NVMe instance store as scratch space: renders
   * `<prefix>-executor-nvme-spot` and `-nvme-on-demand` pools beside the EBS ones, so only tenants that use local
   * NVMe pay for it. @default no NVMe pools
   */
  readonly nvmeExecutorNodeClass?: SparkNodeClass;
  /** Prefix of the pool names `<prefix>-driver`, `<prefix>-executor-spot`, `<prefix>-executor-on-demand`. @default 'spark' */
  readonly poolNamePrefix?: string;
  /** Key of the label and taint that reserve the pools for Spark. @default 'emr-eks-gitops.io/workload' */
  readonly workloadLabelKey?: string;
  /** The label keys the pools' instance requirements use. @default KARPENTER_AWS_INSTANCE_LABELS */
  readonly instanceLabels?: InstanceLabelKeys;
  /** Instance constraints shared by all pools. @default amd64, instance categories c, m, r, generation > 5 */
  readonly instanceRequirements?: readonly NodeRequirement[];
  /** Resource ceilings per pool (the NVMe pools share the executor ceilings). @default see SparkCapacityLimits */
  readonly limits?: SparkCapacityLimits;
  /** Node lifetime of the executor pools. @default NodePool's, KARPENTER_DEFAULT_EXPIRE_AFTER (720h) */
  readonly expireAfter?: string;
  /** Expiry and drain bound of the driver pool. @default NodePool's expireAfter (720h) and no drain bound */
  readonly driverNodes?: DriverNodeLifetime;
  /** Spark dynamic allocation's executor idle timeout; executor pools wait longer than this before consolidating. @default '60s' */
  readonly executorIdleTimeout?: string;
  /** consolidateAfter of the executor pools; must exceed executorIdleTimeout. @default '5m' */
  readonly executorConsolidateAfter?: string;
  /** consolidateAfter of the driver pool (consolidated only when empty). @default '5m' */
  readonly driverConsolidateAfter?: string;
  /**
   * Makes these pools a named capacity class: every pool carries the label and `NoSchedule` taint
   * `emr-eks-gitops.io/capacity-class=<name>` and excludes GPU instance types unless `gpu` is set, and the placements
   * select and tolerate it, so pods without the class (the default pools' pods) never land here. @default no class
   */
  readonly capacityClass?: string;
  /** Executor pools: `spot-first` (spot preferred by weight, on-demand fallback) or `on-demand` only. @default 'spot-first' */
  readonly executorCapacity?: ExecutorCapacity;
  /** Render the EBS (diskless) executor pools; false needs nvmeExecutorNodeClass, whose pools then take every executor. @default true */
  readonly ebsExecutors?: boolean;
  /** Instance constraints of the driver pool. @default instanceRequirements */
  readonly driverInstanceRequirements?: readonly NodeRequirement[];
  /** GPU executor pools (drivers never get GPUs). @default no GPUs */
  readonly gpu?: SparkGpu;
  /** Windows (UTC) with no voluntary disruption in any pool; [] for none. @default [{ schedule: '0 8 * * 1-5', duration: '10h' }] */
  readonly noDisruptionWindows?: readonly NoDisruptionWindow[];
  /** Nodes of the driver pool disrupted at once outside the windows. @default '1' */
  readonly driverBudgetNodes?: string;
  /** Nodes of each executor pool disrupted at once outside the windows. @default '10%' */
  readonly executorBudgetNodes?: string;
}

// Spot is tried first; the on-demand pool takes executors when spot is unavailable or at its limit.
const EXECUTOR_SPOT_WEIGHT = 50;
const EXECUTOR_ON_DEMAND_WEIGHT = 10;

/** An executor pool pair (spot first, on-demand fallback) and the placement that reaches exactly it. */
interface ExecutorPools {
  readonly spot: NodePool | undefined;
  readonly onDemand: NodePool;
  readonly placement: PodPlacement;
}

/**
 * The Karpenter pools Spark on EMR runs on, and the placements pods need to reach them:
 * - `<prefix>-driver`: on-demand only, consolidated only when empty, reserved for drivers by label and taint;
 * - `<prefix>-executor-spot`: spot, consolidated when empty or underutilized, preferred by weight;
 * - `<prefix>-executor-on-demand`: on-demand fallback with the same executor label and taint;
 * - with an NVMe node class, `<prefix>-executor-nvme-spot` / `-nvme-on-demand` for executors that use the instance store.
 * Executor pools carry `emr-eks-gitops.io/local-disk: ebs | nvme`, so a tenant's executors reach only the pools whose
 * disks they use. Pod templates must be built from the placements so they cannot disagree with the pools.
 * With `capacityClass` the same pools form a named capacity class beside the default ones (label and taint
 * `emr-eks-gitops.io/capacity-class=<name>`), optionally on-demand-only (`executorCapacity`), NVMe-only
 * (`ebsExecutors: false`) or with GPU executors (`gpu`); a tenant's templates combine one class's driver placement with
 * another's executor placement.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Ec2NodeClass, SparkCapacity } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'karpenter');
 * const nodeClass = new Ec2NodeClass(chart, 'spark', {
 *   name: 'spark', clusterName: 'spark-platform', amiAlias: 'al2023@v20250115', role: 'KarpenterNodeRole-spark-platform',
 * });
 * const capacity = new SparkCapacity(chart, 'capacity', {
 *   driverNodeClass: nodeClass,
 *   limits: { driver: { cpu: 100, memory: '400Gi' }, executorSpot: { cpu: 400, memory: '1600Gi' } },
 *   executorIdleTimeout: '60s',
 * });
 * // capacity is the placements SparkPodTemplates take: drivers, EBS executors (and NVMe executors when configured)
 * ```
 */
export class SparkCapacity extends Construct implements SparkPlacements {
  readonly driverPool: NodePool;
  /** Absent when executorCapacity is `on-demand` or the EBS executor pools are not rendered. */
  readonly executorSpotPool: NodePool | undefined;
  /** Absent when the EBS executor pools are not rendered (ebsExecutors false). */
  readonly executorOnDemandPool: NodePool | undefined;
  readonly nvmeExecutorSpotPool: NodePool | undefined;
  readonly nvmeExecutorOnDemandPool: NodePool | undefined;
  readonly driverPlacement: PodPlacement;
  readonly executorPlacement: PodPlacement;
  readonly nvmeExecutorPlacement: PodPlacement | undefined;
  readonly executorIdleTimeout: string;
  /** The class name these pools carry, when they are a named capacity class. */
  readonly capacityClass: string | undefined;

  constructor(scope: Construct, id: string, props: SparkCapacityProps) {
    super(scope, id);
    const executorNodeClass = props.executorNodeClass ?? props.driverNodeClass;
    const prefix = props.poolNamePrefix ?? 'spark';
    const labelKey = props.workloadLabelKey ?? SPARK_WORKLOAD_LABEL;
    const instanceLabels = props.instanceLabels ?? KARPENTER_AWS_INSTANCE_LABELS;
    const instanceRequirements = props.instanceRequirements ?? instanceSelectionRequirements({}, instanceLabels);
    this.executorIdleTimeout = props.executorIdleTimeout ?? '60s';
    const executorConsolidateAfter = props.executorConsolidateAfter ?? '5m';
    const windows = props.noDisruptionWindows ?? [{ schedule: '0 8 * * 1-5', duration: '10h' }];
    this.capacityClass = props.capacityClass;
    const executorCapacity = props.executorCapacity ?? 'spot-first';
    const ebsExecutors = props.ebsExecutors ?? true;
    const gpu =
      props.gpu === undefined
        ? undefined
        : {
            resource: props.gpu.resource ?? 'nvidia.com/gpu',
            perExecutor: props.gpu.perExecutor ?? 1,
            manufacturer: props.gpu.manufacturer ?? 'nvidia',
            taint: props.gpu.taint ?? { key: props.gpu.resource ?? 'nvidia.com/gpu', effect: 'NoSchedule' as const },
          };

    requireObjectName(`${prefix}-executor-nvme-on-demand`, 'poolNamePrefix');
    requireQualifiedName(labelKey, 'workloadLabelKey');
    requireThat(
      !instanceRequirements.some(
        (r) => r.key === CAPACITY_TYPE_LABEL || r.key === labelKey || r.key === EXECUTOR_LOCAL_DISK_LABEL,
      ),
      'instanceRequirements',
      `must not constrain ${CAPACITY_TYPE_LABEL}, ${labelKey} or ${EXECUTOR_LOCAL_DISK_LABEL}: SparkCapacity sets them per pool`,
    );
    if (props.capacityClass !== undefined) requireObjectName(props.capacityClass, 'capacityClass');
    requireThat(
      ebsExecutors || props.nvmeExecutorNodeClass !== undefined,
      'ebsExecutors',
      'false leaves no executor pool: give an nvmeExecutorNodeClass',
    );
    if (gpu) {
      requireQualifiedName(gpu.resource, 'gpu.resource');
      requireThat(
        Number.isInteger(gpu.perExecutor) && gpu.perExecutor >= 1,
        'gpu.perExecutor',
        `${gpu.perExecutor} must be a whole number of devices, at least 1`,
      );
    }
    requireThat(
      executorNodeClass.instanceStorePolicy === undefined,
      'executorNodeClass',
      `"${executorNodeClass.name}" sets instanceStorePolicy RAID0; pass it as nvmeExecutorNodeClass so only tenants using the instance store land there`,
    );
    requireThat(
      props.nvmeExecutorNodeClass === undefined || props.nvmeExecutorNodeClass.instanceStorePolicy === 'RAID0',
      'nvmeExecutorNodeClass',
      "must set instanceStorePolicy RAID0, or executors' emptyDirs land on the root EBS volume",
    );
    windows.forEach((w, i) => {
      requireCronSchedule(w.schedule, `noDisruptionWindows[${i}].schedule`);
    });
    const idleSeconds = requireGoDuration(this.executorIdleTimeout, 'executorIdleTimeout');
    const consolidateSeconds = requireGoDuration(executorConsolidateAfter, 'executorConsolidateAfter', {
      allowNever: true,
    });
    requireThat(
      consolidateSeconds > idleSeconds,
      'executorConsolidateAfter',
      `${executorConsolidateAfter} must be longer than executorIdleTimeout ${this.executorIdleTimeout}, or nodes are removed while Spark still holds idle executors on them`,
    );

    const driverRole = 'spark-driver';
    const executorRole = 'spark-executor';
    const driverTaint: Taint = { key: labelKey, value: driverRole, effect: 'NoSchedule' };
    const executorTaint: Taint = { key: labelKey, value: executorRole, effect: 'NoSchedule' };
    const blackout = noDisruptionBudgets(windows);
    const capacity = (types: CapacityType[]): NodeRequirement => ({
      key: CAPACITY_TYPE_LABEL,
      operator: 'In',
      values: types,
    });
    // A named class: its own label and taint on every pool, and no GPU types unless asked (GPUs idle at CPU prices).
    const classLabels: Record<string, string> =
      props.capacityClass === undefined ? {} : { [CAPACITY_CLASS_LABEL]: props.capacityClass };
    const classTaints: Taint[] =
      props.capacityClass === undefined
        ? []
        : [{ key: CAPACITY_CLASS_LABEL, value: props.capacityClass, effect: 'NoSchedule' }];
    const noGpus: NodeRequirement[] =
      props.capacityClass === undefined ? [] : [{ key: instanceLabels.gpuCount, operator: 'DoesNotExist' }];
    const gpuRequirements: NodeRequirement[] = gpu
      ? [
          { key: instanceLabels.gpuCount, operator: 'Gt', values: ['0'] },
          { key: instanceLabels.gpuManufacturer, operator: 'In', values: [gpu.manufacturer] },
        ]
      : noGpus;
    const driverRequirements = props.driverInstanceRequirements ?? instanceRequirements;

    this.driverPool = new NodePool(this, 'DriverPool', {
      name: `${prefix}-driver`,
      nodeClassRef: props.driverNodeClass.nodeClassRef,
      labels: { [labelKey]: driverRole, ...classLabels },
      taints: [driverTaint, ...classTaints],
      requirements: [...driverRequirements, ...noGpus, capacity(['on-demand'])],
      expireAfter: props.driverNodes?.expireAfter,
      terminationGracePeriod: props.driverNodes?.terminationGracePeriod,
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: props.driverConsolidateAfter ?? '5m',
      budgets: [{ nodes: props.driverBudgetNodes ?? '1' }, ...blackout],
      limits: props.limits?.driver ?? { cpu: '200', memory: '800Gi' },
    });

    const executorTaints = [executorTaint, ...classTaints, ...(gpu ? [gpu.taint] : [])];
    const executorPools = (
      idPrefix: string,
      namePrefix: string,
      nodeClass: SparkNodeClass,
      disk: 'ebs' | 'nvme',
    ): ExecutorPools => {
      const labels = { [labelKey]: executorRole, [EXECUTOR_LOCAL_DISK_LABEL]: disk, ...classLabels };
      const nvme: NodeRequirement[] =
        disk === 'nvme' ? [{ key: instanceLabels.localNvme, operator: 'Gt', values: ['0'] }] : [];
      const pool = (id: string, type: CapacityType, weight: number, limits: NodePoolLimits) =>
        new NodePool(this, `${idPrefix}${id}`, {
          name: `${namePrefix}-${type}`,
          nodeClassRef: nodeClass.nodeClassRef,
          labels,
          taints: executorTaints,
          requirements: [...instanceRequirements, ...nvme, ...gpuRequirements, capacity([type])],
          expireAfter: props.expireAfter,
          consolidationPolicy: 'WhenEmptyOrUnderutilized',
          consolidateAfter: executorConsolidateAfter,
          budgets: [{ nodes: props.executorBudgetNodes ?? '10%' }, ...blackout],
          limits,
          weight,
        });
      const spot =
        executorCapacity === 'spot-first'
          ? pool(
              'SpotPool',
              'spot',
              EXECUTOR_SPOT_WEIGHT,
              props.limits?.executorSpot ?? { cpu: '1000', memory: '4000Gi' },
            )
          : undefined;
      const onDemand = pool(
        'OnDemandPool',
        'on-demand',
        EXECUTOR_ON_DEMAND_WEIGHT,
        props.limits?.executorOnDemand ?? { cpu: '200', memory: '800Gi' },
      );
      return {
        spot,
        onDemand,
        placement: {
          nodePools: spot ? [spot.name, onDemand.name] : [onDemand.name],
          nodeSelector: { ...labels },
          tolerations: executorTaints.map(tolerationFor),
          capacityTypes: spot ? ['spot', 'on-demand'] : ['on-demand'],
          instanceStoreEphemeralStorage: nodeClass.instanceStorePolicy === 'RAID0',
          ...(gpu ? { extendedResources: { [gpu.resource]: gpu.perExecutor } } : {}),
        },
      };
    };
    const ebs = ebsExecutors ? executorPools('Executor', `${prefix}-executor`, executorNodeClass, 'ebs') : undefined;
    const nvme = props.nvmeExecutorNodeClass
      ? executorPools('NvmeExecutor', `${prefix}-executor-nvme`, props.nvmeExecutorNodeClass, 'nvme')
      : undefined;
    this.executorSpotPool = ebs?.spot;
    this.executorOnDemandPool = ebs?.onDemand;
    // Without EBS pools every executor goes to the NVMe pools (checked above: one of the two exists).
    this.executorPlacement = (ebs ?? nvme)!.placement;
    this.nvmeExecutorSpotPool = nvme?.spot;
    this.nvmeExecutorOnDemandPool = nvme?.onDemand;
    this.nvmeExecutorPlacement = nvme?.placement;

    this.driverPlacement = {
      nodePools: [this.driverPool.name],
      // Capacity type is in the selector too, so a driver can never reach spot even if the pool were widened.
      nodeSelector: { [labelKey]: driverRole, ...classLabels, [CAPACITY_TYPE_LABEL]: 'on-demand' },
      tolerations: [driverTaint, ...classTaints].map(tolerationFor),
      capacityTypes: ['on-demand'],
      instanceStoreEphemeralStorage: props.driverNodeClass.instanceStorePolicy === 'RAID0',
    };
    this.assertPlacementsFitPools();
  }

  /** Every pool, drivers first. */
  get pools(): NodePool[] {
    return [
      this.driverPool,
      this.executorSpotPool,
      this.executorOnDemandPool,
      this.nvmeExecutorSpotPool,
      this.nvmeExecutorOnDemandPool,
    ].filter((pool): pool is NodePool => pool !== undefined);
  }

  /** The pools a placement of this capacity targets. */
  poolsOf(placement: PodPlacement): NodePool[] {
    return this.pools.filter((pool) => placement.nodePools.includes(pool.name));
  }

  /** Each placement must fit every pool it names and no other (a guard against future edits to this class). */
  private assertPlacementsFitPools(): void {
    const placements: Array<[string, PodPlacement | undefined]> = [
      ['driverPlacement', this.driverPlacement],
      ['executorPlacement', this.executorPlacement],
      ['nvmeExecutorPlacement', this.nvmeExecutorPlacement],
    ];
    for (const [field, placement] of placements) {
      // Without EBS pools the executor placement is the NVMe one, checked once.
      if (!placement || (field === 'executorPlacement' && placement === this.nvmeExecutorPlacement)) continue;
      const problems = this.pools.flatMap((pool) => {
        const misfits = placementProblems(placement, pool);
        const targeted = placement.nodePools.includes(pool.name);
        if (targeted) return misfits;
        return misfits.length === 0 ? [`also fits pool ${pool.name}, which it does not target`] : [];
      });
      if (problems.length > 0) throw new ConfigurationError(field, problems.join('; '), this.node.path);
    }
  }
}
