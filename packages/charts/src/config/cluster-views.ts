import type { EnvironmentFile, FleetClusterConfig, TenantConfig } from './schema.js';
import type { ClusterView, ResolvedEnvironment } from './resolve.js';
import { CLUSTER_OVERRIDE_SECTIONS } from './fleet-schema.js';
import type { ConfigPath } from './source-map.js';

// An environment with `clusters:` renders as one single-cluster environment per cluster (a view): the same charts,
// rules and README, each reading only its cluster and the tenants placed there. One place makes the views, and
// maps what a view says back to where the environment file says it.

export type { ClusterView } from './resolve.js';

/** An environment file's value before it is typed (the config rules read it defensively). */
type FileLike = Record<string, unknown>;

/** The folder of an environment's (or a cluster view's) rendered files, relative to the project root. */
export function outputRoot(config: Pick<ResolvedEnvironment, 'name' | 'fleet'>): string {
  return config.fleet ? `dist-manifests/${config.name}/${config.fleet.cluster}` : `dist-manifests/${config.name}`;
}

/** The tenants placed on a cluster: those naming it in `clusters`, and those naming none. */
export function placedOn(tenants: readonly Partial<TenantConfig>[], cluster: string): number[] {
  return tenants.flatMap((tenant, index) =>
    !Array.isArray(tenant.clusters) || tenant.clusters.includes(cluster) ? [index] : [],
  );
}

/**
 * Each cluster's view of an environment file's value, before it is typed (for the config rules) or after (for the
 * render). Pure: the value is not changed.
 */
export function clusterViewValues(file: FileLike): ClusterView<FileLike>[] {
  const clusters = (Array.isArray(file.clusters) ? file.clusters : []) as Partial<FleetClusterConfig>[];
  const tenants = (Array.isArray(file.tenants) ? file.tenants : []) as Partial<TenantConfig>[];
  return clusters.map((entry, clusterIndex) => {
    const { capacity, network, addons, ...cluster } = entry;
    const overrides: Record<string, unknown> = { capacity, network, addons };
    const name = String(cluster.name);
    const tenantIndexes = placedOn(tenants, name);
    const view: FileLike = {
      ...file,
      cluster,
      tenants: tenantIndexes.map((index) => withoutPlacement(tenants[index]!)),
    };
    delete view.clusters;
    for (const section of CLUSTER_OVERRIDE_SECTIONS) {
      if (overrides[section] !== undefined) view[section] = merged(file[section], overrides[section]);
    }
    const classIndexes = withoutTenantsElsewhere(
      view,
      tenantIndexes.map((index) => tenants[index]!.name),
    );
    // Each cluster's artifacts (pod templates name their region) live under a prefix of its own.
    const spark = file.spark;
    if (isObject(spark) && typeof spark.artifactsS3Uri === 'string') {
      view.spark = { ...spark, artifactsS3Uri: `${spark.artifactsS3Uri}/${name}` };
    }
    const sourcePath = (path: ConfigPath): ConfigPath => {
      const [section, ...rest] = path;
      if (section === 'cluster') return ['clusters', clusterIndex, ...rest];
      if (section === 'tenants' && typeof rest[0] === 'number')
        return ['tenants', tenantIndexes[rest[0]] ?? rest[0], ...rest.slice(1)];
      if (section === 'capacity' && rest[0] === 'classes' && typeof rest[1] === 'number') {
        const inFile: ConfigPath = ['classes', classIndexes[rest[1]] ?? rest[1], ...rest.slice(2)];
        return holds(overrides.capacity, ['classes'])
          ? ['clusters', clusterIndex, 'capacity', ...inFile]
          : ['capacity', ...inFile];
      }
      if (
        typeof section === 'string' &&
        CLUSTER_OVERRIDE_SECTIONS.includes(section as never) &&
        holds(overrides[section], rest)
      ) {
        return ['clusters', clusterIndex, section, ...rest];
      }
      return path;
    };
    return { cluster: name, config: view, sourcePath };
  });
}

/** The per-cluster views of a loaded environment with `clusters:`; a single-cluster environment is its own one view. */
export function clusterViews(config: ResolvedEnvironment): readonly ClusterView[] {
  return config.clusterViews ?? [{ cluster: config.cluster.name, config, sourcePath: (path) => path }];
}

/** A cluster entry as `cluster:` describes one: without its overrides. */
export function clusterOf(entry: FleetClusterConfig): NonNullable<EnvironmentFile['cluster']> {
  const { capacity: _capacity, network: _network, addons: _addons, ...cluster } = entry;
  return cluster;
}

/**
 * Settings that name tenants follow the tenants' placement: a History Server role of a tenant that runs elsewhere, and
 * a capacity class exclusive to tenants that all run elsewhere (it would serve nobody here), are not the cluster's.
 */
function withoutTenantsElsewhere(view: FileLike, placed: readonly (string | undefined)[]): number[] {
  const here = (name: unknown) => placed.includes(name as string);
  const addons = view.addons;
  if (isObject(addons) && isObject(addons.historyServer) && isObject(addons.historyServer.tenantRoleArns)) {
    const roles = Object.entries(addons.historyServer.tenantRoleArns).filter(([tenant]) => here(tenant));
    const { tenantRoleArns: _all, ...historyServer } = addons.historyServer;
    view.addons = {
      ...addons,
      historyServer: roles.length > 0 ? { ...historyServer, tenantRoleArns: Object.fromEntries(roles) } : historyServer,
    };
  }
  const capacity = view.capacity;
  if (!isObject(capacity) || !Array.isArray(capacity.classes)) return [];
  const classes = capacity.classes as unknown[];
  // The indexes of the classes kept, so a class's problems point at its entry in the file.
  const kept = classes.flatMap((entry, index) =>
    !isObject(entry) || !Array.isArray(entry.exclusiveTo) || entry.exclusiveTo.some(here) ? [index] : [],
  );
  view.capacity = { ...capacity, classes: kept.map((index) => classes[index]) };
  return kept;
}

function withoutPlacement(tenant: Partial<TenantConfig>): Partial<TenantConfig> {
  const { clusters: _clusters, ...rest } = tenant;
  return rest;
}

/** `override` over `base`: objects field by field, anything else (lists, scalars) replaced. */
export function merged(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = merged(base[key], value);
  return result;
}

/** True when `value` has something at `path` (the override sets that field, or one below it). */
function holds(value: unknown, path: ConfigPath): boolean {
  let node = value;
  for (const segment of path) {
    if (!isObject(node) && !Array.isArray(node)) return false;
    if (Array.isArray(node)) return true; // lists are replaced whole: the override holds every item
    node = (node as Record<string, unknown>)[String(segment)];
    if (node === undefined) return false;
  }
  return node !== undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
