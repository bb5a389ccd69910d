import { ApiObject, type App } from 'cdk8s';
import {
  ArgoApplication,
  FluxGitRepository,
  FluxHelmRelease,
  FluxKustomization,
  KARPENTER_CRD_CHART,
  PROJECT_NAME,
  type HelmDelivery,
} from '@emr-eks-gitops/core';
import type {
  ArgoCdDelivery,
  FleetPlacement,
  FluxDelivery,
  ResolvedDelivery,
  ResolvedEnvironment,
} from '../config/resolve.js';
import { outputRoot } from '../config/cluster-views.js';
import { ManifestChart } from './manifest-chart.js';

/**
 * The layers of an environment, in the order they reach the cluster. Each is one folder of `dist-manifests/<env>/`
 * with its own kustomization.yaml, synced only after the layer before it is ready:
 * - `crds`: Karpenter's CRDs (a pinned Helm chart), which the platform's NodePools and EC2NodeClasses need;
 * - `karpenter`: Karpenter's controller as a Helm release (addons.karpenter): after its CRDs, and before the
 *   NodePools it acts on;
 * - `platform`: StorageClass, PriorityClasses, EC2NodeClasses and NodePools;
 * - `tenants`: one namespace per team with everything inside it;
 * - `addons`: a slot for later add-ons (JupyterHub, Prometheus, ...): an `addons/<name>/` chart plugs in after the
 *   tenants (so after the platform and the CRDs too); it is wired only when a chart renders an object there.
 */
export const DELIVERY_LAYERS = [
  { name: 'crds', folder: 'crds' },
  { name: 'karpenter', folder: 'karpenter' },
  { name: 'platform', folder: 'platform' },
  { name: 'tenants', folder: 'tenants' },
  { name: 'addons', folder: 'addons' },
] as const;
export type DeliveryLayerName = (typeof DELIVERY_LAYERS)[number]['name'];

/** The wiring folder per engine: the one folder a person applies (or points the controller at). */
export const DELIVERY_FOLDERS = { flux: 'flux', argocd: 'argocd' } as const;

/** A layer as wired: its folder (absent for a Helm source) and the layer it waits for. */
export interface WiredLayer {
  readonly name: DeliveryLayerName;
  readonly folder?: string;
  readonly after?: DeliveryLayerName;
}

/**
 * The charts that deliver an environment: with Flux, the `crds/` layer (Karpenter's CRD chart as OCIRepository +
 * HelmRelease) and the `flux/` wiring; with Argo CD, the `argocd/` wiring (the CRD chart is an Application's Helm
 * source). None without a `delivery:` section. `layered` are the environment's other charts: a layer is wired only
 * when one of them renders an object into its folder.
 */
export function deliveryCharts(
  app: App,
  config: ResolvedEnvironment,
  layered: readonly ManifestChart[],
): ManifestChart[] {
  const delivery = config.delivery;
  if (!delivery) return [];
  const withContent = new Set(layered.filter(hasObjects).map((chart) => chart.folder.split('/')[0]!));
  // EKS Auto Mode installs and upgrades its own NodePool and NodeClass CRDs: no crds layer then.
  const karpenterCrds = config.capacity.backend !== 'auto-mode';
  if (delivery.engine === 'flux') {
    const crds = karpenterCrds ? new KarpenterCrdsChart(app, config, delivery) : undefined;
    if (crds) withContent.add(crds.folder);
    return [...(crds ? [crds] : []), new FluxDeliveryChart(app, config, delivery, wiredLayers(withContent))];
  }
  return [
    new ArgoDeliveryChart(
      app,
      config,
      delivery,
      wiredLayers(karpenterCrds ? new Set([...withContent, 'crds']) : withContent),
    ),
  ];
}

/** The layers that have content, each waiting for the nearest one before it that has. */
export function wiredLayers(foldersWithContent: ReadonlySet<string>): WiredLayer[] {
  const wired: WiredLayer[] = [];
  for (const layer of DELIVERY_LAYERS) {
    if (!foldersWithContent.has(layer.folder)) continue;
    wired.push({ name: layer.name, folder: layer.folder, after: wired.at(-1)?.name });
  }
  return wired;
}

function hasObjects(chart: ManifestChart): boolean {
  return chart.node.findAll().some((construct) => construct instanceof ApiObject);
}

/**
 * How the environment's add-on Helm releases are delivered: its engine and the same settings as its layers. On a
 * cluster of a fleet, Argo CD's Applications carry the cluster's name and target it by the name Argo CD knows.
 */
export function helmDelivery(environment: string, delivery: ResolvedDelivery, fleet?: FleetPlacement): HelmDelivery {
  const { interval, retryInterval, timeout, prune } = delivery;
  if (delivery.engine === 'flux') return { engine: 'flux', interval, timeout };
  const { namespace, project, destinationServer } = delivery.argocd;
  return {
    engine: 'argocd',
    applicationNamePrefix: `${argoNamePrefix(environment, fleet)}-addon-`,
    namespace,
    project,
    ...argoDestination(destinationServer, fleet),
    prune,
    selfHeal: delivery.selfHeal,
    retry: { limit: 5, backoff: retryInterval, maxBackoff: timeout },
  };
}

/** Names of an environment's Argo CD Applications start with this; a cluster's of a fleet name the cluster too. */
export const argoNamePrefix = (environment: string, fleet?: FleetPlacement) =>
  fleet ? `${PROJECT_NAME}-${environment}-${fleet.cluster}` : `${PROJECT_NAME}-${environment}`;

