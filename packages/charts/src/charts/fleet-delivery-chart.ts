import { ArgoApplication, ArgoApplicationSet, LABELS, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { App } from 'cdk8s';
import type { ArgoCdDelivery, ResolvedEnvironment } from '../config/resolve.js';
import { DELIVERY_FOLDERS, argoNamePrefix } from './delivery-chart.js';
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
export function fleetDeliveryCharts(
  app: App,
  config: ResolvedEnvironment,
  clusters: readonly string[],
): ManifestChart[] {
  const delivery = config.delivery;
  if (delivery?.engine !== 'argocd') return [];
  return [new FleetApplicationSetChart(app, config, clusters)];
}

class FleetApplicationSetChart extends ManifestChart {
  constructor(scope: App, config: ResolvedEnvironment, clusters: readonly string[]) {
    super(scope, 'fleet-argocd', {
      folder: DELIVERY_FOLDERS.argocd,
      environment: config.name,
      configPath: ['delivery'],
    });
    const delivery = config.delivery as ArgoCdDelivery;
    const { namespace, project } = delivery.argocd;
    const retry = { limit: 5, backoff: delivery.retryInterval, maxBackoff: delivery.timeout };
    const { prune, selfHeal } = delivery;
    const root = outputRoot(config);
    const repository = { repoURL: delivery.repository.url, targetRevision: delivery.repository.branch };
    const name = argoNamePrefix(config.name);
    new ArgoApplication(this, 'Root', {
      name,
      namespace,
      project,
      prune,
      selfHeal,
      retry,
      source: { git: { ...repository, path: `${root}/${DELIVERY_FOLDERS.argocd}` } },
      destinationServer: 'https://kubernetes.default.svc',
      destinationNamespace: namespace,
      // Applied by hand once; deleting it by mistake must not cascade to every cluster.
      cascadeDelete: false,
    });
    const progressive = delivery.argocd.progressiveSync;
    new ArgoApplicationSet(this, 'Clusters', {
      name: `${name}-clusters`,
      namespace,
      project,
      prune,
      selfHeal,
      retry,
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
