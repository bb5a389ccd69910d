import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { DEV_BUCKETS, useFakeEmr } from './support/harness.js';

const [ARTIFACTS, LOGS] = DEV_BUCKETS;
const BASE = 'emr-eks-gitops';
const TENANTS = ['app-dev', 'data-eng', 'ml'] as const;
/** The committed render of dev: what apply must upload, byte for byte. */
const committed = (path: string) => readFileSync(new URL(`../../../dist-manifests/dev/${path}`, import.meta.url));
/** Every job's driver and executor templates, and the executor template of app-dev's notebook sessions (JupyterHub reads it). */
const POD_TEMPLATES = [
  ...TENANTS.flatMap((tenant) => ['driver', 'executor'].map((role) => `tenants/${tenant}/pod-templates/${role}.yaml`)),
  'tenants/app-dev/pod-templates/session-executor.yaml',
];
const EVENT_LOG_MARKERS = TENANTS.map((tenant) => `${tenant}/spark-events/`);

const { fixture, emr } = useFakeEmr();

function expectEverythingInPlace(): void {
  const artifacts = fixture.s3.bucket(ARTIFACTS);
  expect([...artifacts.keys()].sort()).toEqual(POD_TEMPLATES.map((path) => `${BASE}/${path}`).sort());
  for (const path of POD_TEMPLATES) {
    const object = artifacts.get(`${BASE}/${path}`)!;
    expect(object.body.equals(committed(`artifacts/${path}`)), path).toBe(true);
    expect(object.metadata).toEqual({
      'emr-eks-gitops-managed-by': 'emr-eks-gitops',
      'emr-eks-gitops-environment': 'dev',
      'emr-eks-gitops-tenant': path.split('/')[1],
    });
  }
  const logs = fixture.s3.bucket(LOGS);
  expect([...logs.keys()].sort()).toEqual(EVENT_LOG_MARKERS);
  for (const marker of EVENT_LOG_MARKERS) expect(logs.get(marker)!.body.length).toBe(0);
}

