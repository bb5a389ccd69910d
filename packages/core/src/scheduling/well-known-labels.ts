/**
 * The node labels Karpenter and EKS put on every node they launch, whether or not a NodePool constrains them: a pod may
 * select one of them on any pool, and the pool's instance types decide which values it can get.
 */

/** Karpenter's `karpenter.sh/capacity-type` values. */
export type CapacityType = 'on-demand' | 'spot' | 'reserved';
export const CAPACITY_TYPE_LABEL = 'karpenter.sh/capacity-type';
/** The label naming the NodePool that launched a node. */
export const NODEPOOL_LABEL = 'karpenter.sh/nodepool';

/** `karpenter.k8s.aws/*` keys a NodePool may use (the provider's well-known labels); the rest of that domain is Karpenter's. */
export const AWS_WELL_KNOWN_LABELS: ReadonlySet<string> = new Set(
  [
    'instance-tenancy',
    'capacity-reservation-type',
    'capacity-reservation-id',
    'capacity-reservation-interruptible',
    'ec2nodeclass',
    'instance-encryption-in-transit-supported',
    'instance-category',
    'instance-hypervisor',
    'instance-family',
    'instance-generation',
    'instance-local-nvme',
    'instance-size',
    'instance-cpu',
    'instance-cpu-manufacturer',
    'instance-cpu-sustained-clock-speed-mhz',
    'instance-memory',
    'instance-ebs-bandwidth',
    'instance-network-bandwidth',
    'instance-gpu-name',
    'instance-gpu-manufacturer',
    'instance-gpu-count',
    'instance-gpu-memory',
    'instance-accelerator-name',
    'instance-accelerator-manufacturer',
    'instance-accelerator-count',
    'instance-capability-flex',
    'placement-group-id',
    'placement-group-partition',
  ].map((name) => `karpenter.k8s.aws/${name}`),
);

/**
 * The labels EKS Auto Mode puts on its nodes (EKS user guide, "Create a Node Pool for EKS Auto Mode", supported labels):
 * Karpenter's AWS facts under `eks.amazonaws.com/`, and `compute-type: auto`.
 */
export const EKS_AUTO_MODE_WELL_KNOWN_LABELS: ReadonlySet<string> = new Set(
  [
    'compute-type',
    'instance-hypervisor',
    'instance-encryption-in-transit-supported',
    'instance-category',
    'instance-generation',
    'instance-family',
    'instance-size',
    'instance-cpu',
    'instance-cpu-manufacturer',
    'instance-memory',
    'instance-ebs-bandwidth',
    'instance-network-bandwidth',
    'instance-gpu-name',
    'instance-gpu-manufacturer',
    'instance-gpu-count',
    'instance-gpu-memory',
    'instance-local-nvme',
  ].map((name) => `eks.amazonaws.com/${name}`),
);

/**
 * Labels every node Karpenter launches carries, whether or not its NodePool constrains them. Karpenter v1 gives them no
 * default: "If a requirement is not defined for a well known label, any value available to the cloud provider may be
 * chosen" (karpenter.sh, NodePools, spec.template.spec.requirements); `kubernetes.io/arch` on a pool without an arch
 * requirement is amd64 or arm64, whichever instance type the pod's own requirements leave.
 */
export const WELL_KNOWN_LABELS: ReadonlySet<string> = new Set([
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'kubernetes.io/hostname',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.k8s.aws/zone-id',
  CAPACITY_TYPE_LABEL,
  NODEPOOL_LABEL,
  ...AWS_WELL_KNOWN_LABELS,
  ...EKS_AUTO_MODE_WELL_KNOWN_LABELS,
]);

/** Instance labels Karpenter sets only on types that have the thing (GPU count and maker, NVMe, accelerators). */
export const PER_TYPE_LABELS = /\/instance-(gpu-|local-nvme|accelerator-)/;
