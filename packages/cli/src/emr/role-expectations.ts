import type { EnvironmentConfig } from '@emr-eks-gitops/charts';
import type { S3Targets } from './s3-targets.js';

/**
 * What each IAM role must be allowed to do for what the platform makes it do, as IAM's policy simulator takes it
 * (SimulatePrincipalPolicy: the role, action names, resource ARNs). Preflight checks exactly these; they come from
 * the environment and the rendered documents, and are meant to be swapped for the permission policy documents
 * rendered for each role once those exist: whatever produces this list, preflight stays the same.
 */
export interface RoleExpectation {
  readonly roleArn: string;
  /** What the platform makes the role do, for people: "read app-dev's pod templates". */
  readonly purpose: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** A key below a prefix, standing for "any object Spark writes there" (the simulator needs a concrete ARN). */
const PROBE = 'emr-gitops-preflight-probe';

export function roleExpectations(config: EnvironmentConfig, targets: S3Targets, files: ReadonlyMap<string, string>): RoleExpectation[] {
  const partition = config.cluster.partition;
  const objectArn = (bucket: string, key: string) => `arn:${partition}:s3:::${bucket}/${key}`;
  const bucketArn = (bucket: string) => `arn:${partition}:s3:::${bucket}`;
  const expectations: RoleExpectation[] = [];
  const history = config.addons?.historyServer;

  for (const tenant of config.tenants.filter((t) => !t.retired)) {
    const fromJobs = (path: string) => path.startsWith(`artifacts/tenants/${tenant.name}/`);
    const templates = targets.uploads.filter((upload) => upload.tenant === tenant.name);
    const eventLogs = targets.prefixes.filter((prefix) => prefix.sources.some(fromJobs));
    const readTemplates = (roleArn: string, who: string): RoleExpectation => ({
      roleArn, purpose: `${who} read ${tenant.name}'s pod templates`, actions: ['s3:GetObject'],
      resources: templates.map((upload) => objectArn(upload.bucket, upload.key)),
    });
    const writeEventLogs = (roleArn: string, who: string): RoleExpectation => ({
      roleArn, purpose: `${who} write ${tenant.name}'s Spark event logs`, actions: ['s3:PutObject', 's3:GetObject'],
      resources: eventLogs.map((prefix) => objectArn(prefix.bucket, `${prefix.key}${PROBE}`)),
    });
    // S3A/EMRFS getFileStatus HEADs the directory's bare key first and stops at a 403 (see dataAccessStatements).
    const probeEventLogDirs = (roleArn: string, who: string, prefixes: readonly { bucket: string; key: string }[]): RoleExpectation => ({
      roleArn, purpose: `${who} probe ${tenant.name}'s event-log directory (getFileStatus)`, actions: ['s3:GetObject'],
      resources: prefixes.map((prefix) => objectArn(prefix.bucket, prefix.key.replace(/\/$/, ''))),
    });
    const listLogBuckets = (roleArn: string, who: string, buckets: readonly string[]): RoleExpectation => ({
      roleArn, purpose: `${who} list the event-log directories of ${tenant.name}`, actions: ['s3:ListBucket'],
      resources: [...new Set(buckets)].map(bucketArn),
    });

    const jobs = 'EMR jobs';
    if (templates.length > 0) expectations.push(readTemplates(tenant.executionRoleArn, jobs));
    if (eventLogs.length > 0) {
      expectations.push(writeEventLogs(tenant.executionRoleArn, jobs), probeEventLogDirs(tenant.executionRoleArn, jobs, eventLogs));
      expectations.push(listLogBuckets(tenant.executionRoleArn, jobs, eventLogs.map((prefix) => prefix.bucket)));
    }
    const monitoring = monitoringOf(files.get(`artifacts/tenants/${tenant.name}/configuration-overrides.json`));
    if (monitoring.logUri !== undefined) {
      const [, bucket = '', key = ''] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(monitoring.logUri) ?? [];
      expectations.push({
        roleArn: tenant.executionRoleArn, purpose: `EMR jobs write ${tenant.name}'s job logs to S3 (monitoringConfiguration.s3MonitoringConfiguration)`,
        actions: ['s3:PutObject'], resources: [objectArn(bucket, `${key.replace(/\/?$/, '/')}${PROBE}`)],
      });
    }
    if (monitoring.logGroup !== undefined) {
      expectations.push({
        roleArn: tenant.executionRoleArn, purpose: `EMR jobs write ${tenant.name}'s log streams to CloudWatch Logs ${monitoring.logGroup}`,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`arn:${partition}:logs:${config.cluster.region}:${config.cluster.accountId}:log-group:${monitoring.logGroup}:*`],
      });
    }
    // A notebook's Spark session is a driver running as the tenant's sparkDriver account.
    for (const account of tenant.serviceAccounts ?? []) {
      if (!account.sparkDriver || account.roleArn === undefined) continue;
      const who = `notebooks (${tenant.namespace}/${account.name})`;
      if (templates.length > 0) expectations.push(readTemplates(account.roleArn, who));
      if (eventLogs.length > 0) expectations.push(writeEventLogs(account.roleArn, who), probeEventLogDirs(account.roleArn, who, eventLogs));
    }
    const historyRole = history ? history.tenantRoleArns?.[tenant.name] ?? history.roleArn : undefined;
    const shown = targets.prefixes.filter((prefix) => prefix.sources.some((path) => path.endsWith(`/deployment-spark-history-${tenant.name}.yaml`)));
    if (historyRole !== undefined && shown.length > 0) {
      const who = `the History Server of ${tenant.name}`;
      expectations.push(listLogBuckets(historyRole, who, shown.map((prefix) => prefix.bucket)), probeEventLogDirs(historyRole, who, shown));
      expectations.push({
        roleArn: historyRole, purpose: `${who} read ${tenant.name}'s Spark event logs`, actions: ['s3:GetObject'],
        resources: shown.map((prefix) => objectArn(prefix.bucket, `${prefix.key}${PROBE}`)),
      });
    }
  }
  return expectations.filter((expectation) => expectation.resources.length > 0);
}

/** Where a tenant's job documents send logs (configuration-overrides.json), as rendered. */
function monitoringOf(text: string | undefined): { logUri?: string; logGroup?: string } {
  if (text === undefined) return {};
  const monitoring = (JSON.parse(text) as { monitoringConfiguration?: {
    s3MonitoringConfiguration?: { logUri?: string };
    cloudWatchMonitoringConfiguration?: { logGroupName?: string };
  } }).monitoringConfiguration;
  const logUri = monitoring?.s3MonitoringConfiguration?.logUri;
  const logGroup = monitoring?.cloudWatchMonitoringConfiguration?.logGroupName;
  return { ...(logUri !== undefined ? { logUri } : {}), ...(logGroup !== undefined ? { logGroup } : {}) };
}