describe('emr apply: the S3 side', () => {
  it('uploads exactly the rendered pod templates, creates each event-log prefix, and does nothing the second time', async () => {
    const first = await emr(['apply', '--output', 'json']);
    expect(first.code).toBe(0);
    expectEverythingInPlace();
    const report = JSON.parse(first.stdout).s3;
    expect(report.summary).toEqual({ uploaded: 7, unchanged: 0, refused: 0, failed: 0, prefixesCreated: 3 });
    // Each upload carried the SHA-256 S3 checks on arrival (the fake refuses a mismatch with BadDigest).
    expect(fixture.s3.done('PutObject')).toHaveLength(POD_TEMPLATES.length + EVENT_LOG_MARKERS.length);

    const second = await emr(['apply']);
    expect(second.code).toBe(0);
    expect(fixture.s3.done('PutObject')).toHaveLength(POD_TEMPLATES.length + EVENT_LOG_MARKERS.length);
    expect(second.stdout).toMatch(/S3: 0 uploaded, 7 unchanged, 0 refused, 0 prefixes created, 0 failed\./);
  });

  it('--s3-only does the S3 side alone (bootstrap, before the namespaces exist): no EMR call', async () => {
    const result = await emr(['apply', '--s3-only']);
    expect(result.code).toBe(0);
    expectEverythingInPlace();
    expect(fixture.fake.requests).toEqual([]);
    expect(result.stdout).toMatch(/^S3:\nRESULT\s+S3 OBJECT OR PREFIX\n/);
    expect(result.stdout).toMatch(/S3: 7 uploaded, 0 unchanged, 0 refused, 3 prefixes created, 0 failed\.\n$/);
    const json = JSON.parse((await emr(['apply', '--s3-only', '--output', 'json'])).stdout);
    expect(json).toMatchObject({
      environment: 'dev',
      s3: { summary: { uploaded: 0, unchanged: 7, prefixesCreated: 0 } },
    });
  });

  it('plan shows objects to add, change and leave and prefixes to create, and writes nothing', async () => {
    const empty = await emr(['plan', '--output', 'json']);
    expect(empty.code).toBe(0);
    const s3 = JSON.parse(empty.stdout).s3;
    expect(s3.summary).toEqual({ add: 7, change: 0, leave: 0, refuse: 0, failed: 0, prefixesToCreate: 3 });
    expect(s3.prefixes.map((p: { uri: string }) => p.uri)).toEqual(
      EVENT_LOG_MARKERS.map((key) => `s3://${LOGS}/${key}`),
    );
    // The event-log dir of app-dev is named by its job documents and by the notebook's Spark settings.
    expect(s3.prefixes[0].sources).toContain('addons/jupyterhub/helmrelease-jupyterhub.yaml');
    expect(fixture.s3.calls('PutObject')).toBe(0);

    await emr(['apply']);
    // An older render's upload: marked as ours, other bytes and their checksum.
    const stale = fixture.s3.bucket(ARTIFACTS).get(`${BASE}/tenants/ml/pod-templates/driver.yaml`)!;
    stale.body = Buffer.from('an older render\n');
    stale.checksumSha256 = createHash('sha256').update(stale.body).digest('base64');
    fixture.s3.bucket(LOGS).delete('ml/spark-events/');
    fixture.s3.seed(LOGS, 'data-eng/spark-events/application_1', 'an event log'); // marker gone, but the prefix holds an object
    fixture.s3.bucket(LOGS).delete('data-eng/spark-events/');
    const drift = await emr(['plan']);
    expect(drift.stdout).toMatch(
      /^change\s+s3:\/\/\S+\/tenants\/ml\/pod-templates\/driver\.yaml\s+artifacts\/tenants\/ml\/pod-templates\/driver\.yaml$/m,
    );
    expect(drift.stdout).toMatch(/^create\s+s3:\/\/spark-platform-dev-logs-210987654321\/ml\/spark-events\/$/m);
    expect(drift.stdout).toMatch(/^exists\s+s3:\/\/spark-platform-dev-logs-210987654321\/data-eng\/spark-events\/$/m);
    expect(drift.stdout).toMatch(/S3: 0 to add, 1 to change, 6 unchanged, 0 refused, 1 prefixes to create\./);
  });

  it('checks the markers on every run: a prefix emptied after its marker went (lifecycle, clean-up) gets it back', async () => {
    await emr(['apply']);
    const logs = fixture.s3.bucket(LOGS);
    // S3A and EMRFS delete the parent's marker once the first event log is written below it.
    fixture.s3.seed(LOGS, 'data-eng/spark-events/spark-0a1b2c', 'an event log');
    logs.delete('data-eng/spark-events/');
    const held = await emr(['apply', '--s3-only']);
    expect(held.stdout).toMatch(/^exists\s+s3:\/\/spark-platform-dev-logs-210987654321\/data-eng\/spark-events\/$/m);
    expect(held.stdout).toMatch(/0 prefixes created, 0 failed\./);
    // A lifecycle rule expires the last log: the directory is gone for Spark until apply writes the marker again.
    logs.delete('data-eng/spark-events/spark-0a1b2c');
    const again = await emr(['apply', '--s3-only']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^created\s+s3:\/\/spark-platform-dev-logs-210987654321\/data-eng\/spark-events\/$/m);
    expect(again.stdout).toMatch(/1 prefixes created, 0 failed\./);
    expectEverythingInPlace();
  });

  it('never overwrites an object it did not write: reports it, uploads the rest, exits 1', async () => {
    const foreign = `${BASE}/tenants/app-dev/pod-templates/executor.yaml`;
    fixture.s3.seed(ARTIFACTS, foreign, "someone else's file");
    const result = await emr(['apply']);
    expect(result.code).toBe(1);
    expect(fixture.s3.bucket(ARTIFACTS).get(foreign)!.body.toString()).toBe("someone else's file");
    expect(result.stdout).toMatch(
      /^refused\s+s3:\/\/spark-platform-dev-artifacts-210987654321\/emr-eks-gitops\/tenants\/app-dev\/pod-templates\/executor\.yaml$/m,
    );
    expect(result.stdout).toContain(
      `s3://${ARTIFACTS}/${foreign} exists and was not written by emr-gitops for dev (no emr-eks-gitops metadata): left as it is`,
    );
    expect(result.stdout).toMatch(/S3: 6 uploaded, 0 unchanged, 1 refused, 3 prefixes created, 0 failed\./);
    // The virtual clusters are registered all the same: they do not read S3.
    expect(result.stdout).toMatch(/3 created, 0 already in place/);
  });

  it('converges under throttling, 503s and uploads whose answer is lost, writing each object once', async () => {
    fixture.s3.inject({ operation: 'HeadObject', kind: 'throttle', times: 2 });
    fixture.s3.inject({ operation: 'ListObjectsV2', kind: 'unavailable', times: 1 });
    fixture.s3.inject({ operation: 'PutObject', kind: 'commit-then-500', times: 2 });
    fixture.s3.inject({ operation: 'PutObject', kind: 'throttle', times: 1 });
    const result = await emr(['apply', '--concurrency', '1']);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expectEverythingInPlace();
    expect(fixture.s3.requests.filter((r) => r.fault !== undefined)).toHaveLength(6);
    // Keys written more than once are only the retried ones, with the same bytes: S3 keeps one object per key.
    const again = await emr(['apply', '--output', 'json']);
    expect(JSON.parse(again.stdout).s3.summary).toMatchObject({ uploaded: 0, unchanged: 7, prefixesCreated: 0 });
  });

  it('reports an upload whose every answer was lost as uploaded once a HEAD finds the rendered bytes in place', async () => {
    fixture.s3.inject({ operation: 'PutObject', kind: 'commit-then-500', times: 2 });
    const result = await emr(['apply', '--concurrency', '1', '--max-attempts', '2', '--output', 'json']);
    expect(result.code).toBe(0);
    const uploads = JSON.parse(result.stdout).s3.uploads as { status: string; message?: string }[];
    expect(uploads.every((u) => u.status === 'uploaded')).toBe(true);
    expect(uploads[0]!.message).toMatch(
      /the answer to the upload was lost; the object is in place with the rendered bytes/,
    );
    expectEverythingInPlace();
  });

  it('retries an upload that timed out (the bytes landed, the answer never came) and ends with the same single object', async () => {
    fixture.s3.inject({ operation: 'PutObject', kind: 'commit-then-hang', times: 1 });
    const result = await emr(['apply', '--concurrency', '1', '--read-timeout', '1']);
    expect(result.code).toBe(0);
    const puts = fixture.s3.requests.filter((r) => r.operation === 'PutObject');
    expect(puts[1]!.detail.key).toBe(puts[0]!.detail.key);
    expect(puts).toHaveLength(POD_TEMPLATES.length + EVENT_LOG_MARKERS.length + 1);
    expectEverythingInPlace();
  });

  it('names the missing bucket and where its URI comes from', async () => {
    fixture.s3.buckets.delete(LOGS);
    const result = await emr(['apply']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `s3://${LOGS}/app-dev/spark-events/: ListObjectsV2 failed: NoSuchBucket: The specified bucket does not exist\n` +
        `     -> bucket ${LOGS} does not exist in this account: create it, or correct the s3:// URIs under spark: in environments/dev.yaml`,
    );
  });

  it('stops with exit 2 and the advice, before any write or registration, when there are no credentials at all', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    const result = await emr(['apply']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /HeadObject failed: CredentialsProviderError: .*\n\s+-> no usable AWS credentials: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, or log in \(aws sso login\)/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fixture.s3.requests).toEqual([]);
    expect(fixture.fake.requests).toEqual([]);
  });

  it('destroy --tenant deletes only the objects it wrote for that tenant; event logs stay', async () => {
    await emr(['apply']);
    fixture.s3.seed(ARTIFACTS, `${BASE}/tenants/ml/notes.txt`, "a person's file");
    const result = await emr(['destroy', '--tenant', 'ml', '--yes']);
    expect(result.code).toBe(0);
    expect([...fixture.s3.bucket(ARTIFACTS).keys()].filter((key) => key.includes('/ml/')).sort()).toEqual([
      `${BASE}/tenants/ml/notes.txt`,
    ]);
    expect(fixture.s3.bucket(ARTIFACTS).size).toBe(POD_TEMPLATES.length - 2 + 1); // ml's two gone, the person's file kept
    expect(fixture.s3.bucket(LOGS).has('ml/spark-events/')).toBe(true);
    expect(result.stdout).toMatch(/^deleted\s+s3:\/\/\S+\/tenants\/ml\/pod-templates\/driver\.yaml$/m);
  });
});
