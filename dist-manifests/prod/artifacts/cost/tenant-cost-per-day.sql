-- Cost per tenant per day of environment prod (EKS cluster spark-platform-prod), from a CUR 2.0
-- export with split cost allocation data and resource IDs. Replace <cur_database>, <cur_table> and
-- <virtual_clusters_table> (virtual-clusters-table.sql) with your own names.
WITH tenants (tenant, namespace) AS (
  VALUES
    ('app-dev', 'spark-app-dev'),
    ('data-eng', 'spark-data-eng'),
    ('ml', 'spark-ml')
),
pods AS (
  SELECT date(line_item_usage_start_date) AS usage_date, resource_tags['aws_eks_namespace'] AS namespace,
         sum(split_line_item_split_cost) AS pod_cost, sum(split_line_item_unused_cost) AS idle_cost
  FROM "<cur_database>"."<cur_table>"
  WHERE resource_tags['aws_eks_cluster_name'] = 'spark-platform-prod' AND split_line_item_split_cost IS NOT NULL
  GROUP BY 1, 2
),
emr AS (
  SELECT date(line_item_usage_start_date) AS usage_date, split_part(line_item_resource_id, '/', 3) AS virtual_cluster_id,
         sum(line_item_unblended_cost) AS emr_cost
  FROM "<cur_database>"."<cur_table>"
  WHERE product_product_family = 'EMR Containers' AND line_item_resource_id LIKE '%/virtualclusters/%'
  GROUP BY 1, 2
),
charges AS (
  SELECT p.usage_date, t.tenant, p.pod_cost, p.idle_cost, 0e0 AS emr_cost
  FROM pods p JOIN tenants t ON p.namespace = t.namespace
  UNION ALL
  SELECT e.usage_date, v.tenant, 0e0, 0e0, e.emr_cost
  FROM emr e JOIN "<cur_database>"."<virtual_clusters_table>" v ON e.virtual_cluster_id = v.virtual_cluster_id
  WHERE v.environment = 'prod'
)
SELECT usage_date, tenant, sum(pod_cost) AS pod_cost, sum(idle_cost) AS idle_cost, sum(emr_cost) AS emr_cost,
       sum(pod_cost + idle_cost + emr_cost) AS total_cost
FROM charges
GROUP BY 1, 2
ORDER BY 1, 2;
