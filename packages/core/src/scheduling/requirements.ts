// Offline model of the decision Karpenter and kube-scheduler make: can a pod run on a node this NodePool launches?
import { asList, asRecord, asText } from '../validation/subject.js';
import { AWS_WELL_KNOWN_LABELS, EKS_AUTO_MODE_WELL_KNOWN_LABELS } from '../validation/schema/karpenter.js';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

export const CAPACITY_TYPE = 'karpenter.sh/capacity-type';
export const NODEPOOL_LABEL = 'karpenter.sh/nodepool';

/** Labels every node Karpenter launches carries, whether or not its NodePool constrains them. */
const WELL_KNOWN_LABELS = new Set([
  'kubernetes.io/arch', 'kubernetes.io/os', 'kubernetes.io/hostname', 'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'topology.k8s.aws/zone-id',
  CAPACITY_TYPE, NODEPOOL_LABEL, ...AWS_WELL_KNOWN_LABELS, ...EKS_AUTO_MODE_WELL_KNOWN_LABELS,
]);

const POSITIVE = new Set<Operator>(['In', 'Exists', 'Gt', 'Lt']);
/** Instance labels Karpenter sets only on types that have the thing (GPU count and maker, NVMe, accelerators). */
const PER_TYPE_LABELS = /\/instance-(gpu-|local-nvme|accelerator-)/;

/** Reads `[{key, operator, values}]` (node selector requirements); malformed entries are the schema rules' job. */
export function readRequirements(value: unknown): Requirement[] {
  return asList(value).flatMap((entry) => {
    const record = asRecord(entry);
    const key = asText(record?.key);
    const operator = asText(record?.operator) as Operator | undefined;
    if (!key || !operator) return [];
    return [{ key, operator, values: asList(record?.values).map(String) }];
  });
}

/** Whether the requirements on one key, the pool's and the pod's together, leave a possible node label value. */
function keySatisfiable(key: string, pool: readonly Requirement[], pod: readonly Requirement[]): boolean {
  // A node has a label when it is well-known or the pool puts it there (label or positive requirement).
  const present = WELL_KNOWN_LABELS.has(key) || pool.some((r) => POSITIVE.has(r.operator));
  const all = [...pool, ...pod];
  if (all.some((r) => r.operator === 'DoesNotExist')) {
    // Some well-known labels exist only on some instance types (GPUs, local NVMe): absent is a possible value.
    const sometimes = PER_TYPE_LABELS.test(key) && !pool.some((r) => POSITIVE.has(r.operator));
    return (sometimes || !present) && !all.some((r) => POSITIVE.has(r.operator));
  }
  if (!present) return !pod.some((r) => POSITIVE.has(r.operator)); // NotIn alone matches a missing label
  let candidates: Set<string> | undefined;
  const excluded = new Set<string>();
  let above = -Infinity;
  let below = Infinity;
  for (const r of all) {
    if (r.operator === 'In') candidates = new Set(r.values.filter((v) => !candidates || candidates.has(v)));
    else if (r.operator === 'NotIn') r.values.forEach((v) => excluded.add(v));
    else if (r.operator === 'Gt') above = Math.max(above, Number(r.values[0]));
    else if (r.operator === 'Lt') below = Math.min(below, Number(r.values[0]));
  }
  const inBounds = (v: string) => (above === -Infinity && below === Infinity) || (/^-?\d+$/.test(v) && Number(v) > above && Number(v) < below);
  if (candidates) return [...candidates].some((v) => !excluded.has(v) && inBounds(v));
  return below - above >= 2; // some integer (or, unbounded, some string) remains
}

/** Whether a set of requirements (ANDed) can be met by one node of a pool with `pool` requirements. */
export function requirementsSatisfiable(pool: readonly Requirement[], pod: readonly Requirement[]): boolean {
  const keys = new Set(pod.map((r) => r.key));
  for (const r of pool) if (r.operator === 'DoesNotExist') keys.add(r.key);
  for (const key of keys) {
    if (!keySatisfiable(key, pool.filter((r) => r.key === key), pod.filter((r) => r.key === key))) return false;
  }
  return true;
}

export const formatTaint = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
export const formatRequirement = (r: Requirement) =>
  r.operator === 'Exists' || r.operator === 'DoesNotExist' ? `${r.key} ${r.operator}` : `${r.key} ${r.operator} [${r.values.join(', ')}]`;
