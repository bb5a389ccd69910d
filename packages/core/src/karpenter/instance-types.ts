/**
 * An offline catalog of the EC2 instance types Karpenter may launch for Spark, the node labels Karpenter gives each,
 * and Karpenter's allocatable model for AL2023 nodes: enough to answer "does this executor fit on at least one
 * instance type these NodePools allow?" without calling AWS.
 *
 * Where the figures come from (checked 2026-11-26):
 * - vCPUs, memory, local NVMe, GPU count, sizes per family, hypervisor and the ENI-limited pod count: Karpenter's
 *   generated reference page https://karpenter.sh/docs/reference/instance-types/ (Karpenter 1.14 docs,
 *   aws/karpenter-provider-aws `website/content/en/docs/reference/instance-types.md`, generated from EC2
 *   DescribeInstanceTypes, revision of 2026-07-11). Every type of this catalog was compared with that page, labels and
 *   allocatable cpu/memory included; size lists agree with the EC2 instance-types guide
 *   (https://docs.aws.amazon.com/ec2/latest/instancetypes/co.md and its siblings).
 * - The overhead formulas: aws/karpenter-provider-aws `pkg/providers/instancetype/types.go` (`memory`,
 *   `kubeReservedResources`, `evictionThreshold`, `ENILimitedPods`) and `pkg/operator/options/options.go`
 *   (`--vm-memory-overhead-percent`, default 0.075), revision of 2026-08-21.
 *
 * Not in the catalog: network-, EBS- or frequency-optimized variants (c6in, m5n, r5b, m5zn, r7iz, ...), flex types,
 * burstable t, storage (i, d), u high-memory, 9th-generation and other accelerator families. A pool that allows only
 * those matches nothing here; callers should read an empty match as "unknown", not as "nothing fits".
 */
import { FAMILIES, VCPUS_BY_SIZE, type CpuManufacturer, type FamilySpec } from './instance-type-data.js';
import type { NodeRequirement } from '../scheduling/requirements.js';

export type { CpuManufacturer } from './instance-type-data.js';

/** One EC2 instance type, with the figures Karpenter's labels and allocatable model are computed from. */
export interface InstanceType {
  /** e.g. `m6i.4xlarge`. */
  readonly name: string;
  /** Letters before the generation digit: `c`, `m`, `r`, `x`, `g`, `p`. */
  readonly category: string;
  readonly family: string;
  readonly generation: number;
  readonly size: string;
  readonly arch: 'amd64' | 'arm64';
  readonly cpuManufacturer: CpuManufacturer;
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** Total local NVMe instance store in GB (decimal, as EC2 reports it); 0 when the type has none. */
  readonly localNvmeGB: number;
  /** NVIDIA GPUs; 0 for CPU types. */
  readonly gpus: number;
  /** `nitro` for virtualized types, `''` for bare metal (Karpenter's label value). */
  readonly hypervisor: 'nitro' | '';
  /** Pods the VPC CNI can address without prefix delegation: max ENIs × (IPv4 per ENI − 1) + 2. */
  readonly eniLimitedPods: number;
}

/** The virtualized size whose figures a metal size shares. */
function twinOf(size: string, sizes: readonly string[]): string {
  if (size === 'metal') return sizes.filter((s) => !s.startsWith('metal')).at(-1)!;
  const m = /^metal-(\d+)xl$/.exec(size);
  return m ? `${m[1]}xlarge` : size;
}

function expand(spec: FamilySpec): InstanceType[] {
  const [, category, generation] = /^([a-z]+)(\d+)/.exec(spec.family)!;
  const sizes = spec.sizes.split(' ');
  return sizes.map((size) => {
    const twin = twinOf(size, sizes);
    const vcpus = VCPUS_BY_SIZE[twin];
    const pods = spec.pods[twin];
    if (vcpus === undefined || pods === undefined)
      throw new Error(`instance-type-data: ${spec.family}.${size} lacks vCPUs or pods`);
    return {
      name: `${spec.family}.${size}`,
      category: category!,
      family: spec.family,
      generation: Number(generation),
      size,
      arch: spec.cpu === 'aws' ? 'arm64' : 'amd64',
      cpuManufacturer: spec.cpu,
      vcpus,
      memoryMiB: vcpus * spec.memoryGiBPerVcpu * 1024,
      localNvmeGB: spec.nvme?.[twin] ?? 0,
      gpus: spec.gpus?.[twin] ?? 0,
      hypervisor: size.startsWith('metal') ? '' : 'nitro',
      eniLimitedPods: pods,
    };
  });
}

