import { errorKind } from './s3-errors.js';

/**
 * `emr preflight`: read-only checks of the account against what the environment needs before its first job. Each
 * check is ok, missing (with the fix), could not check (no permission, unreachable: never a pass), or skipped (out of
 * the AWS APIs' reach by design, e.g. aws-auth is a ConfigMap in the cluster).
 */
export type CheckStatus = 'ok' | 'missing' | 'could not check' | 'skipped';
export interface Check {
  readonly area: string;
  readonly subject: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

export const ok = (area: string, subject: string, detail: string): Check => ({ area, subject, status: 'ok', detail });
export const missing = (area: string, subject: string, detail: string, fix: string): Check => ({
  area,
  subject,
  status: 'missing',
  detail,
  fix,
});

/** A check that failed to run: says what AWS answered and, when refused, the permission preflight needs. */
function couldNotCheck(area: string, subject: string, permission: string, error: unknown): Check {
  const e = error as { name?: string; message?: string };
  const kind = errorKind(error);
  const why =
    kind === 'denied'
      ? `the identity you run as lacks ${permission}`
      : kind === 'unreachable'
        ? 'the service did not answer (network, region or AWS_ENDPOINT_URL_*)'
        : kind === 'credentials'
          ? 'no usable AWS credentials'
          : 'the call failed';
  return {
    area,
    subject,
    status: 'could not check',
    detail: `${why}: ${e.name ?? 'Error'}${e.message && e.message !== 'UnknownError' ? `: ${e.message}` : ''}`,
  };
}

/** Runs one check; an error it does not expect becomes "could not check". */
export async function attempt(
  area: string,
  subject: string,
  permission: string,
  run: () => Promise<Check | Check[]>,
): Promise<Check[]> {
  try {
    const result = await run();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [couldNotCheck(area, subject, permission, error)];
  }
}

export const notFound = (error: unknown) => errorKind(error) === 'not-found';
export const roleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
