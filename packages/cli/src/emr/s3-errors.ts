import { EXIT } from '../io.js';
import {
  CREDENTIAL_ERRORS,
  NETWORK_CODES,
  noCredentialsAdvice,
  type AwsLikeError,
  type ExplainedError,
} from './errors.js';

/** The S3 calls these commands make, and the IAM action each one needs. */
export const S3_PERMISSIONS = {
  HeadBucket: 's3:ListBucket',
  HeadObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  PutObject: 's3:PutObject',
  DeleteObject: 's3:DeleteObject',
} as const;
export type S3Operation = keyof typeof S3_PERMISSIONS;

/** How an AWS error reads for a check or a step: the object is missing, we may not look, or we could not reach it. */
export type ErrorKind = 'not-found' | 'denied' | 'credentials' | 'unreachable' | 'server' | 'other';

export function errorKind(error: unknown): ErrorKind {
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (CREDENTIAL_ERRORS.has(name)) return 'credentials';
  if (status === 404 || /NotFound|NoSuch|DoesNotExist/.test(name)) return 'not-found';
  if (status === 403 || /AccessDenied|Forbidden|UnauthorizedOperation/.test(name)) return 'denied';
  if (name === 'TimeoutError' || NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(name)) return 'unreachable';
  if (
    e.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    /Throttl|SlowDown/.test(name)
  )
    return 'server';
  return 'other';
}

/** Errors after which a write may have happened: the request may have reached the service, no clear answer came back. */
export function maybeWritten(error: unknown): boolean {
  const kind = errorKind(error);
  return kind === 'server' || kind === 'unreachable';
}

/** One line naming the object, the AWS error and the next step; exit 2 when there are no credentials at all. */
export function explainS3Error(
  error: unknown,
  what: {
    readonly operation: S3Operation;
    readonly uri: string;
    readonly sourcePath: string;
    readonly profile?: string | undefined;
  },
): ExplainedError {
  const e = (error ?? {}) as AwsLikeError;
  const said = `${e.name ?? 'Error'}${e.message && e.message !== 'UnknownError' ? `: ${e.message}` : ''}`;
  const failed = (advice: string, exitCode: number = EXIT.failed): ExplainedError => ({
    message: `${what.uri}: ${what.operation} failed: ${said}\n  -> ${advice}`,
    exitCode,
  });
  const bucket = /^s3:\/\/([^/]+)/.exec(what.uri)?.[1] ?? '';
  if (e.name === 'NoSuchBucket') {
    return failed(
      `bucket ${bucket} does not exist in this account: create it, or correct the s3:// URIs under spark: in ${what.sourcePath}`,
    );
  }
  switch (errorKind(error)) {
    case 'credentials':
      return failed(noCredentialsAdvice(what.profile), EXIT.usage);
    case 'denied':
      return failed(
        `the identity you run as lacks IAM permission ${S3_PERMISSIONS[what.operation]} on ` +
          `${what.operation === 'ListObjectsV2' || what.operation === 'HeadBucket' ? `arn:aws:s3:::${bucket}` : what.uri.replace(/^s3:\/\//, 'arn:aws:s3:::')} ` +
          '(or the bucket policy refuses it); see "IAM permissions of the CLI" in the README',
      );
    case 'unreachable':
      return failed(
        'the S3 endpoint did not answer: check the network, the region and AWS_ENDPOINT_URL_S3, then run again (apply is idempotent)',
      );
    case 'server':
      return failed(
        `S3 kept failing or throttling${e.$metadata?.attempts ? ` after ${e.$metadata.attempts} attempts` : ''}; run again later or raise --max-attempts (apply is idempotent)`,
      );
    default:
      return failed('unexpected error; run again (apply is idempotent) and report it if it persists');
  }
}
