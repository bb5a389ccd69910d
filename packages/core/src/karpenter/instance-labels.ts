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

/**
 * The well-known labels of EKS Auto Mode nodes (EKS user guide, "Create a Node Pool for EKS Auto Mode", supported
 * labels): the same facts under `eks.amazonaws.com/`. Auto Mode's `instance-local-nvme` is documented in GiB where
 * Karpenter's AWS provider reports GB; `Gt 0` (the only comparison this project writes) reads the same in both.
 */
export const EKS_AUTO_MODE_INSTANCE_LABELS: InstanceLabelKeys = keys('eks.amazonaws.com/');

/** Both vocabularies, for code that reads a pool's requirements without knowing its back end. */
export const INSTANCE_LABEL_VOCABULARIES: readonly InstanceLabelKeys[] = [
  KARPENTER_AWS_INSTANCE_LABELS,
  EKS_AUTO_MODE_INSTANCE_LABELS,
];
