/**
 * The raw family table behind the instance-type catalog (see instance-types.ts for where the figures come from).
 *
 * A family is a rule, not a list of types: its sizes (ascending), its memory per vCPU, and per-size tables for what
 * does not follow a ratio (the ENI-limited pod count, local NVMe GB, GPU count). vCPUs come from the size name;
 * a `metal` size has the figures of the family's largest virtualized size, a `metal-NNxl` size those of `NNxlarge`.
 */

/** Who makes the CPU: decides `kubernetes.io/arch` (`aws` is Graviton, arm64). */
export type CpuManufacturer = 'intel' | 'amd' | 'aws';

/** One EC2 instance family as a rule the catalog expands into its instance types. */
export interface FamilySpec {
  readonly family: string;
  readonly cpu: CpuManufacturer;
  readonly memoryGiBPerVcpu: number;
  /** The sizes that exist, ascending, space-separated. */
  readonly sizes: string;
  /** Pods the VPC CNI can address per size: max ENIs × (IPv4 addresses per ENI − 1) + 2. */
  readonly pods: Readonly<Record<string, number>>;
  /** Total local NVMe instance store per size, in GB; absent for EBS-only families. */
  readonly nvme?: Readonly<Record<string, number>>;
  /** NVIDIA GPUs per size; absent for CPU families. */
  readonly gpus?: Readonly<Record<string, number>>;
}

/** vCPUs of each virtualized size name. */
export const VCPUS_BY_SIZE: Readonly<Record<string, number>> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '9xlarge': 36,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
  '64xlarge': 256,
  '96xlarge': 384,
};

/** A per-size table from two space-separated lists of the same length. */
function bySize(sizes: string, values: string): Readonly<Record<string, number>> {
  const keys = sizes.split(' ');
  const nums = values.split(' ').map(Number);
  if (keys.length !== nums.length) throw new Error(`bySize: ${keys.length} sizes but ${nums.length} values`);
  return Object.fromEntries(keys.map((k, i) => [k, nums[i]!]));
}

/** ENI-limited pods of the 5th to 7th generations, Graviton 2 to 4 and the x2 families. */
const PODS = bySize(
  'medium large xlarge 2xlarge 4xlarge 8xlarge 9xlarge 12xlarge 16xlarge 18xlarge 24xlarge 32xlarge 48xlarge',
  '8 29 58 58 234 234 234 234 737 737 737 737 737',
);
/** 8th-generation Intel (c8i, m8i, r8i, their d variants, x8i). */
const PODS_8I = bySize(
  'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge 64xlarge 96xlarge',
  '59 118 118 394 492 590 1010 1010 1514 1514 1514 1514',
);
/** 8th-generation AMD (c8a, m8a, r8a). */
const PODS_8A = bySize(
  'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
  '8 59 78 158 314 392 758 1010 1010 1514',
);

/** Local NVMe of the 6th-generation-and-later `d` families (one or more disks, total GB). */
const NVME = bySize(
  'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge 96xlarge',
  '59 118 237 474 950 1900 2850 3800 5700 7600 11400 22800',
);
/** m5d, m5ad, r5d, r5ad. */
const NVME_5 = bySize(
  'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge',
  '75 150 300 600 1200 1800 2400 3600',
);

const SIZES_5 = 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge';
const SIZES_6I = `${SIZES_5} 32xlarge metal`;
const SIZES_6A = `${SIZES_5} 32xlarge 48xlarge metal`;
const SIZES_G2 = 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal';
const SIZES_7I = `${SIZES_5} metal-24xl 48xlarge metal-48xl`;
const SIZES_7A = `medium ${SIZES_5} 32xlarge 48xlarge metal-48xl`;
const SIZES_G4 = `medium ${SIZES_5} metal-24xl 48xlarge metal-48xl`;
const SIZES_8I = `${SIZES_5} 32xlarge 48xlarge metal-48xl 96xlarge metal-96xl`;
const SIZES_8A = `medium ${SIZES_5} metal-24xl 48xlarge metal-48xl`;
const SIZES_GPU = 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge';
const GPUS_G = bySize(SIZES_GPU, '1 1 1 1 4 1 4 8');

/** The c, m, r families of one processor line, each with its memory ratio (c 2, m 4, r 8 GiB per vCPU). */
function cmr(suffix: string, spec: Omit<FamilySpec, 'family' | 'memoryGiBPerVcpu'>): FamilySpec[] {
  return (
    [
      ['c', 2],
      ['m', 4],
      ['r', 8],
    ] as const
  ).map(([category, memoryGiBPerVcpu]) => ({
    family: `${category}${suffix}`,
    memoryGiBPerVcpu,
    ...spec,
  }));
}

