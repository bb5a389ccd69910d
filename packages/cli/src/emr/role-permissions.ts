import type { Cluster } from '@aws-sdk/client-eks';
import {
  ListAttachedRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import type { AwsSide } from './aws-side.js';
import type { PolicyDocument } from '@emr-eks-gitops/core';
import { attempt, missing, notFound, ok, roleName, type Check } from './preflight-checks.js';
import { mapWithLimit } from './progress.js';
import {
  documentProbes,
  type AttachmentExpectation,
  type RoleExpectation,
  type StatementProbe,
} from './role-expectations.js';

/**
 * The permission rows of `emr preflight`: each role against its rendered document (IAM's policy simulator, one call
 * per statement), the managed policies a role needs attached (ListAttachedRolePolicies), and on Auto Mode the
 * cluster role's tag policy when the environment renders one.
 */

const SIMULATE = 'iam:SimulatePrincipalPolicy';

/** One row per role: ok, or missing with each (action on resource) the role lacks and the put-role-policy fix. */
export async function permissionChecks(
  side: AwsSide,
  expectations: readonly RoleExpectation[],
  concurrency: number,
): Promise<Check[]> {
  return (
    await mapWithLimit(expectations, concurrency, (expectation) =>
      attempt('permissions', expectation.roleArn, SIMULATE, async () => {
        let lacking: string[];
        try {
          lacking = await lacks(side, expectation.roleArn, expectation.probes);
        } catch (error) {
          if (!notFound(error)) throw error;
          return missing(
            'permissions',
            expectation.roleArn,
            `${expectation.purpose}: the role does not exist`,
            `create the role, then: ${expectation.fix}`,
          );
        }
        return lacking.length === 0
          ? ok('permissions', expectation.roleArn, `${expectation.purpose}: allowed all of ${expectation.artifactPath}`)
          : missing(
              'permissions',
              expectation.roleArn,
              `${expectation.purpose}: missing: ${lacking.join('; ')}`,
              expectation.fix,
            );
      }),
    )
  ).flat();
}

/** One row per role that needs AWS managed policies: the ones not attached, with the commands that attach them. */
export async function attachmentChecks(
  side: AwsSide,
  attachments: readonly AttachmentExpectation[],
  concurrency: number,
): Promise<Check[]> {
  const area = 'managed policies';
  return (
    await mapWithLimit(attachments, concurrency, (attachment) =>
      attempt(area, attachment.roleArn, 'iam:ListAttachedRolePolicies', async () => {
        const name = roleName(attachment.roleArn);
        const attached = new Set<string>();
        try {
          let marker: string | undefined;
          do {
            const answer = await side.clients.iam.send(
              new ListAttachedRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
            );
            for (const policy of answer.AttachedPolicies ?? []) if (policy.PolicyArn) attached.add(policy.PolicyArn);
            marker = answer.IsTruncated ? answer.Marker : undefined;
          } while (marker);
        } catch (error) {
          if (!notFound(error)) throw error;
          return missing(
            area,
            attachment.roleArn,
            `${attachment.purpose}: the role does not exist`,
            `create the role, then attach ${attachment.managedPolicyArns.join(', ')}`,
          );
        }
        const absent = attachment.managedPolicyArns.filter((arn) => !attached.has(arn));
        return absent.length === 0
          ? ok(
              area,
              attachment.roleArn,
              `${attachment.purpose}: ${attachment.managedPolicyArns.map((arn) => arn.split('/').pop()).join(', ')} attached`,
            )
          : missing(
              area,
              attachment.roleArn,
              `${attachment.purpose}: not attached: ${absent.join(', ')}`,
              absent.map((arn) => `aws iam attach-role-policy --role-name ${name} --policy-arn ${arn}`).join(' && '),
            );
      }),
    )
  ).flat();
}

/** Where the environment renders the Auto Mode cluster role's tag policy (see the environment README's bootstrap). */
export const AUTO_MODE_TAG_POLICY_PATH = 'artifacts/platform/karpenter/auto-mode-cluster-role-tag-policy.json';

/**
 * The cluster role of an Auto Mode cluster needs the rendered tag policy for the NodeClasses' tags (Auto Mode's managed
 * policies allow no user-defined tags): simulated like a role document, the role read from DescribeCluster.
 */
export async function clusterRoleTagChecks(side: AwsSide, described: Cluster | undefined): Promise<Check[]> {
  const text = side.rendered.files.get(AUTO_MODE_TAG_POLICY_PATH);
  if (text === undefined) return [];
  const area = 'cluster role tags';
  const { cluster } = side.config;
  const roleArn = described?.roleArn;
  if (roleArn === undefined)
    return [
      {
        area,
        subject: cluster.name,
        status: 'could not check',
        detail: 'the EKS cluster could not be described, so its IAM role is unknown',
      },
    ];
  const fix = `aws iam put-role-policy --role-name ${roleName(roleArn)} --policy-name eks-auto-mode-custom-tags --policy-document file://dist-manifests/${side.config.name}/${AUTO_MODE_TAG_POLICY_PATH}`;
  const probes = documentProbes(JSON.parse(text) as PolicyDocument, cluster);
  return attempt(area, roleArn, SIMULATE, async () => {
    const lacking = await lacks(side, roleArn, probes);
    return lacking.length === 0
      ? ok(
          area,
          roleArn,
          `the cluster role may tag what the NodeClasses launch: allowed all of ${AUTO_MODE_TAG_POLICY_PATH}`,
        )
      : missing(
          area,
          roleArn,
          `the cluster role may not tag what the NodeClasses launch (nodes fail to launch): missing: ${lacking.join('; ')}`,
          fix,
        );
  });
}

/** What the role lacks of the probes, as "action on resource-pattern [Sid]", in the document's order. */
async function lacks(side: AwsSide, roleArn: string, probes: readonly StatementProbe[]): Promise<string[]> {
  const lacking: string[] = [];
  for (const probe of probes) {
    for (const [action, resource] of await denied(side, roleArn, probe)) {
      const line = `${action} on ${probe.resources.get(resource) ?? resource} [${probe.sid}]`;
      if (!lacking.includes(line)) lacking.push(line);
    }
  }
  return lacking;
}

/**
 * The (action, resource) pairs the simulator does not allow. IAM now answers one EvaluationResult per action, the
 * per-resource decisions in ResourceSpecificResults (older answers: one result per action and resource).
 */
async function denied(side: AwsSide, roleArn: string, probe: StatementProbe): Promise<[string, string][]> {
  const pairs: [string, string][] = [];
  let marker: string | undefined;
  do {
    const answer = await side.clients.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: roleArn,
        ActionNames: [...probe.actions],
        ResourceArns: [...probe.resources.keys()],
        ...(probe.context.length > 0
          ? {
              ContextEntries: probe.context.map((entry) => ({
                ...entry,
                ContextKeyValues: [...entry.ContextKeyValues],
              })),
            }
          : {}),
        ...(marker ? { Marker: marker } : {}),
      }),
    );
    for (const result of answer.EvaluationResults ?? []) pairs.push(...deniedOf(result));
    marker = answer.IsTruncated ? answer.Marker : undefined;
  } while (marker);
  return pairs;
}

function deniedOf(result: EvaluationResult): [string, string][] {
  const action = result.EvalActionName ?? '?';
  const perResource = result.ResourceSpecificResults ?? [];
  if (perResource.length > 0) {
    return perResource
      .filter((entry) => entry.EvalResourceDecision !== 'allowed')
      .map((entry) => [action, entry.EvalResourceName ?? '*']);
  }
  return result.EvalDecision === 'allowed' ? [] : [[action, result.EvalResourceName ?? '*']];
}
