import type { PoolSummary, TenantPlacementSummary } from '../../charts/summaries.js';

export type { PoolSummary, TenantPlacementSummary };

/**
 * The width at which Mermaid wraps a node label (its `flowchart.wrappingWidth`, 200 px by default: mermaid's
 * config schema). Pool names such as `spark-memory-nvme-executor-nvme-on-demand` are wider than 200 px and were cut
 * mid-name, so every diagram sets it in its front matter (Mermaid 10.5+, mermaid-js/mermaid#4750); the README test
 * renders each diagram and checks that no label reaches it.
 */
export const DIAGRAM_WRAPPING_WIDTH = 400;

/**
 * Mermaid wraps edge labels at a fixed 200 px whatever the config says (its createText default): labels are broken
 * at 24 characters (about 180 px in Mermaid's font), after a comma or colon where one is, never inside a word.
 */
const EDGE_LINE_CHARACTERS = 24;

function edgeLabel(text: string): string {
  const lines: string[] = [];
  const add = (piece: string) => {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${piece}`.length <= EDGE_LINE_CHARACTERS)
      lines[lines.length - 1] = `${last} ${piece}`;
    else lines.push(piece);
  };
  for (const phrase of text.split(/(?<=[,:]) /)) {
    if (phrase.length <= EDGE_LINE_CHARACTERS) add(phrase);
    else {
      lines.push('');
      for (const word of phrase.split(' ')) lines.at(-1) === '' ? (lines[lines.length - 1] = word) : add(word);
    }
  }
  return lines.join('<br/>');
}

const classOf = (pool: PoolSummary) => pool.capacityClass ?? 'default';

/** Whether the environment has named capacity classes (the README then shows each pool's class). */
const hasClasses = (pools: readonly PoolSummary[]) => pools.some((pool) => classOf(pool) !== 'default');

const id = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;

/** What runs on a pool and on which capacity, as its edges say it: "executors, spot first". */
export function poolUse(pool: PoolSummary, pools: readonly PoolSummary[]): string {
  if (pool.role === 'driver') return 'drivers, on-demand';
  if (pool.capacityTypes.includes('spot')) return 'executors, spot first';
  // On-demand executors are a fallback only where the same class has spot executor pools to fall back from.
  const spotInClass = pools.some(
    (other) => other.role === 'executor' && classOf(other) === classOf(pool) && other.capacityTypes.includes('spot'),
  );
  return spotInClass ? 'executors, on-demand fallback' : 'executors, on-demand';
}

/** Tenants whose pods reach exactly the same pools: one box in the diagram, so no edge crosses another tenant's box. */
interface TenantGroup {
  readonly tenants: readonly TenantPlacementSummary[];
  readonly first: TenantPlacementSummary;
}

function groupTenants(tenants: readonly TenantPlacementSummary[]): TenantGroup[] {
  const groups = new Map<string, TenantPlacementSummary[]>();
  for (const t of tenants) {
    const key = JSON.stringify([t.driverPools, t.executorPools, t.offeredPools ?? [], t.fargateProfile ?? '']);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()].map((members) => ({ tenants: members, first: members[0]! }));
}

/** Pools that no tenant's pods reach, and why: the README says so instead of leaving a box without edges unexplained. */
function unusedReason(
  pool: PoolSummary,
  pools: readonly PoolSummary[],
  tenants: readonly TenantPlacementSummary[],
): string | undefined {
  const reaches = (t: TenantPlacementSummary, name: string) =>
    [...t.driverPools, ...t.executorPools, ...(t.offeredPools ?? [])].includes(name);
  if (tenants.some((t) => reaches(t, pool.name))) return undefined;
  const classPools = pools.filter((other) => classOf(other) === classOf(pool)).map((other) => other.name);
  const users = tenants.filter((t) => classPools.some((name) => reaches(t, name)));
  if (users.length === 0) return `no tenant: no tenant uses class ${classOf(pool)}`;
  const elsewhere = pool.role === 'driver' ? 'drivers' : 'executors';
  return `no tenant: ${users.map((t) => t.tenant).join(', ')} ${users.length === 1 ? 'uses' : 'use'} class ${classOf(pool)} for ${pool.role === 'driver' ? 'executors' : 'drivers'} only and ${users.length === 1 ? 'runs its' : 'run their'} ${elsewhere} on another class's pool`;
}

/**
 * A Mermaid flowchart of tenants (with their namespaces) -> NodePools, each edge saying what runs there and on which
 * capacity. Tenants that reach the same pools share one box. Built from the placements the pod templates were
 * rendered from, so it cannot disagree with them.
 */
export function placementDiagram(tenants: readonly TenantPlacementSummary[], pools: readonly PoolSummary[]): string {
  const lines = [
    '```mermaid',
    '---',
    'config:',
    '  flowchart:',
    `    wrappingWidth: ${DIAGRAM_WRAPPING_WIDTH}`,
    '---',
    'flowchart LR',
  ];
  const groups = groupTenants(tenants);
  const classed = hasClasses(pools);
  // Driver pools left of the tenants, executor pools right of them: a tenant's driver and executor edges leave its box
  // on opposite sides, and an edge to a pool another tenant shares runs in a gap, not through a box.
  // "NodePools", not "Karpenter NodePools": on EKS Auto Mode they are Auto Mode's.
  const poolBox = (role: PoolSummary['role'], title: string) => {
    lines.push(`  subgraph ${role}_pools["${title}"]`);
    for (const pool of pools.filter((p) => p.role === role)) {
      const what = classed ? `class ${classOf(pool)}, ${pool.capacityTypes.join(', ')}` : pool.capacityTypes.join(', ');
      const unused = unusedReason(pool, pools, tenants) ? "<br/>no tenant's pods" : '';
      lines.push(`    ${id('pool', pool.name)}[("${pool.name}<br/>${what}${unused}")]`);
    }
    lines.push('  end');
  };
  poolBox('driver', 'driver NodePools');
  lines.push('  subgraph Tenants["tenant (namespace)"]');
  for (const group of groups) {
    lines.push(
      `    ${id('tenants', group.first.tenant)}["${group.tenants.map((t) => `${t.tenant} (${t.namespace})`).join('<br/>')}"]`,
    );
  }
  lines.push('  end');
  poolBox('executor', 'executor NodePools');
  const byName = new Map(pools.map((pool) => [pool.name, pool]));
  for (const { first } of groups) {
    const from = id('tenants', first.tenant);
    const edge = (name: string, offered: boolean) => {
      const pool = byName.get(name);
      const label = edgeLabel(
        pool ? `${offered ? `jobs asking for ${classOf(pool)}: ` : ''}${poolUse(pool, pools)}` : 'pods',
      );
      // Lines without arrowheads (Mermaid draws none at the start of `<---`): a driver pool's edge is written from the
      // pool, which ranks it left of the tenant; solid for the tenant's own pods, dotted for jobs that ask for a class.
      const link = offered ? '-.-' : '---';
      lines.push(
        pool?.role === 'driver'
          ? `  ${id('pool', name)} ${link}|"${label}"| ${from}`
          : `  ${from} ${link}|"${label}"| ${id('pool', name)}`,
      );
    };
    for (const name of [...first.driverPools, ...first.executorPools]) edge(name, false);
    for (const name of first.offeredPools ?? []) edge(name, true);
    if (first.fargateProfile)
      lines.push(
        `  ${from} ---|"every pod"| ${id('fargate', first.fargateProfile)}{{"Fargate profile<br/>${first.fargateProfile}"}}`,
      );
  }
  lines.push('```');
  return lines.join('\n');
}

/** The README's "NodePools and what runs where": a table of pools with the pods that land there, and the diagram. */
export function placementSection(tenants: readonly TenantPlacementSummary[], pools: readonly PoolSummary[]): string {
  const who = (pool: PoolSummary) => {
    const use = poolUse(pool, pools).replace(/^\w+, /, '');
    const drivers = tenants.filter((t) => t.driverPools.includes(pool.name)).map((t) => t.tenant);
    const executors = tenants.filter((t) => t.executorPools.includes(pool.name)).map((t) => t.tenant);
    const offered = tenants.filter((t) => t.offeredPools?.includes(pool.name)).map((t) => t.tenant);
    return (
      [
        ...(drivers.length > 0 ? [`drivers and job runners of ${drivers.join(', ')}`] : []),
        ...(executors.length > 0 ? [`executors of ${executors.join(', ')} (${use})`] : []),
        ...(offered.length > 0
          ? [
              `${pool.role === 'driver' ? 'drivers and job runners' : `executors (${use})`} of the jobs of ${offered.join(', ')} that ask for class ${classOf(pool)}`,
            ]
          : []),
      ].join('; ') || unusedReason(pool, pools, tenants)!
    );
  };
  // The class column appears only with named classes, so an environment without them renders as before.
  const classed = hasClasses(pools);
  const rows = pools.map(
    (pool) =>
      `| \`${pool.name}\` |${classed ? ` ${classOf(pool)} |` : ''} ${pool.capacityTypes.join(', ')} | ${pool.limits?.cpu ?? 'unlimited'} CPU, ${pool.limits?.memory ?? 'unlimited'} memory | ${who(pool)} |`,
  );
  const header = classed
    ? ['| NodePool | class | capacity | limits | what runs there |', '|---|---|---|---|---|']
    : ['| NodePool | capacity | limits | what runs there |', '|---|---|---|---|'];
  return [...header, ...rows, '', placementDiagram(tenants, pools)].join('\n');
}
