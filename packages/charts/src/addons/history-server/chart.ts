import type { App } from 'cdk8s';
import {
  configDiagnostic,
  LABELS,
  NOTEBOOK_SERVER_LABEL,
  SPARK_HISTORY_UI_PORT,
  SparkHistoryServers,
  type SparkHistoryServerInstance,
} from '@emr-eks-gitops/core';
import type { DeepReadonly, ResolvedEnvironment } from '../../config/resolve.js';
import type { HistoryServerAddonConfig } from './schema.js';
import { addonPlacement } from '../../charts/auto-mode-capacity.js';
import { tenantLocations } from '../../config/tenant-locations.js';
import { ManifestChart } from '../../charts/manifest-chart.js';
import { HISTORY_SERVER_NAMESPACE, historyServerName } from '../../charts/history-server-names.js';
import { servesNotebooks } from '../../charts/notebook-tenants.js';
import type { RenderIssue } from '../../config/render-error.js';
import type { AddonSummary } from '../../charts/summaries.js';

/** The README templates of this folder (paths below `src/`, without `.md.hbs`), which its summary's notes name. */
export const HISTORY_SERVER_README_TEMPLATES = { notes: 'addons/history-server/spark-history' } as const;

export { HISTORY_SERVER_NAMESPACE, historyServerName };

/** Where the History Servers are rendered. */
export const HISTORY_SERVER_FOLDER = 'addons/spark-history';

/**
 * Every active tenant's history server needs a role (its own or the shared one), and a role of its own must name a
 * tenant: a role under a name that is no tenant's (a typo) would leave the tenant meant on the shared role, or on none.
 */
export function historyServerRoleIssues(
  config: ResolvedEnvironment,
  addon: DeepReadonly<HistoryServerAddonConfig>,
): RenderIssue[] {
  const at = ['addons', 'historyServer'];
  const active = config.tenants.filter((tenant) => !tenant.retired).map((tenant) => tenant.name);
  // No active tenant: the builder refuses an add-on without servers.
  if (active.length === 0) return [];
  const own = addon.tenantRoleArns ?? {};
  // A retired tenant's role is left alone (its server is gone; removing the line is part of deleting the tenant).
  const known = config.tenants.map((tenant) => tenant.name);
  const issues: RenderIssue[] = Object.keys(own)
    .filter((name) => !known.includes(name))
    .sort()
    .map((name) =>
      configDiagnostic(
        'history-server-role',
        [...at, 'tenantRoleArns', name],
        `names no tenant (the tenants are ${known.join(', ')}): its role would serve no history server, and the tenant it was meant for falls back to the shared role or has none; name the role after one of the tenants`,
      ),
    );
  const missing = addon.roleArn === undefined ? active.filter((name) => own[name] === undefined) : [];
  if (missing.length > 0) {
    issues.push(
      configDiagnostic(
        'history-server-role',
        at,
        `the history server of ${missing.map((name) => `tenant ${name}`).join(', ')} has no IAM role and could not read its event logs; add tenantRoleArns.${missing[0]} (a role of the tenant's own, which reads only its event logs), or a roleArn shared by the servers without one`,
      ),
    );
  }
  return issues;
}

/**
 * Spark History Servers, one per active tenant, each reading only that tenant's event logs
 * (`<spark.logs.s3Uri>/<tenant>/spark-events/`, the `spark.eventLog.dir` its jobs write): Spark's history server reads
 * one directory and not its sub-folders, and one server per tenant keeps each tenant's applications apart. Each
 * reads with a read-only IAM role (IRSA): the tenant's own (`tenantRoleArns`, least privilege) or the shared `roleArn`. They
 * run where Karpenter's controller runs (capacity.controller.managedNodeGroups, never on a Karpenter node); on EKS Auto
 * Mode, on the built-in pool capacity.autoMode.addonNodePool.
 */
export class HistoryServerChart extends ManifestChart {
  override readonly addonSummary: AddonSummary;

