import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  type Cluster,
} from '@aws-sdk/client-eks';
import { GetOpenIDConnectProviderCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { POD_IDENTITY, emrRoleTrustPolicy, type TrustPolicyStatement } from '@emr-eks-gitops/core';
import { EXIT } from '../io.js';
import type { AwsSide } from './aws-side.js';
import { mapWithLimit } from './progress.js';
import { attempt, missing, notFound, ok, roleName, type Check } from './preflight-checks.js';
import {
  attachmentExpectations,
  roleExpectations,
  type AttachmentExpectation,
  type RoleExpectation,
} from './role-expectations.js';
import { attachmentChecks, clusterRoleTagChecks, permissionChecks } from './role-permissions.js';

export type { Check, CheckStatus } from './preflight-checks.js';

/** What the roles must be allowed: their rendered documents and managed-policy attachments (role-expectations.ts). */
export interface PermissionExpectations {
  readonly roles: readonly RoleExpectation[];
  readonly attachments: readonly AttachmentExpectation[];
}

/** `emr preflight`: every check of the account, in the order of the report (preflight-checks.ts says what a row is). */
export async function preflight(
  side: AwsSide,
  expectations: PermissionExpectations,
  concurrency: number,
): Promise<Check[]> {
  const { config, clients } = side;
  const { cluster } = config;
  const env = config.name;
  const apply = `emr-gitops emr apply --env ${env}`;
  const checks: Check[] = [];

  checks.push(
    ...(await attempt('account', 'credentials', 'sts:GetCallerIdentity', async () => {
      const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
      return identity.Account === cluster.accountId
        ? ok('account', 'credentials', `${identity.Arn ?? ''} in account ${cluster.accountId}`)
        : missing(
            'account',
            'credentials',
            `the credentials are of account ${identity.Account ?? '?'}, the environment's cluster.accountId is ${cluster.accountId}`,
            `run with credentials of account ${cluster.accountId} (--profile), or correct cluster.accountId in ${config.sourcePath}`,
          );
    })),
  );

  const targets = side.targets;
  const buckets = [...new Set([...targets.uploads, ...targets.prefixes].map((target) => target.bucket))].sort();
  checks.push(
    ...(
      await mapWithLimit(buckets, concurrency, (bucket) =>
        attempt('s3 bucket', bucket, 's3:ListBucket', async () => {
          try {
            await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
            return ok('s3 bucket', bucket, 'exists');
          } catch (error) {
            if (!notFound(error)) throw error;
            return missing(
              's3 bucket',
              bucket,
              'no such bucket',
              `create it in ${cluster.region} (aws s3api create-bucket --bucket ${bucket} ` +
                `--create-bucket-configuration LocationConstraint=${cluster.region}), or correct the s3:// URIs under spark: in ${config.sourcePath}`,
            );
          }
        }),
      )
    ).flat(),
  );

  const s3 = await side.planS3();
  for (const entry of s3.uploads) {
    const subject = entry.upload.uri;
    if (entry.action === 'leave') checks.push(ok('artifact', subject, `uploaded, the bytes of ${entry.upload.path}`));
    else if (entry.action === 'add')
      checks.push(missing('artifact', subject, 'not uploaded: jobs using it fail at submission', apply));
    else if (entry.action === 'change')
      checks.push(
        missing('artifact', subject, `differs from ${entry.upload.path}: jobs would run with an older render`, apply),
      );
    else if (entry.action === 'refuse')
      checks.push(
        missing('artifact', subject, 'an object emr-gitops did not write is in the way', entry.message ?? ''),
      );
    else checks.push({ area: 'artifact', subject, status: 'could not check', detail: entry.message ?? '' });
  }
  for (const entry of s3.prefixes) {
    const subject = entry.prefix.uri;
    if (entry.action === 'exists') checks.push(ok('s3 prefix', subject, 'exists as a directory'));
    else if (entry.action === 'create')
      checks.push(
        missing(
          's3 prefix',
          subject,
          'does not exist: Spark refuses to start (spark.eventLog.dir) and a History Server exits',
          apply,
        ),
      );
    else checks.push({ area: 's3 prefix', subject, status: 'could not check', detail: entry.message ?? '' });
  }

  let described: Cluster | undefined;
  checks.push(
    ...(await attempt('eks cluster', cluster.name, 'eks:DescribeCluster', async () => {
      try {
        described = (await clients.eks.send(new DescribeClusterCommand({ name: cluster.name }))).cluster;
      } catch (error) {
        if (!notFound(error)) throw error;
        return missing(
          'eks cluster',
          cluster.name,
          `no EKS cluster ${cluster.name} in ${cluster.region}`,
          `create the cluster, or correct cluster.name and cluster.region in ${config.sourcePath}`,
        );
      }
      const issuer = described?.identity?.oidc?.issuer;
      return [
        ok('eks cluster', cluster.name, `status ${described?.status ?? '?'}`),
        issuer === cluster.oidcIssuer
          ? ok('oidc issuer', cluster.name, issuer)
          : missing(
              'oidc issuer',
              cluster.name,
              `the cluster's OIDC issuer is ${issuer ?? 'not set'}, the environment says ${cluster.oidcIssuer}`,
              `set cluster.oidcIssuer in ${config.sourcePath} to what aws eks describe-cluster --name ${cluster.name} prints, and render again`,
            ),
      ];
    })),
  );

  const provider = cluster.oidcIssuer.replace(/^https:\/\//, '');
  const providerArn = `arn:${cluster.partition}:iam::${cluster.accountId}:oidc-provider/${provider}`;
  checks.push(
    ...(await attempt('iam oidc provider', providerArn, 'iam:GetOpenIDConnectProvider', async () => {
      try {
        const answer = await clients.iam.send(
          new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn }),
        );
        return (answer.ClientIDList ?? []).includes('sts.amazonaws.com')
          ? ok('iam oidc provider', providerArn, 'exists, audience sts.amazonaws.com')
          : missing(
              'iam oidc provider',
              providerArn,
              'exists without the audience sts.amazonaws.com: IRSA tokens are refused',
              `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${providerArn} --client-id sts.amazonaws.com`,
            );
      } catch (error) {
        if (!notFound(error)) throw error;
        return missing(
          'iam oidc provider',
          providerArn,
          "no IAM OIDC provider for the cluster's issuer: no job role can be assumed",
          `eksctl utils associate-iam-oidc-provider --cluster ${cluster.name} --region ${cluster.region} --approve`,
        );
      }
    })),
  );

  /** A role's trust policy as IAM holds it (URL-encoded JSON), or null when the role does not exist. */
  const trustDocument = async (roleArn: string): Promise<string | undefined | null> => {
    try {
      return (await clients.iam.send(new GetRoleCommand({ RoleName: roleName(roleArn) }))).Role
        ?.AssumeRolePolicyDocument;
    } catch (error) {
      if (!notFound(error)) throw error;
      return null;
    }
  };

  checks.push(
    ...(
      await mapWithLimit(podIdentityRoles(config), concurrency, (role) =>
        attempt('trust policy', role.roleArn, 'iam:GetRole', async () => {
          const document = await trustDocument(role.roleArn);
          if (document === null)
            return missing(
              'trust policy',
              role.roleArn,
              `the job execution role of ${role.tenants.join(', ')} does not exist`,
              `create it with the trust policy of dist-manifests/${env}/artifacts/platform/emr-access/trust-policies/${roleName(role.roleArn)}.json`,
            );
          // Pod Identity: one statement for the EKS Auth service, with both actions (EKS user guide, Pod Identity).
          const trusted = parsePolicy(document).some(
            (candidate) =>
              candidate.Effect === 'Allow' &&
              asList((candidate.Principal as { Service?: unknown } | undefined)?.Service).includes(
                POD_IDENTITY.servicePrincipal,
              ) &&
              POD_IDENTITY.trustActions.every((action) => asList(candidate.Action).includes(action)),
          );
          return trusted
            ? ok(
                'trust policy',
                role.roleArn,
                `trusts ${POD_IDENTITY.servicePrincipal} (Pod Identity) for ${role.tenants.join(', ')}`,
              )
            : missing(
                'trust policy',
                role.roleArn,
                `no statement letting ${POD_IDENTITY.servicePrincipal} ${POD_IDENTITY.trustActions.join(' and ')}: Pod Identity cannot give ${role.tenants.join(', ')} the role`,
                `aws iam update-assume-role-policy --role-name ${roleName(role.roleArn)} --policy-document file://dist-manifests/${env}/artifacts/platform/emr-access/trust-policies/${roleName(role.roleArn)}.json`,
              );
        }),
      )
    ).flat(),
  );

  checks.push(
    ...(
      await mapWithLimit(trustRoles(config), concurrency, (role) =>
        attempt('trust policy', role.roleArn, 'iam:GetRole', async () => {
          const document = await trustDocument(role.roleArn);
          if (document === null)
            return missing(
              'trust policy',
              role.roleArn,
              `the job execution role of ${role.tenants.join(', ')} does not exist`,
              `create it; its trust policy: emr-gitops emr trust-policy --env ${env}`,
            );
          const actual = parsePolicy(document);
          const absent = role.statements.filter(
            (statement) => !actual.some((candidate) => grants(candidate, statement)),
          );
          return absent.length === 0
            ? ok('trust policy', role.roleArn, `trusts EMR's service accounts of ${role.namespaces.join(', ')}`)
            : missing(
                'trust policy',
                role.roleArn,
                `no statement letting EMR jobs of ${absent.map((s) => namespaceOf(s)).join(', ')} assume the role`,
                `emr-gitops emr trust-policy --env ${env} prints the document (or: aws emr-containers update-role-trust-policy --cluster-name ${cluster.name} --namespace <namespace> --role-name ${roleName(role.roleArn)})`,
              );
        }),
      )
    ).flat(),
  );

  checks.push(...(await permissionChecks(side, expectations.roles, concurrency)));
  checks.push(...(await attachmentChecks(side, expectations.attachments, concurrency)));
  checks.push(...(await clusterRoleTagChecks(side, described)));
  checks.push(...(await clusterAccess(side, described)));
  checks.push(...(await fargateProfiles(side)));
  return checks;
}

