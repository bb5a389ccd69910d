import { base36RoleName, parseRoleArn } from '../emr-access/trust-policy.js';

/** How a tenant's pods get their IAM roles. */
export type PodIdentityMode = 'irsa' | 'pod-identity';

/**
 * The facts Pod Identity rests on, each with its source:
 * - EMR on EKS guide, "Option 1: Enable EKS Pod Identity on the EKS Cluster" (setting-up-enable-IAM.html): "Amazon EMR
 *   on EKS starts to support EKS pod identity since emr-7.3.0 release for the StartJobRun submission model".
 * - EMR needs no association of its own: `aws emr-containers create-role-associations` is an AWS CLI customization
 *   (aws/aws-cli awscli/customizations/emrcontainers/create_role_associations.py) that calls EKS
 *   CreatePodIdentityAssociation for `emr-containers-sa-<framework>-<component>-<account>-<base36(role name)>`,
 *   components client, driver and executor for start_job_run.
 * - EKS user guide, "Learn how EKS Pod Identity grants pods access to AWS services" > considerations: not on AWS Fargate
 *   (the agent is a DaemonSet on EC2 nodes); the agent is the `eks-pod-identity-agent` EKS add-on ("Set up the Amazon EKS
 *   Pod Identity Agent"), built into EKS Auto Mode; the role trusts `pods.eks.amazonaws.com` with `sts:AssumeRole` and
 *   `sts:TagSession`.
 */
export const POD_IDENTITY = {
  emrMinRelease: { major: 7, minor: 3 },
  emrJobComponents: ['client', 'driver', 'executor'],
  servicePrincipal: 'pods.eks.amazonaws.com',
  trustActions: ['sts:AssumeRole', 'sts:TagSession'],
  agentAddonName: 'eks-pod-identity-agent',
} as const;

/** True when `releaseLabel` (emr-<major>.<minor>.<patch>-...) is one EMR runs with Pod Identity. */
export function releaseSupportsPodIdentity(releaseLabel: string): boolean {
  const match = /^emr-(\d+)\.(\d+)\./.exec(releaseLabel);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const min = POD_IDENTITY.emrMinRelease;
  return major > min.major || (major === min.major && minor >= min.minor);
}

/** The service accounts EMR creates for a StartJobRun job of `roleArn` (the names the AWS CLI associates). */
export function emrJobServiceAccounts(roleArn: string): string[] {
  const role = parseRoleArn(roleArn);
  return POD_IDENTITY.emrJobComponents.map(
    (component) => `emr-containers-sa-spark-${component}-${role.accountId}-${base36RoleName(role.name)}`,
  );
}

/** The one-statement trust policy of a role used through Pod Identity, whatever the clusters and namespaces. */
export function podIdentityTrustPolicy(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: POD_IDENTITY.servicePrincipal },
        Action: [...POD_IDENTITY.trustActions],
      },
    ],
  };
}

/** A CreatePodIdentityAssociation request as `aws eks create-pod-identity-association --cli-input-json` reads it. */
export interface PodIdentityAssociationRequest {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Who needs a role in the cluster: a service account of a namespace, and why (for file names and reports). */
export interface PodIdentityBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
  /** `emr-job` (EMR's job accounts), `notebook` or `history-server`. */
  readonly purpose: 'emr-job' | 'notebook' | 'history-server';
  /** The tenant it belongs to. */
  readonly tenant: string;
}

/** The association request of one binding, tagged like the project's other AWS resources (tags sorted). */
export function podIdentityAssociationRequest(
  clusterName: string,
  binding: PodIdentityBinding,
  tags: Readonly<Record<string, string>>,
): PodIdentityAssociationRequest {
  return {
    clusterName,
    namespace: binding.namespace,
    serviceAccount: binding.serviceAccount,
    roleArn: binding.roleArn,
    tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
