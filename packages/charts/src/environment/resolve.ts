import {
  SECTION_DEFAULTS,
  resolveSections,
  type EnvironmentOrigin,
  type FleetPlacement,
  type ResolvedEnvironment,
} from '../config/resolve.js';
import { clusterOf, clusterViewValues } from '../config/cluster-views.js';
import type { EnvironmentFile, FleetClusterConfig } from '../config/schema.js';
import { ADDON_DEFAULTS, resolveAddons } from '../addons/index.js';

/** Every default of the environment file, read once from the schema that declares it: the sections' and each add-on's. */
export const ENVIRONMENT_DEFAULTS = { ...SECTION_DEFAULTS, ...ADDON_DEFAULTS };

/**
 * The resolved model of a validated environment file: every default applied, the back end and delivery engine as
 * unions, each add-on's section resolved by its module. Call it only on a file that passed the schema and the
 * semantics rules (loadEnvironmentText does): what those rules guarantee (Karpenter's AMI and controller, a Fargate
 * tenant's role and subnets) is not reported again; a file without it throws a plain Error, a caller's mistake rather
 * than the user's.
 */
export function resolveEnvironment(file: EnvironmentFile, origin: EnvironmentOrigin): ResolvedEnvironment {
  return resolveSections(file, origin, file.addons ? resolveAddons(file.addons) : undefined);
}

/**
 * Resolves an environment with `clusters:`: each cluster's view on its own (its cluster, its tenants, its overrides),
 * each knowing its place among the others, and the environment itself with the first cluster as `cluster`.
 */
export function resolveFleet(file: EnvironmentFile, origin: EnvironmentOrigin): ResolvedEnvironment {
  const resolved = clusterViewValues(file as unknown as Record<string, unknown>).map((view) => ({
    ...view,
    config: resolveEnvironment(view.config as unknown as EnvironmentFile, origin),
  }));
  const placement: FleetPlacement = {
    cluster: '',
    clusters: resolved.map(({ config }) => ({ cluster: config.cluster, tenants: config.tenants })),
  };
  const clusterViews = resolved.map((view) => ({
    ...view,
    config: { ...view.config, fleet: { ...placement, cluster: view.cluster } },
  }));
  return {
    ...resolveEnvironment({ ...file, cluster: clusterOf(file.clusters![0]! as FleetClusterConfig) }, origin),
    clusterViews,
  };
}
