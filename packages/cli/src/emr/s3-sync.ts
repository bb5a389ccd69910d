import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PROJECT_NAME } from '@emr-eks-gitops/core';
import { CliError, EXIT } from '../io.js';
import { mapWithLimit } from './progress.js';
import { errorKind, explainS3Error, maybeWritten } from './s3-errors.js';
import type { ArtifactUpload, RequiredPrefix, S3Targets } from './s3-targets.js';

/**
 * The S3 half of `emr apply`: uploads the rendered artifacts whose bytes differ (compared by the SHA-256 checksum S3
 * keeps with each object: PutObject with ChecksumAlgorithm SHA256, HeadObject with ChecksumMode ENABLED) and creates
 * the missing directory markers. Everything it writes carries object metadata naming the project, environment and
 * tenant; an object without that mark is never overwritten or deleted.
 *
 * A prefix "exists" for Spark when FileSystem.getFileStatus(dir).isDirectory: S3A (apache/hadoop S3AFileSystem
 * getFileStatus) and the s3n/EMRFS lineage (NativeS3FileSystem) both list `<dir>/` with one key and call it a
 * directory when anything is there, so one empty `<dir>/` object satisfies both. The `<dir>_$folder$` marker that
 * EMRFS itself writes is left out: it is only one more way EMRFS recognises, and AWS's knowledge center
 * ("emr-s3-empty-files") has it causing "File exists" errors.
 */

/** User metadata (x-amz-meta-*) marking an object as written by emr-gitops; S3 lowercases metadata keys. */
export const S3_MARK = {
  managedBy: 'emr-eks-gitops-managed-by',
  environment: 'emr-eks-gitops-environment',
  tenant: 'emr-eks-gitops-tenant',
} as const;

const EMPTY_SHA256 = createHash('sha256').digest('base64');

export type UploadAction = 'add' | 'change' | 'leave' | 'refuse' | 'failed';
export interface UploadEntry {
  readonly upload: ArtifactUpload;
  readonly action: UploadAction;
  readonly message?: string;
  readonly exitCode?: number;
}
export type PrefixAction = 'create' | 'exists' | 'failed';
export interface PrefixEntry {
  readonly prefix: RequiredPrefix;
  readonly action: PrefixAction;
  readonly message?: string;
  readonly exitCode?: number;
}
export interface S3Plan {
  readonly uploads: readonly UploadEntry[];
  readonly prefixes: readonly PrefixEntry[];
}

export interface UploadOutcome {
  readonly uri: string;
  readonly path: string;
  readonly status: 'uploaded' | 'unchanged' | 'refused' | 'failed';
  readonly message?: string;
  readonly exitCode?: number;
}
export interface PrefixOutcome {
  readonly uri: string;
  readonly status: 'created' | 'exists' | 'failed';
  readonly message?: string;
  readonly exitCode?: number;
}

interface S3Context {
  readonly environment: string;
  readonly sourcePath: string;
  readonly concurrency: number;
  /** --profile, for the advice when credentials fail. */
  readonly profile?: string | undefined;
}

/** Reads what S3 holds for each target; writes nothing. No credentials at all stop the command (exit 2). */
export async function planS3(s3: S3Client, targets: S3Targets, context: S3Context): Promise<S3Plan> {
  const uploads = await mapWithLimit(targets.uploads, context.concurrency, (upload) => planUpload(s3, upload, context));
  const prefixes = await mapWithLimit(targets.prefixes, context.concurrency, (prefix) =>
    planPrefix(s3, prefix, context),
  );
  const usage = [...uploads, ...prefixes].find((entry) => entry.exitCode === EXIT.usage);
  if (usage?.message !== undefined) throw new CliError(usage.message, EXIT.usage);
  return { uploads, prefixes };
}

