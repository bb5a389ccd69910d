/**
 * The node labels that describe an instance. Karpenter's AWS provider and EKS Auto Mode put the same facts on their
 * nodes under different keys, so NodePool requirements are written through one of these vocabularies.
 */
export interface InstanceLabelKeys {
  /** Instance category, e.g. `c`, `m`, `r`, `g`. */
  readonly category: string;
  /** Instance family, e.g. `m7g`. */
  readonly family: string;
  /** Instance generation, e.g. `7` (Gt/Lt take integers). */
  readonly generation: string;
  /** Instance size, e.g. `4xlarge`. */
  readonly size: string;
  /** vCPUs of the instance. */
  readonly cpu: string;
  /** Memory of the instance in MiB. */
  readonly memory: string;
  /** GB of NVMe instance store; absent on types without one. */
  readonly localNvme: string;
  /** Number of GPUs; absent on types without one. */
  readonly gpuCount: string;
  /** GPU maker, e.g. `nvidia`. */
  readonly gpuManufacturer: string;
  /** GPU model, e.g. `a10g`. */
  readonly gpuName: string;
}

const keys = (prefix: string): InstanceLabelKeys => ({
  category: `${prefix}instance-category`,
  family: `${prefix}instance-family`,
  generation: `${prefix}instance-generation`,
  size: `${prefix}instance-size`,
  cpu: `${prefix}instance-cpu`,
  memory: `${prefix}instance-memory`,
  localNvme: `${prefix}instance-local-nvme`,
  gpuCount: `${prefix}instance-gpu-count`,
  gpuManufacturer: `${prefix}instance-gpu-manufacturer`,
  gpuName: `${prefix}instance-gpu-name`,
});

/** The well-known labels of Karpenter's AWS provider (self-managed Karpenter with EC2NodeClass). */
export const KARPENTER_AWS_INSTANCE_LABELS: InstanceLabelKeys = keys('karpenter.k8s.aws/');
