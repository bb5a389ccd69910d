import { relative } from 'node:path';
import {
  addonImages,
  clusterViews,
  formatConfigPath,
  tenantCapacityClasses,
  type ResolvedEnvironment,
  type ResolvedTenant,
} from '@emr-eks-gitops/charts';
import { EXIT, type CliIO } from '../io.js';
import { loadEnvironments, renderAll, type Project } from '../project.js';
import { objectImages } from '../images/container-images.js';
import { emrRapidsRelease, emrSparkImage } from '../images/emr-base-images.js';

/** spark-defaults properties naming the image of Spark's pods (a custom image instead of EMR's default). */
const SPARK_IMAGE_PROPERTIES = new Set([
  'spark.kubernetes.container.image',
  'spark.kubernetes.driver.container.image',
  'spark.kubernetes.executor.container.image',
]);

export interface ImagesOptions {
  /** Environments to list; all when empty. */
  readonly env: readonly string[];
  readonly output: 'text' | 'json';
}

/** Every image of the chosen environments, each with the places that use it (`<env> <file> <field path>`). */
export interface ImageInventory {
  readonly images: { readonly image: string; readonly usedBy: string[] }[];
  /** What could not be resolved or is worth knowing before scanning, one sentence each. */
  readonly notes: string[];
}

/**
 * The container images the environments reference: every rendered object (applied ones and artifacts such as the
 * Spark pod templates), each tenant's EMR Spark image, from its release label and the cluster's region, and each
 * add-on's images that no rendered object names (a chart's values kept as an artifact, not an object).
 */
export function imageInventory(project: Project, envNames: readonly string[]): ImageInventory {
  const environments = loadEnvironments(project, envNames);
  const results = renderAll(environments);
  const outputLabel = relative(project.root, project.outputDir) || '.';
  const uses = new Map<string, Set<string>>();
  const notes = new Set<string>();
  const use = (image: string, where: string) => {
    let places = uses.get(image);
    if (!places) uses.set(image, (places = new Set()));
    places.add(where);
  };

  results.forEach((result, index) => {
    const config = environments[index]!.environment;
    const named = new Set<string>();
    for (const { path, object } of result.objects) {
      const file = `${outputLabel}/${result.environment}/${path}`;
      const { references, problems } = objectImages(object);
      for (const reference of references) {
        named.add(reference.image);
        use(reference.image, `${result.environment} ${file} ${reference.fieldPath}`);
        if (reference.note) notes.add(`${file}: ${reference.fieldPath}: ${reference.image}: ${reference.note}`);
      }
      for (const problem of problems) notes.add(`${file}: ${problem.fieldPath}: ${problem.message}`);
    }
    // What each add-on declares it runs, where no rendered object of this environment names it: located at its section
    // (on each cluster of an environment with clusters:, whose overrides may set it).
    for (const { config: view, sourcePath } of clusterViews(config)) {
      for (const { key, images } of addonImages(view)) {
        const where = formatConfigPath(sourcePath(['addons', key]));
        for (const image of images.filter((entry) => !named.has(entry)))
          use(image, `${result.environment} ${config.sourcePath} ${where}`);
      }
    }
    // Each cluster's EMR images come from its region's registry (one view for a single-cluster environment).
    for (const { config: view, sourcePath } of clusterViews(config))
      view.tenants.forEach((tenant, tenantIndex) => {
        const field = formatConfigPath(sourcePath(['tenants', tenantIndex, 'releaseLabel']));
        const spark = emrSparkImage(view.cluster.region, tenant.releaseLabel, view.cluster.partition);
        if ('image' in spark) use(spark.image, `${result.environment} ${config.sourcePath} ${field}`);
        else
          notes.add(`${config.sourcePath}: ${field}: EMR Spark image of ${tenant.name} not listed: ${spark.unknown}`);
        // Jobs on a GPU class run the release's RAPIDS Accelerator image instead (the config refuses a release without one).
        if (gpuClassesOf(view, tenant).length > 0) {
          const rapids = emrRapidsRelease(view.cluster.region, tenant.releaseLabel, view.cluster.partition);
          if ('image' in rapids)
            use(rapids.image, `${result.environment} ${config.sourcePath} ${field} (GPU jobs: ${rapids.releaseLabel})`);
        }
        // A custom image (built FROM EMR's) set through spark-defaults runs the driver and/or executors instead.
        for (const [key, value] of Object.entries(tenant.spark.extraProperties ?? {})) {
          if (SPARK_IMAGE_PROPERTIES.has(key) && value.trim() !== '') {
            use(
              value.trim(),
              `${result.environment} ${config.sourcePath} ${formatConfigPath(sourcePath(['tenants', tenantIndex]))}.spark.extraProperties[${JSON.stringify(key)}]`,
            );
          }
        }
      });
  });

  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    images: [...uses]
      .sort(([a], [b]) => byCodeUnit(a, b))
      .map(([image, places]) => ({ image, usedBy: [...places].sort(byCodeUnit) })),
    notes: [...notes],
  };
}

/** The GPU capacity classes a tenant's executors run on, by default or per job. */
function gpuClassesOf(config: ResolvedEnvironment, tenant: ResolvedTenant): string[] {
  if (tenant.retired || tenant.fargate) return [];
  const gpu = new Set(config.capacity.classes.filter((spec) => spec.gpu).map((spec) => spec.name));
  const chosen = tenantCapacityClasses(tenant);
  return [chosen.executor, ...chosen.offered].filter((name) => gpu.has(name));
}

/** `emr-gitops images`: the sorted, de-duplicated images of the rendered environments, for an image scanner. */
export function imagesCommand(project: Project, options: ImagesOptions, io: CliIO): number {
  const inventory = imageInventory(project, options.env);
  for (const note of inventory.notes) io.err(`note: ${note}\n`);
  if (options.output === 'json') io.out(`${JSON.stringify({ images: inventory.images }, null, 2)}\n`);
  else for (const { image } of inventory.images) io.out(`${image}\n`);
  return EXIT.ok;
}
