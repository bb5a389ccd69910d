import { SPARK_METRICS_NAMESPACE } from '../observability/spark-metrics.js';
import { ConfigurationError, requireThat } from '../primitives/errors.js';
import type { SparkPlacements } from '../karpenter/spark-capacity.js';
import { requireGoDuration } from '../primitives/go-duration.js';
import { jobSizeProperties, SPARK_DEFAULT_JOB_SIZE, type SparkJobSize } from './job-size.js';
import { SPARK_CONTAINER_NAMES, SPARK_PROMETHEUS_PATHS, type SparkPodTemplates } from './pod-templates.js';

export interface SparkDefaultsProps {
  /** The placements the pod templates were built from (a SparkCapacity); supplies the executor idle timeout. */
  readonly placements: Pick<SparkPlacements, 'executorIdleTimeout'>;
  /** The pod templates these properties point at; supplies spark.local.dir. */
  readonly podTemplates: Pick<SparkPodTemplates, 'localDirPath'>;
  /** S3 URI where the driver pod template is uploaded. */
  readonly driverPodTemplateUri: string;
  /** S3 URI where the executor pod template is uploaded. */
  readonly executorPodTemplateUri: string;
  /** S3 prefix where decommissioning executors copy blocks no peer can take. @default no fallback storage */
  readonly decommissionFallbackStoragePath?: string;
  /** The tenant's default job size: cores, heap and overhead of the driver and each executor. @default Spark's own (1 core, 1g) */
  readonly jobSize?: SparkJobSize;
  /** S3 prefix for Spark event logs, read by a Spark History Server (`spark.eventLog.dir`). @default event logs off */
  readonly eventLogDir?: string;
  /** Further properties; may not override the ones this function sets. @default {} */
  readonly extraProperties?: Readonly<Record<string, string>>;
}

/** One `configurationOverrides.applicationConfiguration` entry of an EMR job run or job template. */
export interface SparkDefaultsClassification {
  readonly classification: 'spark-defaults';
  readonly properties: Readonly<Record<string, string>>;
}

const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/;

/**
 * The `spark-defaults` properties that go with SparkPodTemplates and SparkCapacity: pod template files, scratch
 * directory, graceful decommissioning (spot), Prometheus metrics, and dynamic allocation whose idle timeout is the
 * one the executor pools' consolidateAfter was checked against.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Ec2NodeClass, SparkCapacity, SparkPodTemplates, sparkDefaults } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'karpenter');
 * const driverNodeClass = new Ec2NodeClass(chart, 'spark', {
 *   name: 'spark', clusterName: 'spark-platform', amiAlias: 'al2023@v20250115', role: 'KarpenterNodeRole-spark-platform',
 * });
 * const capacity = new SparkCapacity(chart, 'capacity', { driverNodeClass });
 * const templates = new SparkPodTemplates({ placements: capacity });
 * const defaults = sparkDefaults({
 *   placements: capacity,
 *   podTemplates: templates,
 *   driverPodTemplateUri: 's3://my-bucket/pod-templates/analytics/driver.yaml',
 *   executorPodTemplateUri: 's3://my-bucket/pod-templates/analytics/executor.yaml',
 * });
 * // defaults: { classification: 'spark-defaults', properties: { 'spark.kubernetes.driver.podTemplateFile': ..., ... } },
 * // one entry of a job run's configurationOverrides.applicationConfiguration
 * ```
 */
export function sparkDefaults(props: SparkDefaultsProps): SparkDefaultsClassification {
  requireThat(
    S3_URI.test(props.driverPodTemplateUri),
    'driverPodTemplateUri',
    `"${props.driverPodTemplateUri}" must be an S3 URI, s3://<bucket>/<key>`,
  );
  requireThat(
    S3_URI.test(props.executorPodTemplateUri),
    'executorPodTemplateUri',
    `"${props.executorPodTemplateUri}" must be an S3 URI, s3://<bucket>/<key>`,
  );
  requireThat(
    props.driverPodTemplateUri !== props.executorPodTemplateUri,
    'executorPodTemplateUri',
    'must differ from driverPodTemplateUri',
  );
  const fallback = props.decommissionFallbackStoragePath;
  if (fallback !== undefined) {
    requireThat(
      S3_URI.test(fallback) && fallback.endsWith('/'),
      'decommissionFallbackStoragePath',
      `"${fallback}" must be an S3 prefix ending in "/"`,
    );
  }
  if (props.eventLogDir !== undefined) {
    requireThat(
      S3_URI.test(props.eventLogDir) && props.eventLogDir.endsWith('/'),
      'eventLogDir',
      `"${props.eventLogDir}" must be an S3 prefix ending in "/"`,
    );
  }
  // Spark reads one unit per time string, so "1m30s" is passed on as seconds.
  const idleSeconds = requireGoDuration(props.placements.executorIdleTimeout, 'placements.executorIdleTimeout');

  const owned: Record<string, string> = {
    'spark.kubernetes.driver.podTemplateFile': props.driverPodTemplateUri,
    'spark.kubernetes.executor.podTemplateFile': props.executorPodTemplateUri,
    'spark.kubernetes.driver.podTemplateContainerName': SPARK_CONTAINER_NAMES.driver,
    'spark.kubernetes.executor.podTemplateContainerName': SPARK_CONTAINER_NAMES.executor,
    'spark.local.dir': props.podTemplates.localDirPath,
    'spark.decommission.enabled': 'true',
    'spark.storage.decommission.enabled': 'true',
    'spark.storage.decommission.rddBlocks.enabled': 'true',
    'spark.storage.decommission.shuffleBlocks.enabled': 'true',
    ...(fallback ? { 'spark.storage.decommission.fallbackStorage.path': fallback } : {}),
    'spark.dynamicAllocation.enabled': 'true',
    // Kubernetes has no external shuffle service; shuffle tracking keeps executors holding shuffle data alive.
    'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
    'spark.dynamicAllocation.executorIdleTimeout': `${idleSeconds}s`,
    'spark.ui.prometheus.enabled': 'true',
    ...jobSizeProperties(props.jobSize ?? SPARK_DEFAULT_JOB_SIZE),
    ...(props.eventLogDir ? { 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': props.eventLogDir } : {}),
    'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
    'spark.metrics.conf.*.sink.prometheusServlet.path': SPARK_PROMETHEUS_PATHS.driver,
    // Without it every metric name carries the application id; the id stays a label (spark_app_id) of the scrape.
    'spark.metrics.namespace': SPARK_METRICS_NAMESPACE,
  };
  for (const key of Object.keys(props.extraProperties ?? {})) {
    if (key in owned) {
      throw new ConfigurationError(
        `extraProperties["${key}"]`,
        'is set by sparkDefaults from the capacity, the pod templates and the job size; change it there',
      );
    }
  }
  const merged: Record<string, string> = { ...props.extraProperties, ...owned };
  const properties = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((key) => [key, merged[key]!]),
  );
  return { classification: 'spark-defaults', properties };
}
