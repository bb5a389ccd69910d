/**
 * The bill per tenant: `emr list --output csv` (virtual clusters and their tenants) and the Athena queries over a
 * CUR 2.0 export that read it. The CSV's columns are stated once here, for the CLI that writes them and the table
 * definition that reads them.
 */
export const VIRTUAL_CLUSTER_CSV_COLUMNS = [
  'virtual_cluster_id',
  'name',
  'namespace',
  'state',
  'tenant',
  'environment',
  'created_at',
] as const;
export type VirtualClusterCsvRow = Readonly<Record<(typeof VIRTUAL_CLUSTER_CSV_COLUMNS)[number], string>>;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; lines end with CRLF. */
export function toCsv(rows: readonly VirtualClusterCsvRow[]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [
    VIRTUAL_CLUSTER_CSV_COLUMNS.join(','),
    ...rows.map((row) => VIRTUAL_CLUSTER_CSV_COLUMNS.map((column) => field(row[column])).join(',')),
  ]
    .map((line) => `${line}\r\n`)
    .join('');
}

/**
 * Where the query's inputs live, as the CUR 2.0 table dictionary names them (AWS Data Exports user guide, "Cost and
 * Usage Report (CUR) 2.0" and "Split line item columns"): the export needs "Include resource IDs" and "Include split
 * cost allocation data". Pods: split_line_item_split_cost (the pod's share of its node) and
 * split_line_item_unused_cost (the node's idle share, spread over its pods), per pod line item whose resource_tags
 * carry aws_eks_cluster_name and aws_eks_namespace. EMR on EKS: its own charge, product family "EMR Containers", per
 * job run, line_item_resource_id `arn:...:/virtualclusters/<id>/jobruns/<job>` (aws-samples' EMR on EKS cost tracking
 * view `emr_eks_cost` splits it the same way).
 */
export const CUR2_COST_SOURCES = {
  podSplitCost: 'split_line_item_split_cost',
  podUnusedCost: 'split_line_item_unused_cost',
  clusterTag: "resource_tags['aws_eks_cluster_name']",
  namespaceTag: "resource_tags['aws_eks_namespace']",
  emrProductFamily: 'EMR Containers',
} as const;

/** Placeholders the reader fills in: their Glue database and tables. */
export const COST_QUERY_PLACEHOLDERS = {
  database: '<cur_database>',
  curTable: '<cur_table>',
  virtualClustersTable: '<virtual_clusters_table>',
  virtualClustersLocation: 's3://<bucket>/<prefix>/',
} as const;

export interface TenantCostQueryProps {
  readonly environment: string;
  readonly eksCluster: string;
  readonly tenants: readonly { readonly name: string; readonly namespace: string }[];
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Cost per tenant per day: the pods' split cost by namespace (a tenant owns its namespace) and EMR on EKS's charge by
 * virtual cluster (mapped to tenants by `emr list --output csv`), side by side and summed.
 */
export function tenantCostQuery(props: TenantCostQueryProps): string {
  const { database, curTable, virtualClustersTable } = COST_QUERY_PLACEHOLDERS;
  const s = CUR2_COST_SOURCES;
  const tenants = props.tenants.map((t) => `    (${sqlString(t.name)}, ${sqlString(t.namespace)})`).join(',\n');
  return `-- Cost per tenant per day of environment ${props.environment} (EKS cluster ${props.eksCluster}), from a CUR 2.0
-- export with split cost allocation data and resource IDs. Replace ${database}, ${curTable} and
-- ${virtualClustersTable} (virtual-clusters-table.sql) with your own names.
WITH tenants (tenant, namespace) AS (
  VALUES
${tenants}
),
pods AS (
  SELECT date(line_item_usage_start_date) AS usage_date, ${s.namespaceTag} AS namespace,
         sum(${s.podSplitCost}) AS pod_cost, sum(${s.podUnusedCost}) AS idle_cost
  FROM "${database}"."${curTable}"
  WHERE ${s.clusterTag} = ${sqlString(props.eksCluster)} AND ${s.podSplitCost} IS NOT NULL
  GROUP BY 1, 2
),
emr AS (
  SELECT date(line_item_usage_start_date) AS usage_date, split_part(line_item_resource_id, '/', 3) AS virtual_cluster_id,
         sum(line_item_unblended_cost) AS emr_cost
  FROM "${database}"."${curTable}"
  WHERE product_product_family = ${sqlString(s.emrProductFamily)} AND line_item_resource_id LIKE '%/virtualclusters/%'
  GROUP BY 1, 2
),
charges AS (
  SELECT p.usage_date, t.tenant, p.pod_cost, p.idle_cost, 0e0 AS emr_cost
  FROM pods p JOIN tenants t ON p.namespace = t.namespace
  UNION ALL
  SELECT e.usage_date, v.tenant, 0e0, 0e0, e.emr_cost
  FROM emr e JOIN "${database}"."${virtualClustersTable}" v ON e.virtual_cluster_id = v.virtual_cluster_id
  WHERE v.environment = ${sqlString(props.environment)}
)
SELECT usage_date, tenant, sum(pod_cost) AS pod_cost, sum(idle_cost) AS idle_cost, sum(emr_cost) AS emr_cost,
       sum(pod_cost + idle_cost + emr_cost) AS total_cost
FROM charges
GROUP BY 1, 2
ORDER BY 1, 2;
`;
}

/** The Athena table over the uploaded CSV of `emr list --output csv`, its columns as the CLI writes them. */
export function virtualClustersTableDdl(): string {
  const { database, virtualClustersTable, virtualClustersLocation } = COST_QUERY_PLACEHOLDERS;
  return `-- The virtual clusters and their tenants, as \`emr-gitops emr list --env <env> --output csv\` writes them: upload that
-- file to ${virtualClustersLocation} (one file per environment may share the prefix). Athena DDL quotes names with
-- backquotes, its queries with double quotes.
CREATE EXTERNAL TABLE IF NOT EXISTS \`${database}\`.\`${virtualClustersTable}\` (
${VIRTUAL_CLUSTER_CSV_COLUMNS.map((column) => `  ${column} string`).join(',\n')}
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
LOCATION '${virtualClustersLocation}'
TBLPROPERTIES ('skip.header.line.count' = '1');
`;
}
