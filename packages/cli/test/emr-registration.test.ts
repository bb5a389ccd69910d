import { describe, expect, it } from 'vitest';
import type { FakeCluster } from './support/fake-emr.js';
import { bufferIO, managedTags, useFakeEmr } from './support/harness.js';

const EKS = 'spark-platform-dev';
const TENANTS = { 'spark-app-dev': 'app-dev', 'spark-data-eng': 'data-eng', 'spark-ml': 'ml' } as const;

const { fixture, emr } = useFakeEmr();

/** Live clusters per namespace on the dev EKS cluster. */
function liveByNamespace(): Record<string, FakeCluster[]> {
  const result: Record<string, FakeCluster[]> = {};
  for (const cluster of fixture.fake.clusters) {
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
  it("creates each tenant's virtual cluster once; a second run creates nothing and says so", async () => {
    const first = await emr(['apply']);
    expect(first.code).toBe(0);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(3);
    expectEachTenantRegisteredOnce();
    expect(first.stdout).toMatch(/3 created, 0 already in place, 0 flagged, 0 failed/);
    // The request carries the filters and a clientToken of the API's maximum length.
    const list = fixture.fake.requests.find((request) => request.operation === 'ListVirtualClusters')!;
    expect(list.query.get('containerProviderId')).toBe(EKS);
    expect(list.query.get('containerProviderType')).toBe('EKS');
    expect(list.query.getAll('states').sort()).toEqual(['ARRESTED', 'RUNNING', 'TERMINATED', 'TERMINATING']);
    const create = fixture.fake.requests.find((request) => request.operation === 'CreateVirtualCluster')!;
    expect(create.body).toMatchObject({ containerProvider: { type: 'EKS', id: EKS } });
    expect(create.body!.clientToken).toMatch(/^[0-9a-f]{64}$/);

    const second = await emr(['apply']);
    expect(second.code).toBe(0);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(3);
    expect(second.stdout).toMatch(/Nothing to do: all 3 virtual clusters of dev are in place/);
    expectEachTenantRegisteredOnce();
  });

  it('a namespace registered by someone else since the listing: EMR refuses, the hint says to find and remove that registration', async () => {
    const byHand = fixture.fake.seed({ name: 'ml-by-hand', namespace: 'spark-ml', eksCluster: EKS });
    fixture.fake.hiddenFromList.add(byHand.id); // made after apply listed the clusters
    const result = await emr(['apply']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /tenant ml \(namespace spark-ml\): CreateVirtualCluster failed: ValidationException: A virtual cluster already exists in the given namespace\n\s+-> namespace spark-ml already has a virtual cluster: run emr list/,
    );
    expect(result.stdout).not.toMatch(/sync the namespace/);
    expect(result.stdout).toMatch(/2 created, 0 already in place, 0 flagged, 1 failed/);
  });

  it('uses the same clientToken on every run, so a create the listing does not show yet is answered, not duplicated', async () => {
    await emr(['apply']);
    const made = fixture.fake.clusters.map((cluster) => cluster.id).sort();
    // A listing that lags behind the creates (eventual consistency): apply plans all three again.
    for (const id of made) fixture.fake.hiddenFromList.add(id);
    const again = await emr(['apply', '--output', 'json']);
    expect(again.code).toBe(0);
    const creates = fixture.fake.requests
      .filter((r) => r.operation === 'CreateVirtualCluster')
      .map((r) => r.body!.clientToken);
    expect(creates.slice(3)).toEqual(creates.slice(0, 3));
    const ids = JSON.parse(again.stdout)
      .results.map((r: { virtualClusterId: string }) => r.virtualClusterId)
      .sort();
    expect(ids).toEqual(made);
    expect(fixture.fake.clusters).toHaveLength(3);
  });

  it('ends with every cluster created exactly once under throttling, 503s and creates whose answer is lost', async () => {
    fixture.fake.inject({ operation: 'ListVirtualClusters', kind: 'throttle', times: 2 });
    fixture.fake.inject({ operation: 'CreateVirtualCluster', kind: 'unavailable', times: 1 });
    fixture.fake.inject({ operation: 'CreateVirtualCluster', kind: 'commit-then-500', times: 2 });
    fixture.fake.inject({ operation: 'CreateVirtualCluster', kind: 'throttle', times: 1 });
    const result = await emr(['apply', '--concurrency', '1']);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expect(fixture.fake.requests.filter((r) => r.fault !== undefined)).toHaveLength(6);
    expectEachTenantRegisteredOnce();
    expect(fixture.fake.clusters).toHaveLength(3);
  });

  it('finds a create whose every answer was lost by listing again, and reports it created', async () => {
    fixture.fake.inject({ operation: 'CreateVirtualCluster', kind: 'commit-then-500', times: 2 });
    const result = await emr(['apply', '--concurrency', '1', '--max-attempts', '2', '--output', 'json']);
    expect(result.code).toBe(0);
    const results = JSON.parse(result.stdout).results as { tenant: string; status: string; message?: string }[];
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
    expect(results[0]!.message).toMatch(/answer to the create was lost/);
    expectEachTenantRegisteredOnce();
  });

  it('retries a create that timed out with the same clientToken and gets the cluster made the first time', async () => {
    fixture.fake.inject({ operation: 'CreateVirtualCluster', kind: 'commit-then-hang', times: 1 });
    const result = await emr(['apply', '--concurrency', '1', '--read-timeout', '1']);
    expect(result.code).toBe(0);
    const creates = fixture.fake.requests.filter((r) => r.operation === 'CreateVirtualCluster');
    expect(creates).toHaveLength(4);
    expect(creates[1]!.body!.clientToken).toBe(creates[0]!.body!.clientToken);
    expectEachTenantRegisteredOnce();
  });

  it('reports a namespace EMR cannot use yet for its tenant, does the others, and a later run finishes the job', async () => {
    fixture.fake.inject({
      operation: 'CreateVirtualCluster',
      kind: 'error',
      status: 400,
      type: 'ValidationException',
      message: 'Unauthorized to read namespace spark-app-dev',
      times: 1,
    });
    const first = await emr(['apply', '--concurrency', '1']);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^app-dev\s+spark-app-dev\s+failed\s+-$/m);
    expect(first.stdout).toMatch(
      /tenant app-dev \(namespace spark-app-dev\): CreateVirtualCluster failed: ValidationException: Unauthorized to read namespace spark-app-dev\n\s+-> EMR cannot use namespace spark-app-dev yet: sync the namespace and RBAC first \(Flux\), then retry/,
    );
    expect(first.stdout).toMatch(/2 created, 0 already in place, 0 flagged, 1 failed/);
    const second = await emr(['apply']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/1 created, 2 already in place/);
    expectEachTenantRegisteredOnce();
  });

  it('makes a fresh cluster after destroy: the destroyed one counts as a generation and changes the clientToken', async () => {
    await emr(['apply']);
    const before = fixture.fake.requests
      .filter((r) => r.operation === 'CreateVirtualCluster')
      .map((r) => r.body!.clientToken);
    expect((await emr(['destroy', '--tenant', 'ml', '--yes'])).code).toBe(0);
    const plan = await emr(['plan', '--output', 'json']);
    const ml = JSON.parse(plan.stdout).tenants.find((t: { tenant: string }) => t.tenant === 'ml');
    expect(ml).toMatchObject({ action: 'create', request: { generation: 1 } });
    expect(before).not.toContain(ml.request.clientToken);

    expect((await emr(['apply'])).code).toBe(0);
    const ml2 = fixture.fake.clusters.filter((cluster) => cluster.name === 'ml');
    expect(ml2.map((cluster) => cluster.state)).toEqual(['TERMINATED', 'RUNNING']);
    expectEachTenantRegisteredOnce();
  });

  it('prints per-tenant progress on a terminal and plain lines in CI, on stderr', async () => {
    const tty = await emr(['apply'], bufferIO(fixture.root, { isTTY: true }));
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
    for (let i = 0; i < 5; i++) fixture.fake.seed({ name: `other-${i}`, namespace: `other-${i}`, eksCluster: EKS });
    fixture.fake.seed({ name: 'ml', namespace: 'spark-ml', eksCluster: EKS, tags: managedTags('ml') });
    fixture.fake.seed({ name: 'elsewhere', namespace: 'spark-app-dev', eksCluster: 'another-eks-cluster' });
    const plan = await emr(['plan', '--output', 'json']);
    expect(plan.code).toBe(0);
    expect(fixture.fake.requests.filter((r) => r.operation === 'ListVirtualClusters').length).toBeGreaterThan(2);
    expect(fixture.fake.requests.some((r) => r.query.has('nextToken'))).toBe(true);
    const parsed = JSON.parse(plan.stdout);
    expect(parsed.tenants.map((t: { tenant: string; action: string }) => `${t.tenant}:${t.action}`)).toEqual([
      'app-dev:create',
      'data-eng:create',
      'ml:keep',
    ]);
    expect(parsed.others).toHaveLength(5);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(0);

    const list = await emr(['list']);
    const [clusterTable] = list.stdout.split('\n\n');
    expect(clusterTable!.trim().split('\n')).toHaveLength(1 + 6);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+NAMESPACE\s+STATE\s+TENANT\s+MANAGED BY\s+CREATED$/m);
    expect(list.stdout).toMatch(/ml\s+spark-ml\s+RUNNING\s+ml\s+emr-eks-gitops\/dev/);
    expect(list.stdout).not.toContain('elsewhere');
  });

  it('flags ARRESTED, another name and duplicates, shows TERMINATING as such, and apply leaves them alone', async () => {
    fixture.fake.seed({
      name: 'app-dev',
      namespace: 'spark-app-dev',
      eksCluster: EKS,
      state: 'ARRESTED',
      tags: managedTags('app-dev'),
    });
    fixture.fake.seed({ name: 'data-engineering', namespace: 'spark-data-eng', eksCluster: EKS });
    fixture.fake.seed({ name: 'ml', namespace: 'spark-ml', eksCluster: EKS, tags: managedTags('ml') });
    fixture.fake.seed({ name: 'ml-copy', namespace: 'spark-ml', eksCluster: EKS });
    const plan = await emr(['plan', '--output', 'json']);
    expect(plan.code).toBe(1);
    const reasons = JSON.parse(plan.stdout).tenants.map(
      (t: { tenant: string; reason?: string }) => `${t.tenant}:${t.reason}`,
    );
    expect(reasons).toEqual(['app-dev:arrested', 'data-eng:name-mismatch', 'ml:duplicate']);

    const table = await emr(['plan']);
    expect(table.stdout).toMatch(/^app-dev\s+spark-app-dev\s+flag\s+app-dev \(vc\d+, ARRESTED\)\s+arrested$/m);
    expect(table.stdout).toMatch(/data-eng: namespace spark-data-eng is registered under another name/);
    expect(table.stdout).toMatch(/ml: namespace spark-ml is registered 2 times/);

    const apply = await emr(['apply']);
    expect(apply.code).toBe(1);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(0);
    expect(apply.stdout).toMatch(/0 created, 0 already in place, 3 flagged, 0 failed/);
  });

  it('shows a namespace whose cluster is still TERMINATING as terminating, and creates nothing for it yet', async () => {
    fixture.fake.terminateAtOnce = false;
    await emr(['apply']);
    await emr(['destroy', '--tenant', 'ml', '--yes']);
    const plan = await emr(['plan']);
    expect(plan.stdout).toMatch(/^ml\s+spark-ml\s+flag\s+ml \(vc\d+, TERMINATING\)\s+terminating$/m);
    const list = await emr(['list']);
    expect(list.stdout).toMatch(/ml\s+spark-ml\s+TERMINATING/);
    expect((await emr(['apply'])).code).toBe(1);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(3);
  });
});
