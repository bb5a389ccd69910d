import { App } from 'cdk8s';
import type { ResolvedEnvironment } from '../config/resolve.js';
import type { KubernetesObject, RenderedCluster, RenderedObject, RenderResult } from './render-result.js';
import { RenderError, type RenderIssue } from '../config/render-error.js';
import { formatConfigPath, type ConfigPath } from '../config/source-map.js';
import { synthesizeCharts } from './synth.js';
import { generatedHeader, kustomization, objectFileName, toYaml } from './serialize.js';
import { clusterViews, outputRoot } from '../config/cluster-views.js';
import { fleetDeliveryCharts } from '../charts/fleet-delivery-chart.js';
import { clusterReadme, fleetReadme } from './fleet-readme.js';

/**
 * Renders an environment with `clusters:`: each cluster's view as a single-cluster environment into `<cluster>/`,
 * then what sits above them: the ApplicationSet (Argo CD) and the README of the clusters. A value refused on any
 * cluster refuses the whole render, located where the file holds it; the same refusal on several clusters is said once.
 */
export function renderFleet(
  config: ResolvedEnvironment,
  renderCluster: (view: ResolvedEnvironment) => RenderResult,
  diagramWidth: number,
): RenderResult {
  const views = clusterViews(config);
  const refused: { cluster: string; issue: RenderIssue }[] = [];
  const rendered: {
    cluster: string;
    view: ResolvedEnvironment;
    result: RenderResult;
    sourcePath: (typeof views)[number]['sourcePath'];
  }[] = [];
  for (const view of views) {
    try {
      rendered.push({
        cluster: view.cluster,
        view: view.config,
        result: renderCluster(view.config),
        sourcePath: view.sourcePath,
      });
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      refused.push(...error.issues.map((issue) => ({ cluster: view.cluster, issue: inFile(issue, view.sourcePath) })));
    }
  }
  if (refused.length > 0) throw new RenderError(config.name, saidOnce(refused));

  const files = new Map<string, string>();
  const objects: RenderedObject[] = [];
  const clusters: RenderedCluster[] = [];
  for (const { cluster, view, result } of rendered) {
    for (const [path, content] of result.files) {
      files.set(`${cluster}/${path}`, path === 'README.md' ? clusterReadme(view, content) : content);
    }
    const own = result.objects.map((entry) => ({ ...entry, path: `${cluster}/${entry.path}` }));
    objects.push(...own);
    clusters.push({ name: cluster, kubernetesVersion: view.cluster.kubernetesVersion, objects: own });
  }

  const app = new App();
  const header = generatedHeader(config.sourcePath);
  const charts = fleetDeliveryCharts(
    app,
    config,
    rendered.map((entry) => entry.cluster),
  );
  synthesizeCharts(charts).forEach((chartObjects, index) => {
    const folder = charts[index]!.folder;
    const names: string[] = [];
    for (const object of chartObjects as KubernetesObject[]) {
      const name = objectFileName(object.kind, object.metadata.name);
      names.push(name);
      files.set(`${folder}/${name}`, header + toYaml(object));
      objects.push({ path: `${folder}/${name}`, object, applied: true });
    }
    files.set(`${folder}/kustomization.yaml`, header + toYaml(kustomization(names)));
  });
  files.set(
    'README.md',
    fleetReadme(
      config,
      rendered.map(({ view, result }) => ({ view, result })),
      outputRoot(config),
      diagramWidth,
    ),
  );

  return {
    environment: config.name,
    files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    objects: objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    warnings: saidOnce(
      rendered.flatMap(({ cluster, result, sourcePath }) =>
        result.warnings.map((warning) => ({
          cluster,
          issue: inFile(warning, sourcePath),
        })),
      ),
    ),
    clusters,
  };
}

/** Issues located in the file, each said once with the clusters it is about (a tenant's refusal on each of its clusters). */
function saidOnce(entries: readonly { cluster: string; issue: RenderIssue }[]): RenderIssue[] {
  const byIssue = new Map<string, { issue: RenderIssue; clusters: string[] }>();
  for (const { cluster, issue } of entries) {
    const key = `${issue.rule}\u0000${formatConfigPath(issue.location.path)}\u0000${issue.message}`;
    (byIssue.get(key) ?? byIssue.set(key, { issue, clusters: [] }).get(key)!).clusters.push(cluster);
  }
  return [...byIssue.values()].map(({ issue, clusters }) => ({
    ...issue,
    message: `on cluster${clusters.length > 1 ? 's' : ''} ${clusters.join(', ')}: ${issue.message}`,
  }));
}

/** A cluster view's issue, located at the path of the environment file that holds the value. */
function inFile(issue: RenderIssue, sourcePath: (path: ConfigPath) => ConfigPath): RenderIssue {
  return { ...issue, location: { ...issue.location, path: sourcePath(issue.location.path) } };
}

/**
 * What the rules check together: each cluster's objects on their own (a capacity or isolation rule spans one
 * cluster), then the objects above the clusters (the ApplicationSet). A single-cluster environment is one unit.
 */
export function validationUnits(
  result: RenderResult,
  config: ResolvedEnvironment,
): { readonly objects: readonly RenderedObject[]; readonly kubernetesVersion: string }[] {
  if (!result.clusters) return [{ objects: result.objects, kubernetesVersion: config.cluster.kubernetesVersion }];
  const inCluster = new Set(result.clusters.flatMap((cluster) => cluster.objects.map((entry) => entry.path)));
  const above = result.objects.filter((entry) => !inCluster.has(entry.path));
  return [
    ...result.clusters.map((cluster) => ({ objects: cluster.objects, kubernetesVersion: cluster.kubernetesVersion })),
    ...(above.length > 0 ? [{ objects: above, kubernetesVersion: config.cluster.kubernetesVersion }] : []),
  ];
}

/** One cluster's part of a multi-cluster environment's render, paths relative to its folder: what emr commands read. */
export function clusterRenderResult(result: RenderResult, cluster: string): RenderResult {
  const prefix = `${cluster}/`;
  const own = result.clusters?.find((entry) => entry.name === cluster);
  if (!own) throw new Error(`the render of ${result.environment} has no cluster ${cluster}`);
  return {
    environment: result.environment,
    files: new Map(
      [...result.files]
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, content]) => [path.slice(prefix.length), content]),
    ),
    objects: own.objects.map((entry) => ({ ...entry, path: entry.path.slice(prefix.length) })),
    warnings: result.warnings,
  };
}
