import { KARPENTER_CHART } from '../delivery/helm-chart.js';
import { requireThat } from '../primitives/errors.js';
import { requireIamRoleArn } from '../primitives/aws-arn.js';

/** Where Karpenter's controller runs when installed with the cluster (its chart's documented namespace), and where it is scraped by default. */
export const KARPENTER_CLUSTER_NAMESPACE = KARPENTER_CHART.namespace;

export interface KarpenterControllerValuesProps {
  /** EKS cluster name (`settings.clusterName`). */
  readonly clusterName: string;
  /** Name of the SQS queue that receives EC2 spot interruption and rebalance events (`settings.interruptionQueue`). */
  readonly interruptionQueue: string;
  /** ARN of the controller's IAM role, bound to its service account through IRSA. */
  readonly controllerRoleArn: string;
  /** Pin the controller to these EKS managed node groups (`eks.amazonaws.com/nodegroup In [...]`). @default any node Karpenter did not make */
  readonly managedNodeGroups?: readonly string[];
  /** Controller replicas, kept on different nodes. @default 2 */
  readonly replicas?: number;
}

/** The subset of the Karpenter chart's values this project sets. */
export interface KarpenterControllerValues {
  readonly replicas: number;
  readonly settings: { readonly clusterName: string; readonly interruptionQueue: string };
  readonly serviceAccount: { readonly annotations: Readonly<Record<string, string>> };
  readonly affinity: {
    readonly nodeAffinity: {
      readonly requiredDuringSchedulingIgnoredDuringExecution: {
        readonly nodeSelectorTerms: ReadonlyArray<{
          readonly matchExpressions: ReadonlyArray<{
            readonly key: string;
            readonly operator: string;
            readonly values?: readonly string[];
          }>;
        }>;
      };
    };
    readonly podAntiAffinity: {
      readonly requiredDuringSchedulingIgnoredDuringExecution: ReadonlyArray<{ readonly topologyKey: string }>;
    };
  };
}

/** A required node affinity: never on a node Karpenter made (and, when given, only on these EKS managed node groups). */
export interface OffKarpenterNodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: Array<{ matchExpressions: Array<{ key: string; operator: string; values?: string[] }> }>;
  };
}

/**
 * The node affinity of platform pods that must outlive Spark capacity (Karpenter's controller, Prometheus, history
 * servers): `karpenter.sh/nodepool DoesNotExist`, plus `eks.amazonaws.com/nodegroup In [...]` when node groups are given.
 */
export function offKarpenterNodeAffinity(managedNodeGroups?: readonly string[]): OffKarpenterNodeAffinity {
  return {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
            ...(managedNodeGroups?.length
              ? [{ key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: [...managedNodeGroups].sort() }]
              : []),
          ],
        },
      ],
    },
  };
}

const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const EKS_NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;

/**
 * Helm values for the Karpenter chart (a Flux HelmRelease's `spec.values`) that keep the controller off the nodes
 * it manages: if it ran on one, consolidating that node would take down the controller doing the consolidating.
 *
 * @example
 * ```ts
 * import { karpenterControllerHelmValues } from '@emr-eks-gitops/core';
 *
 * const values = karpenterControllerHelmValues({
 *   clusterName: 'spark-platform',
 *   interruptionQueue: 'spark-platform-karpenter',
 *   controllerRoleArn: 'arn:aws:iam::123456789012:role/KarpenterController-spark-platform',
 *   managedNodeGroups: ['system'], // the controller runs only there
 * });
 * // values: the Karpenter chart's values (settings, IRSA annotation, node affinity, replicas)
 * ```
 */
export function karpenterControllerHelmValues(props: KarpenterControllerValuesProps): KarpenterControllerValues {
  const replicas = props.replicas ?? 2;
  requireThat(props.clusterName !== '', 'clusterName', 'must not be empty');
  requireThat(
    SQS_QUEUE_NAME.test(props.interruptionQueue),
    'interruptionQueue',
    `"${props.interruptionQueue}" must be an SQS queue name (1-80 of A-Z a-z 0-9 _ -), not a URL or ARN`,
  );
  requireIamRoleArn(props.controllerRoleArn, 'controllerRoleArn');
  requireThat(Number.isInteger(replicas) && replicas >= 1, 'replicas', `${replicas} must be a positive integer`);
  const nodeGroups = props.managedNodeGroups;
  if (nodeGroups !== undefined) {
    requireThat(nodeGroups.length > 0, 'managedNodeGroups', 'must name at least one node group when given');
    nodeGroups.forEach((name, i) => {
      requireThat(EKS_NODEGROUP_NAME.test(name), `managedNodeGroups[${i}]`, `"${name}" is not an EKS node group name`);
    });
  }
  return {
    replicas,
    settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueue },
    serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': props.controllerRoleArn } },
    affinity: {
      nodeAffinity: offKarpenterNodeAffinity(nodeGroups),
      // Setting affinity replaces the chart's default, which also spreads replicas across nodes; keep that.
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] },
    },
  };
}
