import { describe, expect, it } from 'vitest';
import { ApiObject, App, Chart } from 'cdk8s';
import { synthesizeCharts } from '../src/render/synth.js';

/** An app whose charts depend on each other across charts, within a chart and through a nested chart. */
function app(): Chart[] {
  const root = new App();
  const platform = new Chart(root, 'platform', { labels: { layer: 'platform' } });
  const a = new ApiObject(platform, 'a', { apiVersion: 'v1', kind: 'ConfigMap', data: { z: '1', a: '2' } });
  const b = new ApiObject(platform, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
  a.addDependency(b);
  const tenant = new Chart(root, 'tenant', { namespace: 'team' });
  const c = new ApiObject(tenant, 'c', { apiVersion: 'v1', kind: 'ServiceAccount' });
  c.addDependency(a);
  const nested = new Chart(tenant, 'nested');
  new ApiObject(nested, 'd', { apiVersion: 'v1', kind: 'Secret' });
  const last = new Chart(root, 'last');
  new ApiObject(last, 'e', { apiVersion: 'v1', kind: 'ConfigMap' });
  new ApiObject(last, 'f', { apiVersion: 'v1', kind: 'ConfigMap' }).addDependency(last.node.findChild('e'));
  const plain = new Chart(root, 'plain'); // no dependencies at all: the construct tree's order
  for (const id of ['z', 'b', '10', '2']) new ApiObject(plain, id, { apiVersion: 'v1', kind: 'ConfigMap' });
  const numbered = new Chart(root, '7');
  new ApiObject(numbered, 'g', { apiVersion: 'v1', kind: 'ConfigMap' });
  return [platform, tenant, nested, last, plain, numbered];
}

describe('synthesizeCharts', () => {
  it('gives every chart exactly what chart.toJson() gives, in the same order', () => {
    const expected = app().map((chart) => chart.toJson());
    expect(synthesizeCharts(app())).toEqual(expected);
    expect(expected.flat().length).toBe(11);
  });

  it('validates the app like toJson() does', () => {
    const charts = app();
    charts[1]!.node.addValidation({ validate: () => ['not valid'] });
    expect(() => synthesizeCharts(charts)).toThrow(/not valid/);
  });
});
