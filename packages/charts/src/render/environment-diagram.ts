import type { CapacityType } from '@emr-eks-gitops/core';

/** Where one tenant's pods go: the NodePools its drivers (and EMR's job runner) and its executors can reach. */
export interface TenantPlacementSummary {
  readonly tenant: string;
  readonly namespace: string;
  readonly driverPools: readonly string[];
  readonly executorPools: readonly string[];
  /** Pools of the capacity classes a job of the tenant may ask for instead (its pod-template variants). */
  readonly offeredPools?: readonly string[];
  /** The Fargate profile that runs all of the tenant's pods instead (no NodePool then). */
  readonly fargateProfile?: string;
}

/** A NodePool as the README shows it. */
export interface PoolSummary {
  readonly name: string;
  readonly capacityTypes: readonly CapacityType[];
  readonly limits?: { readonly cpu?: string | number; readonly memory?: string | number };
  /** The capacity class the pool belongs to (`default` for the environment's own pools). */
  readonly capacityClass?: string;
}

/** Whether the environment has named capacity classes (the README then shows each pool's class). */
const hasClasses = (pools: readonly PoolSummary[]) => pools.some((pool) => (pool.capacityClass ?? 'default') !== 'default');

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
  // "NodePools", not "Karpenter NodePools": on EKS Auto Mode they are Auto Mode's.
  lines.push('  end', '  subgraph NodePools["NodePools"]');
  const classed = hasClasses(pools);
  for (const pool of pools) {
    const what = classed ? `class ${pool.capacityClass ?? 'default'}, ${pool.capacityTypes.join(', ')}` : pool.capacityTypes.join(', ');
    lines.push(`    ${id('pool', pool.name)}[("${pool.name}<br/>${what}")]`);
  }
  lines.push('  end');
  for (const t of tenants) {
    lines.push(`  ${id('tenant', t.tenant)} --> ${id('ns', t.namespace)}`);
    for (const pool of t.driverPools) lines.push(`  ${id('ns', t.namespace)} -- "drivers, job runner" --> ${id('pool', pool)}`);
    for (const pool of t.executorPools) lines.push(`  ${id('ns', t.namespace)} -- executors --> ${id('pool', pool)}`);
    for (const pool of t.offeredPools ?? []) lines.push(`  ${id('ns', t.namespace)} -. "jobs asking for its class" .-> ${id('pool', pool)}`);
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
    const offered = tenants.filter((t) => t.offeredPools?.includes(pool)).map((t) => t.tenant);
    return [
      ...(drivers.length > 0 ? [`drivers and job runners of ${drivers.join(', ')}`] : []),
      ...(executors.length > 0 ? [`executors of ${executors.join(', ')}`] : []),
      ...(offered.length > 0 ? [`jobs of ${offered.join(', ')} that ask for this class`] : []),
    ].join('; ') || 'no tenant';
  };
  // The class column appears only with named classes, so an environment without them renders as before.
  const classed = hasClasses(pools);
  const rows = pools.map((pool) => `| \`${pool.name}\` |${classed ? ` ${pool.capacityClass ?? 'default'} |` : ''} ${pool.capacityTypes.join(', ')} | ${pool.limits?.cpu ?? 'unlimited'} CPU, ${pool.limits?.memory ?? 'unlimited'} memory | ${who(pool.name)} |`);
  const header = classed ? ['| NodePool | class | capacity | limits | what runs there |', '|---|---|---|---|---|'] : ['| NodePool | capacity | limits | what runs there |', '|---|---|---|---|'];
  return [...header, ...rows, '', placementDiagram(tenants, pools)].join('\n');
}
