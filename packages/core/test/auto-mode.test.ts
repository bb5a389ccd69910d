import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AUTO_MODE_ALLOCATABLE_OPTIONS,
  EKS_AUTO_MODE_INSTANCE_LABELS,
  EksNodeClass,
  Ec2NodeClass,
  Gp3StorageClass,
  KARPENTER_AWS_INSTANCE_LABELS,
  NodePool,
  SparkCapacity,
  allocatable,
  autoModeAddonPlacement,
  autoModeClusterConfig,
  instanceType,
  placementProblems,
  smallestFittingType,
  type EksNodeClassProps,
} from '../src/index.js';
import { configurationErrorOf, synthByName, validationFindings } from './helpers.js';

const props: EksNodeClassProps = { name: 'spark', clusterName: 'sandbox', role: 'AmazonEKSAutoNodeRole' };

function synthNodeClass(extra: Partial<EksNodeClassProps> = {}) {
  const chart = Testing.chart();
  new EksNodeClass(chart, 'NodeClass', { ...props, ...extra });
  return synthByName(chart)['NodeClass/spark'];
}

describe('EksNodeClass', () => {
  it('renders the role, tag-selected subnets and security groups, the data volume and tags, valid against the vendored CRD', () => {
    const object = synthNodeClass({ ephemeralStorage: { sizeGiB: 200, iops: 6000 }, tags: { team: 'data' } });
    expect(object.apiVersion).toBe('eks.amazonaws.com/v1');
    expect(object.spec).toEqual({
      role: 'AmazonEKSAutoNodeRole',
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'sandbox' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'sandbox' } }],
      ephemeralStorage: { size: '200Gi', iops: 6000, throughput: 125 },
      networkPolicy: 'DefaultAllow',
      tags: { team: 'data' },
    });
    expect(validationFindings([object])).toEqual([]);
  });

  it('strict validation refuses what the CRD does not know or allow', () => {
    const object = synthNodeClass();
    expect(
      validationFindings([{ ...object, spec: { ...object.spec, instanceStorePolicy: 'RAID0' } }]).join('\n'),
    ).toContain('unknown field "instanceStorePolicy"');
    expect(
      validationFindings([{ ...object, spec: { ...object.spec, ephemeralStorage: { size: '100GiB' } } }]).join('\n'),
    ).toContain('spec.ephemeralStorage.size');
    expect(validationFindings([{ ...object, spec: { ...object.spec, role: undefined } }]).join('\n')).toContain('role');
  });

  it("refuses Auto Mode's own class name, restricted tags, an ARN for the role and out-of-range volumes", () => {
    expect(configurationErrorOf(() => synthNodeClass({ name: 'default' })).message).toContain(
      '"default" is the NodeClass of Auto Mode\'s built-in pools',
    );
    expect(configurationErrorOf(() => synthNodeClass({ tags: { 'eks.amazonaws.com/nodeclass': 'x' } })).field).toBe(
      'tags["eks.amazonaws.com/nodeclass"]',
    );
    expect(configurationErrorOf(() => synthNodeClass({ role: 'arn:aws:iam::123456789012:role/x' })).field).toBe('role');
    expect(configurationErrorOf(() => synthNodeClass({ ephemeralStorage: { iops: 100 } })).field).toBe(
      'ephemeralStorage.iops',
    );
  });
});

