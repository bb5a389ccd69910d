import type { App } from 'cdk8s';
import { ArgoApplication, ConfigurationError, FluxHelmRelease, PrometheusServer, SparkPodMonitors } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import type { PrometheusConfig } from '../config/prometheus-schema.js';
import { DELIVERY_DEFAULTS } from './delivery-chart.js';
import { ManifestChart } from './manifest-chart.js';

/** Where Karpenter's controller runs, so its Service is scraped. */
const KARPENTER_NAMESPACE = 'kube-system';

/**
 * The Prometheus add-on (`addons/prometheus/`). Mode `server`: the monitoring namespace, the server's StorageClass
 * and the pinned prometheus chart delivered by the environment's engine (Flux OCIRepository + HelmRelease, or an
 * Argo CD Application with the chart as its Helm source and the same values; without a `delivery:` section, the values
 * as `artifacts/addons/prometheus/values.yaml` for `helm install`). Mode `operator`: PodMonitors per
 * tenant and for Karpenter, for a prometheus-operator that runs already.
 */
export class PrometheusChart extends ManifestChart {
  constructor(scope: App, config: EnvironmentConfig, prometheus: PrometheusConfig) {
    super(scope, 'addons-prometheus', { folder: 'addons/prometheus', environment: config.name, configPath: ['addons', 'prometheus'] });
    const tenants = config.tenants.filter((tenant) => !tenant.retired).map((tenant) => ({ name: tenant.name, namespace: tenant.namespace }));
    const scrape = { tenants, karpenterNamespace: KARPENTER_NAMESPACE };
    if (prometheus.mode === 'operator') {
      new SparkPodMonitors(this, 'PodMonitors', { ...scrape, labels: prometheus.operator?.podMonitorLabels });
      return;
    }
    const server = prometheus.server;
    if (!server) throw new ConfigurationError('server', 'is required with mode server: storageSize, retention, service and resources of the server');
    const delivery = config.delivery;
    const prometheusServer = new PrometheusServer(this, 'Server', {
      scrape,
      storageSize: server.storageSize,
      retention: server.retention,
      retentionSize: server.retentionSize,
      service: server.service,
      resources: server.resources,
      scrapeInterval: server.scrapeInterval,
      managedNodeGroups: config.capacity.controller.managedNodeGroups,
    });
    const { chart, values } = prometheusServer;
    if (!delivery) {
      // Nothing installs charts without a delivery engine: the values are an artifact for `helm install -f`.
      this.addArtifact({ path: 'values.yaml', format: 'yaml', kubernetesObject: false, value: values });
      return;
    }
    const interval = delivery.interval ?? DELIVERY_DEFAULTS.interval;
    const timeout = delivery.timeout ?? DELIVERY_DEFAULTS.timeout;
    if (delivery.engine === 'flux') {
      new FluxHelmRelease(this, 'Release', { chart, interval, timeout, values, keepWhenRemovedFromGit: false });
      return;
    }
    const argocd = delivery.argocd ?? {};
    new ArgoApplication(this, 'Release', {
      name: `${chart.name}-${config.name}`,
      namespace: argocd.namespace ?? 'argocd',
      project: argocd.project ?? 'default',
      source: { helm: chart, values },
      destinationServer: argocd.destinationServer ?? 'https://kubernetes.default.svc',
      prune: delivery.prune ?? true,
      selfHeal: delivery.selfHeal ?? true,
      retry: { limit: 5, backoff: delivery.retryInterval ?? DELIVERY_DEFAULTS.retryInterval, maxBackoff: timeout },
    });
  }
}