/** The cluster an Application deploys to: on a fleet's cluster, that cluster by the name it is registered under in Argo CD. */
const argoDestination = (destinationServer: string, fleet?: FleetPlacement) =>
  fleet ? { destinationName: fleet.cluster } : { destinationServer };

/**
 * What a GitRepository fetches: only `root`'s applied folders, not other environments (or clusters), not the
 * artifacts. Git's ignore rules cannot re-include below an ignored folder, so each level is opened on its own.
 */
export function fetchOnly(root: string): string {
  const rules = ['/*'];
  const parts = root.split('/');
  parts.forEach((_part, index) => {
    const folder = `/${parts.slice(0, index + 1).join('/')}/`;
    rules.push(`!${folder}`);
    if (index < parts.length - 1) rules.push(`${folder}*`);
  });
  return `${[...rules, `/${root}/artifacts/`].join('\n')}\n`;
}

/** Flux: Karpenter's CRD chart, pinned to the version whose schemas validation uses. */
export class KarpenterCrdsChart extends ManifestChart {
  constructor(scope: App, config: ResolvedEnvironment, delivery: FluxDelivery) {
    super(scope, 'crds-karpenter', { folder: 'crds', environment: config.name, configPath: ['delivery'] });
    const { interval, timeout } = delivery;
    new FluxHelmRelease(this, 'KarpenterCrd', { chart: KARPENTER_CRD_CHART, interval, timeout });
  }
}

/**
 * Flux wiring (`flux/`): the GitRepository, a root Kustomization that keeps this folder itself in sync, and one
 * Kustomization per layer with `dependsOn` the layer before it and `wait: true`, so a layer is applied only once
 * everything of the previous one is ready.
 */
export class FluxDeliveryChart extends ManifestChart {
  constructor(scope: App, config: ResolvedEnvironment, delivery: FluxDelivery, layers: readonly WiredLayer[]) {
    super(scope, 'delivery-flux', {
      folder: DELIVERY_FOLDERS.flux,
      environment: config.name,
      configPath: ['delivery'],
    });
    const { interval, retryInterval, timeout, prune } = delivery;
    const root = outputRoot(config);
    const source = new FluxGitRepository(this, 'Source', {
      name: PROJECT_NAME,
      url: delivery.repository.url,
      branch: delivery.repository.branch,
      secretName: delivery.repository.secretName,
      interval,
      ignore: fetchOnly(root),
    });
    const common = { sourceName: source.name, interval, retryInterval, timeout, prune };
    new FluxKustomization(this, 'Wiring', {
      ...common,
      name: PROJECT_NAME,
      path: `./${root}/${DELIVERY_FOLDERS.flux}`,
      wait: false,
    });
    for (const layer of layers) {
      new FluxKustomization(this, `Layer-${layer.name}`, {
        ...common,
        name: `${PROJECT_NAME}-${layer.name}`,
        path: `./${root}/${layer.folder}`,
        wait: true,
        dependsOn: layer.after ? [`${PROJECT_NAME}-${layer.after}`] : undefined,
      });
    }
  }
}

/**
 * Argo CD wiring (`argocd/`): a root Application (app of apps) that syncs this folder, and one Application per
 * layer with a sync wave giving the same order as Flux's `dependsOn`. The CRD layer's source is Karpenter's chart
 * itself, applied server-side (its CRDs are too large for client-side apply's annotation).
 */
export class ArgoDeliveryChart extends ManifestChart {
  constructor(scope: App, config: ResolvedEnvironment, delivery: ArgoCdDelivery, layers: readonly WiredLayer[]) {
    super(scope, 'delivery-argocd', {
      folder: DELIVERY_FOLDERS.argocd,
      environment: config.name,
      configPath: ['delivery'],
    });
    const { retryInterval, timeout, prune, selfHeal, argocd } = delivery;
    const namespace = argocd.namespace;
    const common = {
      namespace,
      project: argocd.project,
      prune,
      selfHeal,
      retry: { limit: 5, backoff: retryInterval, maxBackoff: timeout },
    };
    const git = (path: string) => ({
      git: { repoURL: delivery.repository.url, targetRevision: delivery.repository.branch, path },
    });
    const root = outputRoot(config);
    const name = argoNamePrefix(config.name, config.fleet);
    // On a fleet's cluster the environment's ApplicationSet generates this root (fleet/fleet-delivery.ts).
    if (!config.fleet) {
      new ArgoApplication(this, 'Root', {
        ...common,
        name,
        source: git(`${root}/${DELIVERY_FOLDERS.argocd}`),
        // Applications live beside Argo CD, whichever cluster they deploy to.
        destinationServer: 'https://kubernetes.default.svc',
        destinationNamespace: namespace,
        // Applied by hand once; deleting it by mistake must not cascade to every layer (the layers cascade themselves).
        cascadeDelete: false,
      });
    }
    layers.forEach((layer, index) => {
      const crds = layer.name === 'crds';
      new ArgoApplication(this, `Layer-${layer.name}`, {
        ...common,
        name: `${name}-${layer.name}`,
        source: crds ? { helm: KARPENTER_CRD_CHART } : git(`${root}/${layer.folder}`),
        ...argoDestination(argocd.destinationServer, config.fleet),
        syncWave: index + 1,
        syncOptions: crds ? ['ServerSideApply=true'] : ['PruneLast=true'],
        // Deleting Karpenter's CRDs would delete every NodePool, NodeClaim and so every Spark node.
        keepWhenRemovedFromGit: crds,
      });
    });
  }
}
