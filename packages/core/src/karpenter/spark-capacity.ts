import { Construct } from 'constructs';
import { ConfigurationError, requireThat } from '../errors.js';
import { requireGoDuration } from '../validation/go-duration.js';
import { requireObjectName, requireQualifiedName } from '../validation/kubernetes-names.js';
import { noDisruptionBudgets, requireCronSchedule, type NoDisruptionWindow } from './disruption.js';
import type { SparkNodeClass } from './node-class-ref.js';
import { KARPENTER_AWS_INSTANCE_LABELS, type InstanceLabelKeys } from './instance-labels.js';
import { NodePool, type NodePoolLimits } from './node-pool.js';
import {
  CAPACITY_TYPE_LABEL,
  placementProblems,
  tolerationFor,
  type CapacityType,
  type NodeRequirement,
  type PodPlacement,
  type Taint,
} from './placement.js';

/** The label (and taint) key that marks Spark node classes. */
export const SPARK_WORKLOAD_LABEL = 'emr-eks-gitops.io/workload';
/** The label that tells executor pools apart by scratch disk: `ebs` (volumes per pod) or `nvme` (RAID0 instance store). */
export const EXECUTOR_LOCAL_DISK_LABEL = 'emr-eks-gitops.io/local-disk';

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
  /** Node lifetime of the driver pool (Go duration or `Never`). @default '720h' */
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
  /** Node lifetime of the executor pools. @default '720h' */
  readonly expireAfter?: string;
  /** Expiry and drain bound of the driver pool. @default { expireAfter: '720h' } and no drain bound */
  readonly driverNodes?: DriverNodeLifetime;
  /** Spark dynamic allocation's executor idle timeout; executor pools wait longer than this before consolidating. @default '60s' */
  readonly executorIdleTimeout?: string;
  /** consolidateAfter of the executor pools; must exceed executorIdleTimeout. @default '5m' */
  readonly executorConsolidateAfter?: string;
  /** consolidateAfter of the driver pool (consolidated only when empty). @default '5m' */
  readonly driverConsolidateAfter?: string;
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

