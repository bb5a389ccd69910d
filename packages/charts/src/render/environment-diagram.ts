import type { CapacityType } from '@emr-eks-gitops/core';

/** Where one tenant's pods go: the NodePools its drivers (and EMR's job runner) and its executors can reach. */
export interface TenantPlacementSummary {
  readonly tenant: string;
  readonly namespace: string;
  readonly driverPools: readonly string[];
  readonly executorPools: readonly string[];
  /** The Fargate profile that runs all of the tenant's pods instead (no NodePool then). */
  readonly fargateProfile?: string;
}

/** A NodePool as the README shows it. */
export interface PoolSummary {
  readonly name: string;
  readonly capacityTypes: readonly CapacityType[];
  readonly limits?: { readonly cpu?: string | number; readonly memory?: string | number };
}

const id = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;

/**
 * A Mermaid flowchart of tenants -> namespaces -> NodePools: which pools each tenant's drivers and executors land on.
 * Built from the placements the pod templates were rendered from, so it cannot disagree with them.
 */
export function placementDiagram(tenants: readonly TenantPlacementSummary[], pools: readonly PoolSummary[]): string {
  const lines = ['```mermaid', 'flowchart LR'];
  lines.push('  subgraph Tenants');
  for (const t of tenants) lines.push(`    ${id('tenant', t.tenant)}(["${t.tenant}"])`);
  lines.push('  end', '  subgraph Namespaces');
  for (const t of tenants) lines.push(`    ${id('ns', t.namespace)}["${t.namespace}"]`);
  lines.push('  end', '  subgraph NodePools["Karpenter NodePools"]');
  for (const pool of pools) lines.push(`    ${id('pool', pool.name)}[("${pool.name}<br/>${pool.capacityTypes.join(', ')}")]`);
  lines.push('  end');
  for (const t of tenants) {
    lines.push(`  ${id('tenant', t.tenant)} --> ${id('ns', t.namespace)}`);
    for (const pool of t.driverPools) lines.push(`  ${id('ns', t.namespace)} -- "drivers, job runner" --> ${id('pool', pool)}`);
    for (const pool of t.executorPools) lines.push(`  ${id('ns', t.namespace)} -- executors --> ${id('pool', pool)}`);
    if (t.fargateProfile) lines.push(`  ${id('ns', t.namespace)} -- "every pod" --> ${id('fargate', t.fargateProfile)}{{"Fargate profile<br/>${t.fargateProfile}"}}`);
  }
  lines.push('```');
  return lines.join('\n');
}

/** The README's "NodePools and what runs where": a table of pools with the pods that land there, and the diagram. */
export function placementSection(tenants: readonly TenantPlacementSummary[], pools: readonly PoolSummary[]): string {
  const who = (pool: string) => {
    const drivers = tenants.filter((t) => t.driverPools.includes(pool)).map((t) => t.tenant);
    const executors = tenants.filter((t) => t.executorPools.includes(pool)).map((t) => t.tenant);
    return [
      ...(drivers.length > 0 ? [`drivers and job runners of ${drivers.join(', ')}`] : []),
      ...(executors.length > 0 ? [`executors of ${executors.join(', ')}`] : []),
    ].join('; ') || 'no tenant';
  };
  const rows = pools.map((pool) => `| \`${pool.name}\` | ${pool.capacityTypes.join(', ')} | ${pool.limits?.cpu ?? 'unlimited'} CPU, ${pool.limits?.memory ?? 'unlimited'} memory | ${who(pool.name)} |`);
  return ['| NodePool | capacity | limits | what runs there |', '|---|---|---|---|', ...rows, '', placementDiagram(tenants, pools)].join('\n');
}
