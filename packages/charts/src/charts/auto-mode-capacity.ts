import type { Construct } from 'constructs';
import {
  AUTO_MODE_DEFAULT_EXPIRE_AFTER,
  AUTO_MODE_EBS_PROVISIONER,
  AutoModeNetworkPolicyController,
  EKS_AUTO_MODE_INSTANCE_LABELS,
  EksNodeClass,
  LABELS,
  autoModeAddonPlacement,
  autoModeClusterConfig,
  type AutoModeAddonPlacement,
  type AutoModeBuiltInNodePool,
  type EbsCsiProvisioner,
  type InstanceLabelKeys,
  type SparkNodeClass,
} from '@emr-eks-gitops/core';
import type { AutoModeCapacity, ResolvedEnvironment } from '../config/resolve.js';

/** The built-in pools the environment enables, sorted as the compute config lists them. */
export function builtInNodePools(capacity: AutoModeCapacity): AutoModeBuiltInNodePool[] {
  return [...capacity.autoMode.builtInNodePools].sort();
}

/** The provisioner of every EBS StorageClass the environment renders (Auto Mode runs its own EBS CSI driver). */
export function ebsProvisioner(config: Pick<ResolvedEnvironment, 'capacity'>): EbsCsiProvisioner {
  return config.capacity.backend === 'auto-mode' ? AUTO_MODE_EBS_PROVISIONER : 'ebs.csi.aws.com';
}

/**
 * Where add-ons that must outlive Spark capacity run: off every Karpenter node (on the controller's managed node
 * groups when given), or on Auto Mode, where every node is a Karpenter node, on the configured built-in pool.
 */
export function addonPlacement(config: ResolvedEnvironment): {
  managedNodeGroups?: readonly string[];
  nodePlacement?: AutoModeAddonPlacement;
} {
  const capacity = config.capacity;
  return capacity.backend === 'auto-mode'
    ? { nodePlacement: autoModeAddonPlacement(capacity.autoMode.addonNodePool) }
    : { managedNodeGroups: capacity.controller.managedNodeGroups };
}

/** What the capacity chart builds the Spark pools of every class from, on either back end. */
export interface SparkNodes {
  readonly driverNodeClass: SparkNodeClass;
  /** The RAID0 instance-store node class, when the default pools or a capacity class run NVMe executors. */
  readonly nvmeNodeClass: SparkNodeClass | undefined;
  readonly instanceLabels: InstanceLabelKeys;
  /** Executor pools' expireAfter: on Auto Mode its own (336h), within its 21-day node lifetime. @default SparkCapacity's */
  readonly expireAfter?: string;
  readonly driverNodes?: { readonly expireAfter?: string; readonly terminationGracePeriod?: string };
  /**
   * Node classes like the environment's, named `name` (and `nvmeName`, RAID0 instance store, when given) with `tags`
   * added to the environment's: what a capacity class exclusive to some tenants launches its nodes with, tagged for cost.
   */
  readonly taggedNodeClasses: (
    name: string,
    tags: Readonly<Record<string, string>>,
    nvmeName: string | undefined,
  ) => TaggedNodeClasses;
}

/** A capacity class's own node classes. */
export interface TaggedNodeClasses {
  readonly driverNodeClass: SparkNodeClass;
  readonly nvmeNodeClass: SparkNodeClass | undefined;
}

/**
 * The node classes of SparkNodes from one back end's constructor (`nvme`: the RAID0 instance-store one): the
 * environment's, `spark` (and `spark-nvme` for NVMe executors), and `taggedNodeClasses` for a class's own.
 */
