import type { App } from 'cdk8s';
import { IAM_ROLE_INLINE_POLICIES_MAX_SIZE, putRolePolicyProblems } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { ManifestChart } from './manifest-chart.js';
import type { IamSummary } from './summaries.js';
import type { RenderIssue } from '../config/render-error.js';
import {
  IAM_ARTIFACTS_FOLDER,
  ROLE_POLICY_NAME,
  managedPolicyAttachments,
  rolePolicyDocuments,
  rolePolicyIssues,
  type RolePolicy,
} from './role-policies.js';

/**
 * `artifacts/iam/`: the permissions policy of each role the environment names (`<role name>.json`, for
 * `aws iam put-role-policy --policy-document file://...` or Terraform's `file()`), and the AWS managed policies the
 * roles without an inline document get (`managed-policy-attachments.json`). Nothing here is applied to the cluster.
 */
export class IamChart extends ManifestChart {
  /** Errors that refuse the render (a document IAM would refuse), located at the role's field. */
  readonly problems: RenderIssue[] = [];
  readonly policies: readonly RolePolicy[];
  /** The documents as the README's "IAM permissions" table lists them. */
  readonly summary: IamSummary;

  constructor(scope: App, config: ResolvedEnvironment) {
    super(scope, 'iam', { folder: IAM_ARTIFACTS_FOLDER, environment: config.name, configPath: [] });
    this.policies = rolePolicyDocuments(config);
    for (const policy of this.policies) {
      // The documents are built from validated settings: a shape problem here is a builder bug, not a user error.
      const shape = putRolePolicyProblems({
        RoleName: policy.roleName,
        PolicyName: policy.policyName,
        PolicyDocument: JSON.stringify(policy.document),
      });
      if (shape.length > 0)
        throw new Error(`${policy.artifactPath} does not fit IAM PutRolePolicy: ${shape.join('; ')}`);
      this.addArtifact({
        path: `${policy.roleName}.json`,
        format: 'json',
        kubernetesObject: false,
        value: policy.document,
      });
    }
    const attachments = managedPolicyAttachments(config);
    this.summary = {
      policyName: ROLE_POLICY_NAME,
      kmsKey: config.spark.s3KmsKeyArn,
      maxSize: IAM_ROLE_INLINE_POLICIES_MAX_SIZE,
      rows: this.policies,
      managed: attachments,
      // The job roles may write to their log groups, not create them (role-policies.ts).
      cloudWatchLogs: config.spark.logs?.cloudWatchLogGroupPrefix !== undefined,
    };
    if (attachments.length > 0)
      this.addArtifact({
        path: 'managed-policy-attachments.json',
        format: 'json',
        kubernetesObject: false,
        value: attachments,
      });
    for (const issue of rolePolicyIssues(this.policies)) {
      (issue.severity === 'error' ? this.problems : this.warnings).push(issue);
    }
  }
}
