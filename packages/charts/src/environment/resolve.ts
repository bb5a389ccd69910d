import { SECTION_DEFAULTS, resolveSections, type EnvironmentOrigin, type ResolvedEnvironment } from '../config/resolve.js';
import type { EnvironmentFile } from '../config/schema.js';
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