  constructor(scope: App, config: ResolvedEnvironment, addon: DeepReadonly<HistoryServerAddonConfig>) {
    super(scope, 'addon-spark-history', {
      folder: HISTORY_SERVER_FOLDER,
      environment: config.name,
      configPath: ['addons', 'historyServer'],
    });
    const servers = config.tenants
      .filter((tenant) => !tenant.retired)
      .map(
        (tenant): TenantHistoryServer => ({
          tenant: tenant.name,
          name: historyServerName(tenant.name),
          // Built only with spark.logs.s3Uri (the module, index.ts), so every tenant has an event log directory.
          logDirectory: tenantLocations(config, tenant).eventLogDir!,
          labels: { [LABELS.tenant]: tenant.name },
          roleArn: addon.tenantRoleArns?.[tenant.name],
          // The tenant's notebook servers (Spark drivers of their sessions) read their own applications' history.
          uiClients: servesNotebooks(config, tenant)
            ? [{ namespace: tenant.namespace, podLabels: { [NOTEBOOK_SERVER_LABEL.key]: NOTEBOOK_SERVER_LABEL.value } }]
            : undefined,
        }),
      );
    const historyServers = new SparkHistoryServers(this, 'HistoryServers', {
      namespace: HISTORY_SERVER_NAMESPACE,
      image: addon.image,
      roleArn: addon.roleArn,
      identity: config.cluster.identity,
      allowIngressFromNamespaces: addon.allowIngressFromNamespaces,
      resources: addon.resources,
      ...addonPlacement(config),
      servers: servers.map(({ tenant: _tenant, ...server }) => server),
    });
    this.addonSummary = historyServerSummary(config, addon, servers, historyServers.serviceAccountName);
  }
}

/** A tenant's server, as the construct takes it. */
type TenantHistoryServer = SparkHistoryServerInstance & { readonly tenant: string };

/** The servers, their logs and roles, and who may open their UIs, as the README's add-on notes list them. */
function historyServerSummary(
  config: ResolvedEnvironment,
  history: DeepReadonly<HistoryServerAddonConfig>,
  servers: readonly TenantHistoryServer[],
  sharedServiceAccount: string,
): AddonSummary {
  const ingress = history.allowIngressFromNamespaces ?? [];
  const rows = servers.map((server) => ({
    tenant: server.tenant,
    server: server.name,
    logDirectory: server.logDirectory,
    roleArn: server.roleArn ?? history.roleArn,
    shared: server.roleArn === undefined,
    serviceAccount: server.roleArn === undefined ? sharedServiceAccount : server.name,
  }));
  const shared = rows.filter((row) => row.shared).map((row) => row.tenant);
  const historyServer = {
    namespace: HISTORY_SERVER_NAMESPACE,
    image: history.image,
    port: SPARK_HISTORY_UI_PORT,
    nodeGroups:
      (config.capacity.backend === 'karpenter' ? (config.capacity.controller.managedNodeGroups ?? []) : [])
        .map((group) => `\`${group}\``)
        .join(', ') || 'any non-Karpenter node',
    ingress:
      [
        ...(ingress.length > 0 ? [`the namespaces ${ingress.map((n) => `\`${n}\``).join(', ')}`] : []),
        ...(servers.some((server) => server.uiClients !== undefined)
          ? ["each tenant's notebook servers (to that tenant's server only)"]
          : []),
      ].join(' and ') || 'no namespace',
    rows,
    sharedTenants: shared.length === 0 || !history.tenantRoleArns ? '' : `Tenant(s) ${shared.join(', ')}`,
  };
  return {
    name: 'historyServer',
    rows: [
      {
        name: 'Spark History Server',
        chart: 'none: Deployment, Service, ServiceAccount and NetworkPolicies rendered here',
        namespace: HISTORY_SERVER_NAMESPACE,
        folder: HISTORY_SERVER_FOLDER,
        reach: `\`kubectl port-forward -n ${HISTORY_SERVER_NAMESPACE} svc/${rows[0]?.server ?? 'spark-history-<tenant>'} ${SPARK_HISTORY_UI_PORT}\` (one Service per tenant: \`svc/spark-history-<tenant>\`), then http://localhost:${SPARK_HISTORY_UI_PORT}`,
      },
    ],
    notes: [{ section: 'addons', template: HISTORY_SERVER_README_TEMPLATES.notes, order: 4, data: { historyServer } }],
  };
}
