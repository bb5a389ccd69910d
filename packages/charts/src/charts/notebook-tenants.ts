import type { EnvironmentConfig, TenantConfig } from '../config/schema.js';

/** The account a tenant's notebook servers run as: its first `sparkDriver` ServiceAccount. */
export function notebookAccountOf(tenant: TenantConfig) {
  return tenant.serviceAccounts?.find((entry) => entry.sparkDriver === true);
}

/**
 * Whether JupyterHub runs notebook servers in the tenant's namespace: the add-on is on, the tenant is active and has a
 * notebook account. Those servers are the Spark drivers of their sessions (scraped, and admitted to the tenant's
 * History Server).
 */
export function servesNotebooks(config: EnvironmentConfig, tenant: TenantConfig): boolean {
  return config.addons?.jupyterhub !== undefined && !tenant.retired && notebookAccountOf(tenant) !== undefined;
}
