import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  Ec2NodeClass,
  NodePool,
  karpenterControllerHelmValues,
  type Ec2NodeClassProps,
  type NodePoolProps,
} from '../src/index.js';
import { configurationErrorOf, crdSchemaErrors, synthByName, validationFindings } from './helpers.js';

const nodeClassProps: Ec2NodeClassProps = {
  name: 'spark',
  clusterName: 'dev',
  amiAlias: 'al2023@v20250101',
  role: 'KarpenterNodeRole-dev',
};
const poolProps: NodePoolProps = { name: 'general', nodeClassName: 'spark' };

function synthNodeClass(props: Partial<Ec2NodeClassProps> = {}) {
  const chart = Testing.chart();
  new Ec2NodeClass(chart, 'NodeClass', { ...nodeClassProps, ...props });
  return synthByName(chart)['EC2NodeClass/spark'];
}
function synthPool(props: Partial<NodePoolProps> = {}) {
  const chart = Testing.chart();
  new NodePool(chart, 'Pool', { ...poolProps, ...props });
  return synthByName(chart)[`NodePool/${props.name ?? poolProps.name}`];
}
const nodeClassError = (props: Partial<Ec2NodeClassProps>) => configurationErrorOf(() => synthNodeClass(props));
const poolError = (props: Partial<NodePoolProps>) => configurationErrorOf(() => synthPool(props));

describe('Ec2NodeClass', () => {
  it('pins the AMI alias as the only selector term, with IMDSv2 hop limit 1 and an encrypted gp3 root volume', () => {
    const spec = synthNodeClass().spec;
    expect(spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20250101' }]);
    expect(spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(spec.blockDeviceMappings).toEqual([
      expect.objectContaining({
        deviceName: '/dev/xvda',
        rootVolume: true,
        ebs: expect.objectContaining({ volumeType: 'gp3', encrypted: true, volumeSize: '100Gi' }),
      }),
    ]);
    expect(spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'dev' } }]);
    expect(spec.securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'dev' } }]);
    expect(spec.instanceStorePolicy).toBeUndefined();
  });

  it('rejects @latest unless allowed', () => {
    expect(nodeClassError({ amiAlias: 'al2023@latest' }).field).toBe('amiAlias');
    expect(synthNodeClass({ amiAlias: 'al2023@latest', allowLatestAmi: true }).spec.amiSelectorTerms).toEqual([
      { alias: 'al2023@latest' },
    ]);
  });

  it('rejects aliases of unknown families or without a version', () => {
    expect(nodeClassError({ amiAlias: 'ubuntu@v1' }).problem).toMatch(/al2, al2023 or bottlerocket/);
    expect(nodeClassError({ amiAlias: 'al2023' }).field).toBe('amiAlias');
  });

  it('requires exactly one of role and instanceProfile', () => {
    expect(nodeClassError({ role: undefined }).problem).toMatch(/exactly one of role and instanceProfile/);
    expect(nodeClassError({ instanceProfile: 'profile' }).problem).toMatch(/exactly one of role and instanceProfile/);
    const spec = synthNodeClass({ role: undefined, instanceProfile: 'KarpenterNodeInstanceProfile' }).spec;
    expect(spec.instanceProfile).toBe('KarpenterNodeInstanceProfile');
    expect(spec).not.toHaveProperty('role');
  });

  it('rejects a hop limit out of range, restricted tags and empty selector terms', () => {
    expect(nodeClassError({ metadataOptions: { httpPutResponseHopLimit: 0 } }).field).toBe(
      'metadataOptions.httpPutResponseHopLimit',
    );
    expect(nodeClassError({ tags: { 'kubernetes.io/cluster/dev': 'owned' } }).field).toBe(
      'tags["kubernetes.io/cluster/dev"]',
    );
    expect(nodeClassError({ subnetSelectorTags: [] }).field).toBe('subnetSelectorTags');
    expect(nodeClassError({ rootVolume: { sizeGiB: 20000 } }).field).toBe('rootVolume.sizeGiB');
  });

  it("emits every option it was given, valid against the EC2NodeClass CRD schema and the project's validation", () => {
    const full = synthNodeClass({
      instanceStorePolicy: 'RAID0',
      rootVolume: { sizeGiB: 200, kmsKeyId: 'alias/ebs' },
      tags: { team: 'data' },
      subnetSelectorTags: [{ 'karpenter.sh/discovery': 'dev', tier: 'private' }],
    });
    expect(full.spec.instanceStorePolicy).toBe('RAID0');
    expect(full.spec.blockDeviceMappings).toEqual([
      {
        deviceName: '/dev/xvda',
        rootVolume: true,
        ebs: {
          volumeType: 'gp3',
          volumeSize: '200Gi',
          encrypted: true,
          kmsKeyID: 'alias/ebs',
          deleteOnTermination: true,
          iops: 3000,
          throughput: 125,
        },
      },
    ]);
    expect(full.spec.tags).toEqual({ team: 'data' });
    expect(full.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'dev', tier: 'private' } }]);
    expect(full.spec.metadataOptions).toEqual({
      httpEndpoint: 'enabled',
      httpProtocolIPv6: 'disabled',
      httpPutResponseHopLimit: 1,
      httpTokens: 'required',
    });
    expect(full.spec.role).toBe('KarpenterNodeRole-dev');
    expect(crdSchemaErrors(full)).toEqual([]);
    expect(validationFindings([full])).toEqual([]);
  });
});

