import { AUTO_MODE_BUILT_IN_NODE_POOLS } from '../../karpenter/auto-mode.js';
import { FARGATE_PROFILE_LABEL } from '../../fargate/fargate-profile.js';
import { toleratesTaint } from '../../scheduling/placement.js';
import { parseQuantity } from '../../primitives/quantity.js';
import { asList, asRecord, asText, valueAt, type Segment, type Subject } from '../subject.js';
import {
  CAPACITY_TYPE, NODEPOOL_LABEL, formatRequirement, formatTaint, readRequirements, requirementsSatisfiable,
  type Requirement, type Taint, type Toleration,
} from '../../scheduling/requirements.js';

/** A NodePool as the scheduler sees it: what its nodes are labelled with, how they are tainted, how much it may grow. */
export interface Pool {
  readonly subject: Subject;
  readonly name: string;
  /** Karpenter tries higher weights first; unset is 0. */
  readonly weight: number;
  readonly requirements: readonly Requirement[];
  /** NoSchedule/NoExecute taints: pods must tolerate them (startupTaints are removed before pods land). */
  readonly taints: readonly Taint[];
  /** `spec.limits` in base units; undefined means unlimited. */
  readonly limits: { readonly cpu?: number; readonly memory?: number };
}

/** A pod spec to place: a Spark pod template or the pod template of an applied workload. */
export interface PodPlacement {
  readonly subject: Subject;
  /** Path of the pod spec inside the object. */
  readonly at: readonly Segment[];
  readonly spec: Readonly<Record<string, unknown>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly role: 'driver' | 'executor' | undefined;
}

function quantityOrUndefined(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return parseQuantity(value);
  } catch {
    return undefined; // a malformed limit is reported by the schema rules
  }
}

export function readPool(subject: Subject): Pool {
  const spec = asRecord(subject.object.spec) ?? {};
  const template = asRecord(spec.template) ?? {};
  const templateSpec = asRecord(template.spec) ?? {};
  const name = subject.name ?? '';
  const labels = Object.entries(asRecord(asRecord(template.metadata)?.labels) ?? {})
    .map(([key, value]): Requirement => ({ key, operator: 'In', values: [String(value)] }));
  const requirements = [...readRequirements(templateSpec.requirements), ...labels, { key: NODEPOOL_LABEL, operator: 'In', values: [name] } as const];
  // Karpenter launches on-demand capacity when a NodePool does not say which capacity types it allows.
  if (!requirements.some((r) => r.key === CAPACITY_TYPE)) requirements.push({ key: CAPACITY_TYPE, operator: 'In', values: ['on-demand'] });
  const taints = asList(templateSpec.taints).flatMap((entry) => {
    const t = asRecord(entry);
    const key = asText(t?.key);
    const effect = asText(t?.effect);
    return key && (effect === 'NoSchedule' || effect === 'NoExecute') ? [{ key, value: asText(t?.value), effect }] : [];
  });
  const limits = asRecord(spec.limits) ?? {};
  return {
    subject, name, weight: typeof spec.weight === 'number' ? spec.weight : 0, requirements, taints,
    limits: { cpu: quantityOrUndefined(limits.cpu), memory: quantityOrUndefined(limits.memory) },
  };
}

/** The pod spec of Pods and of Deployment/StatefulSet/Job/CronJob templates; undefined for other kinds. */
export function readPlacement(subject: Subject): PodPlacement | undefined {
  const paths: Record<string, Segment[]> = {
    '/Pod': ['spec'], 'apps/Deployment': ['spec', 'template', 'spec'], 'apps/StatefulSet': ['spec', 'template', 'spec'],
    'batch/Job': ['spec', 'template', 'spec'], 'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  };
  // DaemonSets are absent on purpose: Karpenter never launches nodes for them, it only reserves room on each node.
  const at = paths[`${subject.group}/${subject.kind}`];
  if (!at) return undefined;
  const record = asRecord(valueAt(subject.object, at));
  if (!record) return undefined;
  const labels = (asRecord(valueAt(subject.object, [...at.slice(0, -1), 'metadata', 'labels'])) ?? {}) as Record<string, string>;
  const names = asList(record.containers).map((c) => asText(asRecord(c)?.name));
  const role = names.includes('spark-kubernetes-driver') || labels['spark-role'] === 'driver' ? 'driver'
    : names.includes('spark-kubernetes-executor') || labels['spark-role'] === 'executor' ? 'executor' : undefined;
  return { subject, at, spec: record, labels, role };
}

/** The pod's node requirements: one alternative per required nodeAffinity term, each with the nodeSelector added. */
function requirementTerms(pod: PodPlacement): Requirement[][] {
  const selector = Object.entries(asRecord(pod.spec.nodeSelector) ?? {})
    .map(([key, value]): Requirement => ({ key, operator: 'In', values: [String(value)] }));
  const required = asRecord(asRecord(asRecord(pod.spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  const terms = asList(required?.nodeSelectorTerms).map((term) => readRequirements(asRecord(term)?.matchExpressions));
  return terms.length === 0 ? [selector] : terms.map((term) => [...selector, ...term]);
}

/**
 * Pods pinned to capacity this project does not render (a managed node group, Fargate, "no NodePool", or EKS Auto Mode's
 * built-in pools, which AWS owns) are out of scope.
 */
export function targetsOtherCapacity(pod: PodPlacement): boolean {
  // A pod naming its Fargate profile is handed to the Fargate scheduler (fargate-pod-rules judge it).
  if (pod.labels[FARGATE_PROFILE_LABEL] !== undefined) return true;
  const marks = (r: Requirement) => (r.key === NODEPOOL_LABEL && r.operator === 'DoesNotExist')
    || (r.key === NODEPOOL_LABEL && r.operator === 'In' && r.values.length > 0 && r.values.every((v) => (AUTO_MODE_BUILT_IN_NODE_POOLS as readonly string[]).includes(v)))
    || ((r.key === 'eks.amazonaws.com/nodegroup' || r.key === 'eks.amazonaws.com/compute-type') && (r.operator === 'In' || r.operator === 'Exists'));
  return requirementTerms(pod).every((term) => term.some(marks));
}

/** Why `pod` cannot run on `pool`, or undefined when it can; `extra` adds a requirement (e.g. a capacity type). */
export function misfit(pod: PodPlacement, pool: Pool, extra: readonly Requirement[] = []): string | undefined {
  const tolerations = asList(pod.spec.tolerations).map((t) => (asRecord(t) ?? {}) as Toleration);
  const untolerated = pool.taints.filter((taint) => !tolerations.some((t) => toleratesTaint(t, taint)));
  if (untolerated.length > 0) return `does not tolerate taint ${untolerated.map(formatTaint).join(', ')}`;
  const terms = requirementTerms(pod);
  if (terms.some((term) => requirementsSatisfiable(pool.requirements, [...term, ...extra]))) return undefined;
  const pod0 = terms[0]!;
  const clash = pod0.find((r) => !requirementsSatisfiable(pool.requirements, [r]));
  return clash ? `requires ${formatRequirement(clash)}, which its nodes cannot have` : 'its node requirements cannot be met together';
}

/** Capacity types (`on-demand`, `spot`, `reserved`) a pod could get from a pool it fits. */
export function capacityTypes(pod: PodPlacement, pool: Pool): string[] {
  return ['on-demand', 'spot', 'reserved'].filter((type) => misfit(pod, pool, [{ key: CAPACITY_TYPE, operator: 'In', values: [type] }]) === undefined);
}
