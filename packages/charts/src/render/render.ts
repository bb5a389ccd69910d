import { App } from 'cdk8s';
import type { ResolvedEnvironment } from '../config/resolve.js';
import type { ManifestChart } from '../charts/manifest-chart.js';
import { TenantChart } from '../charts/tenant-chart.js';
import { AdmissionChart, addDriverAccountPolicies } from '../charts/admission-chart.js';
import { CapacityChart } from '../charts/capacity-chart.js';
import { FargateChart } from '../charts/fargate-chart.js';
import { EmrAccessChart, SchedulingChart, StorageChart } from '../charts/cluster-charts.js';
import { ClusterAccessChart } from '../charts/cluster-access-chart.js';
import { deliveryCharts, helmDelivery } from '../charts/delivery-chart.js';
import { addonCharts } from '../addons/index.js';
import { deliverySummary } from '../charts/delivery-summary.js';
import { tenantSummary } from '../charts/tenant-summary.js';
import type { ReadmeSummaries } from '../charts/summaries.js';
import { environmentReadme } from './readme/environment-readme.js';
import { RenderError, collectIssues, type RenderIssue } from '../config/render-error.js';
import { synthesizeCharts } from './synth.js';
import { awsDocumentIssues } from './aws-documents.js';
import { IamChart } from '../charts/iam-chart.js';
import { CostChart } from '../charts/cost-chart.js';
import { PodIdentityChart } from '../charts/pod-identity-chart.js';
import { generatedHeader, kustomization, objectFileName, toYaml } from './serialize.js';
import type { KubernetesObject, RenderedObject, RenderResult } from './render-result.js';
import { renderFleet } from './render-fleet.js';
import { DIAGRAM_WRAPPING_WIDTH } from './readme/placement-diagram.js';

export type { KubernetesObject, RenderedObject, RenderResult } from './render-result.js';

/**
 * Renders one environment: one cdk8s App, one chart per output folder, one object per file, a kustomization per
 * folder. Pure and deterministic: same config, byte-identical files.
 * @throws RenderError listing every value a builder refused and every run-time rule a tenant breaks, each with its config path.
 */
export function renderEnvironment(config: ResolvedEnvironment): RenderResult {
  return config.clusterViews ? renderFleet(config, renderCluster, DIAGRAM_WRAPPING_WIDTH) : renderCluster(config);
}

/** One cluster's environment (a single-cluster environment, or one cluster's view of a fleet: render-fleet.ts). */
function renderCluster(config: ResolvedEnvironment): RenderResult {
  const app = new App();
  const issues: RenderIssue[] = [];
  const { charts, summaries } = buildCharts(app, config, issues);
  // Only when every chart was built: the AWS documents are then complete, and a builder's error is the clearer one.
  if (issues.length === 0) issues.push(...awsDocumentIssues(config, charts));
  if (issues.length > 0 || !summaries) throw new RenderError(config.name, issues);

  const header = generatedHeader(config.sourcePath);
  const objects: RenderedObject[] = [];
  const files = new Map<string, string>();
  const addFile = (path: string, content: string) => {
    if (files.has(path))
      throw new Error(`two rendered files share the path ${path}; object names must be unique per kind and folder`);
    files.set(path, content);
  };

  const chartObjects = synthesizeCharts(charts);
  charts.forEach((chart, index) => {
    for (const object of chartObjects[index] as KubernetesObject[]) {
      const path = `${chart.folder}/${objectFileName(object.kind, object.metadata.name)}`;
      addFile(path, toYaml(object, header));
      objects.push({ path, object, applied: true });
    }
    for (const artifact of chart.artifacts) {
      const path = `artifacts/${chart.artifactKey(artifact.path)}`;
      addFile(
        path,
        artifact.format === 'json'
          ? `${JSON.stringify(artifact.value, null, 2)}\n`
          : artifact.format === 'text'
            ? String(artifact.value)
            : toYaml(artifact.value, header),
      );
      if (artifact.kubernetesObject) objects.push({ path, object: artifact.value as KubernetesObject, applied: false });
    }
  });
  for (const [folder, resources] of kustomizationFolders(objects)) {
    // No kustomization at the top: each layer folder is applied on its own, in order, by the wiring.
    if (folder) addFile(`${folder}/kustomization.yaml`, toYaml(kustomization([...resources]), header));
  }
  addFile('README.md', environmentReadme(summaries));

  return {
    environment: config.name,
    files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    objects: objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    warnings: charts.flatMap((chart) => chart.warnings),
  };
}

/**
 * The charts of one environment, platform first: tenants are built from what the platform provides (placements,
 * priority classes, storage class), so a tenant's pod templates cannot disagree with the pools. Also what each chart
 * decided, for the README (absent when a chart could not be built: the render fails then).
 */
/**
 * What the environment's README is built from: the charts' summaries, without the files (for tests and tools).
 * @throws RenderError as renderEnvironment does, when a chart could not be built.
 */
export function renderSummaries(config: ResolvedEnvironment): ReadmeSummaries {
  const issues: RenderIssue[] = [];
  const { summaries } = buildCharts(new App(), config, issues);
  if (issues.length > 0 || !summaries) throw new RenderError(config.name, issues);
  return summaries;
}

