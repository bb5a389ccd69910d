import { describe, expect, it } from 'vitest';
import { applied, nodePool, ofRule, run, sparkPools } from './fixtures.js';

/** Which applied workloads the capacity rule places on the rendered NodePools, and which it leaves to other capacity. */
const podSpec = (spec: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', image: 'nginx:1.27' }],
  ...spec,
});
const workload = (kind: string, spec: Record<string, unknown> = {}): ReturnType<typeof applied> => {
  const template = { metadata: { labels: { app: 'x' } }, spec: podSpec(spec) };
  const bodies: Record<string, [string, Record<string, unknown>]> = {
    Pod: ['v1', podSpec(spec)],
    Deployment: ['apps/v1', { selector: { matchLabels: { app: 'x' } }, template }],
    StatefulSet: ['apps/v1', { selector: { matchLabels: { app: 'x' } }, serviceName: 'x', template }],
    Job: ['batch/v1', { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }],
    CronJob: [
      'batch/v1',
      {
        schedule: '0 * * * *',
        jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } },
      },
    ],
  };
  const [apiVersion, body] = bodies[kind]!;
  return applied(`addons/${kind.toLowerCase()}-x.yaml`, {
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'tools' },
    spec: body,
  });
};
const unschedulable = (...objects: ReturnType<typeof applied>[]) =>
  ofRule(run([...sparkPools(), ...objects]), 'capacity-unschedulable');
const affinity = (...matchExpressions: Record<string, unknown>[]) => ({
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
  },
});

describe('capacity-unschedulable on applied workloads', () => {
  it('reads the pod spec of every workload kind Karpenter launches nodes for, at its own path', () => {
    expect(unschedulable(workload('Pod')).map((f) => f.location.fieldPath)).toEqual(['spec']);
    expect(unschedulable(workload('Deployment')).map((f) => f.location.fieldPath)).toEqual(['spec.template.spec']);
    expect(unschedulable(workload('StatefulSet')).map((f) => f.location.fieldPath)).toEqual(['spec.template.spec']);
    expect(unschedulable(workload('Job')).map((f) => f.location.fieldPath)).toEqual(['spec.template.spec']);
    expect(unschedulable(workload('CronJob')).map((f) => f.location.fieldPath)).toEqual([
      'spec.jobTemplate.spec.template.spec',
    ]);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'not on a Karpenter node (karpenter.sh/nodepool DoesNotExist)',
      affinity({ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }),
    ],
    [
      "on EKS Auto Mode's built-in pools",
      affinity({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['system', 'general-purpose'] }),
    ],
    ['on a managed node group', { nodeSelector: { 'eks.amazonaws.com/nodegroup': 'system' } }],
    ['on Fargate by compute type', affinity({ key: 'eks.amazonaws.com/compute-type', operator: 'Exists' })],
  ])('leaves a workload pinned %s to that capacity', (_, spec) => {
    expect(unschedulable(workload('Deployment', spec))).toEqual([]);
  });

  it('judges workloads that only partly name other capacity', () => {
    // One built-in pool and one of ours: the rendered pools must take it.
    expect(
      unschedulable(
        workload(
          'Deployment',
          affinity({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['system', 'spark-driver'] }),
        ),
      ),
    ).toHaveLength(1);
    expect(
      unschedulable(
        workload('Deployment', affinity({ key: 'karpenter.sh/nodepool', operator: 'NotIn', values: ['spark-driver'] })),
      ),
    ).toHaveLength(1);
    // A pod labelled for a Fargate profile is the Fargate scheduler's.
    const fargate = applied('addons/pod-f.yaml', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'f', namespace: 'tools', labels: { 'eks.amazonaws.com/fargate-profile': 'tools' } },
      spec: podSpec(),
    });
    expect(unschedulable(fargate)).toEqual([]);
  });

  it('a pool without taints and without a capacity-type requirement takes on-demand pods; PreferNoSchedule keeps none off', () => {
    const open = applied('platform/nodepool-open.yaml', {
      ...nodePool('open', { taints: [{ key: 'soft', value: 'x', effect: 'PreferNoSchedule' }] }),
    });
    const spec = (open.object as { spec: { template: { spec: { requirements: { key: string }[] } } } }).spec.template
      .spec;
    spec.requirements = spec.requirements.filter((r) => r.key !== 'karpenter.sh/capacity-type');
    expect(
      ofRule(
        run([open, workload('Deployment', { nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' } })]),
        'capacity-unschedulable',
      ),
    ).toEqual([]);
    expect(
      ofRule(
        run([open, workload('Deployment', { nodeSelector: { 'karpenter.sh/capacity-type': 'spot' } })]),
        'capacity-unschedulable',
      )[0]!.message,
    ).toBe('fits no NodePool: open requires karpenter.sh/capacity-type In [spot], which its nodes cannot have');
  });
});
