import { requireThat } from '../primitives/errors.js';
import { assertDnsLabel } from '../primitives/names.js';
import { KARPENTER_CLUSTER_NAMESPACE } from '../karpenter/controller-values.js';
import { SPARK_PROMETHEUS_PATHS, SPARK_UI_PORT } from '../spark/pod-templates.js';

/**
 * What Spark on Kubernetes (and so EMR on EKS) puts on the pods it creates, whatever the pod template says:
 * the `spark-role` label (`driver` or `executor`), the application id in `spark-app-selector`, and on the driver's
 * container the UI port, named `spark-ui` (Spark's `Constants.UI_PORT_NAME`, port `spark.ui.port`, 4040 by
 * default). Executors serve no UI: their metrics are served by the driver at the executors' PrometheusServlet path.
 */
export const SPARK_POD_FACTS = {
  roleLabel: 'spark-role',
  appIdLabel: 'spark-app-selector',
  appNameLabel: 'spark-app-name',
  uiPortName: 'spark-ui',
  uiPort: SPARK_UI_PORT,
} as const;

/**
 * Label of a Spark driver that Spark did not create: a JupyterHub notebook server whose sessions run Spark in client
 * mode carries no `spark-role` (its profile adds this label through KubeSpawner's `extra_labels`), yet serves the same
 * PrometheusServlet paths on its `spark-ui` port while a session runs. Scraped like a `spark-role: driver` pod.
 */
export const CLIENT_MODE_DRIVER_LABEL = { key: 'emr-eks-gitops.io/spark-client-driver', value: 'true' } as const;

/** The label every Spark series carries: the tenant whose namespace the pod runs in. */
export const TENANT_SERIES_LABEL = 'tenant';

/** Karpenter's controller as its chart installs it: Service `karpenter`, port `http-metrics` (8080), path `/metrics`. */
export const KARPENTER_METRICS = {
  serviceName: 'karpenter',
  portName: 'http-metrics',
  port: 8080,
  path: '/metrics',
  podLabel: { 'app.kubernetes.io/name': 'karpenter' },
} as const;

/** A tenant whose Spark pods are scraped: its name (the `tenant` label's value) and its namespace. */
export interface ScrapedTenant {
  readonly name: string;
  readonly namespace: string;
  /** Its namespace runs notebook servers that are client-mode drivers (CLIENT_MODE_DRIVER_LABEL). @default false */
  readonly notebookDrivers?: boolean;
}

/** What is scraped: the tenants' Spark drivers and Karpenter's controller. */
export interface SparkScrapeTargetsProps {
  readonly tenants: readonly ScrapedTenant[];
  /** Namespace of the Karpenter controller. @default 'kube-system' */
  readonly karpenterNamespace?: string;
  /** Scrape Karpenter's controller; false on EKS Auto Mode, where AWS runs it outside the cluster. @default true */
  readonly scrapeKarpenter?: boolean;
}

/** One `relabel_configs` entry of a Prometheus scrape config. */
export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly regex?: string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action: 'keep' | 'drop' | 'replace';
}

