import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../io.js';

/** The EMR containers operations these commands call. */
export type EmrOperation =
  | 'ListVirtualClusters'
  | 'CreateVirtualCluster'
  | 'DeleteVirtualCluster'
  | 'ListJobTemplates'
  | 'CreateJobTemplate'
  | 'DescribeJobTemplate'
  | 'DeleteJobTemplate'
  | EksAssociationOperation;
/** The EKS operations of the Pod Identity associations emr apply and destroy manage. */
export type EksAssociationOperation =
  | 'ListPodIdentityAssociations'
  | 'CreatePodIdentityAssociation'
  | 'UpdatePodIdentityAssociation'
  | 'DeletePodIdentityAssociation';

/** What an error concerns, so the message can say which tenant and which file. */
export interface ErrorContext {
  readonly operation: EmrOperation;
  readonly eksCluster: string;
  readonly region: string;
  readonly sourcePath: string;
  readonly tenant?: string;
  readonly namespace?: string;
  readonly virtualClusterId?: string;
  /** The named profile of `--profile`; without it, AWS_PROFILE names the profile the SDK's chain looks for. */
  readonly profile?: string;
  readonly jobTemplateId?: string;
}

/** A failure explained for people: what happened and what to do; the exit code it deserves. */
export interface ExplainedError {
  readonly message: string;
  readonly exitCode: number;
}

export interface AwsLikeError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/** What to do when the SDK has no region: only an empty --region gets here, cluster.region is required. */
export const NO_REGION =
  'no AWS region: --region was empty; pass one such as eu-west-1, or leave --region out to use cluster.region of the environment';

export const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);
const REJECTED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
export const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

/** The IAM action each operation needs, with what else the first create in an account needs. */
const PERMISSIONS: Record<EmrOperation, string> = {
  ListVirtualClusters: 'emr-containers:ListVirtualClusters',
  CreateVirtualCluster:
    'emr-containers:CreateVirtualCluster (with emr-containers:TagResource for the tags, ' +
    'and iam:CreateServiceLinkedRole for AWSServiceRoleForAmazonEMRContainers the first time in the account)',
  DeleteVirtualCluster: 'emr-containers:DeleteVirtualCluster',
  ListJobTemplates: 'emr-containers:ListJobTemplates',
  CreateJobTemplate: 'emr-containers:CreateJobTemplate (with emr-containers:TagResource for the tags)',
  DescribeJobTemplate: 'emr-containers:DescribeJobTemplate',
  DeleteJobTemplate: 'emr-containers:DeleteJobTemplate',
  ListPodIdentityAssociations: 'eks:ListPodIdentityAssociations and eks:DescribePodIdentityAssociation',
  CreatePodIdentityAssociation:
    'eks:CreatePodIdentityAssociation (with eks:TagResource for the tags, and iam:PassRole on the role)',
  UpdatePodIdentityAssociation: 'eks:UpdatePodIdentityAssociation (with iam:PassRole on the new role)',
  DeletePodIdentityAssociation: 'eks:DeletePodIdentityAssociation',
};

/**
 * Turns an error from the SDK (after its own retries) into one line naming the tenant, the AWS error and the next
 * step. Usage-like problems (no credentials at all) get exit 2, everything else 1.
 */
