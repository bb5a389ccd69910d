import { describe, expect, it } from 'vitest';
import {
  OTHERS_POD_LABELS,
  SPLIT_COST_LABEL_LIMIT,
  VIRTUAL_CLUSTER_CSV_COLUMNS,
  costLabelOverflows,
  costLabelProblems,
  jobSubmitterClassification,
  messageText,
  sharedCostLabels,
  tenantCostLabels,
  tenantCostQuery,
  toCsv,
  virtualClustersTableDdl,
} from '../src/index.js';

describe('cost allocation labels', () => {
  it('labels shared by a set of tenants: only the keys all of them carry with the same value', () => {
    const etl = { 'cost-centre': 'CC-1', team: 'data', 'emr-eks-gitops.io/tenant': 'etl' };
    const ml = { 'cost-centre': 'CC-1', team: 'ml', 'emr-eks-gitops.io/tenant': 'ml' };
    expect(sharedCostLabels([etl])).toEqual(etl);
    expect(sharedCostLabels([etl, ml])).toEqual({ 'cost-centre': 'CC-1' });
    expect(sharedCostLabels([etl, { team: 'data' }])).toEqual({ team: 'data' });
    expect(sharedCostLabels([])).toEqual({});
  });

  it("a tenant's labels: the environment's, its own over them, and the tenant label, in key order", () => {
    expect(
      tenantCostLabels({ 'cost-centre': 'CC-1', team: 'platform' }, { name: 'etl', costAllocation: { team: 'data' } }),
    ).toEqual({ 'cost-centre': 'CC-1', 'emr-eks-gitops.io/tenant': 'etl', team: 'data' });
    expect(Object.keys(tenantCostLabels(undefined, { name: 'etl', costAllocation: { zz: 'a', aa: 'b' } }))).toEqual([
      'aa',
      'emr-eks-gitops.io/tenant',
      'zz',
    ]);
  });

  it('refuses keys and values that are no Kubernetes label, and keys others set on the same pods', () => {
    const problems = costLabelProblems({
      team: 'data',
      'cost-centre': '4711',
      'acme.com/unit': 'x',
      'Cost Centre': 'a',
      'bad/': 'a',
      owner: 'Data Team',
      long: 'x'.repeat(64),
      'spark-role': 'x',
      'emr-containers.amazonaws.com/job.id': 'x',
      'app.kubernetes.io/name': 'x',
      'node.k8s.io/x': 'y',
      'emr-eks-gitops.io/team': 'x',
      'hub.jupyter.org/username': 'x',
      app: 'x',
    });
    expect(problems.map((p) => [p.location.path[0], p.rule])).toEqual([
      ['Cost Centre', 'cost-label-syntax'],
      ['bad/', 'cost-label-syntax'],
      ['owner', 'cost-label-syntax'],
      ['long', 'cost-label-syntax'],
      ['spark-role', 'cost-label-reserved'],
      ['emr-containers.amazonaws.com/job.id', 'cost-label-reserved'],
      ['app.kubernetes.io/name', 'cost-label-reserved'],
      ['node.k8s.io/x', 'cost-label-reserved'],
      ['emr-eks-gitops.io/team', 'cost-label-reserved'],
      ['hub.jupyter.org/username', 'cost-label-reserved'],
      ['app', 'cost-label-reserved'],
    ]);
    expect(messageText(problems[2]!)).toBe(
      "\"Data Team\" is not a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (quote numbers) [cost-label-syntax]",
    );
  });

  it('counts every label a pod gets against the 50 split cost allocation imports, and names the ones of ours that fall off', () => {
    const labels = (n: number) => Array.from({ length: n }, (_, i) => `z-label-${String(i).padStart(2, '0')}`);
    const executorRoom = SPLIT_COST_LABEL_LIMIT - OTHERS_POD_LABELS.executor.length;
    expect(executorRoom).toBe(38); // Spark 7, EMR 5
    expect(
      costLabelOverflows({ executor: labels(executorRoom), driver: labels(executorRoom), jobRunner: labels(45) }),
    ).toEqual([]);
    expect(costLabelOverflows({ executor: labels(executorRoom + 2), driver: labels(executorRoom + 2) })).toEqual([
      { pod: 'executor', count: 52, dropped: ['z-label-38', 'z-label-39'] },
    ]);
    // Sorted before the platform's labels: ours survive, theirs are dropped.
    expect(costLabelOverflows({ notebook: labels(40).map((key) => key.replace('z-', 'a-')) })).toEqual([
      { pod: 'notebook', count: 54, dropped: [] },
    ]);
  });

  it('puts the labels on the job runner through jobsubmitter.label.<key>', () => {
    const placement = {
      nodeSelector: { pool: 'driver' },
      tolerations: [],
      capacityTypes: ['on-demand' as const],
      nodePools: [],
    };
    expect(
      jobSubmitterClassification(placement, { team: 'data', 'emr-eks-gitops.io/tenant': 'etl' }).properties,
    ).toEqual({
      'jobsubmitter.label.emr-eks-gitops.io/tenant': 'etl',
      'jobsubmitter.label.team': 'data',
      'jobsubmitter.node.selector.pool': 'driver',
    });
  });
});

describe('the bill per tenant', () => {
  it('writes the virtual clusters as RFC 4180 CSV with the columns the table definition reads', () => {
    const row = {
      virtual_cluster_id: 'abc',
      name: 'etl, nightly',
      namespace: 'spark-etl',
      state: 'RUNNING',
      tenant: 'etl',
      environment: 'dev',
      created_at: 'say "hi"',
    };
    expect(toCsv([row])).toBe(
      'virtual_cluster_id,name,namespace,state,tenant,environment,created_at\r\nabc,"etl, nightly",spark-etl,RUNNING,etl,dev,"say ""hi"""\r\n',
    );
    const ddl = virtualClustersTableDdl();
    expect([...ddl.matchAll(/^ {2}([a-z_]+) string,?$/gm)].map((match) => match[1])).toEqual([
      ...VIRTUAL_CLUSTER_CSV_COLUMNS,
    ]);
    expect(ddl).toContain("TBLPROPERTIES ('skip.header.line.count' = '1')");
  });

  it('charges pods by namespace and EMR by virtual cluster, for every tenant, with names quoted as SQL strings', () => {
    const sql = tenantCostQuery({
      environment: 'dev',
      eksCluster: 'spark-dev',
      tenants: [
        { name: 'etl', namespace: 'spark-etl' },
        { name: "o'brien", namespace: 'spark-ob' },
      ],
    });
    expect(sql).toContain("    ('etl', 'spark-etl'),\n    ('o''brien', 'spark-ob')\n");
    expect(sql).toContain(
      "WHERE resource_tags['aws_eks_cluster_name'] = 'spark-dev' AND split_line_item_split_cost IS NOT NULL",
    );
    expect(sql).toContain(
      "WHERE product_product_family = 'EMR Containers' AND line_item_resource_id LIKE '%/virtualclusters/%'",
    );
    expect(sql).toContain("split_part(line_item_resource_id, '/', 3) AS virtual_cluster_id");
    expect(sql).toContain("WHERE v.environment = 'dev'");
    // arn:aws:emr-containers:<region>:<account>:/virtualclusters/<id>/jobruns/<job>: the third '/'-separated part is the id.
    expect(
      'arn:aws:emr-containers:us-east-1:123456789012:/virtualclusters/abc123/jobruns/000000036gr7qbcelvv'.split('/')[2],
    ).toBe('abc123');
  });
});
