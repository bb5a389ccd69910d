import type { Construct } from 'constructs';
import {
  EMR_CONTAINERS_NAME,
  EMR_SERVICE_LINKED_ROLE_NAME,
  KARPENTER_CHART,
  NODE_GROUPS,
  NODE_USERNAME,
  clusterAccessPolicyRequest,
  mapRolesEntries,
  eksctlIdentityMappings,
  emrIdentityMapping,
  nodeAccessEntryRequest,
  nodeIdentityMapping,
  roleArn,
  type IamIdentityMapping,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { ManifestChart } from './manifest-chart.js';
import type { ClusterAccessSummary } from './summaries.js';

/** Where the cluster-access documents go, below `artifacts/`. */
export const CLUSTER_ACCESS_FOLDER = 'platform/cluster-access';

/** The access policy EKS Auto Mode's node role needs (EKS user guide, Auto Mode node IAM role). */
export const AUTO_MODE_NODE_POLICY = 'AmazonEKSAutoNodePolicy';

/** What the cluster's authentication must know, per mode: the documents and the commands that read them. */
export interface ClusterAccessPlan {
  /** aws-auth mappings (EMR's role in aws-auth mode, the self-managed Karpenter node role there too). */
  readonly identityMappings: readonly IamIdentityMapping[];
  /** The node role's access entry (access-entry mode or Auto Mode), and on Auto Mode its access policy. */
  readonly nodeAccessEntry?: {
    readonly type: 'EC2_LINUX' | 'EC2';
    readonly roleArn: string;
    readonly policyArn?: string;
  };
  /** EMR's service-linked role as aws-auth names it (no path). */
  readonly serviceLinkedRoleArn: string;
  readonly nodeRoleArn: string;
}

/**
 * The identities the cluster must map, from the environment: EMR's role (aws-auth mode: a mapping to the
 * `emr-containers` user; access-entry mode: EMR creates its own entry), and the node role of Karpenter's nodes
 * (self-managed Karpenter: an aws-auth mapping in aws-auth mode, an `EC2_LINUX` access entry otherwise; Auto Mode: an
 * `EC2` access entry with AmazonEKSAutoNodePolicy). Managed node groups and Fargate profiles get theirs from EKS.
 */
export function clusterAccessPlan(config: ResolvedEnvironment): ClusterAccessPlan {
  const { partition, accountId } = config.cluster;
  const serviceLinkedRoleArn = roleArn(partition, accountId, EMR_SERVICE_LINKED_ROLE_NAME);
  const nodeRoleArn = roleArn(partition, accountId, config.capacity.nodeRole);
  const awsAuth = config.cluster.emrAccess === 'aws-auth';
  const autoMode = config.capacity.backend === 'auto-mode';
  const identityMappings = [
    ...(awsAuth ? [emrIdentityMapping(serviceLinkedRoleArn, EMR_CONTAINERS_NAME)] : []),
    ...(awsAuth && !autoMode ? [nodeIdentityMapping(nodeRoleArn)] : []),
  ];
  const nodeAccessEntry = autoMode
    ? {
        type: 'EC2' as const,
        roleArn: nodeRoleArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${AUTO_MODE_NODE_POLICY}`,
      }
    : awsAuth
      ? undefined
      : { type: 'EC2_LINUX' as const, roleArn: nodeRoleArn };
  return { identityMappings, nodeAccessEntry, serviceLinkedRoleArn, nodeRoleArn };
}

/**
 * `artifacts/platform/cluster-access/`: the documents that let EMR and the Spark nodes into the cluster, each in the
 * shape its tool reads as is: `eksctl-iam-identity-mappings.yaml` (`eksctl create iamidentitymapping -f`, which adds
 * to aws-auth's mapRoles string and keeps what is there), `node-access-entry.json` (`aws eks create-access-entry
 * --cli-input-json`) and on Auto Mode `node-access-policy.json` (`aws eks associate-access-policy --cli-input-json`).
 */
export class ClusterAccessChart extends ManifestChart {
  readonly plan: ClusterAccessPlan;
  /** The plan as the README's "Outside Git" steps read it. */
  readonly summary: ClusterAccessSummary;

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-cluster-access', {
      folder: CLUSTER_ACCESS_FOLDER,
      environment: config.name,
      configPath: ['cluster'],
    });
    this.plan = clusterAccessPlan(config);
    this.summary = clusterAccessSummary(config, this.plan);
    const { name, region } = config.cluster;
    if (this.plan.identityMappings.length > 0) {
      this.addArtifact({
        path: 'eksctl-iam-identity-mappings.yaml',
        format: 'yaml',
        kubernetesObject: false,
        value: eksctlIdentityMappings(name, region, this.plan.identityMappings),
      });
    }
    const entry = this.plan.nodeAccessEntry;
    if (entry) {
      this.addArtifact({
        path: 'node-access-entry.json',
        format: 'json',
        kubernetesObject: false,
        value: nodeAccessEntryRequest(name, entry.roleArn, entry.type),
      });
      if (entry.policyArn) {
        this.addArtifact({
          path: 'node-access-policy.json',
          format: 'json',
          kubernetesObject: false,
          value: clusterAccessPolicyRequest(name, entry.roleArn, entry.policyArn),
        });
      }
    }
  }
}

/** The plan and the documents written from it, for the README's steps. */
function clusterAccessSummary(config: ResolvedEnvironment, plan: ClusterAccessPlan): ClusterAccessSummary {
  return {
    awsAuth: config.cluster.emrAccess === 'aws-auth',
    folder: CLUSTER_ACCESS_FOLDER,
    identityMappings: plan.identityMappings.length > 0,
    nodeMapping: plan.identityMappings.some((mapping) => mapping.arn === plan.nodeRoleArn),
    mapRoles: mapRolesEntries(plan.identityMappings),
    nodeAccessEntry: plan.nodeAccessEntry && {
      type: plan.nodeAccessEntry.type,
      policyArn: plan.nodeAccessEntry.policyArn,
    },
    nodeRoleArn: plan.nodeRoleArn,
    serviceLinkedRoleArn: plan.serviceLinkedRoleArn,
    nodeUsername: NODE_USERNAME,
    nodeGroups: NODE_GROUPS,
    karpenterVersion: KARPENTER_CHART.version,
  };
}