export function sparkNodeClasses(
  make: (id: string, name: string, tags: Readonly<Record<string, string>>, nvme: boolean) => SparkNodeClass,
  nvmeExecutors: boolean,
): TaggedNodeClasses & Pick<SparkNodes, 'taggedNodeClasses'> {
  const nodeClasses = (
    name: string,
    tags: Readonly<Record<string, string>>,
    nvmeName: string | undefined,
    id = `-${name}`,
  ): TaggedNodeClasses => ({
    driverNodeClass: make(`SparkNodeClass${id}`, name, tags, false),
    nvmeNodeClass: nvmeName === undefined ? undefined : make(`SparkNvmeNodeClass${id}`, nvmeName, tags, true),
  });
  return {
    ...nodeClasses('spark', {}, nvmeExecutors ? 'spark-nvme' : undefined, ''),
    taggedNodeClasses: (name, tags, nvmeName) => nodeClasses(name, tags, nvmeName),
  };
}

/** Where the cluster IAM role's tag policy goes, under artifacts/platform/karpenter/. */
export const AUTO_MODE_TAG_POLICY_ARTIFACT = 'auto-mode-cluster-role-tag-policy.json';

/** The user-defined tags of the Spark NodeClasses: the environment, so costs can be told apart per environment. */
export function autoModeNodeClassTags(config: Pick<ResolvedEnvironment, 'name'>): Record<string, string> {
  return { [LABELS.environment]: config.name };
}

/** True when the NodeClasses carry user-defined tags, which need the tag policy on the cluster IAM role. */
export function needsTagPolicy(config: ResolvedEnvironment): boolean {
  return config.capacity.backend === 'auto-mode' && Object.keys(autoModeNodeClassTags(config)).length > 0;
}

// The NVMe class's data volume: below every local NVMe the catalog knows (the smallest, 50 GB, is 46 GiB), so Auto
// Mode puts ephemeral storage on the NVMe RAID0 and keeps only a small EBS volume.
const NVME_CLASS_EPHEMERAL_GIB = 20;

/**
 * EKS Auto Mode's part of the capacity chart: the `spark` NodeClass (and `spark-nvme` for instance-store executors), the
 * `kube-system/amazon-vpc-cni` ConfigMap that turns NetworkPolicy enforcement on (the tenants rely on it), and the
 * cluster's compute config as an artifact. The driver pool's drain bound is written out (Auto Mode's 24h when not
 * configured), so the run-time rule that compares it with the tenants' longest jobs sees what the cluster does.
 */
export function autoModeSparkNodes(
  scope: Construct,
  config: ResolvedEnvironment,
  capacity: AutoModeCapacity,
  nvme: boolean,
): SparkNodes {
  const nodeClasses = sparkNodeClasses(
    (id, name, tags, nvmeClass) =>
      new EksNodeClass(scope, id, {
        name,
        clusterName: config.cluster.name,
        role: capacity.nodeRole,
        tags: { ...autoModeNodeClassTags(config), ...tags },
        ...(nvmeClass
          ? { ephemeralStorage: { sizeGiB: NVME_CLASS_EPHEMERAL_GIB }, localNvmeEphemeralStorage: true }
          : { ephemeralStorage: { sizeGiB: capacity.rootVolumeGiB } }),
      }),
    nvme,
  );
  new AutoModeNetworkPolicyController(scope, 'NetworkPolicyController');
  return {
    ...nodeClasses,
    instanceLabels: EKS_AUTO_MODE_INSTANCE_LABELS,
    expireAfter: AUTO_MODE_DEFAULT_EXPIRE_AFTER,
    driverNodes: capacity.driverNodes,
  };
}

/** The request that turns Auto Mode on with the configured built-in pools (`aws eks update-cluster-config --cli-input-json`). */
export function autoModeClusterConfigArtifact(config: ResolvedEnvironment, capacity: AutoModeCapacity) {
  const pools = builtInNodePools(capacity);
  return autoModeClusterConfig({
    clusterName: config.cluster.name,
    builtInNodePools: pools,
    nodeRoleArn: `arn:${config.cluster.partition}:iam::${config.cluster.accountId}:role/${capacity.nodeRole}`,
  });
}
