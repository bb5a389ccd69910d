import type { App } from 'cdk8s';
import {
  configDiagnostic,
  ConfigurationError,
  GRAFANA_DASHBOARD_LABEL,
  KUBE_STATE_LABELS_ALLOWLIST,
  PROMETHEUS_CHART,
  PlatformObservability,
  PrometheusServer,
  SparkPodMonitors,
  helmRelease,
  platformDashboards,
  type AlertGroup,
  type HelmDelivery,
  type PlatformObservabilityProps,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../../config/resolve.js';
import type { ResolvedPrometheus } from './resolve.js';
import { addonPlacement, ebsProvisioner } from '../../charts/auto-mode-capacity.js';
import { HISTORY_SERVER_NAMESPACE, historyServerName } from '../../charts/history-server-names.js';
import { ManifestChart } from '../../charts/manifest-chart.js';
import { servesNotebooks } from '../../charts/notebook-tenants.js';
import type { RenderIssue } from '../../config/render-error.js';
import type { AddonSummary } from '../../charts/summaries.js';

/** The README templates of this folder (paths below `src/`, without `.md.hbs`), which its summary's notes name. */
export const PROMETHEUS_README_TEMPLATES = {
  notes: 'addons/prometheus/prometheus',
  dashboards: 'addons/prometheus/prometheus-dashboards',
  values: 'addons/prometheus/prometheus-values',
} as const;

/** Where the add-on is rendered. */
export const PROMETHEUS_FOLDER = 'addons/prometheus';

/**
 * The Prometheus add-on (`addons/prometheus/`). Mode `server`: the monitoring namespace, the server's StorageClass
 * and the pinned prometheus chart delivered by the environment's engine (Flux OCIRepository + HelmRelease, or an
 * Argo CD Application with the chart as its Helm source and the same values; without a `delivery:` section, the values
 * as `artifacts/addons/prometheus/values.yaml` for `helm install`), with kube-state-metrics and the alerts as its rule
 * file. Mode `operator`: PodMonitors per tenant and for Karpenter and a PrometheusRule, for a prometheus-operator that
 * runs already. Both: the Grafana dashboards as sidecar ConfigMaps.
 */
export class PrometheusChart extends ManifestChart {
  override readonly addonSummary: AddonSummary;

  constructor(
    scope: App,
    config: ResolvedEnvironment,
    prometheus: ResolvedPrometheus,
    delivery: HelmDelivery | undefined,
  ) {
    super(scope, 'addons-prometheus', {
      folder: PROMETHEUS_FOLDER,
      environment: config.name,
      configPath: ['addons', 'prometheus'],
    });
    const tenants = config.tenants
      .filter((tenant) => !tenant.retired)
      .map((tenant) => ({
        name: tenant.name,
        namespace: tenant.namespace,
        notebookDrivers: servesNotebooks(config, tenant),
      }));
    // Karpenter's Service lives where its controller runs: the add-on's namespace, or kube-system when installed with the cluster.
    // On EKS Auto Mode AWS runs Karpenter outside the cluster: there is nothing of it to scrape.
    const capacity = config.capacity;
    const scrape =
      capacity.backend === 'karpenter'
        ? { tenants, karpenterNamespace: capacity.controller.namespace, scrapeKarpenter: true }
        : { tenants, scrapeKarpenter: false };
    const operator = prometheus.mode === 'operator';
    if (operator && prometheus.remoteWrite) {
      throw new ConfigurationError(
        'remoteWrite',
        "is only used with mode server (this project's Prometheus); with prometheus-operator set remoteWrite on your Prometheus resource",
      );
    }
    const props = platformObservabilityProps(config, prometheus);
    const observability = new PlatformObservability(this, 'Observability', props);
    this.addonSummary = prometheusSummary(config, prometheus, props, observability.alertGroups);
    if (operator) {
      new SparkPodMonitors(this, 'PodMonitors', { ...scrape, labels: prometheus.operator?.podMonitorLabels });
      return;
    }
    const server = prometheus.server;
    if (!server)
      throw new ConfigurationError(
        'server',
        'is required with mode server: storageSize, retention, service and resources of the server',
      );
    const prometheusServer = new PrometheusServer(this, 'Server', {
      scrape,
      storageSize: server.storageSize,
      retention: server.retention,
      retentionSize: server.retentionSize,
      service: server.service,
      resources: server.resources,
      scrapeInterval: server.scrapeInterval,
      lifecycleApi: server.lifecycleApi,
      alertGroups: observability.alertGroups,
      remoteWrite: prometheus.remoteWrite,
      ...addonPlacement(config),
      storageProvisioner: ebsProvisioner(config),
    });
    const { chart, values } = prometheusServer;
    // What the server's IRSA role needs (aps:RemoteWrite on the workspace) is its artifacts/iam/ document (role-policies.ts).
    if (server.service.type === 'NodePort') this.warnings.push(nodePortWarning(config, server));
    if (!delivery) {
      // Nothing installs charts without a delivery engine: the values are an artifact for `helm install -f`.
      this.addArtifact({ path: 'values.yaml', format: 'yaml', kubernetesObject: false, value: values });
      return;
    }
    helmRelease(this, 'Release', { chart, namespace: chart.namespace, values }, delivery);
  }
}

/**
 * What the dashboards and alerts watch in this environment (the chart renders them, the README lists them): the active
 * tenants' namespaces, Karpenter unless on EKS Auto Mode, the History Servers when the environment runs them.
 */
export function platformObservabilityProps(
  config: ResolvedEnvironment,
  prometheus: ResolvedPrometheus,
): PlatformObservabilityProps {
  const tenants = config.tenants.filter((tenant) => !tenant.retired);
  // The same conditions as the History Server add-on's chart: one Deployment per active tenant.
  const historyServers =
    config.addons?.historyServer && config.spark.logs.s3Uri
      ? { namespace: HISTORY_SERVER_NAMESPACE, deployments: tenants.map((tenant) => historyServerName(tenant.name)) }
      : undefined;
  return {
    namespaces: tenants.map((tenant) => tenant.namespace),
    karpenter: config.capacity.backend !== 'auto-mode',
    historyServers,
    pendingFor: prometheus.alerts?.pendingFor,
    quotaRatio: prometheus.alerts?.quotaRatio,
    // The operator's Prometheus selects rules as it selects PodMonitors (kube-prometheus-stack: by its release label).
    ...(prometheus.mode === 'operator' ? { prometheusRuleLabels: prometheus.operator?.podMonitorLabels ?? {} } : {}),
  };
}

/** The add-on table's row, the notes on installing the chart, and the dashboards and alerts it delivers. */
function prometheusSummary(
  config: ResolvedEnvironment,
  prometheus: ResolvedPrometheus,
  props: PlatformObservabilityProps,
  alertGroups: readonly AlertGroup[],
): AddonSummary {
  const operator = prometheus.mode === 'operator';
  const service = prometheus.server?.service;
  const portForward = `\`kubectl -n ${PROMETHEUS_CHART.namespace} port-forward svc/prometheus-server 9090:${service?.port ?? 80}\`, then http://localhost:9090`;
  const row = operator
    ? {
        name: 'Prometheus (PodMonitors)',
        chart: 'none: prometheus-operator runs already (e.g. kube-prometheus-stack)',
        namespace: 'monitoring',
        folder: 'addons/prometheus',
        reach: `through the operator's Prometheus; one PodMonitor per tenant (\`spark-<tenant>\`)${props.karpenter ? ' and `karpenter`' : ''}`,
      }
    : {
        name: 'Prometheus',
        chart: `\`${PROMETHEUS_CHART.url}\` ${PROMETHEUS_CHART.version}`,
        namespace: PROMETHEUS_CHART.namespace,
        folder: 'addons/prometheus',
        reach:
          service?.type === 'NodePort' && service.nodePort !== undefined
            ? `NodePort: http://<node address>:${service.nodePort} (Service \`prometheus-server\`), or ${portForward}`
            : service?.type === 'LoadBalancer'
              ? `the load balancer of Service \`prometheus-server\` (port ${service.port})`
              : portForward,
      };
  const remoteWrite = prometheus.remoteWrite;
  return {
    name: 'prometheus',
    rows: [row],
    notes: [
      {
        section: 'addons',
        template: PROMETHEUS_README_TEMPLATES.notes,
        order: 2,
        data: {
          hasPrometheus: !operator,
          prometheusChart: PROMETHEUS_CHART.url,
          prometheusVersion: PROMETHEUS_CHART.version,
        },
      },
      {
        section: 'addons',
        template: PROMETHEUS_README_TEMPLATES.dashboards,
        order: 5,
        data: {
          operator,
          dashboardLabel: GRAFANA_DASHBOARD_LABEL,
          allowlist: KUBE_STATE_LABELS_ALLOWLIST.map((entry) => `"${entry}"`).join(', '),
          dashboards: platformDashboards({ karpenter: props.karpenter }).map((dashboard) => ({
            title: dashboard.title,
            uid: dashboard.uid,
            panels: dashboard.panels.map((panel) => panel.title),
          })),
          alerts: alertGroups
            .flatMap((group) => group.rules)
            .map((rule) => {
              // The summary's label placeholders as words, and how long it must hold unless the summary says so.
              const summary = rule.annotations.summary.replace(/\{\{ \$labels\.(\w+) \}\}/g, '<$1>');
              const lasting =
                rule.for === '0m' || rule.annotations.summary.includes(rule.for) ? '' : ` (for ${rule.for})`;
              return {
                alert: rule.alert,
                severity: rule.labels.severity,
                firesWhen: `${summary}${lasting}`,
                runbook: rule.annotations.runbook,
              };
            }),
          remoteWrite: remoteWrite && {
            target: remoteWrite.workspaceArn ? `workspace \`${remoteWrite.workspaceArn}\`` : `\`${remoteWrite.url}\``,
            roleArn: remoteWrite.roleArn,
          },
        },
      },
      // Without a delivery engine the chart's values are an artifact for `helm install -f`.
      ...(config.delivery === undefined && !operator
        ? [{ section: 'artifacts' as const, template: PROMETHEUS_README_TEMPLATES.values, order: 1, data: {} }]
        : []),
    ],
  };
}

/**
 * A NodePort is open on every node, and Prometheus asks for no credentials: whoever reaches a node on that port reads
 * every tenant's metrics (with the lifecycle API, also stops the server). EKS's cluster security group admits only
 * itself, so nothing outside reaches it until someone adds an inbound rule: that rule must name who may.
 */
function nodePortWarning(config: ResolvedEnvironment, server: NonNullable<ResolvedPrometheus['server']>): RenderIssue {
  const port = server.service.nodePort;
  const groups =
    config.capacity.backend === 'auto-mode'
      ? `the cluster security group (eks-cluster-sg-${config.cluster.name}-*), which EKS Auto Mode's nodes use`
      : `the nodes' security groups (the cluster security group eks-cluster-sg-${config.cluster.name}-* of the managed node groups, and those Karpenter's nodes take by karpenter.sh/discovery: ${config.cluster.name})`;
  return configDiagnostic(
    'prometheus-node-port',
    ['addons', 'prometheus', 'server', 'service', port === undefined ? 'type' : 'nodePort'],
    `Prometheus is published on ${port === undefined ? 'a node port' : `port ${port}`} of every node with no authentication${server.lifecycleApi ? ' and with its lifecycle API (POST /-/quit stops it)' : ''}: whoever reaches a node there reads every tenant's Spark metrics; the inbound rule for TCP ${port ?? '<nodePort>'} on ${groups} must allow only your administrators' CIDRs, never 0.0.0.0/0 (or use ClusterIP and kubectl port-forward)`,
  );
}