/** The job execution roles with the statements `emr trust-policy` renders for them (one role may serve several tenants). */
function trustRoles(config: AwsSide['config']) {
  const active = config.tenants.filter((tenant) => !tenant.retired && tenant.identity === 'irsa');
  return [...new Set(active.map((tenant) => tenant.executionRoleArn))].map((roleArn) => {
    const users = active.filter((tenant) => tenant.executionRoleArn === roleArn);
    const policy = emrRoleTrustPolicy({
      roleArn,
      namespaces: users.map((tenant) => tenant.namespace),
      partition: config.cluster.partition,
      accountId: config.cluster.accountId,
      oidcIssuer: config.cluster.oidcIssuer,
    });
    return {
      roleArn,
      tenants: users.map((tenant) => tenant.name),
      namespaces: users.map((tenant) => tenant.namespace),
      statements: policy.statements,
    };
  });
}

/** The job execution roles of tenants on Pod Identity: their trust is one statement for pods.eks.amazonaws.com. */
function podIdentityRoles(config: AwsSide['config']) {
  const active = config.tenants.filter((tenant) => !tenant.retired && tenant.identity === 'pod-identity');
  return [...new Set(active.map((tenant) => tenant.executionRoleArn))].map((roleArn) => ({
    roleArn,
    tenants: active.filter((tenant) => tenant.executionRoleArn === roleArn).map((tenant) => tenant.name),
  }));
}

