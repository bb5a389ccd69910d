import { describe, expect, it } from 'vitest';
import { applied, ec2NodeClass, nodePool, ofRule, run } from './fixtures.js';

const pool = (options: Parameters<typeof nodePool>[1]) => applied('platform/nodepool-p.yaml', nodePool('p', options));
const nodeClass = (spec: Record<string, unknown>) => applied('platform/ec2nodeclass-spark.yaml', ec2NodeClass(spec));

describe('karpenter-label-domain', () => {
  it('refuses Karpenter-owned labels in template labels and requirements', () => {
    const findings = ofRule(run([pool({
      labels: { 'karpenter.sh/team': 'ml', 'karpenter.k8s.aws/custom': 'x' },
      requirements: [{ key: 'kubernetes.io/hostname', operator: 'Exists' }, { key: 'karpenter.sh/nodepool', operator: 'In', values: ['p'] }],
    })]), 'karpenter-label-domain');
    expect(findings.map((f) => f.fieldPath).sort()).toEqual([
      'spec.template.metadata.labels["karpenter.k8s.aws/custom"]',
      'spec.template.metadata.labels["karpenter.sh/team"]',
      'spec.template.spec.requirements[2].key',
      'spec.template.spec.requirements[3].key',
    ]);
  });

  it('accepts capacity-type, well-known AWS labels and other domains', () => {
    expect(ofRule(run([pool({
      labels: { 'karpenter.sh/capacity-type': 'spot', 'emr-eks-gitops.io/pool': 'p' },
      capacityTypes: ['spot'],
      requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['r6i'] }, { key: 'topology.kubernetes.io/zone', operator: 'Exists' }],
    })]), 'karpenter-label-domain')).toEqual([]);
  });
});

describe('budget-format', () => {
  it('refuses percentages over 100% and words, once per field', () => {
    const findings = run([pool({ budgets: [{ nodes: '150%' }, { nodes: 'all' }] })]);
    expect(findings.map((f) => `${f.rule} ${f.fieldPath}`)).toEqual([
      'budget-format spec.disruption.budgets[0].nodes',
      'budget-format spec.disruption.budgets[1].nodes',
    ]);
  });

  it('accepts counts and percentages', () => {
    expect(run([pool({ budgets: [{ nodes: '10%' }, { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }, { nodes: '3' }] })])).toEqual([]);
  });
});

describe('ami-alias', () => {
  it('refuses an alias combined with other terms or fields', () => {
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'al2023@v20250101' }, { id: 'ami-0123' }] })]), 'ami-alias')).toHaveLength(1);
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'al2023@v20250101', tags: { team: 'ml' } }] })]), 'ami-alias')[0]!.message)
      .toContain('combined with other fields (tags)');
  });

  it('refuses an unknown family and a pinned windows alias', () => {
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'ubuntu@v1' }] })]), 'ami-alias')).toHaveLength(1);
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'windows2022@v1' }] })]), 'ami-alias')).toHaveLength(1);
  });

  it('requires amiFamily without an alias, and accepts a lone alias or id terms with a family', () => {
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ id: 'ami-0123' }] })]), 'ami-alias').map((f) => f.fieldPath)).toEqual(['spec.amiFamily']);
    expect(run([nodeClass({ amiSelectorTerms: [{ id: 'ami-0123' }, { id: 'ami-0456' }], amiFamily: 'AL2023' })])).toEqual([]);
    expect(run([nodeClass({})])).toEqual([]);
  });

  it('requires exactly one of role and instanceProfile', () => {
    expect(ofRule(run([nodeClass({ instanceProfile: 'KarpenterNodeInstanceProfile' })]), 'schema').map((f) => f.message))
      .toEqual(['exactly one of role and instanceProfile must be set']);
  });
});
