import { createHash } from 'node:crypto';

/** Namespace of the Spark History Servers (reserved: never a tenant's). */
export const HISTORY_SERVER_NAMESPACE = 'spark-history';

/** The history server of one tenant: `spark-history-<tenant>`, shortened with a hash when that is over 63 characters. */
export function historyServerName(tenant: string): string {
  const name = `spark-history-${tenant}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 8);
  return `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}