/** IAM returns the document URL-encoded. */
function parsePolicy(document: string | undefined): Record<string, unknown>[] {
  if (document === undefined) return [];
  const parsed = JSON.parse(decodeURIComponent(document)) as { Statement?: unknown };
  return (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]).filter(Boolean) as Record<
    string,
    unknown
  >[];
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** True when `candidate` allows at least what `wanted` allows: same principal, action and sub condition. */
function grants(candidate: Record<string, unknown>, wanted: TrustPolicyStatement): boolean {
  const principal = candidate.Principal as { Federated?: unknown } | undefined;
  const conditions = (candidate.Condition as Record<string, Record<string, unknown>> | undefined) ?? {};
  const [key, value] = Object.entries(wanted.Condition.StringLike)[0]!;
  return (
    candidate.Effect === 'Allow' &&
    asList(candidate.Action).includes(wanted.Action) &&
    asList(principal?.Federated).includes(wanted.Principal.Federated) &&
    Object.values(conditions).some((operator) => asList(operator[key]).includes(value))
  );
}

const namespaceOf = (statement: TrustPolicyStatement) =>
  /serviceaccount:([^:]+):/.exec(Object.values(statement.Condition.StringLike)[0] ?? '')?.[1] ?? '?';

/** EMR's and the nodes' way into the cluster (access entries in API mode) and Karpenter's interruption queue. */
async function clusterAccess(side: AwsSide, described: Cluster | undefined): Promise<Check[]> {
  const { config, clients } = side;
  const { cluster } = config;
  const mode = described?.accessConfig?.authenticationMode;
  const apiMode = mode === 'API' || mode === 'API_AND_CONFIG_MAP';
  const checks: Check[] = [];
  const entry = async (
    area: string,
    principalArn: string,
    absent: Omit<Check, 'area' | 'subject' | 'status'>,
    want?: string,
  ) =>
    attempt(area, principalArn, 'eks:DescribeAccessEntry', async () => {
      try {
        const found = (
          await clients.eks.send(new DescribeAccessEntryCommand({ clusterName: cluster.name, principalArn }))
        ).accessEntry;
        return want === undefined || found?.type === want
          ? ok(area, principalArn, `access entry${found?.type ? ` of type ${found.type}` : ''}`)
          : missing(
              area,
              principalArn,
              `access entry of type ${found?.type ?? '?'}, nodes need ${want}`,
              `delete it and create one of type ${want}`,
            );
      } catch (error) {
        if (!notFound(error)) throw error;
        return missing(area, principalArn, absent.detail, absent.fix ?? '');
      }
    });
  const inConfigMap = (area: string, subject: string, what: string): Check => ({
    area,
    subject,
    status: 'skipped',
    detail: `${what} is in the aws-auth ConfigMap (authentication mode ${mode ?? '?'}), inside the cluster: preflight reads AWS APIs only`,
  });

  const emrRole = `arn:${cluster.partition}:iam::${cluster.accountId}:role/AWSServiceRoleForAmazonEMRContainers`;
  if (config.cluster.emrAccess === 'access-entry') {
    if (described === undefined)
      checks.push({
        area: 'emr access',
        subject: emrRole,
        status: 'could not check',
        detail: 'the EKS cluster could not be described',
      });
    else if (!apiMode) {
      checks.push(
        missing(
          'emr access',
          cluster.name,
          `cluster.emrAccess is access-entry but the cluster's authentication mode is ${mode ?? 'CONFIG_MAP'}`,
          `aws eks update-cluster-config --name ${cluster.name} --access-config authenticationMode=API_AND_CONFIG_MAP`,
        ),
      );
    } else {
      checks.push(
        ...(await entry('emr access', emrRole, {
          detail: 'EMR on EKS has no access entry yet: virtual clusters are refused or ARRESTED',
          fix: `emr-gitops emr apply --env ${config.name} (EMR creates it when it registers the first virtual cluster)`,
        })),
      );
    }
  } else {
    checks.push(inConfigMap('emr access', emrRole, "EMR's mapping (emrAccess: aws-auth)"));
  }

  const nodeRole = `arn:${cluster.partition}:iam::${cluster.accountId}:role/${config.capacity.nodeRole}`;
  const autoMode = config.capacity.backend === 'auto-mode';
  if (described === undefined)
    checks.push({
      area: 'node role access',
      subject: nodeRole,
      status: 'could not check',
      detail: 'the EKS cluster could not be described',
    });
  else if (apiMode) {
    const type = autoMode ? 'EC2' : 'EC2_LINUX';
    checks.push(
      ...(await entry(
        'node role access',
        nodeRole,
        {
          detail: `the nodes' role has no access entry: ${autoMode ? 'Auto Mode' : 'Karpenter'} nodes never join the cluster`,
          fix: `aws eks create-access-entry --cluster-name ${cluster.name} --principal-arn ${nodeRole} --type ${type}`,
        },
        type,
      )),
    );
  } else {
    checks.push(inConfigMap('node role access', nodeRole, "the node role's mapping"));
  }

  if (config.capacity.backend === 'karpenter') {
    const queue = config.capacity.controller.interruptionQueue;
    checks.push(
      ...(await attempt('interruption queue', queue, 'sqs:GetQueueUrl', async () => {
        try {
          const url = (
            await clients.sqs.send(
              new GetQueueUrlCommand({ QueueName: queue, QueueOwnerAWSAccountId: cluster.accountId }),
            )
          ).QueueUrl;
          return ok('interruption queue', queue, url ?? 'exists');
        } catch (error) {
          if (!notFound(error)) throw error;
          return missing(
            'interruption queue',
            queue,
            'no such SQS queue: Karpenter cannot learn of spot interruptions',
            "create it with its EventBridge rules (Karpenter's getting-started CloudFormation template), or correct capacity.controller.interruptionQueue",
          );
        }
      })),
    );
  }
  return checks;
}

