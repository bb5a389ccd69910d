/**
 * The metric names Spark's Prometheus endpoints serve, as the dashboards and alerts use them. Sources (Spark 3.5, the
 * line EMR 7.x ships; apache/spark):
 * - core/src/main/scala/org/apache/spark/metrics/MetricsSystem.scala `buildRegistryName`: a driver or executor
 *   source is registered as `<spark.metrics.namespace, else spark.app.id>.<executor id or "driver">.<source name>`;
 * - core/.../metrics/sink/PrometheusServlet.scala: each registry key becomes `metrics_<key, [^a-zA-Z0-9] -> _>_`
 *   followed by `Number`/`Value` (gauges), `Count` (counters, meters), with a `type` label;
 * - core/.../scheduler/DAGSchedulerSource.scala (source `DAGScheduler`: stage.failedStages, stage.runningStages,
 *   job.activeJobs gauges), ExecutorAllocationManagerSource (source `ExecutorAllocationManager`,
 *   docs/monitoring.md "Component instance = Driver": executors.numberAllExecutors gauge,
 *   executors.numberExecutorsExitedUnexpectedly / numberExecutorsGracefullyDecommissioned counters);
 * - core/.../status/api/v1/PrometheusResource.scala (`/metrics/executors/prometheus`, `spark.ui.prometheus.enabled`):
 *   `metrics_executor_<field>_<Count|Value>` per executor, labels application_id, application_name, executor_id.
 */

/** `spark.metrics.namespace`: a constant, so no metric name carries the application id (it stays a label). */
export const SPARK_METRICS_NAMESPACE = 'spark';

/** The PrometheusServlet name of a driver metric: `metrics_<namespace>_driver_<source>_<metric>_<suffix>`. */
export function sparkDriverMetric(source: string, metric: string, suffix: 'Value' | 'Number' | 'Count'): string {
  return `metrics_${`${SPARK_METRICS_NAMESPACE}.driver.${source}.${metric}`.replace(/[^a-zA-Z0-9]/g, '_')}_${suffix}`;
}

/** The driver series the dashboards and alerts read (scrape job `spark-driver`). */
export const SPARK_DRIVER_SERIES = {
  activeJobs: sparkDriverMetric('DAGScheduler', 'job.activeJobs', 'Value'),
  runningStages: sparkDriverMetric('DAGScheduler', 'stage.runningStages', 'Value'),
  failedStages: sparkDriverMetric('DAGScheduler', 'stage.failedStages', 'Value'),
  executors: sparkDriverMetric('ExecutorAllocationManager', 'executors.numberAllExecutors', 'Value'),
  executorsExitedUnexpectedly: sparkDriverMetric(
    'ExecutorAllocationManager',
    'executors.numberExecutorsExitedUnexpectedly',
    'Count',
  ),
  executorsDecommissioned: sparkDriverMetric(
    'ExecutorAllocationManager',
    'executors.numberExecutorsGracefullyDecommissioned',
    'Count',
  ),
} as const;

/** The executor series (scrape job `spark-executors`, PrometheusResource: not affected by the namespace). */
export const SPARK_EXECUTOR_SERIES = {
  activeTasks: 'metrics_executor_activeTasks_Count',
  completedTasks: 'metrics_executor_completedTasks_Count',
  failedTasks: 'metrics_executor_failedTasks_Count',
  totalGcTimeMs: 'metrics_executor_totalGCTime_Value',
  totalDurationMs: 'metrics_executor_totalDuration_Value',
  shuffleReadBytes: 'metrics_executor_totalShuffleRead_Count',
  shuffleWriteBytes: 'metrics_executor_totalShuffleWrite_Count',
} as const;
