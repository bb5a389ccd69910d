import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { restrictedLabelProblem } from './nodepool-label-keys.js';
import { requireThat } from '../primitives/errors.js';
import { requireGoDuration } from '../primitives/go-duration.js';
import {
  requireIntegerInRange,
  requireLabels,
  requireLabelValue,
  requireObjectName,
  requireQualifiedName,
  requireQuantity,
} from '../primitives/kubernetes-names.js';
import {
  CONSOLIDATION_POLICIES,
  requireDisruptionBudget,
  type ConsolidationPolicy,
  type DisruptionBudget,
} from './disruption.js';
import { NODE_CLASS_KINDS, type NodeClassReference } from './node-class-ref.js';
import { TAINT_EFFECTS, type PoolSchedulingView, type Taint } from '../scheduling/placement.js';
import type { NodeRequirement, RequirementOperator } from '../scheduling/requirements.js';
import { CAPACITY_TYPE_LABEL, type CapacityType } from '../scheduling/well-known-labels.js';

/** Resource ceilings of a pool: Karpenter stops launching once the pool's nodes sum up to them. */
export interface NodePoolLimits {
  /** Total vCPUs, e.g. `"1000"` or `1000`. */
  readonly cpu?: string | number;
  /** Total memory, e.g. `"4000Gi"`. */
  readonly memory?: string;
}

/** Karpenter's own NodePool default for a node's lifetime (`spec.template.spec.expireAfter`): 30 days. */
export const KARPENTER_DEFAULT_EXPIRE_AFTER = '720h';

export interface NodePoolProps {
  /** `metadata.name` of the NodePool. */
  readonly name: string;
  /** Name of the EC2NodeClass (karpenter.k8s.aws) the pool's nodes are launched with; or give nodeClassRef. */
  readonly nodeClassName?: string;
  /** The node class of any supported group (EC2NodeClass, or EKS Auto Mode's NodeClass); exactly one of this and nodeClassName. */
  readonly nodeClassRef?: NodeClassReference;
  /** Labels put on every node of the pool. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Constraints on the nodes Karpenter may launch. @default [] */
  readonly requirements?: readonly NodeRequirement[];
  /** Taints every node carries; only pods tolerating them land there. @default [] */
  readonly taints?: readonly Taint[];
  /** Taints present at start-up that a DaemonSet removes; pods need not tolerate them. @default [] */
  readonly startupTaints?: readonly Taint[];
  /** Node lifetime before Karpenter replaces it (Go duration or `Never`). @default KARPENTER_DEFAULT_EXPIRE_AFTER ('720h') */
  readonly expireAfter?: string;
  /** Upper bound for draining a node, overriding pod grace periods and do-not-disrupt. @default no bound */
  readonly terminationGracePeriod?: string;
  /** Which nodes consolidation may remove. @default 'WhenEmptyOrUnderutilized' */
  readonly consolidationPolicy?: ConsolidationPolicy;
  /** How long a node must be consolidatable before Karpenter acts (Go duration or `Never`). @default '0s' (Karpenter's default) */
  readonly consolidateAfter?: string;
  /** Limits on concurrent voluntary disruption. @default [{ nodes: '10%' }] (Karpenter's default) */
  readonly budgets?: readonly DisruptionBudget[];
  /** Resource ceilings of the pool. @default no limits */
  readonly limits?: NodePoolLimits;
  /** Priority among pools that fit a pod, 1-100, higher first. @default no weight (treated as 0) */
  readonly weight?: number;
}

const OPERATORS: readonly RequirementOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const CAPACITY_TYPES: readonly CapacityType[] = ['on-demand', 'spot', 'reserved'];
const KARPENTER_GROUP = 'karpenter.k8s.aws';

