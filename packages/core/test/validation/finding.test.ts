import { describe, expect, it } from 'vitest';
import { findingAnnotation, formatFieldPath, formatFinding, hasErrors, type Finding } from '../../src/index.js';
import { applied, nodePool, podTemplate, run, sparkPools, template, tenant } from './fixtures.js';

const finding: Finding = {
  rule: 'driver-on-spot',
  severity: 'error',
  message: 'the driver can land on spot',
  hint: 'select on-demand',
  location: {
    kind: 'object',
    environment: 'prod',
    path: 'pod-templates/ml/driver.yaml',
    object: 'Pod/ml/driver',
    fieldPath: 'spec',
  },
};

describe('formatting', () => {
  it('prints one line per finding', () => {
    expect(formatFinding(finding)).toBe(
      'prod pod-templates/ml/driver.yaml Pod/ml/driver spec: [driver-on-spot] the driver can land on spot — select on-demand',
    );
    expect(formatFinding({ ...finding, severity: 'warning', location: { ...finding.location, fieldPath: '' } })).toBe(
      'prod pod-templates/ml/driver.yaml Pod/ml/driver: warning [driver-on-spot] the driver can land on spot — select on-demand',
    );
  });

  it('builds CI annotations on the committed file', () => {
    expect(findingAnnotation(finding)).toEqual({
      path: 'dist-manifests/prod/pod-templates/ml/driver.yaml',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: '[driver-on-spot] Pod/ml/driver spec',
      message: 'the driver can land on spot — select on-demand',
    });
    expect(findingAnnotation({ ...finding, severity: 'warning' }, 'out').annotation_level).toBe('warning');
  });

  it('writes field paths with brackets for indexes and keys that are not identifiers', () => {
    expect(formatFieldPath(['spec', 'requirements', 0, 'values'])).toBe('spec.requirements[0].values');
    expect(formatFieldPath(['metadata', 'labels', 'karpenter.sh/capacity-type'])).toBe(
      'metadata.labels["karpenter.sh/capacity-type"]',
    );
  });

  it('tells errors from warnings', () => {
    expect(hasErrors([finding])).toBe(true);
    expect(hasErrors([{ ...finding, severity: 'warning' }])).toBe(false);
  });
});

describe('validateObjects', () => {
  it('returns the same findings in the same order whatever the input order', () => {
    const objects = [
      ...sparkPools(),
      ...tenant('spark-ml', { skip: ['NetworkPolicy'], quota: { 'requests.cpu': '999' } }),
      applied(
        'platform/nodepool-bad.yaml',
        nodePool('Bad_Name', {
          budgets: [{ nodes: '101%' }],
          limits: { cpu: '10' },
          taints: [{ key: 'gpu', effect: 'NoSchedule' }],
        }),
      ),
      template('pod-templates/ml/driver.yaml', podTemplate('driver', { tolerations: [] })),
    ];
    const forward = run(objects);
    expect(new Set(forward.map((f) => f.rule))).toEqual(
      new Set(['dns-name', 'budget-format', 'tenant-isolation-missing', 'capacity-unschedulable']),
    );
    expect(run([...objects].reverse())).toEqual(forward);
    const keys = forward.map((f) => `${f.location.path} ${f.location.object} ${f.location.fieldPath} ${f.rule}`);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
