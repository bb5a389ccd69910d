import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applied, ec2NodeClass, ofRule, podTemplate, run, sparkPools, template, tenant } from './fixtures.js';

describe('a complete, valid platform', () => {
  it('has no findings at all', () => {
    const findings = run(
      [
        ...tenant(),
        ...sparkPools(),
        applied('platform/ec2nodeclass-spark.yaml', ec2NodeClass()),
        template('pod-templates/ml/driver.yaml', podTemplate('driver')),
        template('pod-templates/ml/executor.yaml', podTemplate('executor')),
      ],
      true,
    );
    expect(findings).toEqual([]);
  });
});

describe('schema', () => {
  it('reports values the kind schema refuses, at their field', () => {
    const [quota] = tenant('spark-ml', { quota: { 'requests.cpu': 'lots' } }).filter(
      (o) => o.object.kind === 'ResourceQuota',
    );
    const findings = ofRule(run([quota!]), 'schema');
    expect(findings.map((f) => f.location.fieldPath)).toEqual(['spec.hard["requests.cpu"]']);
    expect(findings[0]!.location.object).toBe('ResourceQuota/spark-ml/tenant-quota');
  });

  it('reports a missing required field and an out-of-range weight of a NodePool', () => {
    const [pool] = sparkPools();
    const spec = pool!.object.spec as Record<string, unknown>;
    const broken = {
      ...pool!,
      object: { ...pool!.object, spec: { ...spec, weight: 200, disruption: { consolidationPolicy: 'WhenEmpty' } } },
    };
    expect(
      ofRule(run([broken]), 'schema')
        .map((f) => f.location.fieldPath)
        .sort(),
    ).toEqual(['spec.disruption.consolidateAfter', 'spec.weight']);
  });
});

describe('unknown-field', () => {
  it('finds a misspelled field in a built-in kind and suggests the right one', () => {
    const findings = ofRule(
      run([applied('ns.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', lables: { x: 'y' } } })]),
      'unknown-field',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ location: { fieldPath: 'metadata.lables' }, hint: 'did you mean "labels"?' });
  });

  it('finds misspelled fields deep in a CRD object and in its metadata', () => {
    const [pool] = sparkPools();
    const object = structuredClone(pool!.object) as any;
    object.spec.template.spec.taint = object.spec.template.spec.taints;
    delete object.spec.template.spec.taints;
    object.metadata.annotation = {};
    const fields = ofRule(run([{ ...pool!, object }]), 'unknown-field').map((f) => f.location.fieldPath);
    expect(fields).toEqual(['metadata.annotation', 'spec.template.spec.taint']);
  });

  it('follows maps and stops at preserve-unknown-fields (Helm values)', () => {
    const release = applied('addons/helmrelease-jupyterhub.yaml', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'jupyterhub', namespace: 'jupyterhub' },
      spec: {
        interval: '10m',
        chart: { spec: { chart: 'jupyterhub', sourceRef: { kind: 'HelmRepository', name: 'jupyterhub' } } },
        values: { anything: { goes: true } },
      },
    });
    expect(run([release])).toEqual([]);
  });
});

describe('unknown-kind and schemaDir', () => {
  const widget = applied('addons/widget-a.yaml', {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'a' },
    spec: { size: 'big' },
  });

  it('refuses a kind it has no schema for', () => {
    const findings = run([widget]);
    expect(findings.map((f) => f.rule)).toEqual(['unknown-kind']);
    expect(findings[0]!.hint).toContain('widget-example.com-v1.json');
  });

  it('uses a kubeconform-style schema folder for unknown kinds and instead of built-in schemas', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    writeFileSync(
      join(dir, 'widget-example.com-v1.json'),
      JSON.stringify({
        type: 'object',
        additionalProperties: false,
        properties: {
          apiVersion: {},
          kind: {},
          metadata: { type: 'object' },
          spec: { type: 'object', properties: { size: { type: 'integer' } } },
        },
      }),
    );
    writeFileSync(join(dir, 'namespace-v1.json'), JSON.stringify({ type: 'object', required: ['spec'] }));
    const findings = run([widget, ...tenant().slice(0, 1)], false, dir);
    const summary = findings.map((f) => `${f.rule} ${f.location.object} ${f.location.fieldPath}`.trim()).sort();
    expect(summary).toEqual([
      'schema Namespace/spark-ml spec', // the folder's namespace-v1.json replaced the built-in schema
      'schema Widget/a spec.size',
      'tenant-isolation-missing Namespace/spark-ml',
      'tenant-isolation-missing Namespace/spark-ml',
      'tenant-isolation-missing Namespace/spark-ml',
    ]);
  });
});

describe('dns-name and label-syntax', () => {
  const ns = (name: string, labels: Record<string, string> = {}) =>
    applied(`ns-${name}.yaml`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

  it('requires DNS labels for namespaces and subdomains for most kinds', () => {
    expect(
      ofRule(run([ns('Spark_ML'), ns('a'.repeat(64)), ns('spark-ml')]), 'dns-name')
        .map((f) => f.location.object)
        .sort(),
    ).toEqual(['Namespace/Spark_ML', `Namespace/${'a'.repeat(64)}`]);
    const configMap = (name: string) =>
      applied(`cm-${name}.yaml`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'spark-ml' } });
    expect(
      ofRule(run([configMap('spark.defaults-v1'), configMap('-bad')]), 'dns-name').map((f) => f.location.object),
    ).toEqual(['ConfigMap/spark-ml/-bad']);
  });

  it('accepts RBAC path-segment names such as system:aggregate-to-edit', () => {
    const role = (name: string) =>
      applied(`cr-${name}.yaml`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: [],
      });
    expect(
      ofRule(run([role('system:aggregate-to-edit'), role('a/b')]), 'dns-name').map((f) => f.location.object),
    ).toEqual(['ClusterRole/a/b']);
  });

  it('requires a name on applied objects but not on pod templates', () => {
    expect(
      ofRule(run([applied('cm.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })]), 'dns-name'),
    ).toHaveLength(1);
    expect(ofRule(run([template('pod-templates/driver.yaml', podTemplate('driver'))]), 'dns-name')).toEqual([]);
  });

  it('checks label keys and values', () => {
    const findings = ofRule(
      run([ns('spark-ml', { 'team name': 'ml', 'Example.COM/x': 'y', ok: 'has space', 'example.com/fine': 'v1.2_3' })]),
      'label-syntax',
    );
    expect(findings.map((f) => f.location.fieldPath).sort()).toEqual(
      ['metadata.labels.ok', 'metadata.labels["Example.COM/x"]', 'metadata.labels["team name"]'].sort(),
    );
  });
});
