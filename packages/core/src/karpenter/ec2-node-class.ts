import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { requireIntegerInRange, requireObjectName } from '../primitives/kubernetes-names.js';
import type { NodeClassReference, SparkNodeClass } from './node-class-ref.js';

/** Root EBS volume of every node; the kubelet, containerd and emptyDirs live on it unless RAID0 instance store is used. */
export interface RootVolumeProps {
  /** Size in GiB (gp3: 1-16384). @default 100 */
  readonly sizeGiB?: number;
  /** Provisioned IOPS (gp3: 3000-16000). @default 3000 (gp3 baseline) */
  readonly iops?: number;
  /** Provisioned throughput in MiB/s (gp3: 125-1000). @default 125 (gp3 baseline) */
  readonly throughputMiBps?: number;
  /** Customer managed KMS key (id, alias or ARN) for the volume. @default the account's default EBS key */
  readonly kmsKeyId?: string;
}

/** Instance Metadata Service exposure of the nodes. */
export interface MetadataOptionsProps {
  /** `required` enforces IMDSv2. @default 'required' */
  readonly httpTokens?: 'required' | 'optional';
  /** Hops a metadata PUT response may travel; 1 keeps pods (one hop further) away from node credentials. @default 1 */
  readonly httpPutResponseHopLimit?: number;
}

export interface Ec2NodeClassProps {
  /** `metadata.name` of the EC2NodeClass, referenced by NodePools. */
  readonly name: string;
  /** EKS cluster name, used for the default discovery selector tags. */
  readonly clusterName: string;
  /** Pinned EKS-optimized AMI alias `family@version`, e.g. `al2023@v20250101` (families al2, al2023, bottlerocket). */
  readonly amiAlias: string;
  /** Allow `@latest`, which makes nodes drift to every new AMI release. @default false */
  readonly allowLatestAmi?: boolean;
  /** IAM role name for the nodes; Karpenter manages the instance profile. Exactly one of role / instanceProfile. */
  readonly role?: string;
  /** Existing instance profile name for the nodes. Exactly one of role / instanceProfile. */
  readonly instanceProfile?: string;
  /** Subnet selector terms by tags (terms are ORed). @default [{ 'karpenter.sh/discovery': clusterName }] */
  readonly subnetSelectorTags?: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Security group selector terms by tags (terms are ORed). @default [{ 'karpenter.sh/discovery': clusterName }] */
  readonly securityGroupSelectorTags?: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Root EBS volume (gp3, encrypted). @default { sizeGiB: 100 } */
  readonly rootVolume?: RootVolumeProps;
  /** `RAID0` builds one array of all NVMe instance-store disks and puts kubelet and containerd (so emptyDirs) on it. @default instance store unused */
  readonly instanceStorePolicy?: 'RAID0';
  /** IMDS settings. @default { httpTokens: 'required', httpPutResponseHopLimit: 1 } */
  readonly metadataOptions?: MetadataOptionsProps;
  /** Tags for the instances, volumes and launch templates Karpenter creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const AMI_ALIAS = /^(al2|al2023|bottlerocket)@(latest|v[0-9][0-9A-Za-z.-]*)$/;
const RESTRICTED_TAG_KEYS = [
  'eks:eks-cluster-name',
  'karpenter.sh/nodepool',
  'karpenter.sh/nodeclaim',
  'karpenter.k8s.aws/ec2nodeclass',
];

function requireSelectorTerms(terms: ReadonlyArray<Readonly<Record<string, string>>>, field: string): void {
  requireThat(terms.length >= 1 && terms.length <= 30, field, 'must hold 1 to 30 tag selector terms');
  terms.forEach((tags, i) => {
    const entries = Object.entries(tags);
    requireThat(entries.length >= 1 && entries.length <= 20, `${field}[${i}]`, 'must hold 1 to 20 tags');
    for (const [key, value] of entries) {
      requireThat(
        key !== '' && value !== '',
        `${field}[${i}]["${key}"]`,
        'tag keys and values must not be empty ("*" matches any value)',
      );
    }
  });
}

/** Where both node classes find subnets and security groups: by tag, `karpenter.sh/discovery: <cluster>` unless given. */
export interface SelectorTagsProps {
  readonly clusterName: string;
  readonly subnetSelectorTags?: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly securityGroupSelectorTags?: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** The validated `subnetSelectorTerms` and `securityGroupSelectorTerms` of a node class spec. */
export function selectorTermsOf(props: SelectorTagsProps) {
  const discovery = [{ 'karpenter.sh/discovery': props.clusterName }];
  const subnets = props.subnetSelectorTags ?? discovery;
  const securityGroups = props.securityGroupSelectorTags ?? discovery;
  requireSelectorTerms(subnets, 'subnetSelectorTags');
  requireSelectorTerms(securityGroups, 'securityGroupSelectorTags');
  return {
    subnetSelectorTerms: subnets.map((t) => ({ tags: { ...t } })),
    securityGroupSelectorTerms: securityGroups.map((t) => ({ tags: { ...t } })),
  };
}

function requireTags(tags: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(tags)) {
    requireThat(key !== '', 'tags', 'tag keys must not be empty');
    requireThat(
      !RESTRICTED_TAG_KEYS.includes(key) && !key.startsWith('kubernetes.io/cluster'),
      `tags["${key}"]`,
      `is set by EKS or Karpenter; restricted are ${RESTRICTED_TAG_KEYS.join(', ')} and kubernetes.io/cluster/*`,
    );
  }
}

/**
 * A Karpenter v1 EC2NodeClass (`karpenter.k8s.aws/v1`): pinned AMI, IMDSv2-only metadata, an encrypted gp3 root
 * volume, and subnets and security groups found by tag.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Ec2NodeClass } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'karpenter');
 * const nodeClass = new Ec2NodeClass(chart, 'spark', {
 *   name: 'spark',
 *   clusterName: 'spark-platform',
 *   amiAlias: 'al2023@v20250115', // pinned: nodes change only when this does
 *   role: 'KarpenterNodeRole-spark-platform',
 *   rootVolume: { sizeGiB: 200 },
 * });
 * // NodePools refer to it by nodeClass.name
 * ```
 */
export class Ec2NodeClass extends Construct implements SparkNodeClass {
  readonly name: string;
  readonly instanceStorePolicy: 'RAID0' | undefined;
  readonly apiObject: ApiObject;

