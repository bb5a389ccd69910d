import { ConfigurationError } from '../primitives/errors.js';

/**
 * IRSA trust policies for EMR on EKS job execution roles.
 *
 * EMR runs a job's pods under a service account named
 * `emr-containers-sa-<job>-<id>-<account>-<base36(role name)>` in the virtual cluster's namespace; the role's trust
 * policy must let that service account assume the role through the cluster's OIDC provider. The statement built here
 * is the one `aws emr-containers update-role-trust-policy` adds (awscli/customizations/emrcontainers), key for key
 * and in the same key order, so that a document printed with `JSON.stringify(doc, null, 2)` is byte-identical to
 * what that command prints with `--dry-run` for a role without other statements.
 */

/** IAM's default size limit of a role trust policy, in characters (whitespace not counted); a quota can raise it. */
export const IAM_TRUST_POLICY_DEFAULT_MAX_SIZE = 2048;

/**
 * The role name as EMR encodes it into service account names: its characters read as one big-endian base-256
 * number (each character's code point is a digit), written in base 36 with `0-9a-z`. `a` -> `2p`.
 */
export function base36RoleName(roleName: string): string {
  let value = 0n;
  for (const char of roleName) value = value * 256n + BigInt(char.codePointAt(0) ?? 0);
  return value === 0n ? '0' : value.toString(36); // BigInt#toString(36) writes 0-9a-z, as the AWS CLI does
}

/** The parts of an IAM role ARN `arn:<partition>:iam::<account>:role/<path/><name>`. */
export interface IamRoleArn {
  readonly partition: string;
  readonly accountId: string;
  /** `/` for a role without a path, else `/<path>/` as IAM writes it. */
  readonly path: string;
  /** The role name: the last segment after `role/`, the only part EMR encodes. */
  readonly name: string;
}

const ROLE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** Splits an IAM role ARN; throws ConfigurationError naming `field` when it is not one. */
export function parseRoleArn(arn: string, field = 'executionRoleArn'): IamRoleArn {
  const match = ROLE_ARN.exec(arn);
  if (!match) {
    throw new ConfigurationError(
      field,
      `"${arn}" is not an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/[<path>/]<name>`,
    );
  }
  const [, partition, accountId, path, name] = match as unknown as [string, string, string, string, string];
  return { partition, accountId, path: `/${path}`, name };
}

/** The OIDC provider as IAM names it: the cluster's issuer URL without `https://`. */
export function oidcProviderOf(oidcIssuer: string): string {
  return oidcIssuer.replace(/^https:\/\//, '');
}

/** One trust policy statement, with the keys in the order IAM and the AWS CLI write them. */
export interface TrustPolicyStatement {
  readonly Effect: 'Allow';
  readonly Principal: { readonly Federated: string };
  readonly Action: 'sts:AssumeRoleWithWebIdentity';
  readonly Condition: { readonly StringLike: Readonly<Record<string, string>> };
}

/** A whole trust policy document. */
export interface TrustPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly TrustPolicyStatement[];
}

export interface EmrTrustStatementProps {
  /** AWS partition of the cluster. @default 'aws' */
  readonly partition?: string;
  /** Account of the EKS cluster: owner of the OIDC provider and the account in EMR's service account names. */
  readonly accountId: string;
  /** The cluster's OIDC issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/<ID>`. */
  readonly oidcIssuer: string;
  /** The tenant namespace (the virtual cluster's namespace) the jobs run in. */
  readonly namespace: string;
  /** The job execution role's name (not its ARN; for a role with a path, the last segment). */
  readonly roleName: string;
}

