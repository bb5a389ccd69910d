// Karpenter's CEL rules (x-kubernetes-validations in the v1 CRDs, aws/karpenter-provider-aws v1.14) that JSON Schema
// validators do not evaluate: the API server would reject these objects at apply time.
import { celDomain, restrictedLabelProblem } from '../../karpenter/nodepool-label-keys.js';
import { EKS_AUTO_MODE_WELL_KNOWN_LABELS } from '../../scheduling/well-known-labels.js';
import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asList, asRecord, asText, type Subject } from '../subject.js';

const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
const ALIAS_FAMILIES = ['al2', 'al2023', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'];

function nodePoolRules(subject: Subject): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  const template = asRecord(asRecord(subject.object.spec)?.template);
  const labelHint = 'use your own domain (e.g. emr-eks-gitops.io/...) or karpenter.sh/capacity-type';
  for (const key of Object.keys(asRecord(asRecord(template?.metadata)?.labels) ?? {})) {
    const problem = restrictedLabelProblem(key);
    if (problem)
      findings.push(
        subject.finding(
          'karpenter-label-domain',
          'error',
          ['spec', 'template', 'metadata', 'labels', key],
          problem,
          labelHint,
        ),
      );
  }
  asList(asRecord(template?.spec)?.requirements).forEach((requirement, index) => {
    const key = asText(asRecord(requirement)?.key);
    const problem = key === undefined ? undefined : restrictedLabelProblem(key);
    if (problem)
      findings.push(
        subject.finding(
          'karpenter-label-domain',
          'error',
          ['spec', 'template', 'spec', 'requirements', index, 'key'],
          problem,
          labelHint,
        ),
      );
  });
  findings.push(...nodeClassLabelFindings(subject, template));
  asList(asRecord(asRecord(subject.object.spec)?.disruption)?.budgets).forEach((budget, index) => {
    const nodes = asRecord(budget)?.nodes;
    if (nodes !== undefined && !(typeof nodes === 'string' && BUDGET_NODES.test(nodes))) {
      findings.push(
        subject.finding(
          'budget-format',
          'error',
          ['spec', 'disruption', 'budgets', index, 'nodes'],
          `budget nodes ${JSON.stringify(nodes)} is neither a node count nor a percentage from 0% to 100%`,
          'write a quoted count such as "2" or a percentage such as "10%"',
        ),
      );
    }
  });
  return findings;
}

/**
 * Instance labels exist only under the vocabulary of the pool's node class: EKS Auto Mode's nodes carry
 * `eks.amazonaws.com/instance-*` and no `karpenter.k8s.aws/*` labels, self-managed Karpenter's the reverse. A requirement
 * on the other back end's labels (or on an `eks.amazonaws.com` key Auto Mode does not set) matches no node: the pool
 * never launches one.
 */
// The EKS user guide's "EKS Auto Mode Not Supported Labels".
const AUTO_MODE_UNSUPPORTED_LABELS = ['kubernetes.io/os', 'node.kubernetes.io/windows-build'];

