-- The virtual clusters and their tenants, as `emr-gitops emr list --env <env> --output csv` writes them: upload that
-- file to s3://<bucket>/<prefix>/ (one file per environment may share the prefix). Athena DDL quotes names with
-- backquotes, its queries with double quotes.
CREATE EXTERNAL TABLE IF NOT EXISTS `<cur_database>`.`<virtual_clusters_table>` (
  virtual_cluster_id string,
  name string,
  namespace string,
  state string,
  tenant string,
  environment string,
  created_at string
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
LOCATION 's3://<bucket>/<prefix>/'
TBLPROPERTIES ('skip.header.line.count' = '1');
