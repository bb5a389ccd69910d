import { DRIVER_PODS, JOB_RUNNER_PODS, KARPENTER_SERIES, KUBE_STATE_SERIES, kubeStateSelector } from './series.js';
import { SPARK_DRIVER_SERIES, SPARK_EXECUTOR_SERIES } from './spark-metrics.js';

/** One panel: a time series of PromQL queries (Grafana variables only inside label matchers, so each parses). */
export interface DashboardPanel {
  readonly title: string;
  readonly unit?: string;
  readonly queries: readonly { readonly expr: string; readonly legend: string }[];
}
export interface Dashboard {
  /** Grafana uid, and the ConfigMap's key `<uid>.json`. */
  readonly uid: string;
  readonly title: string;
  /** The variable that filters every panel: Spark's series by `tenant`, kube-state-metrics' by tenant `namespace`. */
  readonly filter: 'tenant' | 'namespace' | 'none';
  readonly panels: readonly DashboardPanel[];
}

const t = 'tenant=~"$tenant"';
const ksm = (extra = '') => kubeStateSelector('$namespace', extra);
const panel = (title: string, unit: string | undefined, ...queries: [string, string][]): DashboardPanel => ({
  title,
  ...(unit ? { unit } : {}),
  queries: queries.map(([expr, legend]) => ({ expr, legend })),
});

/**
 * The platform's dashboards: Spark per tenant, quota and Pending pods per tenant, restarts of drivers and job-runners,
 * and Karpenter when it runs in the cluster (on EKS Auto Mode nothing of it is scraped).
 */
export function platformDashboards(props: { readonly karpenter: boolean }): Dashboard[] {
  const d = SPARK_DRIVER_SERIES;
  const e = SPARK_EXECUTOR_SERIES;
  const k = KUBE_STATE_SERIES;
  const drivers = DRIVER_PODS;
  const jobRunners = JOB_RUNNER_PODS;
  const dashboards: Dashboard[] = [
    {
      uid: 'emr-spark-tenants',
      title: 'Spark by tenant',
      filter: 'tenant',
      panels: [
        panel('Running applications', undefined, [`count by (tenant) (${d.activeJobs}{${t}})`, '{{tenant}}']),
        panel('Executors', undefined, [`sum by (tenant) (${d.executors}{${t}})`, '{{tenant}}']),
        panel('Active tasks', undefined, [`sum by (tenant) (${e.activeTasks}{${t}})`, '{{tenant}}']),
        panel('Completed tasks per second', 'ops', [
          `sum by (tenant) (rate(${e.completedTasks}{${t}}[5m]))`,
          '{{tenant}}',
        ]),
        panel('Failed tasks per second', 'ops', [`sum by (tenant) (rate(${e.failedTasks}{${t}}[5m]))`, '{{tenant}}']),
        panel('GC time share of task time', 'percentunit', [
          `sum by (tenant) (rate(${e.totalGcTimeMs}{${t}}[5m])) / (sum by (tenant) (rate(${e.totalDurationMs}{${t}}[5m])) > 0)`,
          '{{tenant}}',
        ]),
        panel(
          'Shuffle read and write',
          'Bps',
          [`sum by (tenant) (rate(${e.shuffleReadBytes}{${t}}[5m]))`, '{{tenant}} read'],
          [`sum by (tenant) (rate(${e.shuffleWriteBytes}{${t}}[5m]))`, '{{tenant}} write'],
        ),
        panel('Failed stages', undefined, [
          `sum by (tenant, spark_app_name) (${d.failedStages}{${t}})`,
          '{{tenant}} {{spark_app_name}}',
        ]),
        panel(
          'Executors lost (exited unexpectedly) and decommissioned',
          undefined,
          [`sum by (tenant) (increase(${d.executorsExitedUnexpectedly}{${t}}[1h]))`, '{{tenant}} lost'],
          [`sum by (tenant) (increase(${d.executorsDecommissioned}{${t}}[1h]))`, '{{tenant}} decommissioned'],
        ),
      ],
    },
    {
      uid: 'emr-tenant-capacity',
      title: 'Quota and Pending pods by tenant namespace',
      filter: 'namespace',
      panels: [
        panel('Quota used', 'percentunit', [
          `sum by (namespace, resource) (${k.quota}${ksm(', type="used"')}) / (sum by (namespace, resource) (${k.quota}${ksm(', type="hard"')}) > 0)`,
          '{{namespace}} {{resource}}',
        ]),
        panel('Pending pods', undefined, [
          `sum by (namespace) (${k.podPhase}${ksm(', phase="Pending"')})`,
          '{{namespace}}',
        ]),
      ],
    },
    {
      uid: 'emr-restarts',
      title: 'Driver and job-runner restarts',
      filter: 'namespace',
      panels: [
        panel('Driver restarts (1h)', undefined, [
          `sum by (namespace) (increase(${k.restarts}${ksm()}[1h]) * ${drivers})`,
          '{{namespace}}',
        ]),
        panel('Driver OOM kills', undefined, [
          `sum by (namespace) (${k.lastTerminatedReason}${ksm(', reason="OOMKilled"')} * ${drivers})`,
          '{{namespace}}',
        ]),
        panel('Job-runner restarts (1h)', undefined, [
          `sum by (namespace) (increase(${k.restarts}${ksm()}[1h]) * ${jobRunners})`,
          '{{namespace}}',
        ]),
        panel('Failed jobs', undefined, [`sum by (namespace) (${k.jobFailed}${ksm()})`, '{{namespace}}']),
      ],
    },
  ];
  if (props.karpenter) {
    const s = KARPENTER_SERIES;
    dashboards.push({
      uid: 'emr-karpenter',
      title: 'Karpenter',
      filter: 'none',
      panels: [
        panel('Pending pods', undefined, [`sum(${k.podPhase}{job="kube-state-metrics", phase="Pending"})`, 'pending']),
        panel('Nodes by pool and capacity type', undefined, [
          `count by (label_karpenter_sh_nodepool, label_karpenter_sh_capacity_type) (${k.nodeLabels}{job="kube-state-metrics", label_karpenter_sh_nodepool!=""})`,
          '{{label_karpenter_sh_nodepool}} {{label_karpenter_sh_capacity_type}}',
        ]),
        panel('NodeClaims created (1h)', undefined, [
          `sum by (nodepool) (increase(${s.nodeclaimsCreated}[1h]))`,
          '{{nodepool}}',
        ]),
        panel('Pool use of its limits', 'percentunit', [
          `max by (nodepool, resource_type) (${s.nodepoolUsage}) / max by (nodepool, resource_type) (${s.nodepoolLimit} > 0)`,
          '{{nodepool}} {{resource_type}}',
        ]),
        panel('Interruption messages', undefined, [
          `sum by (message_type) (increase(${s.interruptions}[1h]))`,
          '{{message_type}}',
        ]),
        panel('Disruptions (consolidation, drift, expiry)', undefined, [
          `sum by (nodepool, reason) (increase(${s.nodeclaimsDisrupted}[1h]))`,
          '{{nodepool}} {{reason}}',
        ]),
        panel('Consolidation decisions', undefined, [
          `sum by (decision, reason) (increase(${s.disruptionDecisions}[1h]))`,
          '{{decision}} {{reason}}',
        ]),
        panel('Launch errors', undefined, [
          `sum by (error) (increase(${s.cloudProviderErrors}{method="Create"}[1h]))`,
          '{{error}}',
        ]),
      ],
    });
  }
  return dashboards;
}

