import { describe, expect, it } from 'vitest';
import {
  INSTANCE_TYPES,
  allocatable,
  instanceType,
  instanceTypeLabels,
  instanceTypesMatching,
  largestAllocatable,
  smallestFittingType,
  type InstanceType,
  type NodeRequirement,
} from '../src/index.js';

const K = 'karpenter.k8s.aws/';
const type = (name: string): InstanceType => {
  const found = instanceType(name);
  if (!found) throw new Error(`${name} is not in the catalog`);
  return found;
};
const names = (requirements: NodeRequirement[]) => instanceTypesMatching(requirements).map((t) => t.name);
const NO_DAEMONSETS = { daemonSetOverhead: { cpuMillis: 0, memoryMiB: 0 } };

describe('the instance-type catalog', () => {
  it('holds real figures (Karpenter instance-types reference / EC2 DescribeInstanceTypes)', () => {
    expect(type('m6i.4xlarge')).toMatchObject({
      vcpus: 16,
      memoryMiB: 65536,
      localNvmeGB: 0,
      gpus: 0,
      arch: 'amd64',
      generation: 6,
    });
    expect(type('r7i.48xlarge')).toMatchObject({ vcpus: 192, memoryMiB: 1536 * 1024 });
    expect(type('c7i.48xlarge').vcpus).toBe(192);
    expect(instanceType('c6i.48xlarge')).toBeUndefined();
    expect(type('c6a.48xlarge').memoryMiB).toBe(384 * 1024);
    expect(instanceType('m5.32xlarge')).toBeUndefined();
    expect(type('c5.9xlarge')).toMatchObject({ vcpus: 36, memoryMiB: 72 * 1024 });
    expect(type('m6id.4xlarge').localNvmeGB).toBe(950);
    expect(type('m6id.large').localNvmeGB).toBe(118);
    expect(type('m7gd.large').localNvmeGB).toBe(118);
    expect(type('m5d.large').localNvmeGB).toBe(75);
    expect(type('c5d.18xlarge').localNvmeGB).toBe(1800);
    expect(type('x2iedn.32xlarge')).toMatchObject({ vcpus: 128, memoryMiB: 4096 * 1024, localNvmeGB: 3800 });
    expect(type('p4d.24xlarge')).toMatchObject({ vcpus: 96, memoryMiB: 1152 * 1024, gpus: 8, localNvmeGB: 8000 });
    expect(type('g5.12xlarge')).toMatchObject({ vcpus: 48, gpus: 4 });
  });

  it('gives metal sizes the figures of the family largest size, with an empty hypervisor', () => {
    expect(type('m6i.metal')).toMatchObject({ vcpus: 128, memoryMiB: 512 * 1024, hypervisor: '' });
    expect(type('c6gd.metal')).toMatchObject({ vcpus: 64, localNvmeGB: 3800 });
    expect(type('m7i.metal-24xl')).toMatchObject({ vcpus: 96, memoryMiB: 384 * 1024 });
    expect(type('m6i.32xlarge').hypervisor).toBe('nitro');
  });

  it('is arm64 exactly for Graviton, and sorted with unique names', () => {
    for (const t of INSTANCE_TYPES) expect(t.arch === 'arm64', t.name).toBe(t.cpuManufacturer === 'aws');
    expect(INSTANCE_TYPES.filter((t) => /^[cmrx]\d+g/.test(t.family)).every((t) => t.arch === 'arm64')).toBe(true);
    const all = INSTANCE_TYPES.map((t) => t.name);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(all);
  });

  it('labels a node as Karpenter does, and as EKS Auto Mode does under eks.amazonaws.com/', () => {
    const labels = instanceTypeLabels(type('m6id.4xlarge'));
    const karpenter = Object.fromEntries(
      Object.entries(labels).filter(([key]) => !key.startsWith('eks.amazonaws.com/')),
    );
    expect(karpenter).toEqual({
      'node.kubernetes.io/instance-type': 'm6id.4xlarge',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      [`${K}instance-category`]: 'm',
      [`${K}instance-family`]: 'm6id',
      [`${K}instance-generation`]: '6',
      [`${K}instance-size`]: '4xlarge',
      [`${K}instance-cpu`]: '16',
      [`${K}instance-cpu-manufacturer`]: 'intel',
      [`${K}instance-memory`]: '65536',
      [`${K}instance-local-nvme`]: '950',
      [`${K}instance-hypervisor`]: 'nitro',
    });
    // The same facts under Auto Mode's keys; local NVMe in GiB there (950 GB = 884 GiB), as its guide documents.
    for (const fact of [
      'category',
      'family',
      'generation',
      'size',
      'cpu',
      'cpu-manufacturer',
      'memory',
      'hypervisor',
    ]) {
      expect(labels[`eks.amazonaws.com/instance-${fact}`], fact).toBe(labels[`${K}instance-${fact}`]);
    }
    expect(labels['eks.amazonaws.com/instance-local-nvme']).toBe('884');
    const m6i = instanceTypeLabels(type('m6i.4xlarge'));
    expect(m6i).not.toHaveProperty(`${K}instance-local-nvme`);
    expect(m6i).not.toHaveProperty(`${K}instance-gpu-count`);
    expect(instanceTypeLabels(type('g6.48xlarge'))[`${K}instance-gpu-count`]).toBe('8');
    expect(instanceTypeLabels(type('r8g.large'))['kubernetes.io/arch']).toBe('arm64');
  });
});

