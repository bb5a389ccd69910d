import { isDeepStrictEqual } from 'node:util';
import { isPlainObject } from './merge-patch.js';
import type { ConfigPath } from './source-map.js';

/**
 * The settings of a tenant that belong to its environment, never carried by `emr-gitops promote`: what names the
 * environment's account, network or capacity, and how much of the cluster the tenant gets there. Everything else
 * (release label, images, job sizes and Spark settings, description, ...) is promoted.
 */
export const ENVIRONMENT_OWNED_FIELDS: ReadonlyArray<{ readonly path: ConfigPath; readonly why: string }> = [
  { path: ['executionRoleArn'], why: "an IAM role of the environment's account" },
  { path: ['serviceAccounts'], why: "IRSA roles of the environment's account" },
  { path: ['identity'], why: "how the environment's cluster hands out AWS credentials" },
  { path: ['quota'], why: "the tenant's share of the environment's cluster" },
  { path: ['containerDefaults'], why: "container sizes in the environment's namespace" },
  { path: ['queue'], why: "YuniKorn shares of the environment's cluster" },
  { path: ['fargate'], why: "security groups of the environment's VPC" },
  { path: ['network'], why: "CIDRs and endpoints of the environment's VPC" },
  { path: ['spark', 'capacityClasses'], why: "capacity classes of the environment's cluster" },
  { path: ['spark', 'localDisk'], why: "scratch the environment's pools offer" },
  { path: ['spark', 'localDiskSize'], why: "scratch size within the environment's quota" },
  { path: ['spark', 'singleZone'], why: "zones of the environment's cluster" },
  { path: ['spark', 'decommissionFallbackStorage'], why: "a bucket of the environment's account" },
  { path: ['spark', 'customCode', 'command'], why: "names the environment's artifacts bucket" },
  { path: ['promotion'], why: 'a hotfix is said for one environment' },
  { path: ['retired'], why: 'a tenant retires one environment at a time' },
];

const isOwned = (path: ConfigPath) => ENVIRONMENT_OWNED_FIELDS.some((field) => startsWith(path, field.path));
const ownsBelow = (path: ConfigPath) =>
  ENVIRONMENT_OWNED_FIELDS.some((field) => field.path.length > path.length && startsWith(field.path, path));

function startsWith(path: ConfigPath, prefix: ConfigPath): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}

/** A tenant's settings split into those its environment owns and those a promotion carries (empty mappings left out). */
export function splitEnvironmentOwned(
  settings: Readonly<Record<string, unknown>>,
  path: ConfigPath = [],
): { owned: Record<string, unknown>; promoted: Record<string, unknown> } {
  const owned: Record<string, unknown> = {};
  const promoted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const at = [...path, key];
    if (isOwned(at)) owned[key] = value;
    else if (ownsBelow(at) && isPlainObject(value)) {
      const split = splitEnvironmentOwned(value, at);
      if (Object.keys(split.owned).length > 0) owned[key] = split.owned;
      if (Object.keys(split.promoted).length > 0) promoted[key] = split.promoted;
    } else promoted[key] = value;
  }
  return { owned, promoted };
}

/**
 * The JSON Merge Patch (RFC 7386) that turns `from` into `to`: keys whose values differ, `null` for keys `to` drops.
 * mergePatch(from, mergePatchBetween(from, to)) equals `to` (for data without nulls, as validated config is).
 */
export function mergePatchBetween(
  from: Readonly<Record<string, unknown>>,
  to: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) patch[key] = value;
    else if (isDeepStrictEqual(from[key], value)) continue;
    else if (isPlainObject(from[key]) && isPlainObject(value)) {
      const inner = mergePatchBetween(from[key], value);
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else patch[key] = value;
  }
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  return patch;
}

/** Two trees with no leaf in common made one (mappings merged key by key; `b` wins where both hold a leaf). */
export function joinTrees(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const joined: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    joined[key] = isPlainObject(joined[key]) && isPlainObject(value) ? joinTrees(joined[key], value) : value;
  }
  return joined;
}