function nodeClassLabelFindings(subject: Subject, template: Record<string, unknown> | undefined): ObjectDiagnostic[] {
  const group = asText(asRecord(asRecord(template?.spec)?.nodeClassRef)?.group);
  const autoMode = group === 'eks.amazonaws.com';
  const findings: ObjectDiagnostic[] = [];
  asList(asRecord(template?.spec)?.requirements).forEach((requirement, index) => {
    const key = asText(asRecord(requirement)?.key);
    if (key === undefined) return;
    const domain = celDomain(key);
    const at = ['spec', 'template', 'spec', 'requirements', index, 'key'];
    if (autoMode && AUTO_MODE_UNSUPPORTED_LABELS.includes(key)) {
      findings.push(
        subject.finding(
          'node-class-labels',
          'error',
          at,
          `EKS Auto Mode does not support ${key} in NodePools (its nodes are Linux only)`,
          'remove the requirement',
        ),
      );
    } else if (autoMode && domain.endsWith('karpenter.k8s.aws')) {
      findings.push(
        subject.finding(
          'node-class-labels',
          'error',
          at,
          `${key} is a label of self-managed Karpenter's nodes; EKS Auto Mode's nodes (nodeClassRef group eks.amazonaws.com) never carry it, so the pool launches nothing`,
          `use Auto Mode's label ${key.replace(/^[^/]+\//, 'eks.amazonaws.com/')} (EKS_AUTO_MODE_INSTANCE_LABELS)`,
        ),
      );
    } else if (autoMode && domain === 'eks.amazonaws.com' && !EKS_AUTO_MODE_WELL_KNOWN_LABELS.has(key)) {
      findings.push(
        subject.finding(
          'node-class-labels',
          'error',
          at,
          `${key} is not a label EKS Auto Mode puts on its nodes, so the pool launches nothing`,
          `use one of ${[...EKS_AUTO_MODE_WELL_KNOWN_LABELS].join(', ')}`,
        ),
      );
    } else if (!autoMode && domain === 'eks.amazonaws.com' && EKS_AUTO_MODE_WELL_KNOWN_LABELS.has(key)) {
      findings.push(
        subject.finding(
          'node-class-labels',
          'error',
          at,
          `${key} is a label of EKS Auto Mode's nodes; nodes of an EC2NodeClass never carry it, so the pool launches nothing`,
          `use Karpenter's label ${key.replace(/^[^/]+\//, 'karpenter.k8s.aws/')} (KARPENTER_AWS_INSTANCE_LABELS)`,
        ),
      );
    }
  });
  return findings;
}

function ec2NodeClassRules(subject: Subject): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  const spec = asRecord(subject.object.spec) ?? {};
  const terms = asList(spec.amiSelectorTerms);
  const hint =
    'select the AMI by one alias term alone (e.g. al2023@v20250101), or by id/name/tags/ssmParameter terms without an alias';
  terms.forEach((term, index) => {
    const record = asRecord(term) ?? {};
    const alias = asText(record.alias);
    if (alias === undefined) return;
    const at = ['spec', 'amiSelectorTerms', index, 'alias'];
    if (Object.keys(record).length > 1) {
      findings.push(
        subject.finding(
          'ami-alias',
          'error',
          at,
          `alias "${alias}" is combined with other fields (${Object.keys(record)
            .filter((k) => k !== 'alias')
            .join(', ')}) in the same term`,
          hint,
        ),
      );
    }
    if (terms.length > 1)
      findings.push(
        subject.finding(
          'ami-alias',
          'error',
          at,
          `alias "${alias}" is combined with ${terms.length - 1} other amiSelectorTerms`,
          hint,
        ),
      );
    const [family, version] = [alias.slice(0, alias.indexOf('@')), alias.slice(alias.indexOf('@') + 1)];
    if (!/^[a-zA-Z0-9]+@.+$/.test(alias) || !ALIAS_FAMILIES.includes(family)) {
      findings.push(
        subject.finding(
          'ami-alias',
          'error',
          at,
          `alias "${alias}" is not family@version with a supported family`,
          `use one of ${ALIAS_FAMILIES.join(', ')} followed by @ and a version`,
        ),
      );
    } else if (family.startsWith('windows') && version !== 'latest') {
      findings.push(
        subject.finding(
          'ami-alias',
          'error',
          at,
          `windows family alias "${alias}" cannot pin a version`,
          `use ${family}@latest`,
        ),
      );
    }
  });
  if (terms.length > 0 && !terms.some((term) => asRecord(term)?.alias !== undefined) && spec.amiFamily === undefined) {
    findings.push(
      subject.finding(
        'ami-alias',
        'error',
        ['spec', 'amiFamily'],
        'amiFamily is required when amiSelectorTerms has no alias',
        'set amiFamily (e.g. AL2023) or select the AMI by alias',
      ),
    );
  }
  if ((spec.role === undefined) === (spec.instanceProfile === undefined)) {
    findings.push(
      subject.finding(
        'schema',
        'error',
        ['spec', 'role'],
        'exactly one of role and instanceProfile must be set',
        'set role (Karpenter creates the instance profile) or instanceProfile, not both',
      ),
    );
  }
  return findings;
}

export function karpenterRules(subject: Subject): ObjectDiagnostic[] {
  if (subject.is('karpenter.sh', 'NodePool')) return nodePoolRules(subject);
  if (subject.is('karpenter.k8s.aws', 'EC2NodeClass')) return ec2NodeClassRules(subject);
  return [];
}
