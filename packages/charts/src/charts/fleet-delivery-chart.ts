import { ArgoApplication, ArgoApplicationSet, LABELS, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { App } from 'cdk8s';
import type { EnvironmentConfig } from '../config/schema.js';
import { DELIVERY_DEFAULTS, DELIVERY_FOLDERS, argoNamePrefix } from './delivery-chart.js';
import { ManifestChart } from './manifest-chart.js';
import { outputRoot } from '../config/cluster-views.js';

/** The label of each cluster's root Application, which RollingSync's steps select. */
export const CLUSTER_LABEL = `${PROJECT_NAME}.io/cluster`;

/**
 * What a multi-cluster environment delivers above its clusters. Flux: nothing, each cluster's own `flux/` is
 * bootstrapped on it. Argo CD (`argocd/` of the environment): an ApplicationSet whose list generator has one element
 * per cluster and generates that cluster's root Application (its `<cluster>/argocd/` folder, whose layer Applications
 * target the cluster by name), and the Application that keeps `argocd/` itself in sync, applied by hand once.
 */
export function fleetDeliveryCharts(app: App, config: EnvironmentConfig, clusters: readonly string[]): ManifestChart[] {
  const delivery = config.delivery;
  if (delivery?.engine !== 'argocd') return [];
  return [new FleetApplicationSetChart(app, config, clusters)];
}

class FleetApplicationSetChart extends ManifestChart {
  constructor(scope: App, config: EnvironmentConfig, clusters: readonly string[]) {
    super(scope, 'fleet-argocd', { folder: DELIVERY_FOLDERS.argocd, environment: config.name, configPath: ['delivery'] });
    const delivery = config.delivery!;
    const argocd = delivery.argocd ?? {};
    const namespace = argocd.namespace ?? 'argocd';
    const project = argocd.project ?? 'default';
    const retry = { limit: 5, backoff: delivery.retryInterval ?? DELIVERY_DEFAULTS.retryInterval, maxBackoff: delivery.timeout ?? DELIVERY_DEFAULTS.timeout };
    const prune = delivery.prune ?? true;
    const selfHeal = delivery.selfHeal ?? true;
    const root = outputRoot(config);
    const repository = { repoURL: delivery.repository.url, targetRevision: delivery.repository.branch };
    const name = argoNamePrefix(config.name);
    new ArgoApplication(this, 'Root', {
      name, namespace, project, prune, selfHeal, retry,
      source: { git: { ...repository, path: `${root}/${DELIVERY_FOLDERS.argocd}` } },
      destinationServer: 'https://kubernetes.default.svc',
      destinationNamespace: namespace,
      // Applied by hand once; deleting it by mistake must not cascade to every cluster.
      cascadeDelete: false,
    });
    const progressive = argocd.progressiveSync;
    new ArgoApplicationSet(this, 'Clusters', {
      name: `${name}-clusters`,
      namespace, project, prune, selfHeal, retry,
      // The cluster roots live beside Argo CD; their layer Applications target the clusters.
      elements: clusters.map((cluster) => ({ cluster, path: `${root}/${cluster}/${DELIVERY_FOLDERS.argocd}` })),
      applicationName: `${name}-{{.cluster}}`,
      labels: { [CLUSTER_LABEL]: '{{.cluster}}', [LABELS.environment]: config.name },
      source: { ...repository, path: '{{.path}}' },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      rollingSync: progressive && {
        stepLabel: CLUSTER_LABEL,
        steps: progressive.steps.map((values) => ({ values, maxUpdate: progressive.maxUpdate })),
      },
    });
  }
}
