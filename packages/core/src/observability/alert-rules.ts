import { requireThat } from '../primitives/errors.js';
import { requireGoDuration } from '../primitives/go-duration.js';
import {
  DRIVER_PODS,
  JOB_RUNNER_PODS,
  escapeRegex,
  KARPENTER_SERIES,
  KUBE_STATE_SERIES,
  kubeStateSelector,
} from './series.js';
import { SPARK_DRIVER_SERIES } from './spark-metrics.js';

/** One Prometheus alerting rule (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'warning' | 'critical' };
  readonly annotations: { readonly summary: string; readonly runbook: string };
}
export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** What the alerts watch: the tenants, and which parts of the platform this environment runs. */
export interface PlatformAlertsProps {
  /** The tenants' namespaces, whose pods, quotas and Jobs the alerts watch. */
  readonly namespaces: readonly string[];
  /** Karpenter runs in the cluster and is scraped (not on EKS Auto Mode). */
  readonly karpenter: boolean;
  /** The Spark History Servers' namespace and Deployment names, when the environment runs them. */
  readonly historyServers?: { readonly namespace: string; readonly deployments: readonly string[] };
  /** How long a pod may stay Pending before it alerts, a duration. @default '15m' */
  readonly pendingFor?: string;
  /** Share of a quota's hard limit in use that alerts, above 0 and below 1. @default 0.9 */
  readonly quotaRatio?: number;
}

const rule = (
  alert: string,
  expr: string,
  forDuration: string,
  severity: 'warning' | 'critical',
  summary: string,
  runbook: string,
): AlertRule => ({
  alert,
  expr,
  for: forDuration,
  labels: { severity },
  annotations: { summary, runbook },
});

/**
 * The platform's alerts, grouped as rule files hold them: per-tenant quota and scheduling, Spark jobs, Karpenter
 * (self-managed only: on Auto Mode nothing of it is scraped) and the History Servers. The series come from the scrape
 * jobs of prometheus-targets.ts (series.ts names them); every `summary` names the namespace or object it is about.
 */
