import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEmr, type FakeCluster } from './support/fake-emr.js';
import { bufferIO, runCli, stubAwsEnvironment, tempProject } from './support/harness.js';

const EKS = 'spark-platform-dev';
const TENANTS = { 'spark-app-dev': 'app-dev', 'spark-data-eng': 'data-eng', 'spark-ml': 'ml' } as const;
const managedTags = (tenant: string, environment = 'dev') => ({
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

const emr = (args: readonly string[], io = bufferIO(project.root)) =>
  runCli(['emr', ...args, '--env', 'dev', '--endpoint-url', fake.url], io);

/** Live clusters per namespace on the dev EKS cluster. */
function liveByNamespace(): Record<string, FakeCluster[]> {
  const result: Record<string, FakeCluster[]> = {};
  for (const cluster of fake.clusters) {
    if (cluster.containerProvider.id !== EKS || cluster.state === 'TERMINATED') continue;
    (result[cluster.containerProvider.info.eksInfo.namespace] ??= []).push(cluster);
  }
  return result;
}

function expectEachTenantRegisteredOnce(): void {
  const live = liveByNamespace();
  for (const [namespace, tenant] of Object.entries(TENANTS)) {
    expect(live[namespace], namespace).toHaveLength(1);
    expect(live[namespace]![0]).toMatchObject({ name: tenant, state: 'RUNNING', tags: managedTags(tenant) });
  }
}

describe('emr apply against a fake EMR containers API', () => {
  it('creates each tenant\'s virtual cluster once; a second run creates nothing and says so', async () => {
    const first = await emr(['apply']);
    expect(first.code).toBe(0);
    expect(fake.calls('CreateVirtualCluster')).toBe(3);
    expectEachTenantRegisteredOnce();
    expect(first.stdout).toMatch(/3 created, 0 already in place, 0 flagged, 0 failed/);
    // The request carries the filters and a clientToken of the API's maximum length.
    const list = fake.requests.find((request) => request.operation === 'ListVirtualClusters')!;
    expect(list.query.get('containerProviderId')).toBe(EKS);
    expect(list.query.get('containerProviderType')).toBe('EKS');
    expect(list.query.getAll('states').sort()).toEqual(['ARRESTED', 'RUNNING', 'TERMINATED', 'TERMINATING']);
    const create = fake.requests.find((request) => request.operation === 'CreateVirtualCluster')!;
    expect(create.body).toMatchObject({ containerProvider: { type: 'EKS', id: EKS } });
    expect(create.body!.clientToken).toMatch(/^[0-9a-f]{64}$/);

    const second = await emr(['apply']);
    expect(second.code).toBe(0);
    expect(fake.calls('CreateVirtualCluster')).toBe(3);
    expect(second.stdout).toMatch(/Nothing to do: all 3 virtual clusters of dev are in place/);
    expectEachTenantRegisteredOnce();
  });

  it('uses the same clientToken on every run, so a create the listing does not show yet is answered, not duplicated', async () => {
    await emr(['apply']);
    const made = fake.clusters.map((cluster) => cluster.id).sort();
    // A listing that lags behind the creates (eventual consistency): apply plans all three again.
    for (const id of made) fake.hiddenFromList.add(id);
    const again = await emr(['apply', '--output', 'json']);
    expect(again.code).toBe(0);
    const creates = fake.requests.filter((r) => r.operation === 'CreateVirtualCluster').map((r) => r.body!.clientToken);
    expect(creates.slice(3)).toEqual(creates.slice(0, 3));
    const ids = JSON.parse(again.stdout).results.map((r: { virtualClusterId: string }) => r.virtualClusterId).sort();
    expect(ids).toEqual(made);
    expect(fake.clusters).toHaveLength(3);
  });

  it('ends with every cluster created exactly once under throttling, 503s and creates whose answer is lost', async () => {
    fake.inject({ operation: 'ListVirtualClusters', kind: 'throttle', times: 2 });
    fake.inject({ operation: 'CreateVirtualCluster', kind: 'unavailable', times: 1 });
    fake.inject({ operation: 'CreateVirtualCluster', kind: 'commit-then-500', times: 2 });
    fake.inject({ operation: 'CreateVirtualCluster', kind: 'throttle', times: 1 });
    const result = await emr(['apply', '--concurrency', '1']);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expect(fake.requests.filter((r) => r.fault !== undefined)).toHaveLength(6);
    expectEachTenantRegisteredOnce();
    expect(fake.clusters).toHaveLength(3);
  });

  it('finds a create whose every answer was lost by listing again, and reports it created', async () => {
    fake.inject({ operation: 'CreateVirtualCluster', kind: 'commit-then-500', times: 2 });
    const result = await emr(['apply', '--concurrency', '1', '--max-attempts', '2', '--output', 'json']);
    expect(result.code).toBe(0);
    const results = JSON.parse(result.stdout).results as { tenant: string; status: string; message?: string }[];
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
    expect(results[0]!.message).toMatch(/answer to the create was lost/);
    expectEachTenantRegisteredOnce();
  });

  it('retries a create that timed out with the same clientToken and gets the cluster made the first time', async () => {
    fake.inject({ operation: 'CreateVirtualCluster', kind: 'commit-then-hang', times: 1 });
    const result = await emr(['apply', '--concurrency', '1', '--read-timeout', '1']);
    expect(result.code).toBe(0);
    const creates = fake.requests.filter((r) => r.operation === 'CreateVirtualCluster');
    expect(creates).toHaveLength(4);
    expect(creates[1]!.body!.clientToken).toBe(creates[0]!.body!.clientToken);
    expectEachTenantRegisteredOnce();
  });

  it('makes a fresh cluster after destroy: the destroyed one counts as a generation and changes the clientToken', async () => {
    await emr(['apply']);
    const before = fake.requests.filter((r) => r.operation === 'CreateVirtualCluster').map((r) => r.body!.clientToken);
    expect((await emr(['destroy', '--tenant', 'ml', '--yes'])).code).toBe(0);
    const plan = await emr(['plan', '--output', 'json']);
    const ml = JSON.parse(plan.stdout).tenants.find((t: { tenant: string }) => t.tenant === 'ml');
    expect(ml).toMatchObject({ action: 'create', request: { generation: 1 } });
    expect(before).not.toContain(ml.request.clientToken);

    expect((await emr(['apply'])).code).toBe(0);
    const ml2 = fake.clusters.filter((cluster) => cluster.name === 'ml');
    expect(ml2.map((cluster) => cluster.state)).toEqual(['TERMINATED', 'RUNNING']);
    expectEachTenantRegisteredOnce();
  });

  it('prints per-tenant progress on a terminal and plain lines in CI, on stderr', async () => {
    const tty = await emr(['apply'], bufferIO(project.root, { isTTY: true }));
    expect(tty.stderr).toContain('\r\x1b[2K[0/3] creating');
    expect(tty.stderr).toMatch(/created ml: virtual cluster vc\d+\n/);
    await emr(['destroy', '--yes']);
    const ci = await emr(['apply']);
    expect(ci.stderr).not.toContain('\x1b');
    expect(ci.stderr).toMatch(/^creating ml \(namespace spark-ml\)\.\.\.$/m);
  });
});

describe('emr plan and list', () => {
  it('reads every page of a cluster with more virtual clusters than a page holds', async () => {
    for (let i = 0; i < 5; i++) fake.seed({ name: `other-${i}`, namespace: `other-${i}`, eksCluster: EKS });
    fake.seed({ name: 'ml', namespace: 'spark-ml', eksCluster: EKS, tags: managedTags('ml') });
    fake.seed({ name: 'elsewhere', namespace: 'spark-app-dev', eksCluster: 'another-eks-cluster' });
    const plan = await emr(['plan', '--output', 'json']);
    expect(plan.code).toBe(0);
    expect(fake.requests.filter((r) => r.operation === 'ListVirtualClusters').length).toBeGreaterThan(2);
    expect(fake.requests.some((r) => r.query.has('nextToken'))).toBe(true);
    const parsed = JSON.parse(plan.stdout);
    expect(parsed.tenants.map((t: { tenant: string; action: string }) => `${t.tenant}:${t.action}`))
      .toEqual(['app-dev:create', 'data-eng:create', 'ml:keep']);
    expect(parsed.others).toHaveLength(5);
    expect(fake.calls('CreateVirtualCluster')).toBe(0);

    const list = await emr(['list']);
    expect(list.stdout.trim().split('\n')).toHaveLength(1 + 6);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+NAMESPACE\s+STATE\s+TENANT\s+MANAGED BY\s+CREATED$/m);
    expect(list.stdout).toMatch(/ml\s+spark-ml\s+RUNNING\s+ml\s+emr-eks-gitops\/dev/);
    expect(list.stdout).not.toContain('elsewhere');
  });

  it('flags ARRESTED, another name and duplicates, shows TERMINATING as such, and apply leaves them alone', async () => {
    fake.seed({ name: 'app-dev', namespace: 'spark-app-dev', eksCluster: EKS, state: 'ARRESTED', tags: managedTags('app-dev') });
    fake.seed({ name: 'data-engineering', namespace: 'spark-data-eng', eksCluster: EKS });
    fake.seed({ name: 'ml', namespace: 'spark-ml', eksCluster: EKS, tags: managedTags('ml') });
    fake.seed({ name: 'ml-copy', namespace: 'spark-ml', eksCluster: EKS });
    const plan = await emr(['plan', '--output', 'json']);
    expect(plan.code).toBe(1);
    const reasons = JSON.parse(plan.stdout).tenants.map((t: { tenant: string; reason?: string }) => `${t.tenant}:${t.reason}`);
    expect(reasons).toEqual(['app-dev:arrested', 'data-eng:name-mismatch', 'ml:duplicate']);

    const table = await emr(['plan']);
    expect(table.stdout).toMatch(/^app-dev\s+spark-app-dev\s+flag\s+app-dev \(vc\d+, ARRESTED\)\s+arrested$/m);
    expect(table.stdout).toMatch(/data-eng: namespace spark-data-eng is registered under another name/);
    expect(table.stdout).toMatch(/ml: namespace spark-ml is registered 2 times/);

    const apply = await emr(['apply']);
    expect(apply.code).toBe(1);
    expect(fake.calls('CreateVirtualCluster')).toBe(0);
    expect(apply.stdout).toMatch(/0 created, 0 already in place, 3 flagged, 0 failed/);
  });

  it('shows a namespace whose cluster is still TERMINATING as terminating, and creates nothing for it yet', async () => {
    fake.terminateAtOnce = false;
    await emr(['apply']);
    await emr(['destroy', '--tenant', 'ml', '--yes']);
    const plan = await emr(['plan']);
    expect(plan.stdout).toMatch(/^ml\s+spark-ml\s+flag\s+ml \(vc\d+, TERMINATING\)\s+terminating$/m);
    const list = await emr(['list']);
    expect(list.stdout).toMatch(/ml\s+spark-ml\s+TERMINATING/);
    expect((await emr(['apply'])).code).toBe(1);
    expect(fake.calls('CreateVirtualCluster')).toBe(3);
  });
});
