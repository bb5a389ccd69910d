import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { requireIntegerInRange, requireObjectName } from '../primitives/kubernetes-names.js';
import { selectorTermsOf } from './ec2-node-class.js';
import type { NodeClassReference, SparkNodeClass } from './node-class-ref.js';

/** The data volume of an EKS Auto Mode node: kubelet, containerd images and emptyDirs live on it. */
export interface EphemeralStorageProps {
  /** Size in GiB (the CRD allows 1-59000Gi). @default 80 (Auto Mode's default) */
  readonly sizeGiB?: number;
  /** Provisioned IOPS (gp3: 3000-16000). @default 3000 */
  readonly iops?: number;
  /** Provisioned throughput in MiB/s (gp3: 125-1000). @default 125 */
  readonly throughputMiBps?: number;
}

export interface EksNodeClassProps {
  /** `metadata.name` of the NodeClass, referenced by NodePools; not `default` (Auto Mode's own). */
  readonly name: string;
  /** EKS cluster name, used for the default discovery selector tags. */
  readonly clusterName: string;
  /** IAM role name of the nodes (immutable). It needs an EC2 access entry with AmazonEKSAutoNodePolicy. */
  readonly role: string;
  /** Subnet selector terms by tags (terms are ORed). @default [{ 'karpenter.sh/discovery': clusterName }] */
  readonly subnetSelectorTags?: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Security group selector terms by tags (terms are ORed). @default [{ 'karpenter.sh/discovery': clusterName }] */
  readonly securityGroupSelectorTags?: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The node's EBS data volume. @default { sizeGiB: 80, iops: 3000, throughputMiBps: 125 } */
  readonly ephemeralStorage?: EphemeralStorageProps;
  /**
   * Declares that the pools using this class launch only types whose local NVMe is larger than the ephemeral storage:
   * Auto Mode then formats the NVMe disks as RAID0 for ephemeral storage (emptyDirs land there) and keeps a 20 GiB EBS
   * volume. Renders nothing of its own; SparkCapacity routes instance-store executors by it. @default false
   */
  readonly localNvmeEphemeralStorage?: boolean;
  /** How the node's network policy agent treats a pod before its policies are programmed. @default 'DefaultAllow' */
  readonly networkPolicy?: 'DefaultAllow' | 'DefaultDeny';
  /**
   * Tags for the instances and volumes Auto Mode creates. Auto Mode's managed policies do not allow user-defined tags:
   * the cluster IAM role needs autoModeTagPolicy as well, or no node launches. @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

// The CRD's x-kubernetes-validations on spec.tags (and kubernetes.io/cluster/* by prefix).
const RESTRICTED_TAG_KEYS = [
  'karpenter.sh/provisioner-name',
  'karpenter.sh/nodepool',
  'karpenter.sh/nodeclaim',
  'karpenter.sh/managed-by',
  'eks.amazonaws.com/nodeclass',
];

/**
 * An EKS Auto Mode NodeClass (`eks.amazonaws.com/v1`): the node role, subnets and security groups found by tag, the EBS
 * data volume that holds images, logs and emptyDirs, and tags. Auto Mode chooses the AMI, enforces IMDSv2 with a hop
 * limit of 1 and encrypts the volume; none of that is configurable here.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { EksNodeClass, NodePool } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'auto-mode');
 * const nodeClass = new EksNodeClass(chart, 'spark', {
 *   name: 'spark', clusterName: 'spark-platform', role: 'AmazonEKSAutoNodeRole', ephemeralStorage: { sizeGiB: 100 },
 * });
 * new NodePool(chart, 'batch', { name: 'batch', nodeClassRef: nodeClass.nodeClassRef });
 * ```
 */
export class EksNodeClass extends Construct implements SparkNodeClass {
  readonly name: string;
  readonly instanceStorePolicy: 'RAID0' | undefined;
  /** Size of the node's EBS data volume in GiB. */
  readonly ephemeralStorageGiB: number;
  /** What a NodePool's nodeClassRef names to use this class. */
  readonly nodeClassRef: NodeClassReference;
  /** The user-defined tags of `spec.tags`: the cluster IAM role needs autoModeTagPolicy for them. */
  readonly tags: Readonly<Record<string, string>>;
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: EksNodeClassProps) {
    super(scope, id);
    requireObjectName(props.name, 'name');
    requireThat(
      props.name !== 'default',
      'name',
      '"default" is the NodeClass of Auto Mode\'s built-in pools; choose another name',
    );
    requireThat(props.clusterName !== '', 'clusterName', 'must not be empty');
    requireThat(
      /^[\w+=,.@-]{1,64}$/.test(props.role),
      'role',
      `"${props.role}" must be an IAM role name (not an ARN), 1-64 of letters, digits and +=,.@_-`,
    );
    const selectorTerms = selectorTermsOf(props);
    this.ephemeralStorageGiB = props.ephemeralStorage?.sizeGiB ?? 80;
    const iops = props.ephemeralStorage?.iops ?? 3000;
    const throughput = props.ephemeralStorage?.throughputMiBps ?? 125;
    requireIntegerInRange(this.ephemeralStorageGiB, 1, 59000, 'ephemeralStorage.sizeGiB');
    requireIntegerInRange(iops, 3000, 16000, 'ephemeralStorage.iops');
    requireIntegerInRange(throughput, 125, 1000, 'ephemeralStorage.throughputMiBps');
    const networkPolicy = props.networkPolicy ?? 'DefaultAllow';
    requireThat(
      ['DefaultAllow', 'DefaultDeny'].includes(networkPolicy),
      'networkPolicy',
      `"${networkPolicy}" must be "DefaultAllow" or "DefaultDeny"`,
    );
    const tags = props.tags ?? {};
    for (const key of Object.keys(tags)) {
      requireThat(key !== '', 'tags', 'tag keys must not be empty');
      requireThat(
        !RESTRICTED_TAG_KEYS.includes(key) && !key.startsWith('kubernetes.io/cluster'),
        `tags["${key}"]`,
        `is set by EKS Auto Mode; restricted are ${RESTRICTED_TAG_KEYS.join(', ')} and kubernetes.io/cluster/*`,
      );
    }

    this.name = props.name;
    this.tags = { ...tags };
    this.nodeClassRef = { group: 'eks.amazonaws.com', kind: 'NodeClass', name: props.name };
    this.instanceStorePolicy = props.localNvmeEphemeralStorage ? 'RAID0' : undefined;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'eks.amazonaws.com/v1',
      kind: 'NodeClass',
      metadata: { name: props.name },
      spec: {
        role: props.role,
        ...selectorTerms,
        ephemeralStorage: { size: `${this.ephemeralStorageGiB}Gi`, iops, throughput },
        networkPolicy,
        tags: Object.keys(tags).length > 0 ? { ...tags } : undefined,
      },
    });
  }
}
