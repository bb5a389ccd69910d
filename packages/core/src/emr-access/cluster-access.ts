import { ConfigurationError } from '../primitives/errors.js';

/**
 * How IAM roles get into an EKS cluster, as documents the AWS tools read as they are. Sources:
 * - EKS user guide, "Grant IAM users access to Kubernetes with EKS access entries" (access entry types: `EC2_LINUX`
 *   for self-managed Linux nodes, username `system:node:{{EC2PrivateDNSName}}` set by EKS, no groups or access
 *   policies on a node type) and "Grant IAM users and roles access to Kubernetes APIs" (aws-auth: `data.mapRoles` is a
 *   string holding a YAML list; a role ARN there cannot include a path); awsdocs/amazon-eks-user-guide
 *   latest/ug/manage-access/k8s-access/{grant-k8s-access,auth-configmap}.adoc.
 * - EKS service model 2017-11-01 (botocore 1.34.22 `data/eks/2017-11-01/service-2.json`): CreateAccessEntryRequest
 *   {clusterName, principalArn, kubernetesGroups, tags, clientRequestToken, username, type},
 *   AssociateAccessPolicyRequest {clusterName, principalArn, policyArn, accessScope {type cluster|namespace, namespaces}}.
 * - Karpenter v1.14 "Getting Started with Karpenter" (step04-grant-access.sh) and "Migrating from Cluster Autoscaler":
 *   the node role maps to `system:node:{{EC2PrivateDNSName}}` in groups `system:bootstrappers`, `system:nodes`.
 * - eksctl `IAMIdentityMapping` (pkg/apis/eksctl.io/v1alpha5/assets/schema.json: arn, username, groups, account,
 *   serviceName, namespace, noDuplicateARNs) and the eksctl guide "Manage IAM users and roles" (a ClusterConfig with
 *   `iamIdentityMappings`, read by `eksctl create iamidentitymapping -f`).
 * Checked against schemas/eks/cluster-access.schema.json at render time.
 */

/** EMR on EKS's service-linked role, named without its path (`aws-service-role/emr-containers.amazonaws.com/`) as aws-auth needs. */
export const EMR_SERVICE_LINKED_ROLE_NAME = 'AWSServiceRoleForAmazonEMRContainers';

/** The Kubernetes identity of a node: EKS fills in the instance's private DNS name. */
export const NODE_USERNAME = 'system:node:{{EC2PrivateDNSName}}';
/** The groups a node's identity needs to register itself and run as a node. */
export const NODE_GROUPS: readonly string[] = ['system:bootstrappers', 'system:nodes'];

/** One entry of aws-auth's `mapRoles`, as eksctl's `iamIdentityMappings` write it. */
export interface IamIdentityMapping {
  readonly arn: string;
  readonly username: string;
  readonly groups?: readonly string[];
  /** eksctl: do not add the mapping when one for the same ARN exists (a second one would shadow or be shadowed). */
  readonly noDuplicateARNs: true;
}

const ROLE_WITHOUT_PATH = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@-]+$/;

function requireRoleWithoutPath(arn: string, field: string): void {
  if (!ROLE_WITHOUT_PATH.test(arn)) {
    throw new ConfigurationError(
      field,
      `"${arn}" is not an IAM role ARN without a path: aws-auth's mapRoles cannot hold a role path (EKS user guide, aws-auth ConfigMap); name the role without its path`,
    );
  }
}

/** The ARN of a role of `accountId` named `name`. */
export function roleArn(partition: string, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role/${name}`;
}

/** aws-auth: EMR's service-linked role as the `emr-containers` user its namespaced RBAC names (EMR on EKS guide, cluster access). */
export function emrIdentityMapping(serviceLinkedRoleArn: string, username: string): IamIdentityMapping {
  requireRoleWithoutPath(serviceLinkedRoleArn, 'emrServiceLinkedRole');
  return { arn: serviceLinkedRoleArn, username, noDuplicateARNs: true };
}

/** aws-auth: a self-managed node role (Karpenter's), with the identity and groups nodes need to join. */
export function nodeIdentityMapping(nodeRoleArn: string): IamIdentityMapping {
  requireRoleWithoutPath(nodeRoleArn, 'nodeRole');
  return { arn: nodeRoleArn, username: NODE_USERNAME, groups: [...NODE_GROUPS], noDuplicateARNs: true };
}

/** An eksctl ClusterConfig holding only identity mappings, for `eksctl create iamidentitymapping -f <file>`. */
export function eksctlIdentityMappings(clusterName: string, region: string, mappings: readonly IamIdentityMapping[]) {
  return {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: clusterName, region },
    iamIdentityMappings: mappings.map((mapping) => ({
      ...mapping,
      ...(mapping.groups ? { groups: [...mapping.groups] } : {}),
    })),
  };
}

/**
 * The entries as they go under `data.mapRoles` of kube-system/aws-auth (a string holding a YAML list), for whoever
 * edits the ConfigMap by hand: appended to the list already there, never replacing it (it holds the managed node
 * groups' roles too).
 */
export function mapRolesEntries(mappings: readonly IamIdentityMapping[]): string {
  return mappings
    .map((mapping) =>
      [
        `- rolearn: ${mapping.arn}`,
        `  username: ${mapping.username}`,
        ...(mapping.groups ? ['  groups:', ...mapping.groups.map((group) => `    - ${group}`)] : []),
      ].join('\n'),
    )
    .join('\n');
}

/** Access entry types of node roles: `EC2_LINUX` for self-managed Linux nodes, `EC2` for EKS Auto Mode's nodes. */
export type NodeAccessEntryType = 'EC2_LINUX' | 'EC2';

/** CreateAccessEntryRequest of a node role, for `aws eks create-access-entry --cli-input-json file://<file>`. */
export function nodeAccessEntryRequest(clusterName: string, nodeRoleArn: string, type: NodeAccessEntryType) {
  return { clusterName, principalArn: nodeRoleArn, type };
}

/** AssociateAccessPolicyRequest of a cluster-wide access policy, for `aws eks associate-access-policy --cli-input-json`. */
export function clusterAccessPolicyRequest(clusterName: string, principalArn: string, policyArn: string) {
  return { clusterName, principalArn, policyArn, accessScope: { type: 'cluster' } };
}