/** One Prometheus `scrape_configs` entry (the fields this project uses). */
export interface ScrapeConfig {
  readonly job_name: string;
  readonly metrics_path: string;
  readonly kubernetes_sd_configs: readonly {
    readonly role: 'pod' | 'endpointslice';
    readonly namespaces: { readonly names: readonly string[] };
  }[];
  readonly relabel_configs: readonly RelabelConfig[];
  /** Relabeling of the scraped series (after the scrape), e.g. an object's namespace to its tenant. */
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

/** The Prometheus meta label of a Kubernetes label or annotation name (`spark-role` -> `..._spark_role`). */
export const metaLabel = (prefix: string, name: string) => `${prefix}${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function checkTenants(tenants: readonly ScrapedTenant[]): void {
  requireThat(tenants.length > 0, 'tenants', 'must name at least one tenant');
  const namespaces = new Set<string>();
  tenants.forEach((tenant, index) => {
    assertDnsLabel(tenant.namespace, `tenants[${index}].namespace`);
    requireThat(
      !namespaces.has(tenant.namespace),
      `tenants[${index}].namespace`,
      `"${tenant.namespace}" is listed twice`,
    );
    namespaces.add(tenant.namespace);
  });
}

/** The rules that give each target the `tenant` of its namespace, then drop any target that got none. */
function tenantRelabeling(tenants: readonly ScrapedTenant[]): RelabelConfig[] {
  return [
    // kubernetes_sd does not expose namespace labels on pod targets: one rule per tenant namespace.
    ...tenants.map(
      (tenant): RelabelConfig => ({
        source_labels: ['__meta_kubernetes_namespace'],
        regex: escapeRegex(tenant.namespace),
        target_label: TENANT_SERIES_LABEL,
        replacement: tenant.name,
        action: 'replace',
      }),
    ),
    { source_labels: [TENANT_SERIES_LABEL], regex: '.+', action: 'keep' },
  ];
}

/**
 * Prometheus scrape configs for the tenants' Spark jobs and Karpenter:
 * - `spark-driver` and `spark-executors`: pods of the tenant namespaces labelled `spark-role: driver` (or, for notebook
 *   servers, CLIENT_MODE_DRIVER_LABEL), on their
 *   `spark-ui` container port (4040), at the PrometheusServlet paths `/metrics/driver/prometheus/` and
 *   `/metrics/executors/prometheus/` (the driver serves the executors' metrics); running pods only; every series
 *   gets `tenant`, `namespace`, `pod`, `spark_app_id` and `spark_role`;
 * - `karpenter`: the endpoints of Karpenter's Service, port `http-metrics`, `/metrics`.
 */
export function sparkScrapeConfigs(props: SparkScrapeTargetsProps): ScrapeConfig[] {
  checkTenants(props.tenants);
  const karpenterNamespace = props.karpenterNamespace ?? KARPENTER_CLUSTER_NAMESPACE;
  assertDnsLabel(karpenterNamespace, 'karpenterNamespace');
  const namespaces = props.tenants.map((tenant) => tenant.namespace);
  const podLabel = (name: string) => metaLabel('__meta_kubernetes_pod_label_', name);
  const sparkJob = (job_name: string, metrics_path: string): ScrapeConfig => ({
    job_name,
    metrics_path,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: namespaces } }],
    relabel_configs: [
      // Spark's drivers, and the notebook servers that are drivers of their sessions (Spark labels neither of theirs).
      {
        source_labels: [podLabel(SPARK_POD_FACTS.roleLabel), podLabel(CLIENT_MODE_DRIVER_LABEL.key)],
        regex: `driver;.*|.*;${CLIENT_MODE_DRIVER_LABEL.value}`,
        action: 'keep',
      },
      {
        source_labels: ['__meta_kubernetes_pod_container_port_name'],
        regex: SPARK_POD_FACTS.uiPortName,
        action: 'keep',
      },
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Running', action: 'keep' },
      ...tenantRelabeling(props.tenants),
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace', action: 'replace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod', action: 'replace' },
      { source_labels: [podLabel(SPARK_POD_FACTS.appIdLabel)], target_label: 'spark_app_id', action: 'replace' },
      { source_labels: [podLabel(SPARK_POD_FACTS.appNameLabel)], target_label: 'spark_app_name', action: 'replace' },
      { source_labels: [podLabel(SPARK_POD_FACTS.roleLabel)], target_label: 'spark_role', action: 'replace' },
      {
        source_labels: [podLabel(CLIENT_MODE_DRIVER_LABEL.key)],
        regex: CLIENT_MODE_DRIVER_LABEL.value,
        target_label: 'spark_role',
        replacement: 'driver',
        action: 'replace',
      },
    ],
  });
  return [
    sparkJob('spark-driver', SPARK_PROMETHEUS_PATHS.driver),
    sparkJob('spark-executors', SPARK_PROMETHEUS_PATHS.executors),
    ...(props.scrapeKarpenter === false
      ? []
      : [
          <ScrapeConfig>{
            job_name: 'karpenter',
            metrics_path: KARPENTER_METRICS.path,
            kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [karpenterNamespace] } }],
            relabel_configs: [
              {
                source_labels: ['__meta_kubernetes_service_name'],
                regex: KARPENTER_METRICS.serviceName,
                action: 'keep',
              },
              {
                source_labels: ['__meta_kubernetes_endpointslice_port_name'],
                regex: KARPENTER_METRICS.portName,
                action: 'keep',
              },
              { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod', action: 'replace' },
            ],
          },
        ]),
  ];
}

/**
 * kube-state-metrics as the prometheus chart's sub-chart installs it (prometheus-community/helm-charts
 * charts/kube-state-metrics templates/service.yaml: Service labelled `app.kubernetes.io/name: kube-state-metrics`,
 * port `http`, path `/metrics`). The chart scrapes it through `kubernetes-service-endpoints`, which is off here.
 */
export const KUBE_STATE_METRICS = {
  serviceLabel: { 'app.kubernetes.io/name': 'kube-state-metrics' },
  portName: 'http',
  path: '/metrics',
} as const;

/**
 * The `kube-state-metrics` scrape job: its Service's endpoints in `namespace`; every series about an object in a
 * tenant's namespace gets that tenant's `tenant` label, so quota and Pending pods read per tenant like Spark's series.
 */
export function kubeStateMetricsScrapeConfig(namespace: string, tenants: readonly ScrapedTenant[]): ScrapeConfig {
  assertDnsLabel(namespace, 'namespace');
  const [name, value] = Object.entries(KUBE_STATE_METRICS.serviceLabel)[0]!;
  return {
    job_name: 'kube-state-metrics',
    metrics_path: KUBE_STATE_METRICS.path,
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [namespace] } }],
    relabel_configs: [
      {
        source_labels: [metaLabel('__meta_kubernetes_service_label_', name)],
        regex: escapeRegex(value),
        action: 'keep',
      },
      {
        source_labels: ['__meta_kubernetes_endpointslice_port_name'],
        regex: KUBE_STATE_METRICS.portName,
        action: 'keep',
      },
    ],
    metric_relabel_configs: tenants.map(
      (tenant): RelabelConfig => ({
        source_labels: ['namespace'],
        regex: escapeRegex(tenant.namespace),
        target_label: TENANT_SERIES_LABEL,
        replacement: tenant.name,
        action: 'replace',
      }),
    ),
  };
}
