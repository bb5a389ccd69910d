import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { assertDnsLabel } from '../primitives/names.js';
import { KARPENTER_CLUSTER_NAMESPACE } from '../karpenter/controller-values.js';
import { SPARK_PROMETHEUS_PATHS } from '../spark/pod-templates.js';
import {
  CLIENT_MODE_DRIVER_LABEL,
  KARPENTER_METRICS,
  SPARK_POD_FACTS,
  TENANT_SERIES_LABEL,
  metaLabel,
  type SparkScrapeTargetsProps,
} from './prometheus-targets.js';

export interface SparkPodMonitorsProps extends SparkScrapeTargetsProps {
  /** Namespace of the operator's Prometheus, where the PodMonitors are created. @default 'monitoring' */
  readonly namespace?: string;
  /**
   * Labels the Prometheus resource's `podMonitorSelector` selects, e.g. `{ release: kube-prometheus-stack }` (what
   * kube-prometheus-stack selects unless `podMonitorSelectorNilUsesHelmValues: false`). @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * For a cluster running prometheus-operator (e.g. the kube-prometheus-stack chart): one `monitoring.coreos.com/v1`
 * PodMonitor per tenant, in the monitoring namespace, selecting the tenant namespace's `spark-role: driver` pods on
 * their `spark-ui` port at both PrometheusServlet paths, with a `tenant` label on every series (and, for a tenant with
 * `notebookDrivers`, one for its notebook servers, the drivers of their sessions); and one for
 * Karpenter's controller pods (`http-metrics`, `/metrics`). Kept out of the tenant namespaces, so a tenant cannot
 * change what is scraped.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { SparkPodMonitors } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'monitors');
 * new SparkPodMonitors(chart, 'spark', {
 *   tenants: [{ name: 'analytics', namespace: 'spark-analytics' }],
 *   labels: { release: 'kube-prometheus-stack' },
 * });
 * ```
 */
export class SparkPodMonitors extends Construct {
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: SparkPodMonitorsProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'monitoring';
    assertDnsLabel(this.namespace, 'namespace');
    requireThat(props.tenants.length > 0, 'tenants', 'must name at least one tenant');
    const karpenterNamespace = props.karpenterNamespace ?? KARPENTER_CLUSTER_NAMESPACE;
    assertDnsLabel(karpenterNamespace, 'karpenterNamespace');
    const metadata = (name: string) => ({
      name,
      namespace: this.namespace,
      ...(props.labels ? { labels: { ...props.labels } } : {}),
    });
    const seen = new Set<string>();
    props.tenants.forEach((tenant, index) => {
      assertDnsLabel(tenant.namespace, `tenants[${index}].namespace`);
      requireThat(!seen.has(tenant.name), `tenants[${index}].name`, `"${tenant.name}" is listed twice`);
      seen.add(tenant.name);
      const relabelings = [
        { action: 'replace', targetLabel: TENANT_SERIES_LABEL, replacement: tenant.name },
        {
          action: 'replace',
          sourceLabels: [metaLabel('__meta_kubernetes_pod_label_', SPARK_POD_FACTS.appIdLabel)],
          targetLabel: 'spark_app_id',
        },
        {
          action: 'replace',
          sourceLabels: [metaLabel('__meta_kubernetes_pod_label_', SPARK_POD_FACTS.appNameLabel)],
          targetLabel: 'spark_app_name',
        },
        {
          action: 'replace',
          sourceLabels: [metaLabel('__meta_kubernetes_pod_label_', SPARK_POD_FACTS.roleLabel)],
          targetLabel: 'spark_role',
        },
      ];
      const monitor = (
        id: string,
        name: string,
        selector: Readonly<Record<string, string>>,
        extra: readonly object[],
      ) =>
        new ApiObject(this, id, {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PodMonitor',
          metadata: metadata(name),
          spec: {
            namespaceSelector: { matchNames: [tenant.namespace] },
            selector: { matchLabels: { ...selector } },
            podMetricsEndpoints: [SPARK_PROMETHEUS_PATHS.driver, SPARK_PROMETHEUS_PATHS.executors].map((path) => ({
              port: SPARK_POD_FACTS.uiPortName,
              path,
              relabelings: [...relabelings, ...extra],
            })),
          },
        });
      monitor(`Tenant-${tenant.name}`, `spark-${tenant.name}`, { [SPARK_POD_FACTS.roleLabel]: 'driver' }, []);
      // A label selector cannot say "this label or that one": the notebook servers (client-mode drivers) get their own.
      if (tenant.notebookDrivers) {
        monitor(
          `Notebooks-${tenant.name}`,
          `spark-${tenant.name}-notebooks`,
          { [CLIENT_MODE_DRIVER_LABEL.key]: CLIENT_MODE_DRIVER_LABEL.value },
          [{ action: 'replace', targetLabel: 'spark_role', replacement: 'driver' }],
        );
      }
    });
    if (props.scrapeKarpenter === false) return;
    new ApiObject(this, 'Karpenter', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: metadata('karpenter'),
      spec: {
        namespaceSelector: { matchNames: [karpenterNamespace] },
        selector: { matchLabels: { ...KARPENTER_METRICS.podLabel } },
        podMetricsEndpoints: [{ port: KARPENTER_METRICS.portName, path: KARPENTER_METRICS.path }],
      },
    });
  }
}
