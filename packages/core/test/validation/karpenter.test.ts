import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODEPOOL_LABEL_KEY_RULES, restrictedLabelProblem } from '../../src/karpenter/nodepool-label-keys.js';
import { applied, ec2NodeClass, nodePool, ofRule, run } from './fixtures.js';

const pool = (options: Parameters<typeof nodePool>[1]) => applied('platform/nodepool-p.yaml', nodePool('p', options));
const nodeClass = (spec: Record<string, unknown>) => applied('platform/ec2nodeclass-spark.yaml', ec2NodeClass(spec));

describe('karpenter-label-domain', () => {
  it('refuses Karpenter-owned labels in template labels and requirements', () => {
    const findings = ofRule(
      run([
        pool({
          labels: { 'karpenter.sh/team': 'ml', 'karpenter.k8s.aws/custom': 'x' },
          requirements: [
            { key: 'kubernetes.io/hostname', operator: 'Exists' },
            { key: 'karpenter.sh/nodepool', operator: 'In', values: ['p'] },
          ],
        }),
      ]),
      'karpenter-label-domain',
    );
    expect(findings.map((f) => f.location.fieldPath).sort()).toEqual([
      'spec.template.metadata.labels["karpenter.k8s.aws/custom"]',
      'spec.template.metadata.labels["karpenter.sh/team"]',
      'spec.template.spec.requirements[2].key',
      'spec.template.spec.requirements[3].key',
    ]);
  });

  it('accepts capacity-type, well-known AWS labels and other domains', () => {
    expect(
      ofRule(
        run([
          pool({
            labels: { 'karpenter.sh/capacity-type': 'spot', 'emr-eks-gitops.io/pool': 'p' },
            capacityTypes: ['spot'],
            requirements: [
              { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['r6i'] },
              { key: 'topology.kubernetes.io/zone', operator: 'Exists' },
            ],
          }),
        ]),
        'karpenter-label-domain',
      ),
    ).toEqual([]);
  });
});

describe("karpenter-label-domain follows the NodePool CRD's CEL rules exactly", () => {
  const crd = JSON.parse(
    readFileSync(new URL('../../schemas/crds/karpenter.sh/nodepool_v1.json', import.meta.url), 'utf8'),
  );
  const template = crd.properties.spec.properties.template.properties;
  type Rule = { message: string; rule: string };

  it("has the CRD's rules on requirement keys, word for word, in its order", () => {
    const crdRules: Rule[] = template.spec.properties.requirements.items.properties.key['x-kubernetes-validations'];
    expect(NODEPOOL_LABEL_KEY_RULES.map(({ message, rule }) => ({ message, rule }))).toEqual(crdRules);
  });

  it('has the same rules on template labels, where the CRD writes them as self.all(x, ...)', () => {
    const crdRules: Rule[] = template.metadata.properties.labels['x-kubernetes-validations'];
    // The CRD's labels list names capacity-reservation-interruptible twice: compare the lists as sets.
    const normal = (rule: string) =>
      rule.replace(/\[[^\]]*\]/, (list) => JSON.stringify([...new Set(JSON.parse(list) as string[])].sort()));
    expect(crdRules.map((r) => ({ message: r.message, rule: normal(r.rule) }))).toEqual(
      NODEPOOL_LABEL_KEY_RULES.map((r) => ({
        message: r.message,
        rule: normal(`self.all(x, ${r.rule.replaceAll('self', 'x')})`),
      })),
    );
  });

  // key -> the CRD's message, or undefined when every rule passes.
  const cases: [string, string | undefined][] = [
    ['karpenter.sh/capacity-type', undefined],
    ['karpenter.sh/nodepool', 'label "karpenter.sh/nodepool" is restricted'],
    ['karpenter.sh/team', 'label domain "karpenter.sh" is restricted'],
    ['team.karpenter.sh/x', 'label domain "karpenter.sh" is restricted'], // a subdomain
    ['notkarpenter.sh/x', 'label domain "karpenter.sh" is restricted'], // endsWith is a plain suffix test
    ['karpenter.sh', 'label domain "karpenter.sh" is restricted'], // no "/": find() yields the whole key
    ['karpenter.sh.example.com/x', undefined],
    ['example.com/karpenter.sh', undefined], // only the part before "/" is the domain
    ['kubernetes.io/hostname', 'label "kubernetes.io/hostname" is restricted'],
    ['kubernetes.io/arch', undefined],
    ['topology.kubernetes.io/zone', undefined],
    ['node.kubernetes.io/instance-type', undefined],
    ['node-restriction.kubernetes.io/x', undefined],
    ['foo.kubernetes.io/x', undefined], // the v1.14 CRD has no kubernetes.io domain rule (Karpenter dropped it in v1.9)
    ['karpenter.k8s.aws/instance-family', undefined],
    ['karpenter.k8s.aws/capacity-reservation-interruptible', undefined],
    ['karpenter.k8s.aws/custom', 'label domain "karpenter.k8s.aws" is restricted'],
    ['team.karpenter.k8s.aws/instance-family', 'label domain "karpenter.k8s.aws" is restricted'],
    ['example.com/x', undefined],
    ['team', undefined],
  ];

  it.each(cases)('%s: %s', (key, message) => {
    expect(restrictedLabelProblem(key)).toBe(message);
  });

  it("reports each refused key at its place in template labels and requirements, with the CRD's message", () => {
    const findings = ofRule(
      run([
        pool({
          labels: Object.fromEntries(cases.map(([key]) => [key, 'x'])),
          requirements: cases.map(([key]) => ({ key, operator: 'Exists' })),
        }),
      ]),
      'karpenter-label-domain',
    );
    const refused = cases.filter(([, message]) => message !== undefined);
    expect(
      findings
        .filter((f) => f.location.fieldPath.includes('.labels['))
        .map((f) => [f.location.fieldPath, f.message])
        .sort(),
    ).toEqual(
      refused.map(([key, message]) => [`spec.template.metadata.labels[${JSON.stringify(key)}]`, message]).sort(),
    );
    // The fixture puts two requirements (capacity type, arch) before these.
    expect(
      findings
        .filter((f) => f.location.fieldPath.includes('.requirements['))
        .map((f) => [f.location.fieldPath, f.message])
        .sort(),
    ).toEqual(
      cases
        .flatMap(([, message], index) =>
          message ? [[`spec.template.spec.requirements[${index + 2}].key`, message]] : [],
        )
        .sort(),
    );
  });
});