/** Each rendered Fargate profile (artifacts/platform/fargate/profiles/<name>.json) exists, ACTIVE, selecting its namespaces. */
async function fargateProfiles(side: AwsSide): Promise<Check[]> {
  const { config, clients } = side;
  const profiles = [...side.rendered.files].filter(([path]) =>
    /^artifacts\/platform\/fargate\/profiles\/[^/]+\.json$/.test(path),
  );
  const checks: Check[] = [];
  for (const [path, text] of profiles) {
    const wanted = JSON.parse(text) as { fargateProfileName: string; selectors: { namespace: string }[] };
    const name = wanted.fargateProfileName;
    const create = `aws eks create-fargate-profile --cli-input-json file://dist-manifests/${config.name}/${path}`;
    checks.push(
      ...(await attempt('fargate profile', name, 'eks:DescribeFargateProfile', async () => {
        try {
          const found = (
            await clients.eks.send(
              new DescribeFargateProfileCommand({ clusterName: config.cluster.name, fargateProfileName: name }),
            )
          ).fargateProfile;
          const selected = new Set((found?.selectors ?? []).map((selector) => selector.namespace));
          const unselected = wanted.selectors
            .map((selector) => selector.namespace)
            .filter((namespace) => !selected.has(namespace));
          if (found?.status !== 'ACTIVE')
            return missing(
              'fargate profile',
              name,
              `status ${found?.status ?? '?'}`,
              `wait until ACTIVE, or delete it and create it again: ${create}`,
            );
          return unselected.length === 0
            ? ok('fargate profile', name, `ACTIVE, selects ${[...selected].join(', ')}`)
            : missing(
                'fargate profile',
                name,
                `does not select ${unselected.join(', ')}: those pods stay Pending`,
                `profiles cannot be edited: delete it and run ${create}`,
              );
        } catch (error) {
          if (!notFound(error)) throw error;
          return missing('fargate profile', name, "no such Fargate profile: the tenant's pods stay Pending", create);
        }
      })),
    );
  }
  return checks;
}

/** emr preflight's exit code: 1 when anything is missing or could not be checked (unverified is not a pass). */
export function preflightExitCode(checks: readonly Check[]): number {
  return checks.some((check) => check.status === 'missing' || check.status === 'could not check')
    ? EXIT.failed
    : EXIT.ok;
}

/** The checks of emr preflight for this environment: each role against the document rendered for it. */
export function runPreflight(side: AwsSide, concurrency: number): Promise<Check[]> {
  return preflight(
    side,
    { roles: roleExpectations(side.config), attachments: attachmentExpectations(side.config) },
    concurrency,
  );
}