/**
 * The Grafana dashboard JSON (schemaVersion 39): a Prometheus datasource variable, the filter variable (its values
 * from the series themselves, namespaces limited to the tenants'), panels two abreast.
 */
export function grafanaDashboardJson(
  dashboard: Dashboard,
  tenantNamespaces: readonly string[],
): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  const variables: Record<string, unknown>[] = [
    { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' },
  ];
  if (dashboard.filter !== 'none') {
    const values =
      dashboard.filter === 'tenant'
        ? `label_values(${SPARK_DRIVER_SERIES.activeJobs}, tenant)`
        : `label_values(${KUBE_STATE_SERIES.podPhase}${kubeStateSelector(tenantNamespaces)}, namespace)`;
    variables.push({
      name: dashboard.filter,
      label: dashboard.filter === 'tenant' ? 'Tenant' : 'Namespace',
      type: 'query',
      datasource,
      multi: true,
      includeAll: true,
      allValue: '.+',
      refresh: 2,
      sort: 1,
      query: { query: values, refId: dashboard.filter },
      current: { selected: true, text: ['All'], value: ['$__all'] },
    });
  }
  return {
    uid: dashboard.uid,
    title: dashboard.title,
    tags: ['emr-eks-gitops'],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: { list: variables },
    panels: dashboard.panels.map((p, index) => ({
      id: index + 1,
      type: 'timeseries',
      title: p.title,
      datasource,
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
      fieldConfig: { defaults: p.unit ? { unit: p.unit } : {}, overrides: [] },
      targets: p.queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i),
        datasource,
        expr: q.expr,
        legendFormat: q.legend,
      })),
    })),
  };
}