describe('instanceTypesMatching', () => {
  it('In and NotIn, where NotIn matches an absent label', () => {
    expect(names([{ key: `${K}instance-family`, operator: 'In', values: ['m6id'] }])).toHaveLength(10);
    const notIn = names([{ key: `${K}instance-local-nvme`, operator: 'NotIn', values: ['950'] }]);
    expect(notIn).toContain('m6i.4xlarge');
    expect(notIn).toContain('m5d.4xlarge');
    expect(notIn).not.toContain('m6id.4xlarge');
    expect(names([{ key: `${K}instance-family`, operator: 'In', values: [] }])).toEqual([]);
  });

  it('Exists and DoesNotExist', () => {
    const withDisks = instanceTypesMatching([{ key: `${K}instance-local-nvme`, operator: 'Exists' }]);
    expect(withDisks.length).toBeGreaterThan(0);
    expect(withDisks.every((t) => t.localNvmeGB > 0)).toBe(true);
    const withoutDisks = instanceTypesMatching([{ key: `${K}instance-local-nvme`, operator: 'DoesNotExist' }]);
    expect(withoutDisks.every((t) => t.localNvmeGB === 0)).toBe(true);
    expect(withDisks.length + withoutDisks.length).toBe(INSTANCE_TYPES.length);
    const gpu = new Set(
      instanceTypesMatching([{ key: `${K}instance-gpu-count`, operator: 'Exists' }]).map((t) => t.family),
    );
    expect([...gpu].sort()).toEqual(['g5', 'g6', 'g6e', 'p4d']);
  });

  it('Gt and Lt compare integers strictly, and need the label present', () => {
    const mid = instanceTypesMatching([
      { key: `${K}instance-cpu`, operator: 'Gt', values: ['64'] },
      { key: `${K}instance-cpu`, operator: 'Lt', values: ['128'] },
    ]);
    expect(new Set(mid.map((t) => t.vcpus))).toEqual(new Set([72, 96]));
    const bigDisks = instanceTypesMatching([{ key: `${K}instance-local-nvme`, operator: 'Gt', values: ['1000'] }]);
    expect(bigDisks.every((t) => t.localNvmeGB > 1000)).toBe(true);
    expect(bigDisks.map((t) => t.name)).not.toContain('m6i.metal');
    expect(names([{ key: `${K}instance-cpu`, operator: 'Gt', values: ['four'] }])).toEqual([]);
    expect(names([{ key: `${K}instance-family`, operator: 'Gt', values: ['1'] }])).toEqual([]);
  });

  it('ignores keys the catalog does not model, and hypervisor In [nitro] drops metal', () => {
    const ignored: NodeRequirement[] = [
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] },
      { key: 'emr-eks-gitops.io/workload', operator: 'Exists' },
    ];
    expect(instanceTypesMatching(ignored)).toHaveLength(INSTANCE_TYPES.length);
    const nitro = names([...ignored, { key: `${K}instance-hypervisor`, operator: 'In', values: ['nitro'] }]);
    expect(nitro.some((n) => n.includes('.metal'))).toBe(false);
  });
});