describe('NodePool node class reference', () => {
  const pool = (extra: Partial<ConstructorParameters<typeof NodePool>[2]>) => {
    const chart = Testing.chart();
    new NodePool(chart, 'Pool', { name: 'p', ...extra });
    return synthByName(chart)['NodePool/p'];
  };

  it('references an EC2NodeClass by name or any supported node class by reference', () => {
    expect(pool({ nodeClassName: 'spark' }).spec.template.spec.nodeClassRef).toEqual({
      group: 'karpenter.k8s.aws',
      kind: 'EC2NodeClass',
      name: 'spark',
    });
    expect(
      pool({ nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'spark' } }).spec.template.spec
        .nodeClassRef,
    ).toEqual({ group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'spark' });
  });

  it("validation refuses requirements on labels the pool's nodes never carry (node-class-labels)", () => {
    const eks = { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'spark' } as const;
    const requirement = (key: string) => [{ key, operator: 'In' as const, values: ['c'] }];
    const findings = (extra: Partial<ConstructorParameters<typeof NodePool>[2]>) =>
      validationFindings([pool(extra)], '1.33').join('\n');
    expect(findings({ nodeClassRef: eks, requirements: requirement('karpenter.k8s.aws/instance-category') })).toContain(
      "karpenter.k8s.aws/instance-category is a label of self-managed Karpenter's nodes; EKS Auto Mode's nodes (nodeClassRef group eks.amazonaws.com) never carry it, so the pool launches nothing",
    );
    expect(findings({ nodeClassRef: eks, requirements: requirement('eks.amazonaws.com/instance-colour') })).toContain(
      'eks.amazonaws.com/instance-colour is not a label EKS Auto Mode puts on its nodes, so the pool launches nothing',
    );
    expect(
      findings({ nodeClassName: 'spark', requirements: requirement('eks.amazonaws.com/instance-category') }),
    ).toContain(
      "eks.amazonaws.com/instance-category is a label of EKS Auto Mode's nodes; nodes of an EC2NodeClass never carry it, so the pool launches nothing",
    );
    expect(findings({ nodeClassRef: eks, requirements: requirement('kubernetes.io/os') })).toContain(
      'EKS Auto Mode does not support kubernetes.io/os in NodePools (its nodes are Linux only)',
    );
    expect(findings({ nodeClassRef: eks, requirements: requirement('eks.amazonaws.com/instance-category') })).toBe('');
    expect(findings({ nodeClassName: 'spark', requirements: requirement('karpenter.k8s.aws/instance-category') })).toBe(
      '',
    );
  });

  it("refuses both or neither, an unknown group and a kind that is not the group's", () => {
    expect(configurationErrorOf(() => pool({})).message).toContain(
      'give exactly one of nodeClassName (an EC2NodeClass) and nodeClassRef',
    );
    expect(
      configurationErrorOf(() =>
        pool({ nodeClassName: 'a', nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'b' } }),
      ).field,
    ).toBe('nodeClassName');
    expect(
      configurationErrorOf(() => pool({ nodeClassRef: { group: 'example.com', kind: 'NodeClass', name: 'b' } })).field,
    ).toBe('nodeClassRef.group');
    expect(
      configurationErrorOf(() =>
        pool({ nodeClassRef: { group: 'eks.amazonaws.com', kind: 'EC2NodeClass', name: 'b' } }),
      ).message,
    ).toContain('"EC2NodeClass" must be NodeClass for group eks.amazonaws.com');
  });
});

describe('SparkCapacity on EKS Auto Mode', () => {
  const build = () => {
    const chart = Testing.chart();
    const spark = new EksNodeClass(chart, 'Spark', props);
    const nvme = new EksNodeClass(chart, 'Nvme', {
      ...props,
      name: 'spark-nvme',
      ephemeralStorage: { sizeGiB: 20 },
      localNvmeEphemeralStorage: true,
    });
    const capacity = new SparkCapacity(chart, 'Capacity', {
      driverNodeClass: spark,
      nvmeExecutorNodeClass: nvme,
      instanceLabels: EKS_AUTO_MODE_INSTANCE_LABELS,
      expireAfter: '336h',
      driverNodes: { expireAfter: '336h', terminationGracePeriod: '24h' },
    });
    return { chart, capacity };
  };

  it("writes every instance requirement with Auto Mode's labels and references the NodeClasses", () => {
    const { chart, capacity } = build();
    const objects = Testing.synth(chart);
    const pools = objects.filter((o) => o.kind === 'NodePool');
    expect(pools.map((p) => p.metadata.name).sort()).toEqual([
      'spark-driver',
      'spark-executor-nvme-on-demand',
      'spark-executor-nvme-spot',
      'spark-executor-on-demand',
      'spark-executor-spot',
    ]);
    for (const pool of pools) {
      const keys = pool.spec.template.spec.requirements.map((r: { key: string }) => r.key);
      expect(
        keys.filter((key: string) => key.startsWith(KARPENTER_AWS_INSTANCE_LABELS.category.split('/')[0]!)),
      ).toEqual([]);
      expect(keys).toContain('eks.amazonaws.com/instance-category');
      expect(pool.spec.template.spec.nodeClassRef.group).toBe('eks.amazonaws.com');
    }
    expect(capacity.nvmeExecutorSpotPool!.requirements).toContainEqual({
      key: 'eks.amazonaws.com/instance-local-nvme',
      operator: 'Gt',
      values: ['0'],
    });
    expect(capacity.nvmeExecutorPlacement!.instanceStoreEphemeralStorage).toBe(true);
    expect(capacity.executorPlacement.instanceStoreEphemeralStorage).toBe(false);
    expect(validationFindings(objects, '1.33')).toEqual([]);
  });

  it('a driver can land only on the on-demand driver pool', () => {
    const { capacity } = build();
    const fits = capacity.pools.filter((pool) => placementProblems(capacity.driverPlacement, pool).length === 0);
    expect(fits.map((pool) => pool.name)).toEqual(['spark-driver']);
    expect(fits[0]!.capacityTypes).toEqual(['on-demand']);
    expect(capacity.driverPool.terminationGracePeriod).toBe('24h');
  });
});

