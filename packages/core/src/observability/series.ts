import { SPARK_DRIVER_SERIES, SPARK_EXECUTOR_SERIES } from './spark-metrics.js';

/**
 * The kube-state-metrics series the alerts and dashboards read (kubernetes/kube-state-metrics docs/metrics/:
 * workload/pod-metrics.md, policy/resourcequota-metrics.md, workload/job-metrics.md, workload/deployment-metrics.md).
 * `kube_pod_labels` and `kube_node_labels` carry labels only as KUBE_STATE_LABELS_ALLOWLIST names them.
 */
export const KUBE_STATE_SERIES = {
  quota: 'kube_resourcequota',
  podPhase: 'kube_pod_status_phase',
  podLabels: 'kube_pod_labels',
  nodeLabels: 'kube_node_labels',
  podOwner: 'kube_pod_owner',
  restarts: 'kube_pod_container_status_restarts_total',
  lastTerminatedReason: 'kube_pod_container_status_last_terminated_reason',
  jobFailed: 'kube_job_status_failed',
  deploymentAvailable: 'kube_deployment_status_replicas_available',
} as const;

/**
 * The object labels kube-state-metrics must export (`--metric-labels-allowlist`, as `label_<name, [^a-zA-Z0-9_] -> _>`):
 * the drivers' role on `kube_pod_labels`, and each node's Karpenter pool and capacity type on `kube_node_labels`.
 */
export const KUBE_STATE_LABELS_ALLOWLIST = [
  'pods=[spark-role]',
  'nodes=[karpenter.sh/nodepool,karpenter.sh/capacity-type]',
] as const;

/**
 * Karpenter's controller metrics at the pinned 1.14 (https://karpenter.sh/v1.14/reference/metrics/): NodeClaims
 * created and disrupted per nodepool, NodePool limits and usage (by `resource_type`),
 * interruption messages received, voluntary disruption (consolidation) decisions, cloud provider errors.
 */
export const KARPENTER_SERIES = {
  nodeclaimsCreated: 'karpenter_nodeclaims_created_total',
  nodeclaimsDisrupted: 'karpenter_nodeclaims_disrupted_total',
  nodepoolLimit: 'karpenter_nodepools_limit',
  nodepoolUsage: 'karpenter_nodepools_usage',
  interruptions: 'karpenter_interruption_received_messages_total',
  disruptionDecisions: 'karpenter_voluntary_disruption_decisions_total',
  cloudProviderErrors: 'karpenter_cloudprovider_errors_total',
} as const;

/** The scrape job (prometheus-targets.ts) that produces each series a rule or panel may use. */
export const SERIES_JOBS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(SPARK_DRIVER_SERIES).map((name) => [name, 'spark-driver'])),
  ...Object.fromEntries(Object.values(SPARK_EXECUTOR_SERIES).map((name) => [name, 'spark-executors'])),
  ...Object.fromEntries(Object.values(KUBE_STATE_SERIES).map((name) => [name, 'kube-state-metrics'])),
  ...Object.fromEntries(Object.values(KARPENTER_SERIES).map((name) => [name, 'karpenter'])),
};

/** The series names a PromQL expression reads (names of the catalog's families; label names never match). */
export function seriesOf(expr: string): string[] {
  const names = expr.match(/\b(metrics|kube|karpenter)_[A-Za-z0-9_]+/g) ?? [];
  return [...new Set(names)].sort();
}

/** A literal in a PromQL regex matcher. */
export const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A selector of kube-state-metrics series about objects in the tenants' namespaces. By namespace, not by `tenant`:
 * with prometheus-operator the kube-state-metrics scrape is the operator stack's own and adds no `tenant`.
 */
export function kubeStateSelector(namespaces: readonly string[] | string, extra = ''): string {
  const regex = typeof namespaces === 'string' ? namespaces : namespaces.map(escapeRegex).join('|');
  return `{job="kube-state-metrics", namespace=~"${regex}"${extra}}`;
}

/** Selects the pods kube-state-metrics reports as Spark drivers, and those owned by a Job (EMR's job-runner). */
export const DRIVER_PODS = `on (namespace, pod) group_left () ${KUBE_STATE_SERIES.podLabels}{job="kube-state-metrics", label_spark_role="driver"}`;
export const JOB_RUNNER_PODS = `on (namespace, pod) group_left () ${KUBE_STATE_SERIES.podOwner}{job="kube-state-metrics", owner_kind="Job"}`;
