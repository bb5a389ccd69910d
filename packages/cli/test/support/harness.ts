import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { run, type CliIO } from '../../src/index.js';
import { FakeEmr } from './fake-emr.js';
import { FakeS3 } from './fake-s3.js';
import { repoEnvironmentText } from './project.js';

/** A CliIO writing into strings; no terminal unless asked for. */
export interface BufferIO extends CliIO {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function bufferIO(
  cwd: string,
  options: { isTTY?: boolean; confirm?: (question: string) => Promise<boolean> } = {},
): BufferIO {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    isTTY: options.isTTY ?? false,
    env: {},
    cwd,
    ...(options.confirm ? { confirm: options.confirm } : {}),
    stdout: () => out,
    stderr: () => err,
  };
}

/** The repository's environment, as one self-contained file's text (tenants written in), for tests to copy (and edit). */
export function repoEnvironment(name: string): string {
  return repoEnvironmentText(name);
}

/** A temporary project holding environments/<name>.yaml with `text` (by default the repository's dev.yaml). */
export function tempProject(name = 'dev', text = repoEnvironment('dev')): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'emr-gitops-'));
  mkdirSync(join(root, 'environments'));
  writeFileSync(join(root, 'environments', `${name}.yaml`), text);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Dummy static credentials and no shared config files, so the SDK never looks at the machine's AWS setup;
 * endpoint variables cleared so each test chooses its endpoint.
 */
export function stubAwsEnvironment(root: string): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTESTENV');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  for (const service of ['EMR_CONTAINERS', 'S3', 'IAM', 'STS', 'EKS', 'SQS'])
    vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, undefined);
  vi.stubEnv('AWS_MAX_ATTEMPTS', undefined);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_CONFIG_FILE', join(root, 'no-aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(root, 'no-aws-credentials'));
}

/** Runs the CLI in-process; returns the exit code and what it printed. */
export async function runCli(
  argv: readonly string[],
  io: BufferIO,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await run(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** Tags emr-gitops puts on the clusters it makes, for seeding a fake with them. */
export const managedTags = (tenant: string, environment = 'dev') => ({
  'emr-eks-gitops.io/managed-by': 'emr-eks-gitops',
  'emr-eks-gitops.io/environment': environment,
  'emr-eks-gitops.io/tenant': tenant,
});

/** The buckets of environments/dev.yaml: spark.artifactsS3Uri and spark.logs.s3Uri. */
export const DEV_BUCKETS = [
  'spark-platform-dev-artifacts-210987654321',
  'spark-platform-dev-logs-210987654321',
] as const;

/**
 * Per test: a fresh fake EMR server, a fake S3 holding the environment's (empty) buckets, a temp project with the repository's dev.yaml, and dummy AWS settings.
 * `emr(args)` runs `emr-gitops emr <args> --env dev` against the fake.
 */
export function useFakeEmr() {
  const fixture = {} as { fake: FakeEmr; s3: FakeS3; root: string; cleanup: () => void };
  beforeEach(async () => {
    fixture.fake = await new FakeEmr().start();
    fixture.s3 = await new FakeS3().start();
    for (const bucket of DEV_BUCKETS) fixture.s3.bucket(bucket);
    Object.assign(fixture, tempProject());
    stubAwsEnvironment(fixture.root);
    vi.stubEnv('AWS_ENDPOINT_URL_S3', fixture.s3.url);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await fixture.fake.stop();
    await fixture.s3.stop();
    fixture.cleanup();
  });
  const emr = (args: readonly string[], io = bufferIO(fixture.root)) =>
    runCli(['emr', ...args, '--env', 'dev', '--endpoint-url', fixture.fake.url], io);
  return { fixture, emr };
}