/** Every instance type in the catalog, sorted by name. */
export const INSTANCE_TYPES: readonly InstanceType[] = FAMILIES.flatMap(expand).sort((a, b) =>
  compareStrings(a.name, b.name),
);

const BY_NAME = new Map(INSTANCE_TYPES.map((t) => [t.name, t]));

/** The catalog's entry for an instance type name, or undefined when the catalog does not hold it. */
export function instanceType(name: string): InstanceType | undefined {
  return BY_NAME.get(name);
}

const K = 'karpenter.k8s.aws/';
// EKS Auto Mode labels the same facts under its own domain (EKS_AUTO_MODE_INSTANCE_LABELS); a pool uses one or the other.
const EKS = 'eks.amazonaws.com/';
const INSTANCE_FACTS = [
  'category',
  'family',
  'generation',
  'size',
  'cpu',
  'cpu-manufacturer',
  'memory',
  'local-nvme',
  'gpu-count',
  'hypervisor',
];

/** The label keys the catalog models (both vocabularies); NodePool requirements on any other key are ignored by the matcher. */
export const INSTANCE_TYPE_LABEL_KEYS: readonly string[] = [
  'node.kubernetes.io/instance-type',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  ...INSTANCE_FACTS.map((k) => `${K}instance-${k}`),
  ...INSTANCE_FACTS.map((k) => `${EKS}instance-${k}`),
];
const MODELED_KEYS = new Set(INSTANCE_TYPE_LABEL_KEYS);

/**
 * The labels a node of this type carries (the subset the catalog models), under Karpenter's AWS provider's keys and
 * under EKS Auto Mode's. `instance-memory` is in MiB, `instance-local-nvme` only present when the type has instance
 * store (GB for Karpenter; GiB, rounded down, for Auto Mode as its guide documents), `instance-gpu-count` only on GPU types.
 */
export function instanceTypeLabels(type: InstanceType): Record<string, string> {
  const labels: Record<string, string> = {
    'node.kubernetes.io/instance-type': type.name,
    'kubernetes.io/arch': type.arch,
    'kubernetes.io/os': 'linux',
    [`${K}instance-category`]: type.category,
    [`${K}instance-family`]: type.family,
    [`${K}instance-generation`]: String(type.generation),
    [`${K}instance-size`]: type.size,
    [`${K}instance-cpu`]: String(type.vcpus),
    [`${K}instance-cpu-manufacturer`]: type.cpuManufacturer,
    [`${K}instance-memory`]: String(type.memoryMiB),
    [`${K}instance-hypervisor`]: type.hypervisor,
  };
  if (type.localNvmeGB > 0) labels[`${K}instance-local-nvme`] = String(type.localNvmeGB);
  if (type.gpus > 0) labels[`${K}instance-gpu-count`] = String(type.gpus);
  for (const fact of INSTANCE_FACTS) {
    const value = labels[`${K}instance-${fact}`];
    if (value !== undefined) labels[`${EKS}instance-${fact}`] = value;
  }
  if (type.localNvmeGB > 0)
    labels[`${EKS}instance-local-nvme`] = String(Math.floor((type.localNvmeGB * 1e9) / 2 ** 30));
  return labels;
}

/** Karpenter's reading of a Gt/Lt operand or label value: a plain base-10 integer, else no match. */
function integerOf(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** Whether a label set satisfies one requirement, with Karpenter's (node affinity) semantics. */
function satisfies(labels: Readonly<Record<string, string>>, requirement: NodeRequirement): boolean {
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = integerOf(value);
      const bound = values.length === 1 ? integerOf(values[0]) : undefined;
      if (have === undefined || bound === undefined) return false;
      return requirement.operator === 'Gt' ? have > bound : have < bound;
    }
  }
}

/**
 * The catalog's types whose labels satisfy every requirement. Requirements on keys the catalog does not model
 * (`karpenter.sh/capacity-type`, `topology.kubernetes.io/zone`, a pool's own labels, bandwidth labels, ...) are
 * ignored: they constrain where or how a node runs, not what it is. `minValues` is ignored too.
 */
