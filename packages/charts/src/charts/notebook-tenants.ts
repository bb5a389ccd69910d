import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';

/** The account a tenant's notebook servers run as: its first `sparkDriver` ServiceAccount. */
export function notebookAccountOf(tenant: ResolvedTenant) {
  return tenant.serviceAccounts.find((entry) => entry.sparkDriver);
}

/**
 * Whether JupyterHub runs notebook servers in the tenant's namespace: the add-on is on, the tenant is active and has a
 * notebook account. Those servers are the Spark drivers of their sessions (scraped, and admitted to the tenant's
 * History Server).
 */
export function servesNotebooks(config: ResolvedEnvironment, tenant: ResolvedTenant): boolean {
  return config.addons?.jupyterhub !== undefined && !tenant.retired && notebookAccountOf(tenant) !== undefined;
}