/** The pool's node class reference from exactly one of nodeClassName (an EC2NodeClass) and nodeClassRef. */
function nodeClassReferenceOf(props: NodePoolProps): NodeClassReference {
  requireThat(
    (props.nodeClassName === undefined) !== (props.nodeClassRef === undefined),
    'nodeClassName',
    'give exactly one of nodeClassName (an EC2NodeClass) and nodeClassRef',
  );
  const ref = props.nodeClassRef ?? {
    group: KARPENTER_GROUP,
    kind: NODE_CLASS_KINDS[KARPENTER_GROUP]!,
    name: props.nodeClassName!,
  };
  const kind = NODE_CLASS_KINDS[ref.group];
  requireThat(
    kind !== undefined,
    'nodeClassRef.group',
    `"${ref.group}" must be one of ${Object.keys(NODE_CLASS_KINDS).join(', ')}`,
  );
  requireThat(ref.kind === kind, 'nodeClassRef.kind', `"${ref.kind}" must be ${kind} for group ${ref.group}`);
  requireObjectName(ref.name, props.nodeClassRef ? 'nodeClassRef.name' : 'nodeClassName');
  return { group: ref.group, kind: ref.kind, name: ref.name };
}
/** Rejects label keys Karpenter reserves for itself (the NodePool CRD's CEL rules, checked before apply). */
function requireUnreservedLabelKey(key: string, field: string): void {
  requireQualifiedName(key, field);
  const problem = restrictedLabelProblem(key);
  requireThat(
    problem === undefined,
    field,
    `${problem}; only ${CAPACITY_TYPE_LABEL} and the well-known labels of those domains may be used`,
  );
}

function requireRequirement(requirement: NodeRequirement, field: string): void {
  const { key, operator, values = [], minValues } = requirement;
  requireUnreservedLabelKey(key, `${field}.key`);
  requireThat(
    OPERATORS.includes(operator),
    `${field}.operator`,
    `"${operator}" must be one of ${OPERATORS.join(', ')}`,
  );
  values.forEach((value, i) => {
    requireLabelValue(value, `${field}.values[${i}]`);
  });
  if (operator === 'In' || operator === 'NotIn') {
    requireThat(values.length > 0, `${field}.values`, `must not be empty for operator ${operator}`);
  } else if (operator === 'Gt' || operator === 'Lt') {
    requireThat(
      values.length === 1 && /^[0-9]+$/.test(values[0]!),
      `${field}.values`,
      `must be exactly one non-negative integer for ${operator}`,
    );
  } else {
    requireThat(values.length === 0, `${field}.values`, `must be empty for operator ${operator}`);
  }
  if (key === CAPACITY_TYPE_LABEL) {
    values.forEach((value, i) => {
      requireThat(
        CAPACITY_TYPES.includes(value as CapacityType),
        `${field}.values[${i}]`,
        `"${value}" must be one of ${CAPACITY_TYPES.join(', ')}`,
      );
    });
  }
  if (minValues !== undefined) {
    requireThat(operator === 'In', `${field}.minValues`, 'is only meaningful with operator In');
    requireIntegerInRange(minValues, 1, 50, `${field}.minValues`);
    requireThat(
      values.length >= minValues,
      `${field}.minValues`,
      `${minValues} exceeds the ${values.length} values given`,
    );
  }
}

function requireTaints(taints: readonly Taint[], field: string): void {
  taints.forEach((taint, i) => {
    requireQualifiedName(taint.key, `${field}[${i}].key`);
    if (taint.value !== undefined) requireLabelValue(taint.value, `${field}[${i}].value`);
    requireThat(
      TAINT_EFFECTS.includes(taint.effect),
      `${field}[${i}].effect`,
      `"${taint.effect}" must be one of ${TAINT_EFFECTS.join(', ')}`,
    );
  });
}

/**
 * A Karpenter v1 NodePool (`karpenter.sh/v1`), validated against the CRD's patterns and CEL rules.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Ec2NodeClass, NodePool } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'karpenter');
 * const nodeClass = new Ec2NodeClass(chart, 'default', {
 *   name: 'default', clusterName: 'spark-platform', amiAlias: 'al2023@v20250115', role: 'KarpenterNodeRole-spark-platform',
 * });
 * new NodePool(chart, 'batch', {
 *   name: 'batch',
 *   nodeClassName: nodeClass.name,
 *   requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }],
 *   taints: [{ key: 'example.com/batch', value: 'true', effect: 'NoSchedule' }],
 *   limits: { cpu: 200, memory: '800Gi' },
 * });
 * ```
 */