function buildCharts(
  app: App,
  config: ResolvedEnvironment,
  issues: RenderIssue[],
): { charts: ManifestChart[]; summaries?: ReadmeSummaries } {
  const storage = collectIssues(issues, [], () => new StorageChart(app, config));
  const scheduling = collectIssues(issues, [], () => new SchedulingChart(app, config));
  const capacity = collectIssues(issues, ['capacity'], () => new CapacityChart(app, config));
  const emrAccess = collectIssues(issues, ['cluster', 'emrAccess'], () => new EmrAccessChart(app, config));
  const clusterAccess = collectIssues(issues, ['capacity'], () => new ClusterAccessChart(app, config));
  const admission = collectIssues(issues, ['capacity', 'classes'], () => new AdmissionChart(app, config));
  if (!storage || !scheduling || !capacity || !emrAccess || !clusterAccess || !admission) return { charts: [] };
  issues.push(...capacity.problems);
  const platform = {
    capacity: capacity.spark,
    classes: capacity.classes,
    priorityClassNames: {
      driver: scheduling.priorityClasses.driverName,
      executor: scheduling.priorityClasses.executorName,
    },
    storageClassName: storage.storageClass.name,
  };
  const tenants = config.tenants
    .map((tenant, index) =>
      collectIssues(issues, ['tenants', index], () => new TenantChart(app, config, tenant, index, platform)),
    )
    .filter((chart): chart is TenantChart => chart !== undefined);
  // A tenant whose jobs could not run is refused like a value a builder refuses.
  issues.push(...tenants.flatMap((chart) => chart.problems));
  // Pods the tenants' Spark-driver accounts create: their own account and the images the tenant's jobs render.
  issues.push(...addDriverAccountPolicies(admission, config, tenants));
  // Fargate profiles are AWS resources: artifacts with the commands that create them, when a tenant runs there.
  const fargate = config.tenants.some((tenant) => tenant.fargate)
    ? collectIssues(issues, ['fargate'], () => new FargateChart(app, config))
    : undefined;
  const addons = addonCharts({
    app,
    config,
    issues,
    classes: capacity.classes,
    driverPlacement: capacity.spark.driverPlacement,
    helmDelivery: config.delivery ? helmDelivery(config.name, config.delivery, config.fleet) : undefined,
    tenants: config.tenants.map((tenant) => {
      const chart = tenants.find((candidate) => candidate.folder === `tenants/${tenant.name}`);
      return { tenant, sparkProperties: chart?.sparkProperties, costLabels: chart?.costLabels };
    }),
  });
  // The roles' permissions: artifacts only, from the same tenant locations as the jobs.
  const iam = collectIssues(issues, [], () => new IamChart(app, config));
  if (iam) issues.push(...iam.problems);
  // The bill per tenant: Athena queries over CUR 2.0, artifacts only.
  const cost = new CostChart(app, config);
  // EKS Pod Identity associations (and the agent add-on) of the accounts that need a role, artifacts only.
  const podIdentity = new PodIdentityChart(app, config);
  const layered = [
    storage,
    scheduling,
    capacity,
    ...(admission.policies.length + admission.driverAccountPolicies.length > 0 ? [admission] : []),
    ...(fargate ? [fargate] : []),
    emrAccess,
    clusterAccess,
    ...tenants,
    ...addons,
    ...(iam ? [iam] : []),
    cost,
    ...(podIdentity.artifacts.length > 0 ? [podIdentity] : []),
  ];
  // The GitOps wiring of the layers (and Karpenter's CRD chart), last: it wires the layers that have content.
  const delivery = collectIssues(issues, ['delivery'], () => deliveryCharts(app, config, layered)) ?? [];
  const charts = [...layered, ...delivery];
  // What the README reads, only once every chart was built: with an issue the render stops before the README.
  if (issues.length > 0 || !iam) return { charts };
  const summaries: ReadmeSummaries = {
    environment: {
      name: config.name,
      sourcePath: config.sourcePath,
      cluster: config.cluster,
      artifactsS3Uri: config.spark.artifactsS3Uri,
    },
    capacity: capacity.summary,
    admission: admission.summary,
    // Every tenant's chart was built, in file order.
    tenants: tenants.map((chart, index) => tenantSummary(config, config.tenants[index]!, chart)),
    fargate: fargate?.summary,
    clusterAccess: clusterAccess.summary,
    delivery: deliverySummary(config, admission.summary),
    addons: addons.flatMap((chart) => (chart.addonSummary ? [chart.addonSummary] : [])),
    iam: iam.summary,
    cost: cost.summary,
    podIdentity: podIdentity.summary,
  };
  return { charts, summaries };
}

/** Each folder holding applied objects, directly or below, with the entries its kustomization lists. */
function kustomizationFolders(objects: readonly RenderedObject[]): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>();
  const entriesOf = (folder: string) => folders.get(folder) ?? folders.set(folder, new Set()).get(folder)!;
  for (const { path, applied } of objects) {
    if (!applied) continue;
    const parts = path.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      entriesOf(parts.slice(0, depth).join('/')).add(parts[depth]!);
    }
  }
  return folders;
}
