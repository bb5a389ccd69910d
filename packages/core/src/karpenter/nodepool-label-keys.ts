// The NodePool CRD's CEL rules on label keys (x-kubernetes-validations in the v1 CRDs, aws/karpenter-provider-aws
// v1.14): the NodePool builder refuses what they refuse, and validation reports them on any NodePool it reads.
import { AWS_WELL_KNOWN_LABELS } from '../scheduling/well-known-labels.js';

/** What CEL's `key.find("^([^/]+)")` yields: the text before the first `/`, the whole key when it has none. */
export const celDomain = (key: string): string => /^([^/]+)/.exec(key)?.[0] ?? '';

/** One `x-kubernetes-validations` rule of the NodePool CRD on a label key: its message, its CEL text and what it allows. */
export interface LabelKeyRule {
  readonly message: string;
  /** The CRD's expression on `spec.template.spec.requirements[].key` (`self` is the key). */
  readonly rule: string;
  readonly allows: (key: string) => boolean;
}

const celList = (keys: Iterable<string>) => `[${[...keys].map((key) => JSON.stringify(key)).join(', ')}]`;
const KARPENTER_SH_ALLOWED = ['karpenter.sh/capacity-type', 'karpenter.sh/nodepool'];

/**
 * The NodePool CRD's CEL rules on label keys, in the CRD's order with its messages (aws/karpenter-provider-aws v1.14.1
 * `karpenter.sh_nodepools.yaml`, the bundled `schemas/crds/karpenter.sh/nodepool_v1.json`). On
 * `spec.template.spec.requirements[].key` they read:
 *
 *   self in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !self.find("^([^/]+)").endsWith("karpenter.sh")
 *   self != "karpenter.sh/nodepool"
 *   self != "kubernetes.io/hostname"
 *   self in ["karpenter.k8s.aws/instance-tenancy", ... AWS_WELL_KNOWN_LABELS ...] || !self.find("^([^/]+)").endsWith("karpenter.k8s.aws")
 *
 * and on `spec.template.metadata.labels` the same, each as `self.all(x, <rule on x>)`. `endsWith` is a plain suffix
 * test of the domain (the key up to the first `/`, or the whole key without one): `team.karpenter.sh/x` is refused,
 * and so is `notkarpenter.sh/x`. The CRD has no rule on the `kubernetes.io` domain other than the hostname label:
 * `topology.kubernetes.io/zone`, `node.kubernetes.io/instance-type` or `foo.kubernetes.io/x` pass it. (Karpenter up to
 * v1.8 had a `kubernetes.io` domain rule with an allow-list of well-known labels and the `node.kubernetes.io` and
 * `node-restriction.kubernetes.io` suffixes; v1.9 dropped it from the CRD and from its run-time NodePool validation.)
 */
export const NODEPOOL_LABEL_KEY_RULES: readonly LabelKeyRule[] = [
  {
    message: 'label domain "karpenter.sh" is restricted',
    rule: `self in ${celList(KARPENTER_SH_ALLOWED)} || !self.find("^([^/]+)").endsWith("karpenter.sh")`,
    allows: (key) => KARPENTER_SH_ALLOWED.includes(key) || !celDomain(key).endsWith('karpenter.sh'),
  },
  {
    message: 'label "karpenter.sh/nodepool" is restricted',
    rule: 'self != "karpenter.sh/nodepool"',
    allows: (key) => key !== 'karpenter.sh/nodepool',
  },
  {
    message: 'label "kubernetes.io/hostname" is restricted',
    rule: 'self != "kubernetes.io/hostname"',
    allows: (key) => key !== 'kubernetes.io/hostname',
  },
  {
    message: 'label domain "karpenter.k8s.aws" is restricted',
    rule: `self in ${celList(AWS_WELL_KNOWN_LABELS)} || !self.find("^([^/]+)").endsWith("karpenter.k8s.aws")`,
    allows: (key) => AWS_WELL_KNOWN_LABELS.has(key) || !celDomain(key).endsWith('karpenter.k8s.aws'),
  },
];

/**
 * Why the API server refuses `key` in a NodePool's template labels or requirements (the message of the first
 * NODEPOOL_LABEL_KEY_RULES rule it breaks; no key breaks two), or undefined.
 */
export function restrictedLabelProblem(key: string): string | undefined {
  return NODEPOOL_LABEL_KEY_RULES.find((rule) => !rule.allows(key))?.message;
}