export function instanceTypesMatching(requirements: readonly NodeRequirement[]): InstanceType[] {
  const relevant = requirements.filter((r) => MODELED_KEYS.has(r.key));
  // Every tenant asks about the same few pools: answer each distinct set of requirements once.
  const key = JSON.stringify(relevant.map((r) => [r.key, r.operator, r.values ?? []]));
  let matching = MATCHING.get(key);
  if (!matching) {
    matching = labelledTypes()
      .filter(({ labels }) => relevant.every((r) => satisfies(labels, r)))
      .map(({ type }) => type);
    if (MATCHING.size >= MATCHING_LIMIT) MATCHING.clear();
    MATCHING.set(key, matching);
  }
  return [...matching];
}

const MATCHING = new Map<string, readonly InstanceType[]>();
const MATCHING_LIMIT = 1000;
let LABELLED:
  | ReadonlyArray<{ readonly type: InstanceType; readonly labels: Readonly<Record<string, string>> }>
  | undefined;
/** Each type with its labels, computed on first use. */
function labelledTypes() {
  LABELLED ??= INSTANCE_TYPES.map((type) => ({ type, labels: instanceTypeLabels(type) }));
  return LABELLED;
}

/** CPU and memory, as the scheduler compares them. */
export interface NodeResources {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/**
 * What the node's DaemonSets request by default: an allowance for aws-node, kube-proxy, ebs-csi-node and a log agent
 * (200m, 400 MiB). It is a budget, not a measurement: set it to the sum of your cluster's DaemonSet requests.
 */
export const DEFAULT_DAEMONSET_OVERHEAD: NodeResources = { cpuMillis: 200, memoryMiB: 400 };

/** Knobs of the allocatable model; the defaults are Karpenter's for an AL2023 EC2NodeClass without kubelet overrides. */
export interface AllocatableOptions {
  /** Share of memory Karpenter assumes the hypervisor keeps. @default 0.075 (`--vm-memory-overhead-percent`) */
  readonly vmMemoryOverheadPercent?: number;
  /** The kubelet's kubeReserved, replacing Karpenter's computed one per resource. @default computed (see allocatable) */
  readonly kubeReserved?: Partial<NodeResources>;
  /** The kubelet's systemReserved. @default none */
  readonly systemReserved?: Partial<NodeResources>;
  /** The kubelet's `evictionHard` `memory.available`, in MiB. @default 100 */
  readonly evictionHardMemoryMiB?: number;
  /** What the node's DaemonSets request. @default DEFAULT_DAEMONSET_OVERHEAD */
  readonly daemonSetOverhead?: NodeResources;
  /** Size kube-reserved memory for at least this many pods (a floor on the ENI-limited count). @default none */
  readonly kubeReservedPodsAtLeast?: number;
}

/**
 * The model for EKS Auto Mode nodes, which AWS does not publish: Auto Mode caps pods per node at 110 after its own
 * count (which may use prefix delegation), so kube-reserved memory is sized for max(ENI-limited pods, 110), never less
 * than either reading gives. Used for pools whose requirements use Auto Mode's labels.
 */
export const AUTO_MODE_ALLOCATABLE_OPTIONS: AllocatableOptions = { kubeReservedPodsAtLeast: 110 };

/** Karpenter's kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above (each range truncated to whole millicores). */
function kubeReservedCpuMillis(vcpus: number): number {
  const cpu = vcpus * 1000;
  const ranges: ReadonlyArray<readonly [number, number, number]> = [
    [0, 1000, 0.06],
    [1000, 2000, 0.01],
    [2000, 4000, 0.005],
    [4000, Infinity, 0.0025],
  ];
  let reserved = 0;
  for (const [start, end, share] of ranges) {
    if (cpu >= start) reserved += Math.trunc((Math.min(cpu, end) - start) * share);
  }
  return reserved;
}

/**
 * What a node of this type offers pods, as Karpenter computes it for AL2023 (`types.go`), minus the DaemonSets:
 * - memory capacity: the type's memory, less 64 MiB on Graviton (CMA the kernel keeps), less
 *   ceil(that × vmMemoryOverheadPercent);
 * - kube-reserved: CPU 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above; memory 11 MiB × pods + 255 MiB, where pods is the
 *   ENI-limited count with no reserved ENIs (AL2023 always sizes kube-reserved memory that way, whatever maxPods is);
 * - system-reserved (none by default) and the memory.available eviction threshold (100 MiB);
 * - the DaemonSets' requests (`daemonSetOverhead`).
 * For `daemonSetOverhead: { cpuMillis: 0, memoryMiB: 0 }` this equals the `cpu` and `memory` Karpenter's
 * instance-types reference page lists. Values can go negative for tiny types with a large DaemonSet overhead.
 */
export function allocatable(type: InstanceType, options: AllocatableOptions = DEFAULT_OPTIONS): NodeResources {
  // The default answers per type are asked for by every tenant's rules: compute each once.
  const cache =
    options === DEFAULT_OPTIONS
      ? DEFAULT_ALLOCATABLE
      : options === AUTO_MODE_ALLOCATABLE_OPTIONS
        ? AUTO_MODE_ALLOCATABLE
        : undefined;
  if (cache) {
    let cached = cache.get(type);
    if (!cached) cache.set(type, (cached = computeAllocatable(type, options)));
    return cached;
  }
  return computeAllocatable(type, options);
}

const DEFAULT_OPTIONS: AllocatableOptions = {};
const DEFAULT_ALLOCATABLE = new WeakMap<InstanceType, NodeResources>();
const AUTO_MODE_ALLOCATABLE = new WeakMap<InstanceType, NodeResources>();

/** The default model for a pool: Auto Mode's when its requirements use Auto Mode's labels, else Karpenter's AL2023. */
function defaultOptionsFor(requirements: readonly NodeRequirement[]): AllocatableOptions {
  return requirements.some((r) => r.key.startsWith(EKS)) ? AUTO_MODE_ALLOCATABLE_OPTIONS : DEFAULT_OPTIONS;
}

function computeAllocatable(type: InstanceType, options: AllocatableOptions): NodeResources {
  const overheadShare = options.vmMemoryOverheadPercent ?? 0.075;
  const daemonSets = options.daemonSetOverhead ?? DEFAULT_DAEMONSET_OVERHEAD;
  const memoryBeforeVm = type.memoryMiB - (type.arch === 'arm64' ? 64 : 0);
  const memoryCapacity = memoryBeforeVm - Math.ceil(memoryBeforeVm * overheadShare);
  const kubeReservedCpu = options.kubeReserved?.cpuMillis ?? kubeReservedCpuMillis(type.vcpus);
  const kubeReservedMemory =
    options.kubeReserved?.memoryMiB ?? 11 * Math.max(type.eniLimitedPods, options.kubeReservedPodsAtLeast ?? 0) + 255;
  return {
    cpuMillis: type.vcpus * 1000 - kubeReservedCpu - (options.systemReserved?.cpuMillis ?? 0) - daemonSets.cpuMillis,
    memoryMiB:
      memoryCapacity -
      kubeReservedMemory -
      (options.systemReserved?.memoryMiB ?? 0) -
      (options.evictionHardMemoryMiB ?? 100) -
      daemonSets.memoryMiB,
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The smallest type (by vCPUs, then memory, then name) that the requirements allow and whose allocatable holds the
 * request; undefined when none does. Karpenter picks by price, not size: this answers "can it fit at all, and on what
 * is the least node it needs".
 */
export function smallestFittingType(
  requirements: readonly NodeRequirement[],
  request: NodeResources,
  options: AllocatableOptions = defaultOptionsFor(requirements),
): InstanceType | undefined {
  return instanceTypesMatching(requirements)
    .filter((type) => {
      const offer = allocatable(type, options);
      return offer.cpuMillis >= request.cpuMillis && offer.memoryMiB >= request.memoryMiB;
    })
    .sort((a, b) => a.vcpus - b.vcpus || a.memoryMiB - b.memoryMiB || compareStrings(a.name, b.name))[0];
}

/**
 * The most CPU and the most memory any type the requirements allow offers pods (each maximised on its own, so the two
 * may come from different types); undefined when the requirements match no catalog type.
 */
export function largestAllocatable(
  requirements: readonly NodeRequirement[],
  options: AllocatableOptions = defaultOptionsFor(requirements),
): NodeResources | undefined {
  const offers = instanceTypesMatching(requirements).map((type) => allocatable(type, options));
  if (offers.length === 0) return undefined;
  return {
    cpuMillis: Math.max(...offers.map((o) => o.cpuMillis)),
    memoryMiB: Math.max(...offers.map((o) => o.memoryMiB)),
  };
}
