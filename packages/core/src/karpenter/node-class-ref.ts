/** A NodePool's `spec.template.spec.nodeClassRef`: which node class (and so which provider) launches its nodes. */
export interface NodeClassReference {
  /** `karpenter.k8s.aws` (self-managed Karpenter's EC2NodeClass) or `eks.amazonaws.com` (EKS Auto Mode's NodeClass). */
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/** The node classes this project knows, by group: a NodePool may reference only these. */
export const NODE_CLASS_KINDS: Readonly<Record<string, string>> = {
  'karpenter.k8s.aws': 'EC2NodeClass',
  'eks.amazonaws.com': 'NodeClass',
};

/**
 * What SparkCapacity needs of a node class: its reference, and whether its nodes put emptyDirs (ephemeral storage) on
 * a RAID0 array of the instance's local NVMe. Ec2NodeClass and EksNodeClass are both.
 */
export interface SparkNodeClass {
  readonly name: string;
  readonly nodeClassRef: NodeClassReference;
  /** `RAID0` when every node of this class with local NVMe keeps its ephemeral storage there. */
  readonly instanceStorePolicy: 'RAID0' | undefined;
}
