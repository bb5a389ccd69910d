import { SPARK_HISTORY_UI_PORT } from '@emr-eks-gitops/core';
import type { DeepReadonly, ResolvedEnvironment } from '../../config/resolve.js';
import { tenantLocations } from '../../config/tenant-locations.js';
import { servesNotebooks } from '../../charts/notebook-tenants.js';
import type { AddonReadme } from '../module.js';
import { HISTORY_SERVER_FOLDER } from './chart.js';
import { HISTORY_SERVER_NAMESPACE, historyServerName } from '../../charts/history-server-names.js';
import type { HistoryServerAddonConfig } from './schema.js';

/** The README's row of the History Servers and the table of their tenants, roles and log directories. */
export function historyServerReadme(config: ResolvedEnvironment, history: DeepReadonly<HistoryServerAddonConfig>): AddonReadme {
  // Rendered only where the tenants write event logs (the config refuses the add-on without).
  if (!config.spark.logs.s3Uri) return { rows: [] };
  const activeTenants = config.tenants.filter((tenant) => !tenant.retired);
  const ingress = history.allowIngressFromNamespaces ?? [];
  const rows = activeTenants.map((tenant) => {
    const own = history.tenantRoleArns?.[tenant.name];
    return {
      tenant: tenant.name, server: historyServerName(tenant.name), logDirectory: tenantLocations(config, tenant).eventLogDir,
      roleArn: own ?? history.roleArn, shared: own === undefined, serviceAccount: own === undefined ? 'spark-history-server' : historyServerName(tenant.name),
    };
  });
  const shared = activeTenants.filter((tenant) => history.tenantRoleArns?.[tenant.name] === undefined).map((tenant) => tenant.name);
  return {
    rows: [{
      name: 'Spark History Server',
      chart: 'none: Deployment, Service, ServiceAccount and NetworkPolicies rendered here',
      namespace: HISTORY_SERVER_NAMESPACE,
      folder: HISTORY_SERVER_FOLDER,
      reach: `\`kubectl port-forward -n ${HISTORY_SERVER_NAMESPACE} svc/${rows[0]?.server ?? 'spark-history-<tenant>'} ${SPARK_HISTORY_UI_PORT}\` (one Service per tenant: \`svc/spark-history-<tenant>\`), then http://localhost:${SPARK_HISTORY_UI_PORT}`,
    }],
    details: {
      namespace: HISTORY_SERVER_NAMESPACE,
      image: history.image,
      port: SPARK_HISTORY_UI_PORT,
      nodeGroups: (config.capacity.backend === 'karpenter' ? (config.capacity.controller.managedNodeGroups ?? []).map((group) => `\`${group}\``).join(', ') : '') || 'any non-Karpenter node',
      ingress: [
        ...(ingress.length > 0 ? [`the namespaces ${ingress.map((n) => `\`${n}\``).join(', ')}`] : []),
        ...(activeTenants.some((tenant) => servesNotebooks(config, tenant)) ? ['each tenant\'s notebook servers (to that tenant\'s server only)'] : []),
      ].join(' and ') || 'no namespace',
      rows,
      sharedTenants: shared.length === 0 || !history.tenantRoleArns ? '' : `Tenant(s) ${shared.join(', ')}`,
    },
  };
}
