import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { bufferIO, managedTags, runCli, useFakeEmr } from './support/harness.js';
import { MODELED_ERRORS } from '../src/emr/deletes.js';

const EKS = 'spark-platform-dev';

const { fixture, emr } = useFakeEmr();

/** Clusters destroy must never touch: made by hand, by another environment, on another EKS cluster, or half-tagged. */
function seedForeign() {
  return [
    fixture.fake.seed({ name: 'ml-by-hand', namespace: 'spark-ml', eksCluster: EKS }),
    fixture.fake.seed({
      name: 'ml',
      namespace: 'spark-ml-staging',
      eksCluster: EKS,
      tags: managedTags('ml', 'staging'),
    }),
    fixture.fake.seed({
      name: 'ml',
      namespace: 'spark-ml',
      eksCluster: 'another-eks-cluster',
      tags: managedTags('ml'),
    }),
    fixture.fake.seed({
      name: 'ml-tagged-by-hand',
      namespace: 'spark-other',
      eksCluster: EKS,
      tags: { 'emr-eks-gitops.io/environment': 'dev' },
    }),
  ];
}

describe('emr destroy', () => {
  it('deletes only the clusters this project made for the environment, never any other', async () => {
    const foreign = seedForeign();
    expect((await emr(['apply'])).code).toBe(1); // spark-ml is held twice now: flagged as a duplicate, not created
    const managed = fixture.fake.clusters.filter((cluster) => !foreign.includes(cluster));
    expect(managed.map((cluster) => cluster.name).sort()).toEqual(['app-dev', 'data-eng']);

    const result = await emr(['destroy', '--yes', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(
      JSON.parse(result.stdout)
        .results.map((r: { tenant: string; status: string }) => `${r.tenant}:${r.status}`)
        .sort(),
    ).toEqual(['app-dev:deleted', 'data-eng:deleted']);
    expect(managed.every((cluster) => cluster.state === 'TERMINATED')).toBe(true);
    expect(foreign.map((cluster) => cluster.state)).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
    expect(fixture.fake.calls('DeleteVirtualCluster')).toBe(2);
  });

  it("with --tenant deletes that tenant's cluster only", async () => {
    await emr(['apply']);
    const result = await emr(['destroy', '--tenant', 'data-eng', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^data-eng\s+spark-data-eng\s+data-eng \(vc\d+\)\s+deleted$/m);
    expect(
      fixture.fake.clusters.filter((cluster) => cluster.state === 'TERMINATED').map((cluster) => cluster.name),
    ).toEqual(['data-eng']);
  });

  it('refuses without a terminal and without --yes (exit 2), deleting nothing', async () => {
    await emr(['apply']);
    const result = await emr(['destroy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/would delete 3 virtual clusters of dev and there is no terminal to ask: pass --yes/);
    expect(fixture.fake.calls('DeleteVirtualCluster')).toBe(0);
  });

  it('asks on a terminal and deletes only after a yes', async () => {
    await emr(['apply']);
    const questions: string[] = [];
    const no = await emr(
      ['destroy'],
      bufferIO(fixture.root, {
        isTTY: true,
        confirm: async (q) => {
          questions.push(q);
          return false;
        },
      }),
    );
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/nothing deleted: not confirmed/);
    expect(fixture.fake.calls('DeleteVirtualCluster')).toBe(0);

    const yes = await emr(
      ['destroy'],
      bufferIO(fixture.root, {
        isTTY: true,
        confirm: async (q) => {
          questions.push(q);
          return true;
        },
      }),
    );
    expect(yes.code).toBe(0);
    expect(questions).toEqual(['Delete them?', 'Delete them?']);
    expect(fixture.fake.calls('DeleteVirtualCluster')).toBe(3);
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
    vi.stubEnv('AWS_ENDPOINT_URL_EMR_CONTAINERS', fixture.fake.url);
    const result = await runCli(['emr', 'list', '--env', 'dev'], bufferIO(fixture.root));
    expect(result.code).toBe(0);
    expect(fixture.fake.calls('ListVirtualClusters')).toBe(1);
  });

  it("signs with the --profile credentials, not the environment's keys, in the --region given", async () => {
    const credentials = join(fixture.root, 'credentials');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDPROFILECI\naws_secret_access_key = profile-secret\n');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    const result = await emr(['list', '--profile', 'ci']);
    expect(result.code).toBe(0);
    expect([...new Set(fixture.fake.requests.map((request) => request.accessKeyId))]).toEqual(['AKIDPROFILECI']);
    expect(fixture.fake.requests[0]!.region).toBe('ap-northeast-2');

    const signedWith = fixture.fake.requests.length;
    await emr(['list', '--region', 'eu-west-1']);
    expect(fixture.fake.requests[signedWith]).toMatchObject({ accessKeyId: 'AKIDTESTENV', region: 'eu-west-1' });
  });

  it('reports a profile that does not exist as a usage problem (exit 2)', async () => {
    const result = await emr(['list', '--profile', 'missing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /AWS profile "missing" \(--profile\) is not in .*no-aws-config or .*no-aws-credentials/,
    );
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('rejects bad option values with exit 2', async () => {
    expect((await emr(['list', '--output', 'yaml'])).code).toBe(2);
    expect((await emr(['apply', '--concurrency', '0'])).code).toBe(2);
    expect(
      (await runCli(['emr', 'list', '--env', 'dev', '--endpoint-url', 'not a url'], bufferIO(fixture.root))).code,
    ).toBe(2);
    expect((await runCli(['emr', 'list'], bufferIO(fixture.root))).code).toBe(2);
    expect(
      (await runCli(['emr', 'list', '--env', 'prod', '--endpoint-url', fixture.fake.url], bufferIO(fixture.root)))
        .stderr,
    ).toMatch(/unknown environment "prod"/);
    expect(fixture.fake.requests).toHaveLength(0);
  });
});

// The fake answers as the emr-containers service model allows (botocore emr-containers 2020-10-01 service-2.json):
// a delete of something that is not there is a ValidationException, a describe of it a ResourceNotFoundException.
describe('the fake EMR server speaks the service model', () => {
  it.each([
    ['DeleteJobTemplate', 'DELETE', '/jobtemplates/jt000000000000000000000000'],
    ['DeleteVirtualCluster', 'DELETE', '/virtualclusters/vc000000000000000000000000'],
    ['DescribeJobTemplate', 'GET', '/jobtemplates/jt000000000000000000000000'],
    ['DescribeVirtualCluster', 'GET', '/virtualclusters/vc000000000000000000000000'],
  ] as const)('%s of a missing resource answers with an error its model lists', async (operation, method, path) => {
    const response = await fetch(`${fixture.fake.url}${path}`, { method });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(MODELED_ERRORS[operation]).toContain(response.headers.get('x-amzn-errortype'));
  });
});
