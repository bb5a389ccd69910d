import { Construct } from 'constructs';
import { ConfigurationError, requireThat } from '../errors.js';
import { requireGoDuration } from '../validation/go-duration.js';
import { requireObjectName, requireQualifiedName } from '../validation/kubernetes-names.js';
import { noDisruptionBudgets, requireCronSchedule, type NoDisruptionWindow } from './disruption.js';
import type { Ec2NodeClass } from './ec2-node-class.js';
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

/** Where Spark driver and executor pods go, and the idle timeout the executor pools were sized against. */
export interface SparkPlacements {
  readonly driverPlacement: PodPlacement;
  readonly executorPlacement: PodPlacement;
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

export interface SparkCapacityProps {
  /** Node class of the driver pool. */
  readonly driverNodeClass: Ec2NodeClass;
  /** Node class of both executor pools; with instanceStorePolicy RAID0 executors get NVMe-backed scratch space. @default driverNodeClass */
  readonly executorNodeClass?: Ec2NodeClass;
  /** Prefix of the pool names `<prefix>-driver`, `<prefix>-executor-spot`, `<prefix>-executor-on-demand`. @default 'spark' */
  readonly poolNamePrefix?: string;
  /** Key of the label and taint that reserve the pools for Spark. @default 'emr-eks-gitops.io/workload' */
  readonly workloadLabelKey?: string;
  /** Instance constraints shared by all pools. @default amd64, instance categories c, m, r, generation > 5 */
  readonly instanceRequirements?: readonly NodeRequirement[];
  /** Resource ceilings per pool. @default see SparkCapacityLimits */
  readonly limits?: SparkCapacityLimits;
  /** Node lifetime of all pools. @default '720h' */
  readonly expireAfter?: string;
  /** Spark dynamic allocation's executor idle timeout; executor pools wait longer than this before consolidating. @default '60s' */
  readonly executorIdleTimeout?: string;
  /** consolidateAfter of both executor pools; must exceed executorIdleTimeout. @default '5m' */
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

const DEFAULT_INSTANCE_REQUIREMENTS: readonly NodeRequirement[] = [
  { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
  { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
  { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
];

/**
 * The Karpenter pools Spark on EMR runs on, and the placements pods need to reach them:
 * - `<prefix>-driver`: on-demand only, consolidated only when empty, reserved for drivers by label and taint;
 * - `<prefix>-executor-spot`: spot, consolidated when empty or underutilized, preferred by weight;
 * - `<prefix>-executor-on-demand`: on-demand fallback with the same executor label and taint.
 * Pod templates must be built from `driverPlacement` / `executorPlacement` so they cannot disagree with the pools.
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
 * // capacity.driverPlacement and capacity.executorPlacement go to SparkPodTemplates
 * ```
 */
export class SparkCapacity extends Construct implements SparkPlacements {
  readonly driverPool: NodePool;
  readonly executorSpotPool: NodePool;
  readonly executorOnDemandPool: NodePool;
  readonly driverPlacement: PodPlacement;
  readonly executorPlacement: PodPlacement;
  readonly executorIdleTimeout: string;

  constructor(scope: Construct, id: string, props: SparkCapacityProps) {
    super(scope, id);
    const executorNodeClass = props.executorNodeClass ?? props.driverNodeClass;
    const prefix = props.poolNamePrefix ?? 'spark';
    const labelKey = props.workloadLabelKey ?? SPARK_WORKLOAD_LABEL;
    const instanceRequirements = props.instanceRequirements ?? DEFAULT_INSTANCE_REQUIREMENTS;
    const expireAfter = props.expireAfter ?? '720h';
    this.executorIdleTimeout = props.executorIdleTimeout ?? '60s';
    const executorConsolidateAfter = props.executorConsolidateAfter ?? '5m';
    const windows = props.noDisruptionWindows ?? [{ schedule: '0 8 * * 1-5', duration: '10h' }];

    requireObjectName(`${prefix}-executor-on-demand`, 'poolNamePrefix');
    requireQualifiedName(labelKey, 'workloadLabelKey');
    requireThat(
      !instanceRequirements.some((r) => r.key === CAPACITY_TYPE_LABEL || r.key === labelKey),
      'instanceRequirements',
      `must not constrain ${CAPACITY_TYPE_LABEL} or ${labelKey}: SparkCapacity sets them per pool`,
    );
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
    const nvme: NodeRequirement[] =
      executorNodeClass.instanceStorePolicy === 'RAID0'
        ? [{ key: 'karpenter.k8s.aws/instance-local-nvme', operator: 'Gt', values: ['0'] }]
        : [];

    this.driverPool = new NodePool(this, 'DriverPool', {
      name: `${prefix}-driver`,
      nodeClassName: props.driverNodeClass.name,
      labels: { [labelKey]: driverRole },
      taints: [driverTaint],
      requirements: [...instanceRequirements, capacity(['on-demand'])],
      expireAfter,
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: props.driverConsolidateAfter ?? '5m',
      budgets: [{ nodes: props.driverBudgetNodes ?? '1' }, ...blackout],
      limits: props.limits?.driver ?? { cpu: '200', memory: '800Gi' },
    });
    const executorPool = (id: string, suffix: string, type: CapacityType, weight: number, limits: NodePoolLimits) =>
      new NodePool(this, id, {
        name: `${prefix}-executor-${suffix}`,
        nodeClassName: executorNodeClass.name,
        labels: { [labelKey]: executorRole },
        taints: [executorTaint],
        requirements: [...instanceRequirements, ...nvme, capacity([type])],
        expireAfter,
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: executorConsolidateAfter,
        budgets: [{ nodes: props.executorBudgetNodes ?? '10%' }, ...blackout],
        limits,
        weight,
      });
    this.executorSpotPool = executorPool('ExecutorSpotPool', 'spot', 'spot', EXECUTOR_SPOT_WEIGHT,
      props.limits?.executorSpot ?? { cpu: '1000', memory: '4000Gi' });
    this.executorOnDemandPool = executorPool('ExecutorOnDemandPool', 'on-demand', 'on-demand', EXECUTOR_ON_DEMAND_WEIGHT,
      props.limits?.executorOnDemand ?? { cpu: '200', memory: '800Gi' });

    this.driverPlacement = {
      nodePools: [this.driverPool.name],
      // Capacity type is in the selector too, so a driver can never reach spot even if the pool were widened.
      nodeSelector: { [labelKey]: driverRole, [CAPACITY_TYPE_LABEL]: 'on-demand' },
      tolerations: [tolerationFor(driverTaint)],
      capacityTypes: ['on-demand'],
      instanceStoreEphemeralStorage: props.driverNodeClass.instanceStorePolicy === 'RAID0',
    };
    this.executorPlacement = {
      nodePools: [this.executorSpotPool.name, this.executorOnDemandPool.name],
      nodeSelector: { [labelKey]: executorRole },
      tolerations: [tolerationFor(executorTaint)],
      capacityTypes: ['spot', 'on-demand'],
      instanceStoreEphemeralStorage: executorNodeClass.instanceStorePolicy === 'RAID0',
    };
    this.assertPlacementsFitPools();
  }

  /** Each placement must fit every pool it names (a guard against future edits to this class). */
  private assertPlacementsFitPools(): void {
    const checks: Array<[string, PodPlacement, NodePool[]]> = [
      ['driverPlacement', this.driverPlacement, [this.driverPool]],
      ['executorPlacement', this.executorPlacement, [this.executorSpotPool, this.executorOnDemandPool]],
    ];
    for (const [field, placement, pools] of checks) {
      const problems = pools.flatMap((pool) => placementProblems(placement, pool));
      if (problems.length > 0) throw new ConfigurationError(field, problems.join('; '), this.node.path);
    }
  }
}