/** The statement that lets EMR jobs in `namespace` assume the role `roleName` through the cluster's OIDC provider. */
export function emrTrustPolicyStatement(props: EmrTrustStatementProps): TrustPolicyStatement {
  if (!/^\d{12}$/.test(props.accountId))
    throw new ConfigurationError('accountId', `"${props.accountId}" is not a 12-digit AWS account id`);
  if (!/^https:\/\/\S+$/.test(props.oidcIssuer))
    throw new ConfigurationError('oidcIssuer', `"${props.oidcIssuer}" is not an https:// issuer URL`);
  if (props.roleName.length === 0 || props.roleName.includes('/')) {
    throw new ConfigurationError(
      'roleName',
      `"${props.roleName}" is not a role name: pass the last segment of the role ARN`,
    );
  }
  const provider = oidcProviderOf(props.oidcIssuer);
  return {
    Effect: 'Allow',
    Principal: { Federated: `arn:${props.partition ?? 'aws'}:iam::${props.accountId}:oidc-provider/${provider}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringLike: {
        [`${provider}:sub`]: `system:serviceaccount:${props.namespace}:emr-containers-sa-*-*-${props.accountId}-${base36RoleName(props.roleName)}`,
      },
    },
  };
}

/** A trust policy document holding `statements`, identical ones once (as the AWS CLI skips a statement already there). */
export function trustPolicyDocument(statements: readonly TrustPolicyStatement[]): TrustPolicyDocument {
  const seen = new Set<string>();
  const unique = statements.filter((statement) => {
    const key = JSON.stringify(statement);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { Version: '2012-10-17', Statement: unique };
}

/** Size of a policy as IAM counts it against its limits: the JSON text without whitespace. */
export function trustPolicySize(document: TrustPolicyDocument): number {
  return JSON.stringify(document).length;
}

/** The tenants (namespaces) that use one execution role, and the cluster they run on. */
export interface RoleTrustInput {
  readonly roleArn: string;
  readonly namespaces: readonly string[];
  readonly partition?: string;
  readonly accountId: string;
  readonly oidcIssuer: string;
  /** Size limit to check against. @default IAM_TRUST_POLICY_DEFAULT_MAX_SIZE */
  readonly maxSize?: number;
  /**
   * Further clusters whose jobs assume the same role (an environment spanning several EKS clusters): their
   * statements follow this cluster's, one per namespace and cluster, in one document. @default none
   */
  readonly otherClusters?: readonly ClusterTrustInput[];
}

/** One more cluster of a role's trust policy: its OIDC provider and the namespaces whose jobs use the role there. */
export interface ClusterTrustInput {
  readonly namespaces: readonly string[];
  readonly partition?: string;
  readonly accountId: string;
  readonly oidcIssuer: string;
}

/** The trust policy one execution role needs, its size and what a reviewer should know about it. */
export interface RoleTrustPolicy {
  readonly role: IamRoleArn;
  readonly roleArn: string;
  readonly statements: readonly TrustPolicyStatement[];
  readonly document: TrustPolicyDocument;
  readonly size: number;
  readonly maxSize: number;
  /** Sentences for people: the size limit passed, the role in another account or partition than the cluster. */
  readonly warnings: readonly string[];
}

/**
 * The trust policy of one job execution role shared by the tenants in `namespaces`: one statement per namespace.
 * A role shared by many tenants grows by about 300 characters per tenant and passes IAM's 2048-character default
 * after a handful; the warning says so (one role per tenant is the fix, and the better isolation).
 *
 * @example
 * ```ts
 * import { emrRoleTrustPolicy } from '@emr-eks-gitops/core';
 *
 * const policy = emrRoleTrustPolicy({
 *   roleArn: 'arn:aws:iam::123456789012:role/analytics-job-execution',
 *   namespaces: ['spark-analytics'],
 *   accountId: '123456789012',
 *   oidcIssuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
 * });
 * // JSON.stringify(policy.document) for aws iam update-assume-role-policy; policy.warnings for reviewers
 * ```
 */
export function emrRoleTrustPolicy(input: RoleTrustInput): RoleTrustPolicy {
  const role = parseRoleArn(input.roleArn);
  const partition = input.partition ?? 'aws';
  const clusters = [input, ...(input.otherClusters ?? [])];
  const statements = clusters.flatMap((cluster) =>
    cluster.namespaces.map((namespace) =>
      emrTrustPolicyStatement({
        partition: cluster.partition ?? partition,
        accountId: cluster.accountId,
        oidcIssuer: cluster.oidcIssuer,
        namespace,
        roleName: role.name,
      }),
    ),
  );
  const document = trustPolicyDocument(statements);
  const size = trustPolicySize(document);
  const maxSize = input.maxSize ?? IAM_TRUST_POLICY_DEFAULT_MAX_SIZE;
  const warnings: string[] = [];
  if (size > maxSize) {
    warnings.push(
      `the trust policy of role ${role.name} is ${size} characters, over IAM's limit of ${maxSize}: ` +
        `give each of its ${new Set(clusters.flatMap((cluster) => cluster.namespaces)).size} tenants a role of its own (or raise the "Role trust policy length" quota)`,
    );
  }
  for (const accountId of new Set(clusters.map((cluster) => cluster.accountId))) {
    if (role.accountId === accountId) continue;
    warnings.push(
      `role ${role.name} is in account ${role.accountId} but the cluster is in ${accountId}: ` +
        `the statement names the cluster account's OIDC provider, as update-role-trust-policy does; a cross-account role needs that provider created in ${role.accountId}`,
    );
  }
  if (role.partition !== partition) {
    warnings.push(
      `role ${role.name} is in partition ${role.partition} but the cluster is in ${partition}: a role cannot trust another partition's OIDC provider`,
    );
  }
  return { role, roleArn: input.roleArn, statements: document.Statement, document, size, maxSize, warnings };
}