export function explainAwsError(error: unknown, context: ErrorContext): ExplainedError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as AwsLikeError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const subject =
    context.tenant !== undefined
      ? `tenant ${context.tenant}${context.namespace !== undefined ? ` (namespace ${context.namespace})` : ''}`
      : `EKS cluster ${context.eksCluster}`;
  const said = `${name}${e.message ? `: ${e.message}` : ''}`;
  const failed = (advice: string, exitCode: number = EXIT.failed): ExplainedError => ({
    message: `${subject}: ${context.operation} failed: ${said}\n  -> ${advice}`,
    exitCode,
  });

  if (CREDENTIAL_ERRORS.has(name)) return failed(noCredentialsAdvice(context.profile), EXIT.usage);
  if (/^Region is missing/i.test(e.message ?? '')) {
    return failed(`${NO_REGION} (${context.sourcePath})`, EXIT.usage);
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return failed(
      'AWS rejected the credentials: they are expired or wrong; refresh them (aws sso login, new keys) and run again',
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return failed(
      `the identity you run as lacks IAM permission ${PERMISSIONS[context.operation]} ` +
        `in ${context.region}; add it to its policy and run again`,
    );
  }
  if (name === 'ValidationException' && context.operation === 'CreateJobTemplate') {
    return failed(
      `EMR refused the tenant's job template (artifacts/tenants/${context.tenant ?? '<tenant>'}/job-template.json); ` +
        `check the tenant's executionRoleArn, releaseLabel and spark settings in ${context.sourcePath}`,
    );
  }
  // EMR's answer when the namespace is registered already (a cluster made since the listing, or one the listing of
  // this EKS cluster does not show): syncing the namespace would not help, the other registration has to go.
  if (name === 'ValidationException' && /already exists in the given namespace/i.test(e.message ?? '')) {
    return failed(
      `namespace ${context.namespace ?? ''} already has a virtual cluster: run emr list (or aws emr-containers ` +
        `list-virtual-clusters --container-provider-id ${context.eksCluster} --states RUNNING ARRESTED) to see it; apply keeps ` +
        'the one this project made, anything else must be deleted by its owner before apply registers the tenant',
    );
  }
  if (
    name === 'ValidationException' &&
    (context.operation === 'DeleteVirtualCluster' || context.operation === 'DeleteJobTemplate')
  ) {
    const [what, describe] =
      context.operation === 'DeleteVirtualCluster'
        ? [`virtual cluster ${context.virtualClusterId ?? ''}`, 'DescribeVirtualCluster']
        : [`job template ${context.jobTemplateId ?? ''}`, 'DescribeJobTemplate'];
    return failed(
      `EMR refused to delete ${what} and ${describe} shows it still exists; ` +
        'run emr list to see its state, and run again once EMR accepts the delete',
    );
  }
  if (name === 'ValidationException' && /namespace/i.test(e.message ?? '')) {
    return failed(
      `EMR cannot use namespace ${context.namespace ?? ''} yet: sync the namespace and RBAC first (Flux), then retry`,
    );
  }
  if (name === 'ValidationException') {
    return failed(
      `EMR refused the request; check ${context.sourcePath} and the EKS cluster's access setup (cluster.emrAccess)`,
    );
  }
  if (name === 'ResourceNotFoundException' && context.jobTemplateId !== undefined) {
    return failed(`job template ${context.jobTemplateId} no longer exists; run emr list to see what is left`);
  }
  // The service model gives it to CreateVirtualCluster (the EKS cluster is unknown) and the Describe calls, not to deletes.
  if (name === 'ResourceNotFoundException' && context.operation === 'CreateVirtualCluster') {
    return failed(
      `EKS cluster ${context.eksCluster} was not found in ${context.region}: check cluster.name and cluster.region in ` +
        `${context.sourcePath} (or --region), and that you run in the cluster's account`,
    );
  }
  if (name === 'EKSRequestThrottledException') {
    return failed(
      'EKS throttled the calls EMR made on your behalf; wait a minute and run again (apply and destroy are idempotent)',
    );
  }
  if (name === 'TimeoutError' || NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(name)) {
    return failed(
      'the EMR endpoint did not answer: check the network, --region and --endpoint-url, then run again ' +
        '(apply is idempotent: a create whose answer was lost is found, not repeated)',
    );
  }
  if (
    e.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    name === 'ThrottlingException' ||
    name === 'RequestThrottledException'
  ) {
    return failed(
      `the service kept failing or throttling${attempts ? ` after ${attempts} attempts` : ''}; ` +
        'run again later or raise --max-attempts (apply is idempotent: nothing is created twice)',
    );
  }
  return failed('unexpected error; run again with the same command (it is idempotent) and report it if it persists');
}

/** What to do when the SDK found no credentials: the named profile that is missing, else the ways to give some. */
export function noCredentialsAdvice(profile: string | undefined): string {
  return (
    missingProfile(profile) ??
    'no usable AWS credentials: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
      'or log in (aws sso login)'
  );
}

/** The shared config and credentials files, where the SDK and the AWS CLI look for named profiles. */
export function sharedConfigFiles(env: NodeJS.ProcessEnv = process.env): {
  readonly config: string;
  readonly credentials: string;
} {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

/** Profile names a shared file defines: `[default]` and `[profile NAME]` in config, `[NAME]` in credentials. */
export function profilesIn(text: string, kind: 'config' | 'credentials'): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line)?.[1];
    if (section === undefined) continue;
    if (kind === 'credentials') names.push(section);
    else if (section === 'default') names.push(section);
    else if (/^profile\s+/.test(section)) names.push(section.replace(/^profile\s+/, ''));
  }
  return names;
}

/**
 * When credentials failed because the named profile (`--profile`, else AWS_PROFILE) is in neither shared file: the
 * advice naming the profile and the files looked in. Undefined when no profile was named or the files have it.
 */
function missingProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const profile = flag ?? (env.AWS_PROFILE || undefined);
  if (profile === undefined) return undefined;
  const files = sharedConfigFiles(env);
  const known = new Set<string>();
  for (const kind of ['config', 'credentials'] as const) {
    if (!existsSync(files[kind])) continue;
    try {
      for (const name of profilesIn(readFileSync(files[kind], 'utf8'), kind)) known.add(name);
    } catch {
      // unreadable: as if absent
    }
  }
  if (known.has(profile)) return undefined;
  const from = flag !== undefined ? '--profile' : 'AWS_PROFILE';
  const there = known.size > 0 ? `profiles there: ${[...known].sort().join(', ')}` : 'no profiles there';
  return (
    `AWS profile "${profile}" (${from}) is not in ${files.config} or ${files.credentials} (${there}); ` +
    `add it (aws configure --profile ${profile}, or aws configure sso) or name one that exists` +
    (flag === undefined ? ', or unset AWS_PROFILE to use the standard credential chain' : '')
  );
}
