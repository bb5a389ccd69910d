import { requireThat } from '../primitives/errors.js';
import type { PodPlacement } from '../scheduling/placement.js';
import { doNotDisruptAnnotations } from './disruption-protection.js';
import { jobSubmitterLabelProperties } from '../cost/cost-allocation.js';

/**
 * How long EMR lets a job wait in SUBMITTED (its job runner up, its driver not yet running) before it fails it, when
 * `emr-containers-defaults` sets no `job-start-timeout`. Source: EMR on EKS guide, "Using Amazon EMR container
 * defaults classification" (https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-job-submitter-container-defaults.html).
 */
export const EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS = 15 * 60;

/** One `configurationOverrides.applicationConfiguration` entry other than spark-defaults. */
export interface EmrClassification {
  readonly classification: string;
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * `emr-containers-defaults` with `job-start-timeout` (seconds, same source as above): how long a job may wait in
 * SUBMITTED, e.g. queued behind other jobs of its YuniKorn queue, before EMR fails it.
 */
export function jobStartTimeoutClassification(seconds: number): EmrClassification {
  requireThat(
    Number.isInteger(seconds) && seconds > 0,
    'jobStartTimeout',
    `${seconds} must be a whole number of seconds above 0`,
  );
  return { classification: 'emr-containers-defaults', properties: { 'job-start-timeout': String(seconds) } };
}

/**
 * The `emr-job-submitter` classification that puts EMR's job-runner pod where `placement` puts drivers: the job
 * runner starts the driver and watches it, and losing it fails the job, so it belongs on on-demand capacity and, like
 * the driver, carries `karpenter.sh/do-not-disrupt` on Karpenter's pools (else an expiring or drifted node evicts it
 * at once). Its keys are written as the EMR on EKS guide ("Using job submitter classification") defines them:
 * `jobsubmitter.node.selector.<key>`, `jobsubmitter.node.toleration.<key>` (value; "" for Exists),
 * `jobsubmitter.node.toleration.<key>.effect`, `jobsubmitter.annotation.<key>` and `jobsubmitter.label.<key>` (`labels`:
 * the tenant's cost labels, so the job runner is charged to it).
 */
export function jobSubmitterClassification(
  placement: Pick<PodPlacement, 'nodeSelector' | 'tolerations' | 'capacityTypes' | 'nodePools'>,
  labels: Readonly<Record<string, string>> = {},
): EmrClassification {
  requireThat(
    placement.capacityTypes.length > 0 && placement.capacityTypes.every((type) => type === 'on-demand'),
    'placement.capacityTypes',
    `the job runner must run on on-demand capacity only (losing it fails the job); this placement reaches ${placement.capacityTypes.join(', ')}`,
  );
  const properties: Record<string, string> = jobSubmitterLabelProperties(labels);
  for (const [key, value] of Object.entries(placement.nodeSelector))
    properties[`jobsubmitter.node.selector.${key}`] = value;
  for (const [key, value] of Object.entries(doNotDisruptAnnotations(placement)))
    properties[`jobsubmitter.annotation.${key}`] = value;
  for (const [i, toleration] of placement.tolerations.entries()) {
    requireThat(
      toleration.key !== undefined && toleration.effect !== undefined,
      `placement.tolerations[${i}]`,
      'the job submitter classification can only express a toleration with a key and an effect',
    );
    properties[`jobsubmitter.node.toleration.${toleration.key}`] =
      toleration.operator === 'Exists' ? '' : (toleration.value ?? '');
    properties[`jobsubmitter.node.toleration.${toleration.key}.effect`] = toleration.effect;
  }
  return {
    classification: 'emr-job-submitter',
    properties: Object.fromEntries(Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/** Where EMR ships a tenant's job logs (the job runner's, the driver's and the executors'). */
export interface EmrMonitoringProps {
  /** CloudWatch Logs group and stream prefix. @default no CloudWatch logs */
  readonly cloudWatch?: { readonly logGroupName: string; readonly logStreamNamePrefix: string };
  /** S3 prefix EMR writes logs below (`<logUri>/<virtual cluster id>/jobs/<job id>/`). @default no S3 logs */
  readonly s3LogUri?: string;
  /** Keep the Spark UI of finished jobs in the EMR console. @default true */
  readonly persistentAppUI?: boolean;
}

/** `configurationOverrides.monitoringConfiguration` of StartJobRun / CreateJobTemplate. */
export interface EmrMonitoringConfiguration {
  readonly persistentAppUI: 'ENABLED' | 'DISABLED';
  readonly cloudWatchMonitoringConfiguration?: { readonly logGroupName: string; readonly logStreamNamePrefix: string };
  readonly s3MonitoringConfiguration?: { readonly logUri: string };
}

// The EMR containers API's patterns (service model 2020-10-01).
const LOG_GROUP = /^[./#A-Za-z0-9_-]{1,512}$/;
const STREAM_PREFIX = /^[^:*]{1,256}$/;
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

/** The monitoring configuration for a tenant's jobs; at least one destination, or the logs go nowhere. */
export function emrMonitoringConfiguration(props: EmrMonitoringProps): EmrMonitoringConfiguration {
  requireThat(
    props.cloudWatch !== undefined || props.s3LogUri !== undefined,
    'monitoring',
    'needs CloudWatch Logs or an S3 log URI: without either the job runner, driver and executor logs are lost with their pods',
  );
  if (props.cloudWatch) {
    requireThat(
      LOG_GROUP.test(props.cloudWatch.logGroupName),
      'cloudWatch.logGroupName',
      `"${props.cloudWatch.logGroupName}" is not a CloudWatch log group name (1-512 of A-Z a-z 0-9 . - _ / #)`,
    );
    requireThat(
      STREAM_PREFIX.test(props.cloudWatch.logStreamNamePrefix),
      'cloudWatch.logStreamNamePrefix',
      `"${props.cloudWatch.logStreamNamePrefix}" is not a log stream prefix (1-256 characters, no ":" or "*")`,
    );
  }
  if (props.s3LogUri !== undefined)
    requireThat(
      S3_URI.test(props.s3LogUri),
      's3LogUri',
      `"${props.s3LogUri}" must be an S3 URI, s3://<bucket>/<prefix>`,
    );
  return {
    persistentAppUI: props.persistentAppUI === false ? 'DISABLED' : 'ENABLED',
    ...(props.cloudWatch ? { cloudWatchMonitoringConfiguration: { ...props.cloudWatch } } : {}),
    ...(props.s3LogUri !== undefined ? { s3MonitoringConfiguration: { logUri: props.s3LogUri } } : {}),
  };
}
