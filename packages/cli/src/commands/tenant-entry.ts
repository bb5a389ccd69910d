import { Document, isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS, goDurationSeconds } from '@emr-eks-gitops/core';
import { ENVIRONMENT_DEFAULTS } from '@emr-eks-gitops/charts';
import { CliError } from '../io.js';

/**
 * A tenant's sized defaults: quota, container limits and the default job size. Medium is dev's data-eng team,
 * small its app-dev team (both render and validate in the committed environments); large is medium times four in
 * quota and twice the job, with executors still under the 16-CPU container limit.
 */
export const TENANT_SIZES = {
  small: {
    quota: { cpu: 16, memory: '64Gi', pods: 60, storage: '400Gi' },
    max: { cpu: '8', memory: '32Gi' },
    driver: { cores: 1, memory: '2g' },
    executor: { cores: 2, memory: '4g' },
    localDiskSize: '50Gi',
    maxJobDuration: '4h',
  },
  medium: {
    quota: { cpu: 64, memory: '256Gi', pods: 200, storage: '1600Gi' },
    max: { cpu: '16', memory: '64Gi' },
    driver: { cores: 2, memory: '8g' },
    executor: { cores: 4, memory: '16g' },
    localDiskSize: '100Gi',
    maxJobDuration: '8h',
  },
  large: {
    quota: { cpu: 256, memory: '1024Gi', pods: 600, storage: '6400Gi' },
    max: { cpu: '16', memory: '128Gi' },
    driver: { cores: 4, memory: '16g' },
    executor: { cores: 8, memory: '32g' },
    localDiskSize: '100Gi',
    maxJobDuration: '12h',
  },
} as const;

export type TenantSize = keyof typeof TENANT_SIZES;
export const TENANT_SIZE_NAMES = Object.keys(TENANT_SIZES) as TenantSize[];

/** The release a tenant gets when the environment has no tenant to copy it from (the committed environments' own). */
export const DEFAULT_RELEASE_LABEL = 'emr-7.5.0-latest';

export interface NewTenant {
  readonly environment: string;
  readonly name: string;
  readonly size: TenantSize;
  readonly namespace?: string;
  readonly description?: string;
}

/** The IAM role a new tenant's jobs run as, a placeholder in the environment's own account. */
export function executionRoleArn(partition: string, accountId: string, environment: string, tenant: string): string {
  return `arn:${partition}:iam::${accountId}:role/emr-${environment}-${tenant}-job-execution`;
}

/** A Go duration of whole minutes, e.g. 12h45m. */
function hoursAndMinutes(seconds: number): string {
  const minutes = Math.max(1, Math.floor(seconds / 60));
  const hours = Math.floor(minutes / 60);
  return `${hours > 0 ? `${hours}h` : ''}${minutes % 60 > 0 ? `${minutes % 60}m` : ''}`;
}

/**
 * The settings of a new tenant of the environment in `document`, refused when `existing` (the environment's tenants,
 * written here or placed by tenant files) holds its name or namespace: a placeholder role in the environment's
 * account, the release of its first tenant, a job duration its driver nodes' drain allows.
 */
export function newTenantSettings(
  document: Document.Parsed,
  tenant: NewTenant,
  existing: readonly Readonly<Record<string, unknown>>[],
): Record<string, unknown> {
  const namespace = tenant.namespace ?? `spark-${tenant.name}`;
  if (existing.some((item) => item.name === tenant.name))
    throw new CliError(`environments/${tenant.environment}.yaml already has a tenant named "${tenant.name}"`);
  if (existing.some((item) => item.namespace === namespace)) {
    throw new CliError(
      `environments/${tenant.environment}.yaml already has a tenant in namespace "${namespace}"; pass another --namespace`,
    );
  }
  const cluster = document.get('cluster') as YAMLMap | undefined;
  const account = String(cluster?.get('accountId') ?? '');
  const partition = String(cluster?.get('partition') ?? ENVIRONMENT_DEFAULTS.partition);
  const releaseLabel =
    existing.map((item) => item.releaseLabel).find((label) => typeof label === 'string') ?? DEFAULT_RELEASE_LABEL;
  // A job and the wait for its driver (EMR's job-start-timeout) must end before its driver node's drain gives up on
  // them: the size's duration, or what the drain leaves if shorter (the driver-node-expiry rule).
  const grace = document.getIn(['capacity', 'driverNodes', 'terminationGracePeriod']);
  const graceSeconds = typeof grace === 'string' ? goDurationSeconds(grace) : undefined;
  const room = graceSeconds === undefined ? Infinity : graceSeconds - EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS;
  const sized = TENANT_SIZES[tenant.size].maxJobDuration;
  const maxJobDuration = room < goDurationSeconds(sized)! ? hoursAndMinutes(room) : sized;
  return tenantSettings(
    tenant,
    namespace,
    executionRoleArn(partition, account, tenant.environment, tenant.name),
    String(releaseLabel),
    maxJobDuration,
  );
}

/**
 * Adds a tenant to an environment file's own `tenants:` list and returns the new text. Only the new entry is
 * generated (with the Document API, comments included); the rest of the file is kept byte for byte, so a
 * hand-aligned comment stays so.
 */