describe('budget-format', () => {
  it('refuses percentages over 100% and words, once per field', () => {
    const findings = run([pool({ budgets: [{ nodes: '150%' }, { nodes: 'all' }] })]);
    expect(findings.map((f) => `${f.rule} ${f.location.fieldPath}`)).toEqual([
      'budget-format spec.disruption.budgets[0].nodes',
      'budget-format spec.disruption.budgets[1].nodes',
    ]);
  });

  it('accepts counts and percentages', () => {
    expect(
      run([
        pool({
          budgets: [{ nodes: '10%' }, { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }, { nodes: '3' }],
        }),
      ]),
    ).toEqual([]);
  });
});

describe('ami-alias', () => {
  it('refuses an alias combined with other terms or fields', () => {
    expect(
      ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'al2023@v20250101' }, { id: 'ami-0123' }] })]), 'ami-alias'),
    ).toHaveLength(1);
    expect(
      ofRule(
        run([nodeClass({ amiSelectorTerms: [{ alias: 'al2023@v20250101', tags: { team: 'ml' } }] })]),
        'ami-alias',
      )[0]!.message,
    ).toContain('combined with other fields (tags)');
  });

  it('refuses an unknown family and a pinned windows alias', () => {
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'ubuntu@v1' }] })]), 'ami-alias')).toHaveLength(1);
    expect(ofRule(run([nodeClass({ amiSelectorTerms: [{ alias: 'windows2022@v1' }] })]), 'ami-alias')).toHaveLength(1);
  });

  it('requires amiFamily without an alias, and accepts a lone alias or id terms with a family', () => {
    expect(
      ofRule(run([nodeClass({ amiSelectorTerms: [{ id: 'ami-0123' }] })]), 'ami-alias').map(
        (f) => f.location.fieldPath,
      ),
    ).toEqual(['spec.amiFamily']);
    expect(
      run([nodeClass({ amiSelectorTerms: [{ id: 'ami-0123' }, { id: 'ami-0456' }], amiFamily: 'AL2023' })]),
    ).toEqual([]);
    expect(run([nodeClass({})])).toEqual([]);
  });

  it('requires exactly one of role and instanceProfile', () => {
    expect(
      ofRule(run([nodeClass({ instanceProfile: 'KarpenterNodeInstanceProfile' })]), 'schema').map((f) => f.message),
    ).toEqual(['exactly one of role and instanceProfile must be set']);
  });
});