export class NodePool extends Construct implements PoolSchedulingView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly requirements: readonly NodeRequirement[];
  /** Capacity types this pool may launch (on-demand only when it has no capacity-type requirement). */
  readonly capacityTypes: readonly CapacityType[];
  readonly consolidateAfter: string;
  /** Node lifetime (Go duration or `Never`); expiry is forceful and not governed by disruption budgets. */
  readonly expireAfter: string;
  /** How long a drain may wait for do-not-disrupt pods and PDBs before it forces them out; undefined waits for them. */
  readonly terminationGracePeriod: string | undefined;
  readonly limits: NodePoolLimits | undefined;
  readonly weight: number | undefined;
  /** The node class the pool's nodes are launched with. */
  readonly nodeClassRef: NodeClassReference;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    requireObjectName(props.name, 'name');
    this.nodeClassRef = nodeClassReferenceOf(props);
    this.name = props.name;
    this.labels = props.labels ?? {};
    this.taints = props.taints ?? [];
    this.requirements = props.requirements ?? [];
    const startupTaints = props.startupTaints ?? [];
    const expireAfter = props.expireAfter ?? KARPENTER_DEFAULT_EXPIRE_AFTER;
    this.expireAfter = expireAfter;
    this.terminationGracePeriod = props.terminationGracePeriod;
    this.limits = props.limits;
    this.weight = props.weight;
    this.consolidateAfter = props.consolidateAfter ?? '0s';
    const consolidationPolicy = props.consolidationPolicy ?? 'WhenEmptyOrUnderutilized';
    const budgets = props.budgets ?? [{ nodes: '10%' }];

    requireLabels(this.labels, 'labels');
    Object.keys(this.labels).forEach((key) => {
      requireUnreservedLabelKey(key, `labels["${key}"]`);
    });
    this.requirements.forEach((requirement, i) => {
      requireRequirement(requirement, `requirements[${i}]`);
    });
    requireTaints(this.taints, 'taints');
    requireTaints(startupTaints, 'startupTaints');
    requireGoDuration(expireAfter, 'expireAfter', { allowNever: true });
    if (props.terminationGracePeriod !== undefined)
      requireGoDuration(props.terminationGracePeriod, 'terminationGracePeriod');
    requireThat(
      CONSOLIDATION_POLICIES.includes(consolidationPolicy),
      'consolidationPolicy',
      `"${consolidationPolicy}" must be one of ${CONSOLIDATION_POLICIES.join(', ')}`,
    );
    requireGoDuration(this.consolidateAfter, 'consolidateAfter', { allowNever: true });
    requireThat(budgets.length <= 50, 'budgets', 'at most 50 budgets are allowed');
    budgets.forEach((budget, i) => {
      requireDisruptionBudget(budget, `budgets[${i}]`);
    });
    if (props.limits?.cpu !== undefined) requireQuantity(props.limits.cpu, 'limits.cpu');
    if (props.limits?.memory !== undefined) requireQuantity(props.limits.memory, 'limits.memory');
    if (props.weight !== undefined) requireIntegerInRange(props.weight, 1, 100, 'weight');

    const capacityRequirement = this.requirements.find((r) => r.key === CAPACITY_TYPE_LABEL && r.operator === 'In');
    this.capacityTypes = (capacityRequirement?.values as CapacityType[] | undefined) ?? ['on-demand'];

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: this.name },
      spec: {
        template: {
          metadata: Object.keys(this.labels).length > 0 ? { labels: { ...this.labels } } : undefined,
          spec: {
            nodeClassRef: { ...this.nodeClassRef },
            requirements: this.requirements.map((r) => ({ ...r, values: r.values ? [...r.values] : undefined })),
            taints: this.taints.length > 0 ? this.taints.map((t) => ({ ...t })) : undefined,
            startupTaints: startupTaints.length > 0 ? startupTaints.map((t) => ({ ...t })) : undefined,
            expireAfter,
            terminationGracePeriod: props.terminationGracePeriod,
          },
        },
        disruption: {
          consolidationPolicy,
          consolidateAfter: this.consolidateAfter,
          budgets: budgets.map((b) => ({ ...b, reasons: b.reasons ? [...b.reasons] : undefined })),
        },
        limits: props.limits ? { ...props.limits } : undefined,
        weight: props.weight,
      },
    });
  }
}
