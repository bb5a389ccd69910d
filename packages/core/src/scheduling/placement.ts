/**
 * The scheduling vocabulary shared by NodePools and the pods that must land on them: taints, tolerations, and the
 * placement a pod needs to reach a set of pools, with the one judgement of whether a pod fits a pool's nodes.
 */
import { formatRequirement, requirementsSatisfiable, type NodeRequirement } from './requirements.js';
import { CAPACITY_TYPE_LABEL, NODEPOOL_LABEL, type CapacityType } from './well-known-labels.js';

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

/** `key=value:effect`, as kubectl prints a taint. */
export const formatTaint = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** The toleration that matches exactly this taint (key, value and effect). */
export function tolerationFor(taint: Taint): Toleration {
  return taint.value === undefined
    ? { key: taint.key, operator: 'Exists', effect: taint.effect }
    : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
}

/** A toleration as a pod spec read back from YAML writes it: any field may be absent or hold what no type allows. */
export type WrittenToleration = { readonly [K in keyof Toleration]?: string };

/**
 * Kubernetes' rule (kube-scheduler's ToleratesTaint) for whether a toleration tolerates a taint. Typed loosely so it
 * also judges tolerations read from YAML: an absent operator means Equal; Exists with no key tolerates every taint.
 */
export function toleratesTaint(
  toleration: WrittenToleration,
  taint: Omit<Taint, 'effect'> & { readonly effect: string },
): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  // Stryker disable next-line StringLiteral: any default other than "Exists" reads the same; it names Kubernetes' default
  if ((toleration.operator ?? 'Equal') === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** The taints of a pool that keep off a pod with these tolerations (PreferNoSchedule only discourages). */
export function untoleratedTaints(
  tolerations: readonly WrittenToleration[],
  pool: Pick<PoolSchedulingView, 'taints'>,
): Taint[] {
  return pool.taints.filter(
    (taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint)),
  );
}

/**
 * The requirements every node of `pool` meets: the pool's own, its labels, its name as `karpenter.sh/nodepool`, and
 * on-demand when it says nothing of the capacity type (the launch this project's pools rely on).
 */
export function poolNodeRequirements(pool: PoolSchedulingView): NodeRequirement[] {
  const requirements: NodeRequirement[] = [
    ...pool.requirements,
    ...Object.entries(pool.labels).map(([key, value]): NodeRequirement => ({ key, operator: 'In', values: [value] })),
    { key: NODEPOOL_LABEL, operator: 'In', values: [pool.name] },
  ];
  if (!requirements.some((r) => r.key === CAPACITY_TYPE_LABEL))
    requirements.push({ key: CAPACITY_TYPE_LABEL, operator: 'In', values: ['on-demand'] });
  return requirements;
}

/** What a pod brings to a pool: its tolerations, and its node requirements as alternatives (nodeAffinity terms). */
export interface PodSchedulingNeeds {
  readonly tolerations: readonly WrittenToleration[];
  /** One alternative per required nodeAffinity term (each with the nodeSelector in it); one term without affinity. */
  readonly requirementTerms: readonly (readonly NodeRequirement[])[];
}

/** What keeps a pod off a pool's nodes; absent when it fits. */
export type Misfit =
  | { readonly kind: 'taints'; readonly untolerated: readonly Taint[] }
  | { readonly kind: 'requirement'; readonly requirement: NodeRequirement }
  | { readonly kind: 'requirements' };

/**
 * Whether a pod fits a node of a pool: it tolerates the pool's NoSchedule/NoExecute taints and one of its requirement
 * terms (with `extra`, e.g. a capacity type) is possible on the pool's nodes (`nodeRequirements`, see
 * poolNodeRequirements). A misfit names the untolerated taints, or the first requirement of the first term that no
 * node of the pool can meet.
 */
export function podMisfit(
  pod: PodSchedulingNeeds,
  pool: { readonly taints: readonly Taint[]; readonly nodeRequirements: readonly NodeRequirement[] },
  extra: readonly NodeRequirement[] = [],
): Misfit | undefined {
  const untolerated = untoleratedTaints(pod.tolerations, pool);
  if (untolerated.length > 0) return { kind: 'taints', untolerated };
  if (pod.requirementTerms.some((term) => requirementsSatisfiable(pool.nodeRequirements, [...term, ...extra])))
    return undefined;
  const requirement = pod.requirementTerms[0]?.find((r) => !requirementsSatisfiable(pool.nodeRequirements, [r]));
  return requirement ? { kind: 'requirement', requirement } : { kind: 'requirements' };
}

/** A misfit in the caller's words: `impossible` for one requirement, `together` for the terms as a whole, `suffix` after the taints. */
export function describeMisfit(
  misfit: Misfit,
  words: { readonly impossible: (requirement: string) => string; readonly together: string; readonly suffix?: string },
): string {
  if (misfit.kind === 'taints')
    return `does not tolerate taint ${misfit.untolerated.map(formatTaint).join(', ')}${words.suffix ?? ''}`;
  return misfit.kind === 'requirement' ? words.impossible(formatRequirement(misfit.requirement)) : words.together;
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
  const nodeRequirements = poolNodeRequirements(pool);
  for (const [key, value] of Object.entries(placement.nodeSelector)) {
    if (!requirementsSatisfiable(nodeRequirements, [{ key, operator: 'In', values: [value] }])) {
      problems.push(`nodeSelector ${key}=${value} is never a label of pool ${pool.name}`);
    }
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
