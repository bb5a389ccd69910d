import { ConfigurationError } from '../primitives/errors.js';
import type { PolicyStatement } from './policy-document.js';

/**
 * What a Spark role does with S3 and CloudWatch Logs, turned into least-privilege statements. Each S3 location is a
 * prefix ending in `/` (or one object), so `<logs>/app/*` never reaches a neighbour's `<logs>/app-dev/`; listing is
 * allowed on the bucket only with `s3:prefix` inside the same prefixes.
 *
 * The actions: EMR on EKS guide, "Create a job execution role" (s3:PutObject, s3:GetObject, s3:ListBucket on the log
 * and data buckets; logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups, logs:DescribeLogStreams);
 * Spark's event log writer and decommission fallback storage write through a Hadoop FileSystem, which renames by
 * copy and delete on S3 and aborts failed multipart uploads, hence s3:DeleteObject and s3:AbortMultipartUpload there.
 */

/** How a role uses an S3 location. */
export type S3Access =
  /** Reads objects (pod templates, custom code, another job's event logs). */
  | 'read'
  /** Uploads objects and reads them back (EMR's job logs below monitoringConfiguration's logUri). */
  | 'upload'
  /** A Hadoop FileSystem directory: write, read, rename (copy + delete), abort uploads (event logs, fallback storage). */
  | 'read-write';

export const S3_ACCESS_ACTIONS: Readonly<Record<S3Access, readonly string[]>> = {
  read: ['s3:GetObject'],
  upload: ['s3:GetObject', 's3:PutObject'],
  'read-write': ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
};

/** One S3 location a role uses: `s3://bucket/prefix/` (a prefix) or `s3://bucket/key` (one object and what is below it). */
export interface S3Grant {
  readonly uri: string;
  readonly access: S3Access;
  /**
   * A Hadoop FileSystem directory Spark probes before use (the event-log directory): S3A's and EMRFS's
   * `getFileStatus` first HEADs the bare key (`<dir>` without "/") and goes on to HEAD `<dir>/` and LIST prefix
   * `<dir>/` only when that HEAD answers 404 (hadoop-aws S3AFileSystem.s3GetFileStatus). S3 answers 403, not 404,
   * without s3:GetObject on that key (S3 API reference, HeadObject, "Permissions"), so the bare key is readable and
   * listable too; never writable.
   */
  readonly directory?: boolean;
}

/** What one role does for one purpose. */
export interface DataAccess {
  /** PascalCase start of every statement's Sid, unique per purpose within a role (e.g. `JobAppDev`). */
  readonly sid: string;
  readonly s3: readonly S3Grant[];
  /** CloudWatch Logs groups the role creates streams in and writes to. */
  readonly logGroups: readonly string[];
  /** KMS key of the buckets' SSE-KMS encryption, if they use one: S3 decrypts (and encrypts) with it for the role. */
  readonly s3KmsKeyArn?: string;
}

/** Where the role's account and region are: for CloudWatch Logs ARNs and the partition of every ARN. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Bucket and key of an `s3://` URI; throws ConfigurationError naming `field` for anything else. */
export function s3Location(uri: string, field = 'uri'): { readonly bucket: string; readonly key: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) throw new ConfigurationError(field, `"${uri}" is not an s3://<bucket>/<key> URI`);
  return { bucket: match[1]!, key: match[2] ?? '' };
}

/** The object ARNs a grant covers: everything below a prefix, or one object and everything below it as a prefix. */
function objectArns(partition: string, uri: string): string[] {
  const { bucket, key } = s3Location(uri);
  const base = `arn:${partition}:s3:::${bucket}/${key}`;
  return key === '' || key.endsWith('/') ? [`${base}*`] : [base, `${base}/*`];
}

/** The bare key of a directory grant (`s3://b/t/spark-events/` -> `t/spark-events`), which getFileStatus HEADs first. */
function bareDirectoryKey(grant: S3Grant): string | undefined {
  const { key } = s3Location(grant.uri);
  return grant.directory && key.endsWith('/') && key.length > 1 ? key.slice(0, -1) : undefined;
}

/** The ARNs of directories' bare keys that no object ARN of the grants already covers (a job's `<logs>/<t>/*`). */
function bareKeyArns(grants: readonly S3Grant[], partition: string): string[] {
  const covered = grants.flatMap((grant) => objectArns(partition, grant.uri)).filter((arn) => arn.endsWith('*'));
  return grants.flatMap((grant) => {
    const bare = bareDirectoryKey(grant);
    const arn = bare && `arn:${partition}:s3:::${s3Location(grant.uri).bucket}/${bare}`;
    return arn && !covered.some((pattern) => arn.startsWith(pattern.slice(0, -1))) ? [arn] : [];
  });
}

