import { AUTO_MODE_BUILT_IN_NODE_POOLS } from '../../karpenter/auto-mode.js';
import { FARGATE_PROFILE_LABEL } from '../../fargate/fargate-profile.js';
import {
  describeMisfit,
  podMisfit,
  poolNodeRequirements,
  type PodSchedulingNeeds,
  type PoolSchedulingView,
  type WrittenToleration,
} from '../../scheduling/placement.js';
import type { NodeRequirement, RequirementOperator } from '../../scheduling/requirements.js';
import { CAPACITY_TYPE_LABEL, NODEPOOL_LABEL } from '../../scheduling/well-known-labels.js';
import { parseQuantity } from '../../primitives/quantity.js';
import { asList, asRecord, asText, valueAt, type Segment, type Subject } from '../subject.js';

/**
 * A NodePool as the scheduler sees it: what its nodes are labelled with, how they are tainted (NoSchedule/NoExecute
 * only: startupTaints are removed before pods land), how much it may grow.
 */
export interface Pool extends PoolSchedulingView {
  readonly subject: Subject;
  /** Karpenter tries higher weights first; unset is 0. */
  readonly weight: number;
  /** What every node of the pool meets (poolNodeRequirements). */
  readonly nodeRequirements: readonly NodeRequirement[];
  /** `spec.limits` in base units; undefined means unlimited. */
  readonly limits: { readonly cpu?: number; readonly memory?: number };
}

/** Reads `[{key, operator, values}]` (node selector requirements); malformed entries are the schema rules' job. */
export function readRequirements(value: unknown): NodeRequirement[] {
  return asList(value).flatMap((entry) => {
    const record = asRecord(entry);
    const key = asText(record?.key);
    const operator = asText(record?.operator) as RequirementOperator | undefined;
    if (!key || !operator) return [];
    return [{ key, operator, values: asList(record?.values).map(String) }];
  });
}

/** A pod spec to place: a Spark pod template or the pod template of an applied workload. */
export interface PodToPlace {
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
  const labels = Object.fromEntries(
    Object.entries(asRecord(asRecord(template.metadata)?.labels) ?? {}).map(([key, value]) => [key, String(value)]),
  );
  const taints = asList(templateSpec.taints).flatMap((entry) => {
    const t = asRecord(entry);
    const key = asText(t?.key);
    const effect = asText(t?.effect);
    return key && (effect === 'NoSchedule' || effect === 'NoExecute')
      ? [{ key, value: asText(t?.value), effect } as const]
      : [];
  });
  const view: PoolSchedulingView = { name, labels, taints, requirements: readRequirements(templateSpec.requirements) };
  const limits = asRecord(spec.limits) ?? {};
  return {
    ...view,
    subject,
    weight: typeof spec.weight === 'number' ? spec.weight : 0,
    nodeRequirements: poolNodeRequirements(view),
    limits: { cpu: quantityOrUndefined(limits.cpu), memory: quantityOrUndefined(limits.memory) },
  };
}

/** The pod spec of Pods and of Deployment/StatefulSet/Job/CronJob templates; undefined for other kinds. */
export function readPlacement(subject: Subject): PodToPlace | undefined {
  const paths: Record<string, Segment[]> = {
    '/Pod': ['spec'],
    'apps/Deployment': ['spec', 'template', 'spec'],
    'apps/StatefulSet': ['spec', 'template', 'spec'],
    'batch/Job': ['spec', 'template', 'spec'],
    'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  };
  // DaemonSets are absent on purpose: Karpenter never launches nodes for them, it only reserves room on each node.
  const at = paths[`${subject.group}/${subject.kind}`];
  if (!at) return undefined;
  const record = asRecord(valueAt(subject.object, at));
  if (!record) return undefined;
  const labels = (asRecord(valueAt(subject.object, [...at.slice(0, -1), 'metadata', 'labels'])) ?? {}) as Record<
    string,
    string
  >;
  const names = asList(record.containers).map((c) => asText(asRecord(c)?.name));
  const role =
    names.includes('spark-kubernetes-driver') || labels['spark-role'] === 'driver'
      ? 'driver'
      : names.includes('spark-kubernetes-executor') || labels['spark-role'] === 'executor'
        ? 'executor'
        : undefined;
  return { subject, at, spec: record, labels, role };
}

/** The pod's node requirements: one alternative per required nodeAffinity term, each with the nodeSelector added. */
function requirementTerms(pod: PodToPlace): NodeRequirement[][] {
  const selector = Object.entries(asRecord(pod.spec.nodeSelector) ?? {}).map(
    ([key, value]): NodeRequirement => ({ key, operator: 'In', values: [String(value)] }),
  );
  const required = asRecord(
    asRecord(asRecord(pod.spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  const terms = asList(required?.nodeSelectorTerms).map((term) => readRequirements(asRecord(term)?.matchExpressions));
  return terms.length === 0 ? [selector] : terms.map((term) => [...selector, ...term]);
}

/**
 * Pods pinned to capacity this project does not render (a managed node group, Fargate, "no NodePool", or EKS Auto Mode's
 * built-in pools, which AWS owns) are out of scope.
 */
export function targetsOtherCapacity(pod: PodToPlace): boolean {
  // A pod naming its Fargate profile is handed to the Fargate scheduler (fargate-pod-rules judge it).
  if (pod.labels[FARGATE_PROFILE_LABEL] !== undefined) return true;
  const marks = (r: NodeRequirement) =>
    (r.key === NODEPOOL_LABEL && r.operator === 'DoesNotExist') ||
    (r.key === NODEPOOL_LABEL &&
      r.operator === 'In' &&
      r.values !== undefined &&
      r.values.length > 0 &&
      r.values.every((v) => (AUTO_MODE_BUILT_IN_NODE_POOLS as readonly string[]).includes(v))) ||
    ((r.key === 'eks.amazonaws.com/nodegroup' || r.key === 'eks.amazonaws.com/compute-type') &&
      (r.operator === 'In' || r.operator === 'Exists'));
  return requirementTerms(pod).every((term) => term.some(marks));
}

/** The tolerations and requirement terms of a pod spec, as the one fits judgement (podMisfit) takes them. */
function schedulingNeeds(pod: PodToPlace): PodSchedulingNeeds {
  return {
    tolerations: asList(pod.spec.tolerations).map((t) => (asRecord(t) ?? {}) as WrittenToleration),
    requirementTerms: requirementTerms(pod),
  };
}

/** Why `pod` cannot run on `pool`, or undefined when it can; `extra` adds a requirement (e.g. a capacity type). */
export function misfit(pod: PodToPlace, pool: Pool, extra: readonly NodeRequirement[] = []): string | undefined {
  const found = podMisfit(schedulingNeeds(pod), pool, extra);
  return (
    found &&
    describeMisfit(found, {
      impossible: (requirement) => `requires ${requirement}, which its nodes cannot have`,
      together: 'its node requirements cannot be met together',
    })
  );
}

/** Capacity types (`on-demand`, `spot`, `reserved`) a pod could get from a pool it fits. */
export function capacityTypes(pod: PodToPlace, pool: Pool): string[] {
  const needs = schedulingNeeds(pod);
  return ['on-demand', 'spot', 'reserved'].filter(
    (type) => podMisfit(needs, pool, [{ key: CAPACITY_TYPE_LABEL, operator: 'In', values: [type] }]) === undefined,
  );
}
