// Offline model of the decision Karpenter and kube-scheduler make: can a node of a NodePool meet a pod's requirements?
import { PER_TYPE_LABELS, WELL_KNOWN_LABELS } from './well-known-labels.js';

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

const POSITIVE = new Set<RequirementOperator>(['In', 'Exists', 'Gt', 'Lt']);

/** Whether the requirements on one key, the pool's and the pod's together, leave a possible node label value. */
function keySatisfiable(key: string, pool: readonly NodeRequirement[], pod: readonly NodeRequirement[]): boolean {
  // A node has a label when it is well-known or the pool puts it there (label or positive requirement).
  const present = WELL_KNOWN_LABELS.has(key) || pool.some((r) => POSITIVE.has(r.operator));
  const all = [...pool, ...pod];
  if (all.some((r) => r.operator === 'DoesNotExist')) {
    // Some well-known labels exist only on some instance types (GPUs, local NVMe): absent is a possible value.
    const sometimes = PER_TYPE_LABELS.test(key) && !pool.some((r) => POSITIVE.has(r.operator));
    return (sometimes || !present) && !all.some((r) => POSITIVE.has(r.operator));
  }
  // A pool's NotIn defines the key too: Karpenter labels the node with a value both requirements leave (kubernetes-sigs/
  // karpenter, Requirements.Compatible and NodeClaimTemplate.resolveCustomLabelsFromRequirements).
  const definable = present || pool.some((r) => r.operator === 'NotIn');
  if (!definable) return !pod.some((r) => POSITIVE.has(r.operator)); // NotIn alone matches a missing label
  let candidates: Set<string> | undefined;
  const excluded = new Set<string>();
  let above = -Infinity;
  let below = Infinity;
  for (const r of all) {
    const values = r.values ?? [];
    if (r.operator === 'In') candidates = new Set(values.filter((v) => !candidates || candidates.has(v)));
    else if (r.operator === 'NotIn')
      values.forEach((v) => {
        excluded.add(v);
      });
    else if (r.operator === 'Gt') above = Math.max(above, Number(values[0]));
    else if (r.operator === 'Lt') below = Math.min(below, Number(values[0]));
  }
  const inBounds = (v: string) =>
    (above === -Infinity && below === Infinity) || (/^-?\d+$/.test(v) && Number(v) > above && Number(v) < below);
  if (candidates) return [...candidates].some((v) => !excluded.has(v) && inBounds(v));
  return below - above >= 2; // some integer (or, unbounded, some string) remains
}

/** Whether a set of requirements (ANDed) can be met by one node of a pool with `pool` requirements. */
export function requirementsSatisfiable(pool: readonly NodeRequirement[], pod: readonly NodeRequirement[]): boolean {
  const keys = new Set(pod.map((r) => r.key));
  for (const r of pool) if (r.operator === 'DoesNotExist') keys.add(r.key);
  for (const key of keys) {
    if (
      !keySatisfiable(
        key,
        pool.filter((r) => r.key === key),
        pod.filter((r) => r.key === key),
      )
    )
      return false;
  }
  return true;
}

export const formatRequirement = (r: NodeRequirement) =>
  r.operator === 'Exists' || r.operator === 'DoesNotExist'
    ? `${r.key} ${r.operator}`
    : `${r.key} ${r.operator} [${(r.values ?? []).join(', ')}]`;