  /** What a NodePool's nodeClassRef names to use this class. */
  get nodeClassRef(): NodeClassReference {
    return { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: this.name };
  }

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    requireObjectName(props.name, 'name');
    requireThat(props.clusterName !== '', 'clusterName', 'must not be empty');
    requireThat(
      props.amiAlias.length <= 30 && AMI_ALIAS.test(props.amiAlias),
      'amiAlias',
      `"${props.amiAlias}" must be family@version with family al2, al2023 or bottlerocket, e.g. "al2023@v20250101"`,
    );
    const family = props.amiAlias.slice(0, props.amiAlias.indexOf('@'));
    requireThat(
      !props.amiAlias.endsWith('@latest') || props.allowLatestAmi === true,
      'amiAlias',
      '"@latest" replaces every node whenever AWS publishes an AMI; pin a version such as "al2023@v20250101" or set allowLatestAmi',
    );
    requireThat(
      (props.role === undefined) !== (props.instanceProfile === undefined),
      'role',
      'exactly one of role and instanceProfile must be given',
    );
    requireThat(
      props.role !== '' && props.instanceProfile !== '',
      props.role === '' ? 'role' : 'instanceProfile',
      'must not be empty',
    );

    const selectorTerms = selectorTermsOf(props);

    const sizeGiB = props.rootVolume?.sizeGiB ?? 100;
    const iops = props.rootVolume?.iops ?? 3000;
    const throughput = props.rootVolume?.throughputMiBps ?? 125;
    requireIntegerInRange(sizeGiB, 1, 16384, 'rootVolume.sizeGiB');
    requireIntegerInRange(iops, 3000, 16000, 'rootVolume.iops');
    requireIntegerInRange(throughput, 125, 1000, 'rootVolume.throughputMiBps');
    requireThat(props.rootVolume?.kmsKeyId !== '', 'rootVolume.kmsKeyId', 'must not be empty');

    const httpTokens = props.metadataOptions?.httpTokens ?? 'required';
    const hopLimit = props.metadataOptions?.httpPutResponseHopLimit ?? 1;
    requireThat(
      ['required', 'optional'].includes(httpTokens),
      'metadataOptions.httpTokens',
      'must be "required" or "optional"',
    );
    requireIntegerInRange(hopLimit, 1, 64, 'metadataOptions.httpPutResponseHopLimit');
    requireThat(
      props.instanceStorePolicy === undefined || props.instanceStorePolicy === 'RAID0',
      'instanceStorePolicy',
      'must be "RAID0" or absent',
    );
    const tags = props.tags ?? {};
    requireTags(tags);

    this.name = props.name;
    this.instanceStorePolicy = props.instanceStorePolicy;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: props.name },
      spec: {
        // An alias term must be the only AMI selector term (CRD rule).
        amiSelectorTerms: [{ alias: props.amiAlias }],
        role: props.role,
        instanceProfile: props.instanceProfile,
        ...selectorTerms,
        blockDeviceMappings: [
          {
            // Bottlerocket keeps the OS on xvda and kubelet data on xvdb; the AL images use one root volume.
            deviceName: family === 'bottlerocket' ? '/dev/xvdb' : '/dev/xvda',
            rootVolume: true,
            ebs: {
              volumeSize: `${sizeGiB}Gi`,
              volumeType: 'gp3',
              iops,
              throughput,
              encrypted: true,
              kmsKeyID: props.rootVolume?.kmsKeyId,
              deleteOnTermination: true,
            },
          },
        ],
        instanceStorePolicy: props.instanceStorePolicy,
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: hopLimit,
          httpTokens,
        },
        tags: Object.keys(tags).length > 0 ? { ...tags } : undefined,
      },
    });
  }
}