async function planUpload(s3: S3Client, upload: ArtifactUpload, context: S3Context): Promise<UploadEntry> {
  let head: HeadObjectCommandOutput;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: upload.bucket, Key: upload.key, ChecksumMode: 'ENABLED' }));
  } catch (error) {
    if (errorKind(error) === 'not-found') return { upload, action: 'add' };
    const explained = explainS3Error(error, {
      operation: 'HeadObject',
      uri: upload.uri,
      sourcePath: context.sourcePath,
      profile: context.profile,
    });
    return { upload, action: 'failed', message: explained.message, exitCode: explained.exitCode };
  }
  const owner = ownerOf(head.Metadata);
  if (owner !== context.environment) {
    return {
      upload,
      action: 'refuse',
      message:
        `${upload.uri} exists and was not written by emr-gitops for ${context.environment} ` +
        `(${owner === undefined ? 'no emr-eks-gitops metadata' : `written for environment ${owner}`}): left as it is; ` +
        'delete or move it, or point spark.artifactsS3Uri elsewhere, and run apply again',
    };
  }
  return { upload, action: head.ChecksumSHA256 === upload.sha256 ? 'leave' : 'change' };
}

async function planPrefix(s3: S3Client, prefix: RequiredPrefix, context: S3Context): Promise<PrefixEntry> {
  try {
    return { prefix, action: (await prefixExists(s3, prefix)) ? 'exists' : 'create' };
  } catch (error) {
    const explained = explainS3Error(error, {
      operation: 'ListObjectsV2',
      uri: prefix.uri,
      sourcePath: context.sourcePath,
      profile: context.profile,
    });
    return { prefix, action: 'failed', message: explained.message, exitCode: explained.exitCode };
  }
}

/** True when anything is stored at or below `prefix.key` (its marker or any object): a directory for S3A and EMRFS. */
async function prefixExists(s3: S3Client, prefix: RequiredPrefix): Promise<boolean> {
  const answer = await s3.send(new ListObjectsV2Command({ Bucket: prefix.bucket, Prefix: prefix.key, MaxKeys: 1 }));
  return (answer.KeyCount ?? answer.Contents?.length ?? 0) > 0;
}

/** The environment an object's metadata says emr-gitops wrote it for, if any. */
function ownerOf(metadata: Record<string, string> | undefined): string | undefined {
  return metadata?.[S3_MARK.managedBy] === PROJECT_NAME ? metadata[S3_MARK.environment] : undefined;
}

const mark = (environment: string, tenant?: string): Record<string, string> => ({
  [S3_MARK.managedBy]: PROJECT_NAME,
  [S3_MARK.environment]: environment,
  ...(tenant !== undefined ? { [S3_MARK.tenant]: tenant } : {}),
});

/** Carries out an S3 plan: uploads first (what jobs read), then the directory markers. */
export async function applyS3(
  s3: S3Client,
  plan: S3Plan,
  context: S3Context,
): Promise<{ uploads: UploadOutcome[]; prefixes: PrefixOutcome[] }> {
  const uploads = await mapWithLimit(plan.uploads, context.concurrency, async (entry): Promise<UploadOutcome> => {
    const base = { uri: entry.upload.uri, path: entry.upload.path };
    switch (entry.action) {
      case 'leave':
        return { ...base, status: 'unchanged' };
      case 'refuse':
        return { ...base, status: 'refused', ...(entry.message ? { message: entry.message } : {}) };
      case 'failed':
        return {
          ...base,
          status: 'failed',
          ...(entry.message ? { message: entry.message } : {}),
          ...(entry.exitCode ? { exitCode: entry.exitCode } : {}),
        };
      case 'add':
      case 'change':
        return { ...base, ...(await upload(s3, entry.upload, context)) };
    }
  });
  const prefixes = await mapWithLimit(plan.prefixes, context.concurrency, async (entry): Promise<PrefixOutcome> => {
    const base = { uri: entry.prefix.uri };
    if (entry.action === 'exists') return { ...base, status: 'exists' };
    if (entry.action === 'failed')
      return {
        ...base,
        status: 'failed',
        ...(entry.message ? { message: entry.message } : {}),
        ...(entry.exitCode ? { exitCode: entry.exitCode } : {}),
      };
    const marker: ArtifactUpload = {
      uri: entry.prefix.uri,
      bucket: entry.prefix.bucket,
      key: entry.prefix.key,
      path: '',
      body: Buffer.alloc(0),
      sha256: EMPTY_SHA256,
      contentType: 'application/x-directory',
    };
    const done = await upload(s3, marker, context);
    return {
      ...base,
      status: done.status === 'uploaded' ? 'created' : 'failed',
      ...(done.message ? { message: done.message } : {}),
      ...(done.exitCode ? { exitCode: done.exitCode } : {}),
    };
  });
  return { uploads, prefixes };
}