export function platformAlertGroups(props: PlatformAlertsProps): AlertGroup[] {
  const pendingFor = props.pendingFor ?? '15m';
  requireGoDuration(pendingFor, 'pendingFor');
  const ratio = props.quotaRatio ?? 0.9;
  requireThat(ratio > 0 && ratio < 1, 'quotaRatio', `${ratio} must be above 0 and below 1`);
  requireThat(props.namespaces.length > 0, 'namespaces', 'must name at least one tenant namespace');
  const k = KUBE_STATE_SERIES;
  const tenantSeries = (extra = '') => kubeStateSelector(props.namespaces, extra);
  const drivers = DRIVER_PODS;
  const jobRunners = JOB_RUNNER_PODS;
  const quota = (type: string) =>
    `sum by (namespace, resourcequota, resource) (${k.quota}${tenantSeries(`, type="${type}"`)})`;
  const groups: AlertGroup[] = [
    {
      name: 'spark-tenants',
      rules: [
        rule(
          'SparkTenantQuotaNearLimit',
          `${quota('used')} / (${quota('hard')} > 0) > ${ratio}`,
          '15m',
          'warning',
          `Namespace {{ $labels.namespace }} uses over ${Math.round(ratio * 100)}% of {{ $labels.resource }} in quota {{ $labels.resourcequota }}`,
          "New drivers and executors of the tenant will be refused: raise the tenant's quota in the environment file, or find the jobs holding it (kubectl -n <namespace> describe resourcequota).",
        ),
        rule(
          'SparkPodPendingTooLong',
          `max by (namespace, pod) (${k.podPhase}${tenantSeries(', phase="Pending"')}) == 1`,
          pendingFor,
          'warning',
          `Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending for ${pendingFor}`,
          "kubectl -n <namespace> describe pod <pod>: FailedScheduling events name the missing capacity (Karpenter pool limit, quota, taints); Karpenter's logs say why it launched nothing.",
        ),
      ],
    },
    {
      name: 'spark-jobs',
      rules: [
        rule(
          'SparkDriverOOMKilled',
          `max by (namespace, pod) (${k.lastTerminatedReason}${tenantSeries(', reason="OOMKilled"')} * ${drivers}) > 0`,
          '0m',
          'critical',
          `Driver {{ $labels.namespace }}/{{ $labels.pod }} was OOM-killed`,
          'Give the job a larger driver (spark.driver.memory and spark.driver.memoryOverhead, or a larger job size) or collect less to the driver.',
        ),
        rule(
          'SparkDriverRestarting',
          `sum by (namespace, pod) (increase(${k.restarts}${tenantSeries()}[15m]) * ${drivers}) > 0`,
          '0m',
          'warning',
          `Driver {{ $labels.namespace }}/{{ $labels.pod }} restarted in the last 15 minutes`,
          "kubectl -n <namespace> logs --previous <pod>: the driver's last run shows why it stopped.",
        ),
        rule(
          'SparkJobRunnerRestarting',
          `sum by (namespace, pod) (increase(${k.restarts}${tenantSeries()}[15m]) * ${jobRunners}) > 0`,
          '0m',
          'warning',
          `Job-runner pod {{ $labels.namespace }}/{{ $labels.pod }} restarted in the last 15 minutes`,
          "EMR's job-runner (a Kubernetes Job) restarted: losing it fails the job run. Check its node (spot interruption, consolidation) and its logs.",
        ),
        // kube_job_status_failed counts a Job's failed pods for as long as the Job exists: alert on new failures only.
        rule(
          'SparkJobFailing',
          `sum by (namespace, job_name) (delta(${k.jobFailed}${tenantSeries()}[15m])) > 0`,
          '0m',
          'warning',
          `Job {{ $labels.namespace }}/{{ $labels.job_name }} had pods fail in the last 15 minutes`,
          "aws emr-containers describe-job-run shows the state details; the job-runner's and driver's logs (S3 or CloudWatch, per the job's monitoringConfiguration) show the error.",
        ),
        rule(
          'SparkExecutorsLost',
          `sum by (tenant, namespace, spark_app_name) (increase(${SPARK_DRIVER_SERIES.executorsExitedUnexpectedly}[15m])) > 0`,
          '0m',
          'warning',
          `Application {{ $labels.spark_app_name }} of tenant {{ $labels.tenant }} lost executors that exited unexpectedly`,
          "Executors that exit without decommissioning (spot interruption without notice, OOM) lose their shuffle data and stages rerun: check Karpenter's interruption panel; keep long shuffle-heavy jobs on on-demand pools.",
        ),
        rule(
          'SparkStagesFailing',
          `max by (tenant, namespace, spark_app_name) (${SPARK_DRIVER_SERIES.failedStages}) > 0`,
          '10m',
          'warning',
          `Application {{ $labels.spark_app_name }} of tenant {{ $labels.tenant }} has failed stages`,
          "Open the application's Spark UI (or the History Server): the failed stage's tasks carry the exception.",
        ),
      ],
    },
  ];
  if (props.karpenter) {
    const s = KARPENTER_SERIES;
    groups.push({
      name: 'karpenter',
      rules: [
        rule(
          'KarpenterCannotLaunch',
          `sum by (error) (increase(${s.cloudProviderErrors}{method="Create"}[15m])) > 0`,
          '0m',
          'critical',
          'Karpenter failed to launch instances: {{ $labels.error }}',
          "kubectl -n <karpenter namespace> logs deploy/karpenter: insufficient capacity of every allowed instance type, a service quota (vCPU limit), or the node role / launch template; widen the pool's instance types or zones.",
        ),
        rule(
          'KarpenterNodePoolAtLimit',
          `max by (nodepool, resource_type) (${s.nodepoolUsage}) / max by (nodepool, resource_type) (${s.nodepoolLimit} > 0) > 0.95`,
          '10m',
          'warning',
          'NodePool {{ $labels.nodepool }} uses over 95% of its {{ $labels.resource_type }} limit',
          "Pods that need this pool stay Pending: raise the pool's limits in the environment file, or move tenants to another pool.",
        ),
      ],
    });
  }
  if (props.historyServers && props.historyServers.deployments.length > 0) {
    const { namespace, deployments } = props.historyServers;
    const selector = kubeStateSelector([namespace], `, deployment=~"${deployments.map(escapeRegex).join('|')}"`);
    groups.push({
      name: 'spark-history',
      rules: [
        rule(
          'SparkHistoryServerDown',
          `max by (namespace, deployment) (${k.deploymentAvailable}${selector}) < 1`,
          '10m',
          'warning',
          'Spark History Server {{ $labels.deployment }} has no available replica',
          `kubectl -n ${namespace} describe deploy <deployment> and its pod's logs: the event log bucket's access (IRSA role) is the usual cause.`,
        ),
      ],
    });
  }
  return groups;
}