describe('Auto Mode allocatable model', () => {
  it("sizes kube-reserved memory for at least 110 pods (Auto Mode's cap), never less than the ENI-limited count", () => {
    const small = instanceType('m6i.large')!; // 29 ENI-limited pods
    const large = instanceType('m6i.32xlarge')!; // 737
    expect(allocatable(small).memoryMiB - allocatable(small, AUTO_MODE_ALLOCATABLE_OPTIONS).memoryMiB).toBe(
      11 * (110 - 29),
    );
    expect(allocatable(large, AUTO_MODE_ALLOCATABLE_OPTIONS)).toEqual(allocatable(large));
  });

  it("is the one pools with Auto Mode's labels are judged by", () => {
    const onlyLarge = (labels: typeof KARPENTER_AWS_INSTANCE_LABELS) => [
      { key: labels.family, operator: 'In' as const, values: ['m6i'] },
    ];
    // A pod that just fits an m6i.large under the AL2023 model does not under Auto Mode's.
    const fitsLarge = allocatable(instanceType('m6i.large')!);
    const request = { cpuMillis: 1000, memoryMiB: fitsLarge.memoryMiB };
    expect(smallestFittingType(onlyLarge(KARPENTER_AWS_INSTANCE_LABELS), request)?.name).toBe('m6i.large');
    expect(smallestFittingType(onlyLarge(EKS_AUTO_MODE_INSTANCE_LABELS), request)?.name).toBe('m6i.xlarge');
  });
});

describe('Auto Mode cluster settings and add-on placement', () => {
  it('enables compute, block storage and load balancing together, with the node role only when a built-in pool is on', () => {
    expect(
      autoModeClusterConfig({
        clusterName: 'c',
        builtInNodePools: ['system', 'general-purpose'],
        nodeRoleArn: 'arn:aws:iam::123456789012:role/n',
      }),
    ).toEqual({
      name: 'c',
      computeConfig: {
        enabled: true,
        nodePools: ['general-purpose', 'system'],
        nodeRoleArn: 'arn:aws:iam::123456789012:role/n',
      },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      storageConfig: { blockStorage: { enabled: true } },
    });
    expect(autoModeClusterConfig({ clusterName: 'c', builtInNodePools: [] }).computeConfig).toEqual({
      enabled: true,
      nodePools: [],
    });
    expect(
      configurationErrorOf(() => autoModeClusterConfig({ clusterName: 'c', builtInNodePools: ['system'] })).message,
    ).toContain('is required when a built-in node pool is enabled');
  });

  it("puts add-ons on a built-in pool, tolerating the system pool's CriticalAddonsOnly taint", () => {
    const system = autoModeAddonPlacement('system');
    expect(system.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'system', 'kubernetes.io/arch': 'amd64' });
    expect(system.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(autoModeAddonPlacement('general-purpose').tolerations).toEqual([]);
  });

  it("a StorageClass names Auto Mode's EBS provisioner when asked", () => {
    const chart = Testing.chart();
    new Gp3StorageClass(chart, 'Gp3', { provisioner: 'ebs.csi.eks.amazonaws.com' });
    expect(synthByName(chart)['StorageClass/gp3'].provisioner).toBe('ebs.csi.eks.amazonaws.com');
    expect(
      configurationErrorOf(() => new Gp3StorageClass(Testing.chart(), 'x', { provisioner: 'ebs.example.com' as never }))
        .field,
    ).toBe('provisioner');
  });

  it('an EC2NodeClass and an EksNodeClass reference themselves by group and kind', () => {
    const chart = Testing.chart();
    expect(
      new Ec2NodeClass(chart, 'a', { name: 'a', clusterName: 'c', amiAlias: 'al2023@v20250101', role: 'r' })
        .nodeClassRef,
    ).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'a' });
    expect(new EksNodeClass(chart, 'b', { ...props, name: 'b' }).nodeClassRef).toEqual({
      group: 'eks.amazonaws.com',
      kind: 'NodeClass',
      name: 'b',
    });
  });
});