/** Every family the catalog holds. */
export const FAMILIES: readonly FamilySpec[] = [
  // 5th generation. c5 has its own sizes (9xlarge, 18xlarge) and disks.
  {
    family: 'c5',
    cpu: 'intel',
    memoryGiBPerVcpu: 2,
    sizes: 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal',
    pods: PODS,
  },
  {
    family: 'c5d',
    cpu: 'intel',
    memoryGiBPerVcpu: 2,
    sizes: 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal',
    pods: PODS,
    nvme: bySize(
      'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge',
      '50 100 200 400 900 1800 1800 3600',
    ),
  },
  { family: 'c5a', cpu: 'amd', memoryGiBPerVcpu: 2, sizes: SIZES_5, pods: PODS },
  {
    family: 'c5ad',
    cpu: 'amd',
    memoryGiBPerVcpu: 2,
    sizes: SIZES_5,
    pods: PODS,
    nvme: bySize(SIZES_5, '75 150 300 600 1200 1800 2400 3800'),
  },
  ...['m', 'r'].flatMap((c): FamilySpec[] => {
    const memoryGiBPerVcpu = c === 'm' ? 4 : 8;
    return [
      { family: `${c}5`, cpu: 'intel', memoryGiBPerVcpu, sizes: `${SIZES_5} metal`, pods: PODS },
      { family: `${c}5d`, cpu: 'intel', memoryGiBPerVcpu, sizes: `${SIZES_5} metal`, pods: PODS, nvme: NVME_5 },
      { family: `${c}5a`, cpu: 'amd', memoryGiBPerVcpu, sizes: SIZES_5, pods: PODS },
      { family: `${c}5ad`, cpu: 'amd', memoryGiBPerVcpu, sizes: SIZES_5, pods: PODS, nvme: NVME_5 },
    ];
  }),
  // 6th generation: Intel Ice Lake, AMD Milan, Graviton2.
  ...cmr('6i', { cpu: 'intel', sizes: SIZES_6I, pods: PODS }),
  ...cmr('6id', { cpu: 'intel', sizes: SIZES_6I, pods: PODS, nvme: NVME }),
  ...cmr('6a', { cpu: 'amd', sizes: SIZES_6A, pods: PODS }),
  ...cmr('6g', { cpu: 'aws', sizes: SIZES_G2, pods: PODS }),
  ...cmr('6gd', { cpu: 'aws', sizes: SIZES_G2, pods: PODS, nvme: NVME }),
  // 7th generation: Intel Sapphire Rapids, AMD Genoa, Graviton3.
  ...cmr('7i', { cpu: 'intel', sizes: SIZES_7I, pods: PODS }),
  ...cmr('7a', { cpu: 'amd', sizes: SIZES_7A, pods: PODS }),
  ...cmr('7g', { cpu: 'aws', sizes: SIZES_G2, pods: PODS }),
  ...cmr('7gd', { cpu: 'aws', sizes: SIZES_G2, pods: PODS, nvme: NVME }),
  // 8th generation: Intel Granite Rapids, AMD Turin, Graviton4.
  ...cmr('8i', { cpu: 'intel', sizes: SIZES_8I, pods: PODS_8I }),
  ...cmr('8id', { cpu: 'intel', sizes: SIZES_8I, pods: PODS_8I, nvme: NVME }),
  ...cmr('8a', { cpu: 'amd', sizes: SIZES_8A, pods: PODS_8A }),
  ...cmr('8g', { cpu: 'aws', sizes: SIZES_G4, pods: PODS }),
  ...cmr('8gd', { cpu: 'aws', sizes: SIZES_G4, pods: PODS, nvme: NVME }),
  // Memory-heavy x families (16 or 32 GiB per vCPU).
  { family: 'x2gd', cpu: 'aws', memoryGiBPerVcpu: 16, sizes: SIZES_G2, pods: PODS, nvme: { ...NVME, '2xlarge': 475 } },
  {
    family: 'x2idn',
    cpu: 'intel',
    memoryGiBPerVcpu: 16,
    sizes: '16xlarge 24xlarge 32xlarge metal',
    pods: PODS,
    nvme: bySize('16xlarge 24xlarge 32xlarge', '1900 2850 3800'),
  },
  {
    family: 'x2iedn',
    cpu: 'intel',
    memoryGiBPerVcpu: 32,
    sizes: 'xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge metal',
    pods: PODS,
    nvme: bySize('xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge', '118 237 475 950 1900 2850 3800'),
  },
  { family: 'x8g', cpu: 'aws', memoryGiBPerVcpu: 16, sizes: SIZES_G4, pods: PODS },
  {
    family: 'x8i',
    cpu: 'intel',
    memoryGiBPerVcpu: 16,
    sizes: `${SIZES_5} 32xlarge 48xlarge metal-48xl 64xlarge 96xlarge metal-96xl`,
    pods: PODS_8I,
  },
  // NVIDIA GPU families: g5 (A10G), g6 (L4), g6e (L40S), p4d (A100).
  {
    family: 'g5',
    cpu: 'amd',
    memoryGiBPerVcpu: 4,
    sizes: SIZES_GPU,
    gpus: GPUS_G,
    pods: bySize(SIZES_GPU, '58 58 234 234 737 234 737 345'),
    nvme: bySize(SIZES_GPU, '250 450 600 900 3800 1900 3800 7600'),
  },
  {
    family: 'g6',
    cpu: 'amd',
    memoryGiBPerVcpu: 4,
    sizes: SIZES_GPU,
    gpus: GPUS_G,
    pods: bySize(SIZES_GPU, '58 58 234 234 234 737 737 737'),
    nvme: bySize(SIZES_GPU, '250 450 600 900 3760 1880 3760 7520'),
  },
  {
    family: 'g6e',
    cpu: 'amd',
    memoryGiBPerVcpu: 8,
    sizes: SIZES_GPU,
    gpus: GPUS_G,
    pods: bySize(SIZES_GPU, '58 58 234 234 292 737 492 492'),
    nvme: bySize(SIZES_GPU, '250 450 600 900 3800 1900 3800 7600'),
  },
  {
    family: 'p4d',
    cpu: 'intel',
    memoryGiBPerVcpu: 12,
    sizes: '24xlarge',
    gpus: { '24xlarge': 8 },
    pods: { '24xlarge': 737 },
    nvme: { '24xlarge': 8000 },
  },
];