describe('NodePool', () => {
  it('applies Karpenter v1 defaults explicitly and references the EC2NodeClass', () => {
    const spec = synthPool().spec;
    expect(spec.template.spec.expireAfter).toBe('720h');
    expect(spec.template.spec.nodeClassRef).toEqual({
      group: 'karpenter.k8s.aws',
      kind: 'EC2NodeClass',
      name: 'spark',
    });
    expect(spec.template.spec.requirements).toEqual([]);
    expect(spec.disruption).toEqual({
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '0s',
      budgets: [{ nodes: '10%' }],
    });
  });

  it('validates budget node counts and windows', () => {
    expect(poolError({ budgets: [{ nodes: 'abc' }] }).field).toBe('budgets[0].nodes');
    expect(poolError({ budgets: [{ nodes: '150%' }] }).field).toBe('budgets[0].nodes');
    expect(poolError({ budgets: [{ nodes: '0', schedule: '0 9 * * 1-5' }] }).problem).toMatch(/together/);
    expect(poolError({ budgets: [{ nodes: '0', schedule: '0 9 * *', duration: '8h' }] }).field).toBe(
      'budgets[0].schedule',
    );
    expect(poolError({ budgets: [{ nodes: '0', schedule: '0 9 * * 1-5', duration: '30s' }] }).field).toBe(
      'budgets[0].duration',
    );
    const budgets = [
      { nodes: '100%' },
      { nodes: '3', schedule: '@daily', duration: '1h30m', reasons: ['Drifted' as const] },
    ];
    expect(synthPool({ budgets }).spec.disruption.budgets).toEqual(budgets);
  });

  it('rejects labels and requirements in domains Karpenter reserves', () => {
    expect(poolError({ labels: { 'karpenter.sh/foo': 'x' } }).field).toBe('labels["karpenter.sh/foo"]');
    expect(poolError({ labels: { 'karpenter.sh/nodepool': 'x' } }).field).toBe('labels["karpenter.sh/nodepool"]');
    expect(poolError({ requirements: [{ key: 'kubernetes.io/hostname', operator: 'Exists' }] }).field).toBe(
      'requirements[0].key',
    );
    expect(poolError({ requirements: [{ key: 'karpenter.k8s.aws/made-up', operator: 'Exists' }] }).field).toBe(
      'requirements[0].key',
    );
    const allowed = synthPool({
      requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }],
    });
    expect(allowed.spec.template.spec.requirements[0].key).toBe('karpenter.sh/capacity-type');
  });

  it('checks requirement values against their operator', () => {
    expect(poolError({ requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: [] }] }).field).toBe(
      'requirements[0].values',
    );
    expect(poolError({ requirements: [{ key: 'kubernetes.io/arch', operator: 'NotIn' }] }).field).toBe(
      'requirements[0].values',
    );
    expect(
      poolError({ requirements: [{ key: 'kubernetes.io/arch', operator: 'Exists', values: ['amd64'] }] }).field,
    ).toBe('requirements[0].values');
    expect(
      poolError({ requirements: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['four'] }] }).field,
    ).toBe('requirements[0].values');
    expect(
      poolError({ requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['cheap'] }] }).field,
    ).toBe('requirements[0].values[0]');
    expect(
      poolError({
        requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i'], minValues: 2 }],
      }).field,
    ).toBe('requirements[0].minValues');
  });

  it('validates durations, weight and limits', () => {
    expect(poolError({ expireAfter: '30d' }).field).toBe('expireAfter');
    expect(synthPool({ expireAfter: 'Never' }).spec.template.spec.expireAfter).toBe('Never');
    expect(poolError({ terminationGracePeriod: 'Never' }).field).toBe('terminationGracePeriod');
    expect(poolError({ consolidateAfter: '5 minutes' }).field).toBe('consolidateAfter');
    expect(poolError({ weight: 0 }).field).toBe('weight');
    expect(poolError({ weight: 101 }).field).toBe('weight');
    expect(poolError({ limits: { memory: 'lots' } }).field).toBe('limits.memory');
  });

  it("emits every option it was given, valid against the NodePool CRD schema and the project's validation", () => {
    const full = synthPool({
      labels: { team: 'data' },
      requirements: [
        { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i', 'm7i'], minValues: 2 },
        { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
      ],
      taints: [{ key: 'example.com/dedicated', value: 'spark', effect: 'NoSchedule' }],
      startupTaints: [{ key: 'example.com/not-ready', effect: 'NoExecute' }],
      terminationGracePeriod: '24h',
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '10m',
      budgets: [{ nodes: '0', schedule: '0 8 * * 1-5', duration: '10h', reasons: ['Underutilized', 'Empty'] }],
      limits: { cpu: 1000, memory: '4000Gi' },
      weight: 50,
    });
    const { template, disruption, limits, weight } = full.spec;
    expect(template.metadata).toEqual({ labels: { team: 'data' } });
    expect(template.spec.requirements).toEqual([
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i', 'm7i'], minValues: 2 },
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
    ]);
    expect(template.spec.taints).toEqual([{ key: 'example.com/dedicated', value: 'spark', effect: 'NoSchedule' }]);
    expect(template.spec.startupTaints).toEqual([{ key: 'example.com/not-ready', effect: 'NoExecute' }]);
    expect(template.spec.terminationGracePeriod).toBe('24h');
    expect(template.spec.expireAfter).toBe('720h');
    expect(template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'spark' });
    expect(disruption).toEqual({
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '10m',
      budgets: [{ nodes: '0', schedule: '0 8 * * 1-5', duration: '10h', reasons: ['Underutilized', 'Empty'] }],
    });
    expect(limits).toEqual({ cpu: 1000, memory: '4000Gi' });
    expect(weight).toBe(50);
    expect(crdSchemaErrors(full)).toEqual([]);
    expect(validationFindings([full])).toEqual([]);
  });

  it("the CRD schema check and the project's validation are strict enough to catch a wrong field", () => {
    const pool = synthPool();
    const wrong = { ...pool, spec: { ...pool.spec, budget: [] } };
    expect(crdSchemaErrors(wrong)).not.toEqual([]);
    expect(validationFindings([wrong])).toEqual([
      expect.stringContaining('NodePool/general spec.budget: [unknown-field] unknown field "budget"'),
    ]);
  });
});

