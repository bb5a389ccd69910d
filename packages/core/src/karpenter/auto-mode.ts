// EKS Auto Mode facts the builders and rules share (EKS user guide, "EKS Auto Mode" chapter): AWS runs Karpenter, the
// EBS CSI driver and the VPC CNI; nodes are EC2 managed instances with a bounded life.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { ARGOCD_PRUNE_DISABLED, FLUX_PRUNE_DISABLED } from '../delivery/helm-chart.js';
import { requireIamRoleArn } from '../primitives/aws-arn.js';
import type { OffKarpenterNodeAffinity } from './controller-values.js';
import type { Toleration } from '../scheduling/placement.js';

/** Auto Mode replaces a node after at most 21 days, whatever a NodePool's expireAfter says. */
export const AUTO_MODE_MAX_NODE_LIFETIME = '504h';
/** expireAfter of Auto Mode's own pools (336 hours), used for the Spark pools unless configured. */
export const AUTO_MODE_DEFAULT_EXPIRE_AFTER = '336h';
/** The drain bound Auto Mode puts on a NodeClaim whose NodePool sets no terminationGracePeriod. */
export const AUTO_MODE_DEFAULT_TERMINATION_GRACE_PERIOD = '24h';
/** Auto Mode caps pods per node at 110, after the ENI-based count. */
export const AUTO_MODE_MAX_PODS = 110;
/** The EBS CSI provisioner Auto Mode runs (not the add-on's `ebs.csi.aws.com`). */
export const AUTO_MODE_EBS_PROVISIONER = 'ebs.csi.eks.amazonaws.com';

/** Auto Mode's built-in NodePools; they cannot be edited, only enabled in the cluster's compute config. */
export type AutoModeBuiltInNodePool = 'general-purpose' | 'system';
export const AUTO_MODE_BUILT_IN_NODE_POOLS: readonly AutoModeBuiltInNodePool[] = ['general-purpose', 'system'];

export interface AutoModeClusterConfigProps {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Built-in pools to enable; [] for none. */
  readonly builtInNodePools: readonly AutoModeBuiltInNodePool[];
  /** Role of the built-in pools' nodes (required when any pool is enabled; cannot change once compute is enabled). */
  readonly nodeRoleArn?: string;
}

/** The request `aws eks update-cluster-config --cli-input-json` takes to turn Auto Mode on for a cluster. */
export interface AutoModeClusterConfig {
  readonly name: string;
  readonly computeConfig: {
    readonly enabled: true;
    readonly nodePools: readonly AutoModeBuiltInNodePool[];
    readonly nodeRoleArn?: string;
  };
  readonly kubernetesNetworkConfig: { readonly elasticLoadBalancing: { readonly enabled: true } };
  readonly storageConfig: { readonly blockStorage: { readonly enabled: true } };
}

/**
 * The cluster settings that make a cluster Auto Mode: compute (with the built-in pools wanted), block storage and load
 * balancing, which EKS requires to be enabled together. The same three objects go into `aws eks create-cluster`.
 */
export function autoModeClusterConfig(props: AutoModeClusterConfigProps): AutoModeClusterConfig {
  requireThat(props.clusterName !== '', 'clusterName', 'must not be empty');
  const pools = [...new Set(props.builtInNodePools)].sort();
  pools.forEach((pool, i) => {
    requireThat(
      AUTO_MODE_BUILT_IN_NODE_POOLS.includes(pool),
      `builtInNodePools[${i}]`,
      `"${pool}" must be one of ${AUTO_MODE_BUILT_IN_NODE_POOLS.join(', ')}`,
    );
  });
  if (pools.length > 0) {
    requireThat(props.nodeRoleArn !== undefined, 'nodeRoleArn', 'is required when a built-in node pool is enabled');
    requireIamRoleArn(props.nodeRoleArn!, 'nodeRoleArn');
  }
  return {
    name: props.clusterName,
    computeConfig: { enabled: true, nodePools: pools, ...(pools.length > 0 ? { nodeRoleArn: props.nodeRoleArn } : {}) },
    kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
    storageConfig: { blockStorage: { enabled: true } },
  };
}

/** Where an add-on's pods go on an Auto Mode cluster: a node affinity and the tolerations that go with it. */
export interface AutoModeAddonPlacement {
  /** The same constraint as a nodeSelector, for charts that take only that (JupyterHub's hub and proxy). */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly nodeAffinity: OffKarpenterNodeAffinity;
  readonly tolerations: Toleration[];
}

/**
 * Platform pods that must outlive Spark capacity (Prometheus, history servers, the JupyterHub hub) on an Auto Mode
 * cluster, where every node is a Karpenter node: on a built-in pool, never on the Spark pools. `system` carries the
 * `CriticalAddonsOnly:NoSchedule` taint, which the pods then tolerate; both pools launch amd64 and arm64 types, and the
 * pods are held to amd64 because not every add-on image (a history server's Spark image) is published for arm64.
 */
export function autoModeAddonPlacement(pool: AutoModeBuiltInNodePool): AutoModeAddonPlacement {
  requireThat(
    AUTO_MODE_BUILT_IN_NODE_POOLS.includes(pool),
    'pool',
    `"${pool}" must be one of ${AUTO_MODE_BUILT_IN_NODE_POOLS.join(', ')}`,
  );
  return {
    nodeSelector: { 'karpenter.sh/nodepool': pool, 'kubernetes.io/arch': 'amd64' },
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'karpenter.sh/nodepool', operator: 'In', values: [pool] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            ],
          },
        ],
      },
    },
    tolerations: pool === 'system' ? [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }] : [],
  };
}

/** An add-on's nodePlacement, checked: it replaces the off-Karpenter affinity, so it excludes managed node groups. */
export function addonNodePlacement(
  placement: AutoModeAddonPlacement | undefined,
  managedNodeGroups: readonly string[] | undefined,
): AutoModeAddonPlacement | undefined {
  requireThat(
    placement === undefined || !managedNodeGroups?.length,
    'nodePlacement',
    'replaces the placement on managedNodeGroups; give one of them (EKS Auto Mode has no managed node groups of its own)',
  );
  return placement;
}

/**
 * `kube-system/amazon-vpc-cni` with `enable-network-policy-controller: "true"`: without it Auto Mode does not enforce
 * NetworkPolicies, and the tenants' deny-by-default policies would be inert. Flux and Argo CD never prune it: the
 * ConfigMap is the cluster's (the VPC CNI add-on keeps its settings in the same object), so leaving Git must not delete it.
 */
export class AutoModeNetworkPolicyController extends Construct {
  readonly apiObject: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: 'amazon-vpc-cni',
        namespace: 'kube-system',
        annotations: { ...FLUX_PRUNE_DISABLED, ...ARGOCD_PRUNE_DISABLED },
      },
      data: { 'enable-network-policy-controller': 'true' },
    });
  }
}