describe('allocatable (Karpenter, AL2023)', () => {
  it('works out m6i.4xlarge by hand', () => {
    // m6i.4xlarge: 16 vCPU, 65536 MiB, 234 ENI-limited pods.
    // CPU: 16000m − kube-reserved (60 + 10 + 2000×0.5% = 10 + 12000×0.25% = 30 → 110) = 15890m; − DaemonSets 200m = 15690m.
    // Memory: 65536 − ceil(65536 × 0.075 = 4915.2) = 60620; − kube-reserved (11 × 234 + 255 = 2829) − eviction 100
    //   = 57691 MiB; − DaemonSets 400 = 57291 MiB.
    expect(allocatable(type('m6i.4xlarge'))).toEqual({ cpuMillis: 15690, memoryMiB: 57291 });
    // Without DaemonSets: the figures Karpenter's instance-types reference page lists (15890m, 57691Mi).
    expect(allocatable(type('m6i.4xlarge'), NO_DAEMONSETS)).toEqual({ cpuMillis: 15890, memoryMiB: 57691 });
  });

  it('keeps 64 MiB of Graviton memory back and follows the options', () => {
    // m7g.large: 8192 − 64 = 8128; − ceil(609.6) = 7518; − (11 × 29 + 255) − 100 = 6844 (reference page: 1930m, 6844Mi).
    expect(allocatable(type('m7g.large'), NO_DAEMONSETS)).toEqual({ cpuMillis: 1930, memoryMiB: 6844 });
    expect(allocatable(type('g5.xlarge'), NO_DAEMONSETS)).toEqual({ cpuMillis: 3920, memoryMiB: 14162 });
    expect(
      allocatable(type('m6i.4xlarge'), {
        ...NO_DAEMONSETS,
        vmMemoryOverheadPercent: 0,
        systemReserved: { cpuMillis: 100, memoryMiB: 100 },
        evictionHardMemoryMiB: 500,
      }),
    ).toEqual({ cpuMillis: 15790, memoryMiB: 65536 - 2829 - 100 - 500 });
    expect(
      allocatable(type('m6i.4xlarge'), { ...NO_DAEMONSETS, kubeReserved: { cpuMillis: 1000, memoryMiB: 1024 } }),
    ).toEqual({ cpuMillis: 15000, memoryMiB: 60620 - 1024 - 100 });
  });
});

describe('smallestFittingType and largestAllocatable', () => {
  const spark: NodeRequirement[] = [
    { key: `${K}instance-category`, operator: 'In', values: ['c', 'm', 'r'] },
    { key: `${K}instance-generation`, operator: 'Gt', values: ['5'] },
    { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
  ];
  const upToGen7: NodeRequirement[] = [...spark, { key: `${K}instance-generation`, operator: 'Lt', values: ['8'] }];

  it('picks the smallest type that holds a 4-core / 16 GiB executor', () => {
    // 4 vCPU types offer 3730m after reservations; 8 vCPU c types offer 13762 MiB; 8 vCPU / 32 GiB m types fit.
    // Ties on vCPU and memory go by name: m6a.2xlarge.
    expect(smallestFittingType(spark, { cpuMillis: 4000, memoryMiB: 16384 })?.name).toBe('m6a.2xlarge');
    const graviton = [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] as const;
    expect(smallestFittingType(graviton, { cpuMillis: 4000, memoryMiB: 16384 })?.name).toBe('m6g.2xlarge');
  });

  it('returns undefined when no allowed type is large enough', () => {
    // Up to the 7th generation the largest x86 c/m/r types have 192 vCPUs: 200 cores fit nowhere.
    expect(smallestFittingType(upToGen7, { cpuMillis: 200_000, memoryMiB: 16384 })).toBeUndefined();
    // The 8th generation has 384-vCPU types (c8i.96xlarge), so the same request fits there.
    expect(smallestFittingType(spark, { cpuMillis: 200_000, memoryMiB: 16384 })?.name).toBe('c8i.96xlarge');
    expect(smallestFittingType(spark, { cpuMillis: 400_000, memoryMiB: 16384 })).toBeUndefined();
    expect(
      smallestFittingType([{ key: `${K}instance-family`, operator: 'In', values: ['c6in'] }], {
        cpuMillis: 1,
        memoryMiB: 1,
      }),
    ).toBeUndefined();
  });

  it('reports the most CPU and memory the allowed types offer', () => {
    // r7i.48xlarge: 192000 − (80 + 188000 × 0.25% = 470) − 200 = 191250m;
    // 1572864 − 117965 − (11 × 737 + 255) − 100 − 400 = 1446037 MiB.
    expect(largestAllocatable(upToGen7)).toEqual({ cpuMillis: 191_250, memoryMiB: 1_446_037 });
    expect(largestAllocatable([{ key: `${K}instance-family`, operator: 'In', values: ['c6in'] }])).toBeUndefined();
  });
});
