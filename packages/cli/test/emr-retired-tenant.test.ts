import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeEmr } from './support/harness.js';

const { fixture, emr } = useFakeEmr();

/** Marks dev's ml tenant retired in the temp project's environment file. */
function retireMl(): void {
  const file = join(fixture.root, 'environments', 'dev.yaml');
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('  - name: ml\n') + '  - name: ml\n'.length;
  writeFileSync(file, `${text.slice(0, at)}    retired: true\n${text.slice(at)}`);
}

describe('emr commands with a retired tenant', () => {
  it('apply never registers it again; plan shows its virtual cluster and job template for emr destroy; destroy --tenant removes them', async () => {
    expect((await emr(['apply'])).code).toBe(0);
    const mlCluster = fixture.fake.clusters.find((cluster) => cluster.name === 'ml')!;
    expect(fixture.fake.liveTemplates().filter((t) => t.tags['emr-eks-gitops.io/tenant'] === 'ml')).toHaveLength(1);
    retireMl();

    const plan = await emr(['plan', '--output', 'json']);
    expect(plan.code).toBe(0);
    const report = JSON.parse(plan.stdout);
    expect(report.tenants.find((t: { tenant: string }) => t.tenant === 'ml')).toMatchObject({
      action: 'retire',
      virtualClusters: [{ id: mlCluster.id }],
    });
    expect(report.jobTemplates.tenants.map((t: { tenant: string }) => t.tenant)).toEqual(['app-dev', 'data-eng']);
    expect(report.jobTemplates.orphans.map((t: { tenant: string }) => t.tenant)).toEqual(['ml']);
    const table = await emr(['plan']);
    expect(table.stdout).toMatch(/ml\s+spark-ml\s+retire\s+ml \(\S+, RUNNING\)\s+delete: emr destroy --tenant ml/);

    // apply creates nothing for it and deletes nothing: a person runs destroy once the jobs have ended.
    const creates = fixture.fake.calls('CreateVirtualCluster');
    const apply = await emr(['apply', '--output', 'json']);
    expect(apply.code).toBe(0);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(creates);
    expect(fixture.fake.calls('DeleteVirtualCluster')).toBe(0);
    expect(JSON.parse(apply.stdout).results.find((r: { tenant: string }) => r.tenant === 'ml')).toMatchObject({
      status: 'retired',
    });

    expect((await emr(['destroy', '--tenant', 'ml', '--yes'])).code).toBe(0);
    expect(fixture.fake.clusters.find((cluster) => cluster.id === mlCluster.id)!.state).not.toBe('RUNNING');
    expect(fixture.fake.liveTemplates().filter((t) => t.tags['emr-eks-gitops.io/tenant'] === 'ml')).toEqual([]);
    // Nothing is left: plan says so, and a later apply still registers nothing for it.
    expect((await emr(['plan'])).stdout).toMatch(/ml\s+spark-ml\s+retire\s+-\s+nothing left/);
    await emr(['apply']);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(creates);
  });
});