/**
 * The `s3:prefix` patterns a role may list with below a grant: `<prefix>/*` (StringLike's `*` also matches nothing,
 * so `<prefix>/` itself), and for a directory its bare key as well.
 */
function listPrefixes(grant: S3Grant): string[] {
  const { key } = s3Location(grant.uri);
  if (key === '') return [];
  const bare = bareDirectoryKey(grant);
  return [...(bare ? [bare] : []), `${key.endsWith('/') ? key : `${key}/`}*`];
}

/** The patterns no wildcard pattern of the list already matches (`a/*` holds `a/b/*` and `a/b`). */
const outermost = (patterns: readonly string[]): string[] =>
  patterns.filter(
    (pattern) =>
      !patterns.some((other) => other !== pattern && other.endsWith('*') && pattern.startsWith(other.slice(0, -1))),
  );

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** PascalCase of a name such as `app-dev` or `spark-history`: `AppDev`, the form a Sid may hold. */
export function sidPart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The statements for one purpose of a role: one per S3 access kind (its object ARNs), one s3:ListBucket per bucket
 * (conditioned on the prefixes), and for log groups the stream actions on the groups and logs:DescribeLogGroups,
 * which names no group (it lists them: its resource is `log-group:*` of the account and region, CloudWatch Logs
 * permissions reference), so it is scoped to the account and region rather than granted on "*".
 */
export function dataAccessStatements(access: DataAccess, context: ArnContext): PolicyStatement[] {
  const { partition, region, accountId } = context;
  const statements: PolicyStatement[] = [];
  const sidOf: Record<S3Access, string> = {
    read: 'ReadObjects',
    upload: 'UploadObjects',
    'read-write': 'ReadWriteObjects',
  };
  for (const kind of ['read', 'upload', 'read-write'] as const) {
    const resources = unique([
      ...access.s3.filter((grant) => grant.access === kind).flatMap((grant) => objectArns(partition, grant.uri)),
      // Directories' bare keys: read only, whatever the directory's access (writing there would hide the directory).
      ...(kind === 'read' ? bareKeyArns(access.s3, partition) : []),
    ]);
    if (resources.length > 0)
      statements.push({
        Sid: `${access.sid}${sidOf[kind]}`,
        Effect: 'Allow',
        Action: [...S3_ACCESS_ACTIONS[kind]],
        Resource: resources,
      });
  }
  const buckets = unique(access.s3.map((grant) => s3Location(grant.uri).bucket));
  buckets.forEach((bucket, index) => {
    const prefixes = outermost(
      unique(access.s3.filter((grant) => s3Location(grant.uri).bucket === bucket).flatMap(listPrefixes)),
    );
    statements.push({
      Sid: `${access.sid}ListBucket${buckets.length > 1 ? index + 1 : ''}`,
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [`arn:${partition}:s3:::${bucket}`],
      // A grant of the whole bucket lists it without a condition.
      ...(prefixes.length > 0 &&
      access.s3.every((grant) => s3Location(grant.uri).bucket !== bucket || s3Location(grant.uri).key !== '')
        ? { Condition: { StringLike: { 's3:prefix': prefixes } } }
        : {}),
    });
  });
  if (access.s3KmsKeyArn && access.s3.length > 0) {
    // SSE-KMS: reading needs kms:Decrypt, writing kms:GenerateDataKey too (and Decrypt for multipart uploads and the
    // copy of a rename): S3 user guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)", permissions;
    // Hadoop S3A "Working with Encrypted S3 Data". Only through S3 in the role's region (kms:ViaService).
    const writes = access.s3.some((grant) => grant.access !== 'read');
    statements.push({
      Sid: `${access.sid}S3Kms`,
      Effect: 'Allow',
      Action: writes ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      Resource: [access.s3KmsKeyArn],
      Condition: {
        StringEquals: {
          'kms:ViaService': `s3.${region}.${partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}`,
        },
      },
    });
  }
  if (access.logGroups.length > 0) {
    statements.push({
      Sid: `${access.sid}WriteLogStreams`,
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: unique(access.logGroups).map(
        (group) => `arn:${partition}:logs:${region}:${accountId}:log-group:${group}:*`,
      ),
    });
    statements.push({
      Sid: `${access.sid}DescribeLogGroups`,
      Effect: 'Allow',
      Action: ['logs:DescribeLogGroups'],
      Resource: [`arn:${partition}:logs:${region}:${accountId}:log-group:*`],
    });
  }
  return statements;
}
