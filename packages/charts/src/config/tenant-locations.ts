import type { ResolvedEnvironment, ResolvedTenant } from './resolve.js';

/**
 * Where one tenant's jobs read and write outside the cluster, decided once: the tenant chart renders these into
 * spark-defaults and monitoringConfiguration, the History Server reads the event logs there, the README lists them,
 * and the IAM documents grant exactly them.
 */
export interface TenantLocations {
  /** The tenant's charts folder, `tenants/<tenant>`: its objects and, below `artifacts/`, its documents. */
  readonly folder: string;
  /** `<artifactsS3Uri>/tenants/<tenant>/`: the tenant's pod templates and job documents once synced. */
  readonly artifactsPrefix: string;
  /** CloudWatch Logs group of the tenant's jobs (`<cloudWatchLogGroupPrefix>/<tenant>`), if logs go there. */
  readonly cloudWatchLogGroup?: string;
  /** monitoringConfiguration's logUri, `<logs.s3Uri>/<tenant>/`, if logs go to S3. */
  readonly s3LogUri?: string;
  /** spark.eventLog.dir, `<logs.s3Uri>/<tenant>/spark-events/` (what the tenant's History Server reads). */
  readonly eventLogDir?: string;
  /** spark.storage.decommission.fallbackStorage.path, `<decommissionFallbackStorage>/`. */
  readonly fallbackStoragePath?: string;
  /** The `s3://` locations the custom-code init container's command names (what it downloads). */
  readonly customCodeUris: readonly string[];
}

/** The folder of a tenant's charts and artifacts. */
export const tenantFolder = (tenantName: string): string => `tenants/${tenantName}`;

/** An `s3://` URI in a command line, up to the next blank or quote. */
const S3_URI_IN_TEXT = /s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/[^\s"'`;|&)]*)?/g;

/** Where `tenant`'s jobs read and write, from the environment's settings. */
export function tenantLocations(config: ResolvedEnvironment, tenant: ResolvedTenant): TenantLocations {
  const logs = config.spark.logs;
  const s3LogPrefix = logs.s3Uri ? `${logs.s3Uri}/${tenant.name}` : undefined;
  const folder = tenantFolder(tenant.name);
  const fallback = tenant.spark.decommissionFallbackStorage;
  return {
    folder,
    artifactsPrefix: `${config.spark.artifactsS3Uri}/${folder}/`,
    ...(logs.cloudWatchLogGroupPrefix ? { cloudWatchLogGroup: `${logs.cloudWatchLogGroupPrefix}/${tenant.name}` } : {}),
    ...(s3LogPrefix ? { s3LogUri: `${s3LogPrefix}/`, eventLogDir: `${s3LogPrefix}/spark-events/` } : {}),
    ...(fallback ? { fallbackStoragePath: `${fallback}/` } : {}),
    customCodeUris: [
      ...new Set((tenant.spark.customCode?.command ?? []).flatMap((part) => part.match(S3_URI_IN_TEXT) ?? [])),
    ],
  };
}
