import { describe, expect, it } from 'vitest';
import { loadEnvironmentText, renderEnvironment } from '../src/index.js';
import { placementDiagram, type PoolSummary } from '../src/render/readme/placement-diagram.js';
import { committedEnvironmentText } from './committed-environments.js';

/**
 * The environment README's "NodePools and what runs where" as a reviewer reads it on GitHub (the diagrams themselves
 * are rendered by Mermaid in packages/cli/test/readme-diagrams.test.ts).
 */
const readme = (name: string) =>
  renderEnvironment(loadEnvironmentText(committedEnvironmentText(name), `environments/${name}.yaml`).config).files.get(
    'README.md',
  )!;
const ENVIRONMENTS = ['dev', 'staging', 'prod', 'sandbox'];
const diagramOf = (text: string) => /```mermaid\n([\s\S]*?)```/.exec(text)![1]!;
const section = (text: string, heading: string) => {
  const start = text.indexOf(`\n${heading}\n`);
  return text.slice(start + 1, text.indexOf('\n## ', start + 1));
};

describe('the placement diagram', () => {
  it.each(ENVIRONMENTS)(
    '%s: tenants that reach the same pools share one box; edges go from that box, never from namespace to namespace',
    (env) => {
      const diagram = diagramOf(readme(env));
      const boxes = [...diagram.matchAll(/^ {4}(tenants_\w+)\["([^"]+)"\]$/gm)];
      const edges = [...diagram.matchAll(/^ {2}(\w+) (---|-\.-)\|"[^"]+"\| (\w+)$/gm)];
      expect(edges.length).toBeGreaterThan(0);
      for (const [, from, , to] of edges) {
        const ends = [from, to].filter((node) => node!.startsWith('tenants_'));
        expect(ends, `${from} -> ${to}`).toHaveLength(1); // a tenant box to a pool (or a Fargate profile), nothing else
      }
      const boxIds = boxes.map(([, box]) => box);
      const signatures = boxIds.map((box) =>
        edges
          .filter((edge) => edge[1] === box || edge[3] === box)
          .map((edge) => `${edge[2]} ${edge[1] === box ? edge[3] : edge[1]}`)
          .sort()
          .join(),
      );
      expect(new Set(signatures).size, 'two boxes reach the same pools').toBe(signatures.length);
    },
  );

  it('dev: its three tenants share every pool, so one box; edges say what runs there and on which capacity', () => {
    const diagram = diagramOf(readme('dev'));
    expect(diagram).toContain(
      '    tenants_app_dev["app-dev (spark-app-dev)<br/>data-eng (spark-data-eng)<br/>ml (spark-ml)"]',
    );
    expect(diagram).toContain('  pool_spark_driver ---|"drivers, on-demand"| tenants_app_dev');
    expect(diagram).toContain('  tenants_app_dev ---|"executors, spot first"| pool_spark_executor_spot');
    expect(diagram).toContain(
      '  tenants_app_dev ---|"executors,<br/>on-demand fallback"| pool_spark_executor_on_demand',
    );
    expect(diagram).not.toMatch(/"executors"/);
  });

  it('prod: offered classes name the class and the role; an on-demand-only class is not called a fallback', () => {
    const diagram = diagramOf(readme('prod'));
    expect(diagram).toContain('  pool_spark_gpu_driver -.-|"jobs asking for gpu:<br/>drivers, on-demand"| tenants_ml');
    expect(diagram).toContain(
      '  tenants_ml -.-|"jobs asking for gpu:<br/>executors, on-demand"| pool_spark_gpu_executor_on_demand',
    );
    expect(diagram).not.toContain('jobs asking for its class');
  });

  it("prod: the memory-nvme driver pool, which no tenant's pods reach, says so and why", () => {
    const text = readme('prod');
    expect(diagramOf(text)).toContain(
      'pool_spark_memory_nvme_driver[("spark-memory-nvme-driver<br/>class memory-nvme, on-demand<br/>no tenant\'s pods")]',
    );
    expect(text).toContain(
      "| `spark-memory-nvme-driver` | memory-nvme | on-demand | 50 CPU, 400Gi memory | no tenant: ml uses class memory-nvme for executors only and runs its drivers on another class's pool |",
    );
  });

  it.each(ENVIRONMENTS)(
    '%s: node labels wrap at the width the diagram sets, wide enough for every pool name; edge lines stay under 200 px',
    (env) => {
      const diagram = diagramOf(readme(env));
      expect(diagram.startsWith('---\nconfig:\n  flowchart:\n    wrappingWidth: 400\n---\nflowchart LR\n')).toBe(true);
      for (const [, label] of diagram.matchAll(/\|"([^"]+)"\|/g)) {
        for (const line of label!.split('<br/>')) expect(line.length, line).toBeLessThanOrEqual(24);
      }
    },
  );

  it('an on-demand executor pool is a fallback only where its class has spot executors', () => {
    const pools: PoolSummary[] = [
      { name: 'd', capacityTypes: ['on-demand'], role: 'driver' },
      { name: 'od', capacityTypes: ['on-demand'], role: 'executor', capacityClass: 'gpu' },
    ];
    const diagram = placementDiagram(
      [{ tenant: 't', namespace: 'n', driverPools: ['d'], executorPools: ['od'] }],
      pools,
    );
    expect(diagram).toContain('tenants_t ---|"executors, on-demand"| pool_od');
  });
});

describe("the section's headings and sentences", () => {
  it.each(ENVIRONMENTS)(
    '%s: the pool table and diagram come right under "## NodePools and what runs where", subsections after them',
    (env) => {
      const nodePools = section(readme(env), '## NodePools and what runs where');
      const afterHeading = nodePools.split('\n')[1];
      expect(afterHeading).toMatch(/^\| NodePool \|/);
      const firstSubsection = nodePools.indexOf('\n### ');
      if (firstSubsection !== -1) expect(nodePools.indexOf('```mermaid')).toBeLessThan(firstSubsection);
    },
  );

  it('prod and staging: "### Capacity classes" and "### Single-AZ jobs" hold only their own text', () => {
    expect(section(readme('prod'), '## NodePools and what runs where').split('### Capacity classes')[1]).not.toContain(
      '| NodePool |',
    );
    expect(section(readme('staging'), '## NodePools and what runs where').split('### Single-AZ jobs')[1]).not.toContain(
      '| NodePool |',
    );
  });

  it.each(['dev', 'sandbox'])('%s: the sentence on where pods run has its separator', (env) => {
    expect(readme(env)).toContain(
      'executors spot first with on-demand fallback;\nno pod size limit beyond the instance types.',
    );
  });

  it('prod: the capacity-class sentence does not say `default` is labelled and tainted', () => {
    const classes = readme('prod');
    expect(classes).toContain(
      'Each named class has its own on-demand driver pool and executor pools, labelled and tainted',
    );
    expect(classes).toContain("`default` is the environment's own pools, which carry no class label or taint.");
    expect(classes).not.toContain('all labelled and tainted');
  });

  it('the sizes paragraph follows the Tenants table it explains', () => {
    const tenants = section(readme('dev'), '## Tenants');
    expect(tenants).toContain("Driver and executor sizes are each tenant's `spark-defaults`");
  });
});
