// Karpenter's CEL rules (x-kubernetes-validations in the v1 CRDs, aws/karpenter-provider-aws v1.14) that JSON Schema
// validators do not evaluate: the API server would reject these objects at apply time.
import type { Finding } from '../finding.js';
import { asList, asRecord, asText, type Subject } from '../subject.js';

/** `karpenter.k8s.aws/*` keys a NodePool may use (the provider's well-known labels); the rest of that domain is Karpenter's. */
export const AWS_WELL_KNOWN_LABELS: ReadonlySet<string> = new Set([
  'instance-tenancy', 'capacity-reservation-type', 'capacity-reservation-id', 'capacity-reservation-interruptible',
  'ec2nodeclass', 'instance-encryption-in-transit-supported', 'instance-category', 'instance-hypervisor',
  'instance-family', 'instance-generation', 'instance-local-nvme', 'instance-size', 'instance-cpu',
  'instance-cpu-manufacturer', 'instance-cpu-sustained-clock-speed-mhz', 'instance-memory', 'instance-ebs-bandwidth',
  'instance-network-bandwidth', 'instance-gpu-name', 'instance-gpu-manufacturer', 'instance-gpu-count',
  'instance-gpu-memory', 'instance-accelerator-name', 'instance-accelerator-manufacturer',
  'instance-accelerator-count', 'instance-capability-flex', 'placement-group-id', 'placement-group-partition',
].map((name) => `karpenter.k8s.aws/${name}`));

/** Why Karpenter refuses `key` in a NodePool's template labels or requirements, or undefined. */
export function restrictedLabelProblem(key: string): string | undefined {
  if (key === 'karpenter.sh/nodepool') return 'label "karpenter.sh/nodepool" is restricted: Karpenter sets it';
  if (key === 'kubernetes.io/hostname') return 'label "kubernetes.io/hostname" is restricted: the kubelet sets it';
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if (domain.endsWith('karpenter.sh') && key !== 'karpenter.sh/capacity-type') return 'label domain "karpenter.sh" is restricted';
  if (domain.endsWith('karpenter.k8s.aws') && !AWS_WELL_KNOWN_LABELS.has(key)) return 'label domain "karpenter.k8s.aws" is restricted';
  return undefined;
}

const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
const ALIAS_FAMILIES = ['al2', 'al2023', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'];

function nodePoolRules(subject: Subject): Finding[] {
  const findings: Finding[] = [];
  const template = asRecord(asRecord(subject.object.spec)?.template);
  const labelHint = 'use your own domain (e.g. emr-eks-gitops.io/...) or karpenter.sh/capacity-type';
  for (const key of Object.keys(asRecord(asRecord(template?.metadata)?.labels) ?? {})) {
    const problem = restrictedLabelProblem(key);
    if (problem) findings.push(subject.finding('karpenter-label-domain', 'error', ['spec', 'template', 'metadata', 'labels', key], problem, labelHint));
  }
  asList(asRecord(template?.spec)?.requirements).forEach((requirement, index) => {
    const key = asText(asRecord(requirement)?.key);
    const problem = key === undefined ? undefined : restrictedLabelProblem(key);
    if (problem) findings.push(subject.finding('karpenter-label-domain', 'error', ['spec', 'template', 'spec', 'requirements', index, 'key'], problem, labelHint));
  });
  asList(asRecord(asRecord(subject.object.spec)?.disruption)?.budgets).forEach((budget, index) => {
    const nodes = asRecord(budget)?.nodes;
    if (nodes !== undefined && !(typeof nodes === 'string' && BUDGET_NODES.test(nodes))) {
      findings.push(subject.finding('budget-format', 'error', ['spec', 'disruption', 'budgets', index, 'nodes'],
        `budget nodes ${JSON.stringify(nodes)} is neither a node count nor a percentage from 0% to 100%`,
        'write a quoted count such as "2" or a percentage such as "10%"'));
    }
  });
  return findings;
}

function ec2NodeClassRules(subject: Subject): Finding[] {
  const findings: Finding[] = [];
  const spec = asRecord(subject.object.spec) ?? {};
  const terms = asList(spec.amiSelectorTerms);
  const hint = 'select the AMI by one alias term alone (e.g. al2023@v20250101), or by id/name/tags/ssmParameter terms without an alias';
  terms.forEach((term, index) => {
    const record = asRecord(term) ?? {};
    const alias = asText(record.alias);
    if (alias === undefined) return;
    const at = ['spec', 'amiSelectorTerms', index, 'alias'];
    if (Object.keys(record).length > 1) {
      findings.push(subject.finding('ami-alias', 'error', at, `alias "${alias}" is combined with other fields (${Object.keys(record).filter((k) => k !== 'alias').join(', ')}) in the same term`, hint));
    }
    if (terms.length > 1) findings.push(subject.finding('ami-alias', 'error', at, `alias "${alias}" is combined with ${terms.length - 1} other amiSelectorTerms`, hint));
    const [family, version] = [alias.slice(0, alias.indexOf('@')), alias.slice(alias.indexOf('@') + 1)];
    if (!/^[a-zA-Z0-9]+@.+$/.test(alias) || !ALIAS_FAMILIES.includes(family)) {
      findings.push(subject.finding('ami-alias', 'error', at, `alias "${alias}" is not family@version with a supported family`, `use one of ${ALIAS_FAMILIES.join(', ')} followed by @ and a version`));
    } else if (family.startsWith('windows') && version !== 'latest') {
      findings.push(subject.finding('ami-alias', 'error', at, `windows family alias "${alias}" cannot pin a version`, `use ${family}@latest`));
    }
  });
  if (terms.length > 0 && !terms.some((term) => asRecord(term)?.alias !== undefined) && spec.amiFamily === undefined) {
    findings.push(subject.finding('ami-alias', 'error', ['spec', 'amiFamily'], 'amiFamily is required when amiSelectorTerms has no alias', 'set amiFamily (e.g. AL2023) or select the AMI by alias'));
  }
  if ((spec.role === undefined) === (spec.instanceProfile === undefined)) {
    findings.push(subject.finding('schema', 'error', ['spec', 'role'], 'exactly one of role and instanceProfile must be set', 'set role (Karpenter creates the instance profile) or instanceProfile, not both'));
  }
  return findings;
}

export function karpenterRules(subject: Subject): Finding[] {
  if (subject.is('karpenter.sh', 'NodePool')) return nodePoolRules(subject);
  if (subject.is('karpenter.k8s.aws', 'EC2NodeClass')) return ec2NodeClassRules(subject);
  return [];
}
