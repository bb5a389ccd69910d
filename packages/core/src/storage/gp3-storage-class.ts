import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import { requireIntegerInRange, requireObjectName } from '../primitives/kubernetes-names.js';

export const DEFAULT_GP3_STORAGE_CLASS_NAME = 'gp3';

export interface Gp3StorageClassProps {
  /** `metadata.name`. @default 'gp3' */
  readonly name?: string;
  /** What happens to a volume when its claim is deleted. @default 'Delete' */
  readonly reclaimPolicy?: 'Delete' | 'Retain';
  /** Allow growing bound volumes by editing the claim. @default true */
  readonly allowVolumeExpansion?: boolean;
  /** Customer managed KMS key ARN for encryption. @default the account's default EBS key */
  readonly kmsKeyId?: string;
  /** Provisioned IOPS (3000-16000). @default 3000 (gp3 baseline) */
  readonly iops?: number;
  /** Provisioned throughput in MiB/s (125-1000). @default 125 (gp3 baseline) */
  readonly throughputMiBps?: number;
  /** Filesystem created on the volume. @default 'ext4' */
  readonly fsType?: 'ext4' | 'xfs';
  /** Mark as the cluster's default StorageClass. @default false */
  readonly isDefaultClass?: boolean;
  /**
   * The EBS CSI driver that provisions it: `ebs.csi.aws.com` (the EBS CSI add-on) or `ebs.csi.eks.amazonaws.com` (the
   * driver EKS Auto Mode runs; an add-on's provisioner name finds no driver there). @default 'ebs.csi.aws.com'
   */
  readonly provisioner?: EbsCsiProvisioner;
}

/** The EBS CSI drivers a gp3 StorageClass can name. */
export type EbsCsiProvisioner = 'ebs.csi.aws.com' | 'ebs.csi.eks.amazonaws.com';
const EBS_CSI_PROVISIONERS: readonly EbsCsiProvisioner[] = ['ebs.csi.aws.com', 'ebs.csi.eks.amazonaws.com'];

const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key\/[A-Za-z0-9-]+$/;

/**
 * An encrypted gp3 EBS StorageClass (EBS CSI driver) that binds volumes only once a pod is scheduled, so the volume is
 * created in the pod's Availability Zone.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Gp3StorageClass } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'storage');
 * new Gp3StorageClass(chart, 'gp3', { isDefaultClass: true, throughputMiBps: 250 });
 * ```
 */
export class Gp3StorageClass extends Construct {
  readonly name: string;
  readonly apiObject: k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps = {}) {
    super(scope, id);
    this.name = props.name ?? DEFAULT_GP3_STORAGE_CLASS_NAME;
    const reclaimPolicy = props.reclaimPolicy ?? 'Delete';
    const iops = props.iops ?? 3000;
    const throughput = props.throughputMiBps ?? 125;
    const fsType = props.fsType ?? 'ext4';
    const provisioner = props.provisioner ?? 'ebs.csi.aws.com';
    requireThat(
      EBS_CSI_PROVISIONERS.includes(provisioner),
      'provisioner',
      `"${provisioner}" must be one of ${EBS_CSI_PROVISIONERS.join(', ')}`,
    );
    requireObjectName(this.name, 'name');
    requireThat(
      ['Delete', 'Retain'].includes(reclaimPolicy),
      'reclaimPolicy',
      `"${reclaimPolicy}" must be "Delete" or "Retain"`,
    );
    requireThat(['ext4', 'xfs'].includes(fsType), 'fsType', `"${fsType}" must be "ext4" or "xfs"`);
    requireIntegerInRange(iops, 3000, 16000, 'iops');
    requireIntegerInRange(throughput, 125, 1000, 'throughputMiBps');
    if (props.kmsKeyId !== undefined) {
      requireThat(
        KMS_KEY_ARN.test(props.kmsKeyId),
        'kmsKeyId',
        `"${props.kmsKeyId}" must be a KMS key ARN, arn:<partition>:kms:<region>:<account>:key/<id>`,
      );
    }

    this.apiObject = new k8s.KubeStorageClass(this, 'Resource', {
      metadata: {
        name: this.name,
        annotations: props.isDefaultClass ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
      },
      provisioner,
      // The EBS CSI driver reads every parameter as a string.
      parameters: {
        type: 'gp3',
        encrypted: 'true',
        iops: String(iops),
        throughput: String(throughput),
        'csi.storage.k8s.io/fstype': fsType,
        ...(props.kmsKeyId ? { kmsKeyId: props.kmsKeyId } : {}),
      },
      reclaimPolicy,
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: props.allowVolumeExpansion ?? true,
    });
  }
}