const defaultInstanceRequirements = (labels: InstanceLabelKeys): NodeRequirement[] => [
  { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
  { key: labels.category, operator: 'In', values: ['c', 'm', 'r'] },
  { key: labels.generation, operator: 'Gt', values: ['5'] },
];

/** An executor pool pair (spot first, on-demand fallback) and the placement that reaches exactly it. */
interface ExecutorPools {
  readonly spot: NodePool;
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
  readonly executorSpotPool: NodePool;
  readonly executorOnDemandPool: NodePool;
  readonly nvmeExecutorSpotPool: NodePool | undefined;
  readonly nvmeExecutorOnDemandPool: NodePool | undefined;
  readonly driverPlacement: PodPlacement;
  readonly executorPlacement: PodPlacement;
  readonly nvmeExecutorPlacement: PodPlacement | undefined;
  readonly executorIdleTimeout: string;

  constructor(scope: Construct, id: string, props: SparkCapacityProps) {
    super(scope, id);
    const executorNodeClass = props.executorNodeClass ?? props.driverNodeClass;
    const prefix = props.poolNamePrefix ?? 'spark';
    const labelKey = props.workloadLabelKey ?? SPARK_WORKLOAD_LABEL;
    const instanceLabels = props.instanceLabels ?? KARPENTER_AWS_INSTANCE_LABELS;
    const instanceRequirements = props.instanceRequirements ?? defaultInstanceRequirements(instanceLabels);
    const expireAfter = props.expireAfter ?? '720h';
    this.executorIdleTimeout = props.executorIdleTimeout ?? '60s';
    const executorConsolidateAfter = props.executorConsolidateAfter ?? '5m';
    const windows = props.noDisruptionWindows ?? [{ schedule: '0 8 * * 1-5', duration: '10h' }];

    requireObjectName(`${prefix}-executor-nvme-on-demand`, 'poolNamePrefix');
    requireQualifiedName(labelKey, 'workloadLabelKey');
    requireThat(
      !instanceRequirements.some((r) => r.key === CAPACITY_TYPE_LABEL || r.key === labelKey || r.key === EXECUTOR_LOCAL_DISK_LABEL),
      'instanceRequirements',
      `must not constrain ${CAPACITY_TYPE_LABEL}, ${labelKey} or ${EXECUTOR_LOCAL_DISK_LABEL}: SparkCapacity sets them per pool`,
    );
    requireThat(executorNodeClass.instanceStorePolicy === undefined, 'executorNodeClass',
      `"${executorNodeClass.name}" sets instanceStorePolicy RAID0; pass it as nvmeExecutorNodeClass so only tenants using the instance store land there`);
    requireThat(props.nvmeExecutorNodeClass === undefined || props.nvmeExecutorNodeClass.instanceStorePolicy === 'RAID0',
      'nvmeExecutorNodeClass', 'must set instanceStorePolicy RAID0, or executors\' emptyDirs land on the root EBS volume');
    windows.forEach((w, i) => requireCronSchedule(w.schedule, `noDisruptionWindows[${i}].schedule`));
    const idleSeconds = requireGoDuration(this.executorIdleTimeout, 'executorIdleTimeout');
    const consolidateSeconds = requireGoDuration(executorConsolidateAfter, 'executorConsolidateAfter', { allowNever: true });
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
    const capacity = (types: CapacityType[]): NodeRequirement => ({ key: CAPACITY_TYPE_LABEL, operator: 'In', values: types });

    this.driverPool = new NodePool(this, 'DriverPool', {
      name: `${prefix}-driver`,
      nodeClassRef: props.driverNodeClass.nodeClassRef,
      labels: { [labelKey]: driverRole },
      taints: [driverTaint],
      requirements: [...instanceRequirements, capacity(['on-demand'])],
      expireAfter: props.driverNodes?.expireAfter ?? '720h',
      terminationGracePeriod: props.driverNodes?.terminationGracePeriod,
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: props.driverConsolidateAfter ?? '5m',
      budgets: [{ nodes: props.driverBudgetNodes ?? '1' }, ...blackout],
      limits: props.limits?.driver ?? { cpu: '200', memory: '800Gi' },
    });

    const executorPools = (idPrefix: string, namePrefix: string, nodeClass: SparkNodeClass, disk: 'ebs' | 'nvme'): ExecutorPools => {
      const labels = { [labelKey]: executorRole, [EXECUTOR_LOCAL_DISK_LABEL]: disk };
      const nvme: NodeRequirement[] = disk === 'nvme' ? [{ key: instanceLabels.localNvme, operator: 'Gt', values: ['0'] }] : [];
      const pool = (id: string, type: CapacityType, weight: number, limits: NodePoolLimits) => new NodePool(this, `${idPrefix}${id}`, {
        name: `${namePrefix}-${type}`,
        nodeClassRef: nodeClass.nodeClassRef,
        labels,
        taints: [executorTaint],
        requirements: [...instanceRequirements, ...nvme, capacity([type])],
        expireAfter,
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: executorConsolidateAfter,
        budgets: [{ nodes: props.executorBudgetNodes ?? '10%' }, ...blackout],
        limits,
        weight,
      });
      const spot = pool('SpotPool', 'spot', EXECUTOR_SPOT_WEIGHT, props.limits?.executorSpot ?? { cpu: '1000', memory: '4000Gi' });
      const onDemand = pool('OnDemandPool', 'on-demand', EXECUTOR_ON_DEMAND_WEIGHT, props.limits?.executorOnDemand ?? { cpu: '200', memory: '800Gi' });
      return {
        spot,
        onDemand,
        placement: {
          nodePools: [spot.name, onDemand.name],
          nodeSelector: { ...labels },
          tolerations: [tolerationFor(executorTaint)],
          capacityTypes: ['spot', 'on-demand'],
          instanceStoreEphemeralStorage: nodeClass.instanceStorePolicy === 'RAID0',
        },
      };
    };
    const ebs = executorPools('Executor', `${prefix}-executor`, executorNodeClass, 'ebs');
    const nvme = props.nvmeExecutorNodeClass ? executorPools('NvmeExecutor', `${prefix}-executor-nvme`, props.nvmeExecutorNodeClass, 'nvme') : undefined;
    this.executorSpotPool = ebs.spot;
    this.executorOnDemandPool = ebs.onDemand;
    this.executorPlacement = ebs.placement;
    this.nvmeExecutorSpotPool = nvme?.spot;
    this.nvmeExecutorOnDemandPool = nvme?.onDemand;
    this.nvmeExecutorPlacement = nvme?.placement;

    this.driverPlacement = {
      nodePools: [this.driverPool.name],
      // Capacity type is in the selector too, so a driver can never reach spot even if the pool were widened.
      nodeSelector: { [labelKey]: driverRole, [CAPACITY_TYPE_LABEL]: 'on-demand' },
      tolerations: [tolerationFor(driverTaint)],
      capacityTypes: ['on-demand'],
      instanceStoreEphemeralStorage: props.driverNodeClass.instanceStorePolicy === 'RAID0',
    };
    this.assertPlacementsFitPools();
  }

  /** Every pool, drivers first. */
  get pools(): NodePool[] {
    return [this.driverPool, this.executorSpotPool, this.executorOnDemandPool, this.nvmeExecutorSpotPool, this.nvmeExecutorOnDemandPool]
      .filter((pool): pool is NodePool => pool !== undefined);
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
      if (!placement) continue;
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
