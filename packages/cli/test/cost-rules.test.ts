import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';
import { useFakeEmr } from './support/harness.js';

describe('render refuses cost labels that would not reach the bill, at their line', () => {
  it('a value that is no label value, and a key Spark sets on the same pods', async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text.replace('costAllocation: { team: app-platform }', 'costAllocation: { team: App Platform, spark-role: x }'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'App Platform')}: tenants[0].costAllocation.team: "App Platform" is not a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (quote numbers) [cost-label-syntax]`,
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'x }', 'spark-role')}: tenants[0].costAllocation.spark-role: "spark-role" is a label Spark, EMR, JupyterHub, Kubernetes or this project sets on the same pods; choose a key of your own, e.g. team or cost-centre [cost-label-reserved]`,
    );
  });

  it("more labels on an executor than split cost allocation imports (40 cost labels with the environment's and the tenant label)", async () => {
    const many = Array.from({ length: 38 }, (_, i) => `z${String(i).padStart(2, '0')}: v`).join(', ');
    const { stderr, file } = await refused('dev', (text) =>
      text.replace('costAllocation: { team: app-platform }', `costAllocation: { ${many} }`),
    );
    // 38 of ours with cost-centre and the tenant label: 40, plus Spark's 7 and EMR's 5 on an executor.
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '{ z00')}: tenants[0].costAllocation: an executor of tenant app-dev would carry 52 labels, and EKS split cost allocation imports only the first 50 in alphabetical order as cost allocation tags: z36, z37 would never reach the bill; remove 2 cost label(s) [cost-label-limit]`,
    );
  });
});

const { fixture, emr } = useFakeEmr();

describe('emr apply and list for the bill', () => {
  it("tags each virtual cluster with its tenant's cost labels, and list --output csv maps virtual clusters to tenants", async () => {
    expect((await emr(['apply'])).code).toBe(0);
    const tags = Object.fromEntries(fixture.fake.clusters.map((cluster) => [cluster.name, cluster.tags]));
    expect(tags['data-eng']).toEqual({
      'cost-centre': 'CC-0900',
      team: 'data-engineering',
      'emr-eks-gitops.io/managed-by': 'emr-eks-gitops',
      'emr-eks-gitops.io/environment': 'dev',
      'emr-eks-gitops.io/tenant': 'data-eng',
    });
    fixture.fake.seed({ name: 'by-hand', namespace: 'spark-other', eksCluster: 'spark-platform-dev' });
    const list = await emr(['list', '--output', 'csv']);
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\r\n');
    expect(lines[0]).toBe('virtual_cluster_id,name,namespace,state,tenant,environment,created_at');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    expect(rows.map((row) => [row[1], row[2], row[3], row[4], row[5]]).sort()).toEqual([
      ['app-dev', 'spark-app-dev', 'RUNNING', 'app-dev', 'dev'],
      ['by-hand', 'spark-other', 'RUNNING', '', ''],
      ['data-eng', 'spark-data-eng', 'RUNNING', 'data-eng', 'dev'],
      ['ml', 'spark-ml', 'RUNNING', 'ml', 'dev'],
    ]);
    for (const row of rows) expect(row[0]).toMatch(/^[0-9a-z]+$/);
    expect(list.stdout).not.toContain('job template'); // csv is the clusters alone
    expect((await emr(['plan', '--output', 'csv'])).code).toBe(2); // only list writes csv
  });
});
