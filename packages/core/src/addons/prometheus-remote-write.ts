import { ConfigurationError } from '../primitives/errors.js';
import { parseRoleArn } from '../emr-access/trust-policy.js';

/**
 * Amazon Managed Service for Prometheus as a remote write target, as AWS documents it for the prometheus chart
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-onboard-ingest-metrics-new-Prometheus.html): the
 * workspace's endpoint `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write`,
 * `server.remoteWrite[].sigv4.region`, and the IRSA role on `serviceAccounts.server.annotations`
 * (`eks.amazonaws.com/role-arn`); the role needs `aps:RemoteWrite` on the workspace
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-and-IAM.html, policy AmazonPrometheusRemoteWriteAccess).
 */
export interface AmpRemoteWrite {
  /** The workspace, `arn:<partition>:aps:<region>:<account>:workspace/<id>`; or give `url`. */
  readonly workspaceArn?: string;
  /** The workspace's remote write endpoint; or give `workspaceArn`. */
  readonly url?: string;
  /** The IAM role the server's service account assumes (IRSA), with `aps:RemoteWrite` on the workspace. */
  readonly roleArn: string;
}

const WORKSPACE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):aps:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):workspace\/(ws-[0-9a-zA-Z-]+)$/;
const WORKSPACE_URL =
  /^https:\/\/aps-workspaces\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?\/workspaces\/(ws-[0-9a-zA-Z-]+)\/api\/v1\/remote_write$/;

/** The chart's remote write entry, the service account annotation and the writer's IAM permissions policy. */
export function ampRemoteWrite(target: AmpRemoteWrite) {
  const role = parseRoleArn(target.roleArn, 'remoteWrite.roleArn');
  let region: string;
  let workspaceId: string;
  let workspaceArn: string;
  if (target.workspaceArn !== undefined) {
    if (target.url !== undefined) throw new ConfigurationError('remoteWrite.url', 'give workspaceArn or url, not both');
    const match = WORKSPACE_ARN.exec(target.workspaceArn);
    if (!match)
      throw new ConfigurationError(
        'remoteWrite.workspaceArn',
        `"${target.workspaceArn}" is not an AMP workspace ARN: arn:aws:aps:<region>:<account>:workspace/ws-<id>`,
      );
    [, , region, , workspaceId] = match as unknown as [string, string, string, string, string];
    workspaceArn = target.workspaceArn;
  } else if (target.url !== undefined) {
    const match = WORKSPACE_URL.exec(target.url);
    if (!match)
      throw new ConfigurationError(
        'remoteWrite.url',
        `"${target.url}" is not an AMP remote write endpoint: https://aps-workspaces.<region>.amazonaws.com/workspaces/ws-<id>/api/v1/remote_write`,
      );
    [, region, workspaceId] = match as unknown as [string, string, string];
    // The endpoint names no account: the workspace is the role's account's (AMP does not write across accounts without a role there).
    workspaceArn = `arn:${role.partition}:aps:${region}:${role.accountId}:workspace/${workspaceId}`;
  } else {
    throw new ConfigurationError('remoteWrite', 'needs workspaceArn or url of the AMP workspace');
  }
  const suffix = role.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    config: {
      url: target.url ?? `https://aps-workspaces.${region}.${suffix}/workspaces/${workspaceId}/api/v1/remote_write`,
      sigv4: { region },
    },
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': target.roleArn },
    permissionsPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PrometheusRemoteWrite', Effect: 'Allow', Action: ['aps:RemoteWrite'], Resource: workspaceArn },
      ],
    },
  } as const;
}