export function appendTenant(text: string, tenant: NewTenant): string {
  const document = parseDocument(text);
  const tenants = document.get('tenants', true);
  if (!isSeq(tenants)) throw new CliError(`environments/${tenant.environment}.yaml has no tenants: list to add to`);
  const existing = tenants.items.filter(isMap).map((item) => item.toJSON() as Record<string, unknown>);
  const entry = tenantEntry(tenant, newTenantSettings(document, tenant, existing));

  if (tenants.flow || tenants.items.length === 0) {
    // `tenants: []`: the list becomes a block list at the key's indentation.
    const [start, , end] = tenants.range!;
    const indent = ' '.repeat(column(text, keyOffset(document, 'tenants')) + 2);
    return `${text.slice(0, start).trimEnd()}\n${indented(entry, indent)}${text.slice(end).replace(/^[^\S\n]*\n?/, '')}`;
  }
  const last = tenants.items[tenants.items.length - 1] as YAMLMap;
  const firstRange = (tenants.items[0] as YAMLMap).range!;
  const indent = ' '.repeat(column(text, firstRange[0]) - 2); // the `- ` before the first key
  // After the last entry's value (and any comment ending its line): a blank line, then the new entry.
  const lineEnd = text.indexOf('\n', last.range![1] - 1);
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  const before = text.slice(0, at);
  return `${before}${before.endsWith('\n') ? '' : '\n'}\n${indented(entry, indent)}${text.slice(at)}`;
}

/** A new tenant's settings: its namespace, sized quota, limits and job, and a placeholder role. */
export function tenantSettings(
  tenant: NewTenant,
  namespace: string,
  roleArn: string,
  releaseLabel: string,
  maxJobDuration: string,
): Record<string, unknown> {
  const size = TENANT_SIZES[tenant.size];
  return {
    name: tenant.name,
    namespace,
    description: tenant.description ?? `The ${tenant.name} team (${tenant.size})`,
    quota: size.quota,
    containerDefaults: {
      default: { memory: '2Gi' },
      defaultRequest: { cpu: '250m', memory: '512Mi' },
      max: size.max,
    },
    executionRoleArn: roleArn,
    releaseLabel,
    spark: {
      jobSize: { driver: size.driver, executor: size.executor },
      maxJobDuration,
      localDiskSize: size.localDiskSize,
    },
  };
}

/** The new entry as block YAML at column 0: `- name: ...`, flow maps for the short ones as the committed files write them. */
function tenantEntry(tenant: NewTenant, settings: Record<string, unknown>): string {
  const document = new Document([settings]);
  const map = (document.contents as YAMLSeq).items[0] as YAMLMap;
  map.commentBefore = ` ${tenant.size} tenant added by \`emr-gitops tenant add\`: review the sizes, create the role`;
  styleTenant(map);
  return document.toString({ lineWidth: 0 });
}

/**
 * Writes a tenant's settings as the committed files do: flow mappings for the short ones, a comment on what to
 * review. Settings the map does not hold (a tenant file splits them between base and an environment) are skipped.
 */
export function styleTenant(map: YAMLMap): void {
  const pair = (path: readonly string[]) => findPair(map, path);
  for (const path of [
    ['quota'],
    ['containerDefaults', 'default'],
    ['containerDefaults', 'defaultRequest'],
    ['containerDefaults', 'max'],
    ['spark', 'jobSize', 'driver'],
    ['spark', 'jobSize', 'executor'],
  ]) {
    const found = pair(path);
    if (found) (found.value as YAMLMap).flow = true;
  }
  comment(pair(['name']), ' also the EMR virtual cluster name');
  comment(pair(['quota']), " all of the team's jobs and notebooks together");
  comment(pair(['containerDefaults', 'default']), ' no CPU limit: Spark sets none, and max.cpu becomes the default');
  const role = pair(['executionRoleArn']);
  if (role)
    (role.key as { commentBefore?: string }).commentBefore =
      ' CHANGE-ME: a placeholder; create the role (its trust policy: artifacts/platform/emr-access/) or put yours';
  comment(
    pair(['spark', 'maxJobDuration']),
    " at most capacity.driverNodes.terminationGracePeriod minus EMR's 15m job-start-timeout",
  );
  comment(pair(['spark', 'localDiskSize']), ' per driver and executor, counted against quota.storage');
}

function findPair(map: YAMLMap, path: readonly string[]): Pair | undefined {
  let current: unknown = map;
  let found: Pair | undefined;
  for (const key of path) {
    found = isMap(current)
      ? (current.items.find((item) => isScalar(item.key) && item.key.value === key) as Pair | undefined)
      : undefined;
    if (!found) return undefined;
    current = found.value;
  }
  return found;
}

function comment(pair: Pair | undefined, text: string): void {
  if (pair) (pair.value as { comment?: string | null }).comment = text;
}

function keyOffset(document: ReturnType<typeof parseDocument>, key: string): number {
  const pair = (document.contents as YAMLMap).items.find((item) => isScalar(item.key) && item.key.value === key);
  return (pair!.key as { range: [number, number, number] }).range[0];
}

/** 0-based column of `offset` in `text`. */
function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function indented(block: string, indent: string): string {
  return block
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}
