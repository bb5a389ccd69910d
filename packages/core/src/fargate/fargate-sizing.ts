// How EKS Fargate sizes a pod (EKS user guide, "Understand Fargate Pod configuration details"): the larger of the
// largest init container request and the sum of the long-running containers' requests, plus 256 MB for the kubelet,
// kube-proxy and containerd, rounded up to the next valid vCPU / memory combination.

/** Memory Fargate adds to every pod for its Kubernetes components. */
export const FARGATE_KUBERNETES_OVERHEAD_MIB = 256;
/**
 * Ephemeral storage of a Fargate pod (EKS user guide, "Understand Fargate Pod configuration details" > "Fargate
 * storage", awsdocs/amazon-eks-user-guide latest/ug/nodes/fargate-pod-configuration.adoc): 20 GiB included, a total
 * of at most 175 GiB, and Fargate "provisions more ephemeral storage than requested for the purposes of system use"
 * (a 100 GiB request provisions 115 GiB). The AWS containers blog "AWS Fargate adds support for larger ephemeral
 * volumes" gives the formula: the sum of the requests, plus 10% of it for the file system, plus 5 GiB.
 */
export const FARGATE_EPHEMERAL_STORAGE_GIB = { included: 20, max: 175, fileSystemShare: 0.1, system: 5 } as const;

/** What Fargate provisions for a pod whose containers request `requestGiB` of ephemeral storage in all. */
export function fargateProvisionedStorageGiB(requestGiB: number): number {
  const { fileSystemShare, system } = FARGATE_EPHEMERAL_STORAGE_GIB;
  return requestGiB + requestGiB * fileSystemShare + system;
}

/** The largest whole-GiB request whose provisioned storage stays within the 175 GiB (154 GiB). */
export const FARGATE_MAX_EPHEMERAL_REQUEST_GIB = Math.floor(
  (FARGATE_EPHEMERAL_STORAGE_GIB.max - FARGATE_EPHEMERAL_STORAGE_GIB.system) /
    (1 + FARGATE_EPHEMERAL_STORAGE_GIB.fileSystemShare) +
    1e-9,
);

/** The valid vCPU / memory (GiB) combinations of a Fargate pod. */
export const FARGATE_CONFIGURATIONS: ReadonlyArray<{ readonly vcpu: number; readonly memoryGiB: readonly number[] }> = [
  { vcpu: 0.25, memoryGiB: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGiB: [1, 2, 3, 4] },
  { vcpu: 1, memoryGiB: range(2, 8, 1) },
  { vcpu: 2, memoryGiB: range(4, 16, 1) },
  { vcpu: 4, memoryGiB: range(8, 30, 1) },
  { vcpu: 8, memoryGiB: range(16, 60, 4) },
  { vcpu: 16, memoryGiB: range(32, 120, 8) },
];

/** The largest Fargate pod. */
export const FARGATE_MAX_POD = { vcpu: 16, memoryGiB: 120 } as const;

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** What a pod's containers request, summed as Fargate sums them (before the 256 MB it adds). */
export interface FargatePodRequest {
  readonly cores: number;
  readonly memoryMiB: number;
}

/** The Fargate size of a pod: what it is billed and given; `fits` false when it exceeds the largest size. */
export type FargatePodSize =
  | { readonly fits: true; readonly vcpu: number; readonly memoryGiB: number; readonly neededMiB: number }
  | { readonly fits: false; readonly neededMiB: number };

/**
 * The configuration Fargate gives a pod requesting `request` (init containers already folded in: the larger of the
 * largest init container and the sum of the others): the smallest vCPU count that holds the CPU request and whose
 * memory range holds the request plus 256 MB; extra memory can lift the pod to a larger vCPU count.
 */
export function fargatePodSize(request: FargatePodRequest): FargatePodSize {
  const neededMiB = request.memoryMiB + FARGATE_KUBERNETES_OVERHEAD_MIB;
  for (const { vcpu, memoryGiB } of FARGATE_CONFIGURATIONS) {
    if (vcpu + 1e-9 < request.cores) continue;
    const memory = memoryGiB.find((gib) => gib * 1024 >= neededMiB);
    if (memory !== undefined) return { fits: true, vcpu, memoryGiB: memory, neededMiB };
  }
  return { fits: false, neededMiB };
}

/** `2 vCPU / 9 GB`, as the EKS guide writes sizes. */
export function formatFargateSize(size: { readonly vcpu: number; readonly memoryGiB: number }): string {
  return `${size.vcpu} vCPU / ${size.memoryGiB} GB`;
}