describe('karpenterControllerHelmValues', () => {
  const props = {
    clusterName: 'dev',
    interruptionQueue: 'Karpenter-dev',
    controllerRoleArn: 'arn:aws:iam::111122223333:role/KarpenterController-dev',
  };

  it('requires nodes Karpenter did not make, and optionally a managed node group', () => {
    const values = karpenterControllerHelmValues({ ...props, managedNodeGroups: ['system'] });
    const [term] = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(term?.matchExpressions).toEqual([
      { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
      { key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['system'] },
    ]);
    expect(values.settings).toEqual({ clusterName: 'dev', interruptionQueue: 'Karpenter-dev' });
    expect(values.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': props.controllerRoleArn });
  });

  it('rejects a queue URL, a malformed role ARN and an empty node group list', () => {
    expect(
      configurationErrorOf(() =>
        karpenterControllerHelmValues({ ...props, interruptionQueue: 'https://sqs.eu-west-1.amazonaws.com/1/q' }),
      ).field,
    ).toBe('interruptionQueue');
    expect(
      configurationErrorOf(() => karpenterControllerHelmValues({ ...props, controllerRoleArn: 'KarpenterController' }))
        .field,
    ).toBe('controllerRoleArn');
    expect(configurationErrorOf(() => karpenterControllerHelmValues({ ...props, managedNodeGroups: [] })).field).toBe(
      'managedNodeGroups',
    );
  });
});
