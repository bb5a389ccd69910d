import { afterEach, beforeEach, vi } from 'vitest';
import { FakeAccount } from './fake-account.js';
import { FakeS3 } from './fake-s3.js';
import { repoEnvironment, stubAwsEnvironment, tempProject } from './harness.js';

/**
 * A temporary project holding the repository's environment `env`, with a fake S3 (holding `buckets`) and a fake
 * account of `accountId` (IAM, STS, EKS, SQS) made for each test and the SDK's endpoint variables pointing at them.
 */
export function useAccountProject(env: string, accountId: string, buckets: readonly string[] = []) {
  const fixture = {} as { project: { root: string; cleanup: () => void }; s3: FakeS3; account: FakeAccount };
  beforeEach(async () => {
    fixture.project = tempProject(env, repoEnvironment(env));
    stubAwsEnvironment(fixture.project.root);
    fixture.s3 = await new FakeS3().start();
    for (const bucket of buckets) fixture.s3.bucket(bucket);
    fixture.account = await new FakeAccount().start();
    fixture.account.account = accountId;
    vi.stubEnv('AWS_ENDPOINT_URL_S3', fixture.s3.url);
    for (const service of ['IAM', 'STS', 'EKS', 'SQS']) vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, fixture.account.url);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await fixture.s3.stop();
    await fixture.account.stop();
    fixture.project.cleanup();
  });
  return fixture;
}
