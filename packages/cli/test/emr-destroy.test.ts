import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEmr } from './support/fake-emr.js';
import { bufferIO, runCli, stubAwsEnvironment, tempProject } from './support/harness.js';

const EKS = 'spark-platform-dev';
const tags = (environment: string, tenant: string) => ({
  'emr-eks-gitops.io/managed-by': 'emr-eks-gitops', 'emr-eks-gitops.io/environment': environment, 'emr-eks-gitops.io/tenant': tenant,
});

let fake: FakeEmr;
let project: { root: string; cleanup: () => void };

beforeEach(async () => {
  fake = await new FakeEmr().start();
  project = tempProject();
  stubAwsEnvironment(project.root);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.stop();
  project.cleanup();
});

const emr = (args: readonly string[], io = bufferIO(project.root)) => runCli(['emr', ...args, '--env', 'dev', '--endpoint-url', fake.url], io);

/** Clusters destroy must never touch: made by hand, by another environment, on another EKS cluster, or half-tagged. */
function seedForeign() {
  return [
    fake.seed({ name: 'ml-by-hand', namespace: 'spark-ml', eksCluster: EKS }),
    fake.seed({ name: 'ml', namespace: 'spark-ml-staging', eksCluster: EKS, tags: tags('staging', 'ml') }),
    fake.seed({ name: 'ml', namespace: 'spark-ml', eksCluster: 'another-eks-cluster', tags: tags('dev', 'ml') }),
    fake.seed({ name: 'ml-tagged-by-hand', namespace: 'spark-other', eksCluster: EKS, tags: { 'emr-eks-gitops.io/environment': 'dev' } }),
  ];
}

describe('emr destroy', () => {
  it('deletes only the clusters this project made for the environment, never any other', async () => {
    const foreign = seedForeign();
    expect((await emr(['apply'])).code).toBe(1); // spark-ml is held twice now: flagged as a duplicate, not created
    const managed = fake.clusters.filter((cluster) => !foreign.includes(cluster));
    expect(managed.map((cluster) => cluster.name).sort()).toEqual(['app-dev', 'data-eng']);

    const result = await emr(['destroy', '--yes', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results.map((r: { tenant: string; status: string }) => `${r.tenant}:${r.status}`).sort())
      .toEqual(['app-dev:deleted', 'data-eng:deleted']);
    expect(managed.every((cluster) => cluster.state === 'TERMINATED')).toBe(true);
    expect(foreign.map((cluster) => cluster.state)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    expect(fake.calls('DeleteVirtualCluster')).toBe(2);
  });

  it('with --tenant deletes that tenant\'s cluster only', async () => {
    await emr(['apply']);
    const result = await emr(['destroy', '--tenant', 'data-eng', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^data-eng\s+spark-data-eng\s+data-eng \(vc\d+\)\s+deleted$/m);
    expect(fake.clusters.filter((cluster) => cluster.state === 'TERMINATED').map((cluster) => cluster.name)).toEqual(['data-eng']);
  });

  it('refuses without a terminal and without --yes (exit 2), deleting nothing', async () => {
    await emr(['apply']);
    const result = await emr(['destroy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/would delete 3 virtual clusters of dev and there is no terminal to ask: pass --yes/);
    expect(fake.calls('DeleteVirtualCluster')).toBe(0);
  });

  it('asks on a terminal and deletes only after a yes', async () => {
    await emr(['apply']);
    const questions: string[] = [];
    const no = await emr(['destroy'], bufferIO(project.root, { isTTY: true, confirm: async (q) => (questions.push(q), false) }));
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/nothing deleted: not confirmed/);
    expect(fake.calls('DeleteVirtualCluster')).toBe(0);

    const yes = await emr(['destroy'], bufferIO(project.root, { isTTY: true, confirm: async (q) => (questions.push(q), true) }));
    expect(yes.code).toBe(0);
    expect(questions).toEqual(['Delete them?', 'Delete them?']);
    expect(fake.calls('DeleteVirtualCluster')).toBe(3);
  });

  it('has nothing to do, and asks nothing, when no managed cluster is left', async () => {
    seedForeign();
    const result = await emr(['destroy']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Nothing to destroy/);
  });

  it('refuses an unknown tenant with exit 2', async () => {
    const result = await emr(['destroy', '--tenant', 'nobody', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown tenant "nobody": tenants of dev: app-dev, data-eng, ml/);
  });
});

describe('AWS tool conventions', () => {
  it('takes the endpoint from AWS_ENDPOINT_URL_EMR_CONTAINERS and the region from the environment', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_EMR_CONTAINERS', fake.url);
    const result = await runCli(['emr', 'list', '--env', 'dev'], bufferIO(project.root));
    expect(result.code).toBe(0);
    expect(fake.calls('ListVirtualClusters')).toBe(1);
  });

  it('signs with the --profile credentials, not the environment\'s keys, in the --region given', async () => {
    const credentials = join(project.root, 'credentials');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDPROFILECI\naws_secret_access_key = profile-secret\n');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    const result = await emr(['list', '--profile', 'ci']);
    expect(result.code).toBe(0);
    expect(fake.requests.map((request) => request.accessKeyId)).toEqual(['AKIDPROFILECI']);
    expect(fake.requests[0]!.region).toBe('ap-northeast-2');

    const signedWith = fake.requests.length;
    await emr(['list', '--region', 'eu-west-1']);
    expect(fake.requests[signedWith]).toMatchObject({ accessKeyId: 'AKIDTESTENV', region: 'eu-west-1' });
  });

  it('reports a profile that does not exist as a usage problem (exit 2)', async () => {
    const result = await emr(['list', '--profile', 'missing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no usable AWS credentials: pass --profile/);
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects bad option values with exit 2', async () => {
    expect((await emr(['list', '--output', 'yaml'])).code).toBe(2);
    expect((await emr(['apply', '--concurrency', '0'])).code).toBe(2);
    expect((await runCli(['emr', 'list', '--env', 'dev', '--endpoint-url', 'not a url'], bufferIO(project.root))).code).toBe(2);
    expect((await runCli(['emr', 'list'], bufferIO(project.root))).code).toBe(2);
    expect((await runCli(['emr', 'list', '--env', 'prod', '--endpoint-url', fake.url], bufferIO(project.root))).stderr)
      .toMatch(/unknown environment "prod"/);
    expect(fake.requests).toHaveLength(0);
  });
});
