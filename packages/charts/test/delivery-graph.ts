import type { KubernetesObject, RenderResult } from '../src/index.js';

// The delivery graph of a rendered environment, read back from the rendered objects alone (shared by the tests).

export type AnyObject = KubernetesObject & { spec: any };
const DELIVERY_KINDS = new Set([
  'GitRepository',
  'Kustomization',
  'OCIRepository',
  'HelmRepository',
  'HelmRelease',
  'Application',
]);
export const deliveryObjects = (result: RenderResult) =>
  result.objects.filter(
    (o) => o.applied && DELIVERY_KINDS.has(o.object.kind) && o.object.apiVersion !== 'kustomize.config.k8s.io/v1beta1',
  );

/**
 * The delivery graph read back from the rendered objects alone: one node per layer (a folder of dist-manifests/<env>/
 * or a Helm chart), with the layers it waits for. Flux: Kustomization `dependsOn`; Argo CD: every Application of a
 * lower sync wave. A HelmRelease's chart is installed by the layer whose folder holds the HelmRelease.
 */
export interface LayerNode {
  readonly id: string;
  readonly folder?: string;
  readonly chart?: string;
  readonly after: Set<string>;
}
export function deliveryGraph(result: RenderResult): Map<string, LayerNode> {
  const prefix = `dist-manifests/${result.environment}/`;
  const folderOf = (path: string) => path.replace(/^\.\//, '').slice(prefix.length);
  const nodes = new Map<string, LayerNode>();
  const objects = deliveryObjects(result).map((o) => o.object as AnyObject);
  const kustomizations = objects.filter((o) => o.kind === 'Kustomization');
  for (const k of kustomizations) {
    nodes.set(k.metadata.name, {
      id: k.metadata.name,
      folder: folderOf(k.spec.path),
      after: new Set((k.spec.dependsOn ?? []).map((d: { name: string }) => d.name)),
    });
  }
  // Argo CD: the root Application (wave 0, the default) syncs the wiring's others, lowest wave first.
  const wiringApplications = deliveryObjects(result)
    .filter((o) => o.object.kind === 'Application' && o.path.startsWith('argocd/'))
    .map((o) => o.object as AnyObject);
  const wave = (app: AnyObject) => Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  for (const app of wiringApplications) {
    const source = app.spec.source;
    const lower = wiringApplications.filter((other) => wave(other) < wave(app)).map((other) => other.metadata.name);
    nodes.set(app.metadata.name, {
      id: app.metadata.name,
      ...(source.helm ? { chart: source.repoURL } : { folder: folderOf(source.path) }),
      after: new Set(lower),
    });
  }
  // An Application inside a layer's folder (an add-on's Helm release) is synced by that layer, so after it.
  for (const { path, object } of deliveryObjects(result).filter(
    (o) => o.object.kind === 'Application' && !o.path.startsWith('argocd/'),
  )) {
    const owner = [...nodes.values()].find((node) => node.folder && path.startsWith(`${node.folder}/`));
    const app = object as AnyObject;
    nodes.set(app.metadata.name, {
      id: app.metadata.name,
      chart: app.spec.source.repoURL,
      after: new Set(owner ? [owner.id] : []),
    });
  }
  // A Flux HelmRelease's chart is provided by the Kustomization whose folder holds it.
  // A HelmRelease's own dependsOn (other HelmReleases) is checked where it matters (Karpenter's controller).
  for (const release of result.objects.filter((o) => o.object.kind === 'HelmRelease')) {
    const owner = [...nodes.values()].find((node) => node.folder && release.path.startsWith(`${node.folder}/`));
    const spec = (release.object as AnyObject).spec;
    const [kind, name] = spec.chartRef
      ? ['OCIRepository', spec.chartRef.name]
      : [spec.chart.spec.sourceRef.kind, spec.chart.spec.sourceRef.name];
    const repository = result.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name);
    if (owner && repository && !owner.chart)
      nodes.set(owner.id, { ...owner, chart: (repository.object as AnyObject).spec.url });
  }
  return nodes;
}

/** Every layer `id` waits for, directly or through others. */
export function ancestors(graph: Map<string, LayerNode>, id: string): Set<string> {
  const seen = new Set<string>();
  const walk = (node: string) => {
    for (const parent of graph.get(node)?.after ?? [])
      if (!seen.has(parent)) {
        seen.add(parent);
        walk(parent);
      }
  };
  walk(id);
  return seen;
}

/** The layer that applies the file at `path`. */
export function layerOf(graph: Map<string, LayerNode>, path: string): LayerNode | undefined {
  return [...graph.values()].find(
    (node) => node.folder && !['flux', 'argocd'].includes(node.folder) && path.startsWith(`${node.folder}/`),
  );
}