type UploadResult = Pick<UploadOutcome, 'status' | 'message' | 'exitCode'>;

/**
 * PutObject with the SHA-256 S3 checks on arrival (BadDigest if a byte differs). Writing the same bytes twice leaves
 * one object, so the SDK's retries are safe; when every answer is lost, a HEAD shows whether the bytes landed.
 */
async function upload(s3: S3Client, target: ArtifactUpload, context: S3Context): Promise<UploadResult> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: target.body,
        ContentType: target.contentType,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: target.sha256,
        Metadata: mark(context.environment, target.tenant),
      }),
    );
    return { status: 'uploaded' };
  } catch (error) {
    const explained = explainS3Error(error, {
      operation: 'PutObject',
      uri: target.uri,
      sourcePath: context.sourcePath,
      profile: context.profile,
    });
    if (maybeWritten(error) && (await landed(s3, target, context.environment))) {
      return {
        status: 'uploaded',
        message: `${target.uri}: the answer to the upload was lost; the object is in place with the rendered bytes`,
      };
    }
    return { status: 'failed', message: explained.message, exitCode: explained.exitCode };
  }
}

async function landed(s3: S3Client, target: ArtifactUpload, environment: string): Promise<boolean> {
  try {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: target.key, ChecksumMode: 'ENABLED' }),
    );
    return head.ChecksumSHA256 === target.sha256 && ownerOf(head.Metadata) === environment;
  } catch {
    return false; // the HEAD failing too leaves the upload's own error as the one to report
  }
}

export interface S3DeleteOutcome {
  readonly uri: string;
  readonly status: 'deleted' | 'failed';
  readonly message?: string;
  readonly exitCode?: number;
}

/**
 * `emr destroy`: deletes the objects emr-gitops wrote below spark.artifactsS3Uri for the environment (one tenant's
 * with `tenant`), found by listing and recognised by their metadata; objects without the mark stay. Event-log
 * prefixes are data and are never deleted.
 */
export async function destroyArtifacts(
  s3: S3Client,
  base: { readonly bucket: string; readonly key: string },
  context: S3Context & { readonly tenant?: string },
): Promise<S3DeleteOutcome[]> {
  const root = base.key === '' ? '' : `${base.key}/`;
  const prefix = context.tenant !== undefined ? `${root}tenants/${context.tenant}/` : root;
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: base.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    const explained = explainS3Error(error, {
      operation: 'ListObjectsV2',
      uri: `s3://${base.bucket}/${prefix}`,
      sourcePath: context.sourcePath,
      profile: context.profile,
    });
    return [
      {
        uri: `s3://${base.bucket}/${prefix}`,
        status: 'failed',
        message: explained.message,
        exitCode: explained.exitCode,
      },
    ];
  }
  const deleted = await mapWithLimit(keys, context.concurrency, async (key): Promise<S3DeleteOutcome | undefined> => {
    const uri = `s3://${base.bucket}/${key}`;
    let operation: 'HeadObject' | 'DeleteObject' = 'HeadObject';
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: base.bucket, Key: key }));
      if (ownerOf(head.Metadata) !== context.environment) return undefined;
      if (context.tenant !== undefined && head.Metadata?.[S3_MARK.tenant] !== context.tenant) return undefined;
      operation = 'DeleteObject';
      await s3.send(new DeleteObjectCommand({ Bucket: base.bucket, Key: key }));
      return { uri, status: 'deleted' };
    } catch (error) {
      if (errorKind(error) === 'not-found') return undefined; // gone already: the goal is reached
      const explained = explainS3Error(error, {
        operation,
        uri,
        sourcePath: context.sourcePath,
        profile: context.profile,
      });
      return { uri, status: 'failed', message: explained.message, exitCode: explained.exitCode };
    }
  });
  return deleted.filter((outcome): outcome is S3DeleteOutcome => outcome !== undefined);
}
