/**
 * The scheduling vocabulary shared by NodePools and the pods that must land on them: taints, tolerations,
 * node requirements, and the placement a pod needs to reach a set of pools, with the checks that keep them in step.
 */

/** Karpenter's `karpenter.sh/capacity-type` values. */
export type CapacityType = 'on-demand' | 'spot' | 'reserved';
export const CAPACITY_TYPE_LABEL = 'karpenter.sh/capacity-type';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
export const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A node taint, as NodePool `taints` / `startupTaints` take it. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** A pod toleration (the subset of `v1.Toleration` that placements emit). */
export interface Toleration {
  readonly key?: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: TaintEffect;
}

export type RequirementOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** A NodePool requirement: a node selector requirement with Karpenter's optional `minValues`. */
export interface NodeRequirement {
  readonly key: string;
  readonly operator: RequirementOperator;
  /** Required and non-empty for In/NotIn, exactly one integer for Gt/Lt, absent for Exists/DoesNotExist. */
  readonly values?: readonly string[];
  /** Minimum number of distinct values Karpenter must be able to choose from (In only). */
  readonly minValues?: number;
}

/** What a pod needs to land on a class of nodes: the one source pod templates are generated from. */
export interface PodPlacement {
  /** Names of the NodePools this placement targets, in the order Karpenter prefers them (by weight). */
  readonly nodePools: readonly string[];
  /** Labels every targeted pool puts on its nodes; use as the pod's `nodeSelector`. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Exactly the tolerations of the targeted pools' taints. */
  readonly tolerations: readonly Toleration[];
  /** Capacity types the pod may end up on, preferred first. */
  readonly capacityTypes: readonly CapacityType[];
  /** Whether every targeted node has its NVMe instance store as RAID0 ephemeral storage (emptyDir lives there). */
  readonly instanceStoreEphemeralStorage: boolean;
  /** Device-plugin resources (e.g. `nvidia.com/gpu`) the pod's main container must request to be worth these nodes. @default none */
  readonly extendedResources?: Readonly<Record<string, number>>;
}

/** The facts about a NodePool that decide which pods it can take. */
export interface PoolSchedulingView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly requirements: readonly NodeRequirement[];
}

/** The toleration that matches exactly this taint (key, value and effect). */
export function tolerationFor(taint: Taint): Toleration {
  return taint.value === undefined
    ? { key: taint.key, operator: 'Exists', effect: taint.effect }
    : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
}

/**
 * Kubernetes' rule (kube-scheduler's ToleratesTaint) for whether a toleration tolerates a taint. Typed loosely so it
 * also judges tolerations read from YAML: an absent operator means Equal; Exists with no key tolerates every taint.
 */
export function toleratesTaint(
  toleration: { readonly key?: string; readonly operator?: string; readonly value?: string; readonly effect?: string },
  taint: { readonly key: string; readonly value?: string; readonly effect: string },
): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  // Stryker disable next-line StringLiteral: any default other than "Exists" reads the same; it names Kubernetes' default
  if ((toleration.operator ?? 'Equal') === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** Whether a node of `pool` can carry label `key` with `value`. */
function poolCanLabel(pool: PoolSchedulingView, key: string, value: string): boolean {
  if (Object.hasOwn(pool.labels, key)) return pool.labels[key] === value;
  const requirement = pool.requirements.find((r) => r.key === key);
  if (requirement === undefined) {
    // Karpenter launches on-demand when a pool says nothing about capacity type.
    return key === CAPACITY_TYPE_LABEL && value === 'on-demand';
  }
  switch (requirement.operator) {
    case 'In':
      return requirement.values?.includes(value) ?? false;
    case 'NotIn':
      return !(requirement.values?.includes(value) ?? false);
    case 'Exists':
      return true;
    case 'Gt':
    case 'Lt': {
      // Both sides are read as integers, and a label that is not one matches neither (apimachinery labels.Requirement.Matches).
      const bound = Number(requirement.values?.[0]);
      if (!INTEGER.test(value) || !Number.isInteger(bound)) return false;
      return requirement.operator === 'Gt' ? Number(value) > bound : Number(value) < bound;
    }
    // Stryker disable next-line ConditionalExpression: without this case the function returns undefined, just as falsy
    default:
      return false; // DoesNotExist: the node never has the label
  }
}

const INTEGER = /^-?\d+$/;

/** The taints of a pool that keep off a pod with these tolerations (PreferNoSchedule only discourages). */
export function untoleratedTaints(tolerations: readonly Toleration[], pool: Pick<PoolSchedulingView, 'taints'>): Taint[] {
  return pool.taints.filter((taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/**
 * Why a pod with `placement` could not be scheduled on `pool`, or would tolerate more than the pool's own taints:
 * an empty list means the pod fits. Used to check generated pod templates against the pools they target.
 */
export function placementProblems(
  placement: Pick<PodPlacement, 'nodeSelector' | 'tolerations'>,
  pool: PoolSchedulingView,
): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(placement.nodeSelector)) {
    if (!poolCanLabel(pool, key, value)) problems.push(`nodeSelector ${key}=${value} is never a label of pool ${pool.name}`);
  }
  for (const taint of untoleratedTaints(placement.tolerations, pool)) {
    problems.push(`taint ${taint.key}=${taint.value ?? ''}:${taint.effect} of pool ${pool.name} is not tolerated`);
  }
  for (const toleration of placement.tolerations) {
    if (!pool.taints.some((taint) => toleratesTaint(toleration, taint))) {
      problems.push(`toleration ${JSON.stringify(toleration)} matches no taint of pool ${pool.name}`);
    }
  }
  return problems;
}
