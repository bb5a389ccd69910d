import { GRAFANA_DASHBOARD_LABEL, KUBE_STATE_LABELS_ALLOWLIST, PROMETHEUS_CHART, platformAlertGroups, platformDashboards } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../../config/resolve.js';
import type { AddonReadmeRow } from '../module.js';
import { PROMETHEUS_FOLDER, platformObservabilityProps } from './chart.js';
import type { ResolvedPrometheus } from './resolve.js';

/** The README's add-on row: the chart this project installs (mode server) or the PodMonitors an operator reads. */
export function prometheusReadmeRow(config: ResolvedEnvironment, prometheus: ResolvedPrometheus): AddonReadmeRow {
  if (prometheus.mode === 'operator') {
    return {
      name: 'Prometheus (PodMonitors)', chart: 'none: prometheus-operator runs already (e.g. kube-prometheus-stack)', namespace: 'monitoring',
      folder: PROMETHEUS_FOLDER, reach: `through the operator's Prometheus; one PodMonitor per tenant (\`spark-<tenant>\`)${config.capacity.backend === 'auto-mode' ? '' : ' and \`karpenter\`'}`,
    };
  }
  const service = prometheus.server?.service;
  const portForward = `\`kubectl -n ${PROMETHEUS_CHART.namespace} port-forward svc/prometheus-server 9090:${service?.port ?? 80}\`, then http://localhost:9090`;
  return {
    name: 'Prometheus', chart: `\`${PROMETHEUS_CHART.url}\` ${PROMETHEUS_CHART.version}`, namespace: PROMETHEUS_CHART.namespace, folder: PROMETHEUS_FOLDER,
    reach: service?.type === 'NodePort' && service.nodePort !== undefined
      ? `NodePort: http://<node address>:${service.nodePort} (Service \`prometheus-server\`), or ${portForward}`
      : service?.type === 'LoadBalancer' ? `the load balancer of Service \`prometheus-server\` (port ${service.port})` : portForward,
  };
}

/** Table cell text: pipes escaped, and `<pod>`-style placeholders kept as text rather than read as HTML. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The README's "Dashboards and alerts" section: the dashboards the Prometheus add-on delivers and each alert with its
 * runbook line, from the same props the chart renders them with. Empty without the add-on.
 */
export function observabilitySection(config: ResolvedEnvironment): string {
  const prometheus = config.addons?.prometheus;
  if (!prometheus) return '';
  const props = platformObservabilityProps(config, prometheus);
  const operator = prometheus.mode === 'operator';
  const dashboards = platformDashboards({ karpenter: props.karpenter });
  const rules = platformAlertGroups(props).flatMap((group) => group.rules);
  const remoteWrite = prometheus.remoteWrite;
  const allowlist = KUBE_STATE_LABELS_ALLOWLIST.map((entry) => `"${entry}"`).join(', ');
  return [
    '### Dashboards and alerts',
    '',
    `Grafana dashboards as ConfigMaps in \`monitoring\` labelled \`${GRAFANA_DASHBOARD_LABEL.key}: "${GRAFANA_DASHBOARD_LABEL.value}"\`, which Grafana's dashboard`
      + ' sidecar loads (the grafana chart with `sidecar.dashboards.enabled: true` and `searchNamespace: ALL` or `monitoring`, or'
      + ' kube-prometheus-stack\'s Grafana). Spark\'s metric names carry no application id (`spark.metrics.namespace`'
      + ' is `spark` in every job\'s spark-defaults); the application is the `spark_app_id` and `spark_app_name` label, the tenant the `tenant` label.',
    '',
    '| dashboard | ConfigMap | panels |',
    '|---|---|---|',
    ...dashboards.map((d) => `| ${d.title} | \`dashboard-${d.uid}\` | ${cell(d.panels.map((p) => p.title).join(', '))} |`),
    '',
    operator
      ? 'The alerts are the PrometheusRule `emr-spark-platform` in `monitoring`, labelled like the PodMonitors so the operator\'s Prometheus loads them; they read kube-state-metrics\' series with `job="kube-state-metrics"`, as kube-prometheus-stack scrapes it.'
        + ` Its kube-state-metrics must export the labels the driver alerts and the pool panel read: \`metricLabelsAllowlist: [${allowlist}]\`.`
      : `The alerts are the chart's rule file \`alerting_rules.yml\`; kube-state-metrics (the chart's sub-chart, \`metricLabelsAllowlist: [${allowlist}]\`) feeds quota, Pending, restart and Job alerts. No Alertmanager is installed: firing alerts show on Prometheus' Alerts page and in Grafana; route them by adding Alertmanager (\`server.alertmanagers\`).`,
    '',
    '| alert | severity | fires when | runbook |',
    '|---|---|---|---|',
    ...rules.map((rule) => `| \`${rule.alert}\` | ${rule.labels.severity} | ${cell(rule.annotations.summary.replace(/\{\{ \$labels\.(\w+) \}\}/g, '<$1>'))}${rule.for === '0m' || rule.annotations.summary.includes(rule.for) ? '' : ` (for ${rule.for})`} | ${cell(rule.annotations.runbook)} |`),
    ...(remoteWrite ? [
      '',
      `Every sample is also written to Amazon Managed Service for Prometheus (${remoteWrite.workspaceArn ? `workspace \`${remoteWrite.workspaceArn}\`` : `\`${remoteWrite.url}\``}), SigV4-signed with the`
        + ` server's IRSA role \`${remoteWrite.roleArn}\`: attach its document in \`artifacts/iam/\` (\`aps:RemoteWrite\` on the workspace; see IAM permissions) to it, and trust the service account \`monitoring/prometheus-server\` in its trust policy.`,
    ] : []),
  ].join('\n');
}
