import { describe, expect, it } from 'vitest';
import { loadEnvironmentText, renderEnvironment } from '@emr-eks-gitops/charts';
import { validateObjects } from '@emr-eks-gitops/core';

// The bench is a script of the workspace root; its generator is what `pnpm bench` measures.
const bench = '../../../bench/render.bench.mjs';
const { syntheticEnvironment } = (await import(bench)) as { syntheticEnvironment: (count: number) => string };

describe("pnpm bench's synthetic environment", () => {
  it('is prod with its tenants cloned, and renders and validates without a problem (so the bench measures real output)', () => {
    const { config } = loadEnvironmentText(syntheticEnvironment(7), 'environments/bench.yaml');
    expect(config.tenants.map((t) => t.name)).toEqual([
      'app-dev-0000',
      'data-eng-0001',
      'ml-0002',
      'app-dev-0003',
      'data-eng-0004',
      'ml-0005',
      'app-dev-0006',
    ]);
    const result = renderEnvironment(config);
    const findings = validateObjects(result.objects, {
      environment: config.name,
      production: config.production ?? false,
      kubernetesVersion: config.cluster.kubernetesVersion,
    });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.files.has('artifacts/tenants/ml-0005/classes/gpu/pod-templates/executor.yaml')).toBe(true);
  });
});
