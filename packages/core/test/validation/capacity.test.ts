import { describe, expect, it } from 'vitest';
import { applied, nodePool, ofRule, podTemplate, run, sparkPools, template } from './fixtures.js';

const driver = (spec: Record<string, unknown> = {}) =>
  template('pod-templates/ml/driver.yaml', podTemplate('driver', spec));
const executor = (spec: Record<string, unknown> = {}) =>
  template('pod-templates/ml/executor.yaml', podTemplate('executor', spec));
const capacityRules = ['capacity-unschedulable', 'driver-on-spot', 'executor-spot-first', 'quota-exceeds-capacity'];
const capacity = (findings: ReturnType<typeof run>) => findings.filter((f) => capacityRules.includes(f.rule));

describe('capacity-unschedulable', () => {
  it('passes pods that tolerate their pool and select what it offers', () => {
    expect(capacity(run([...sparkPools(), driver(), executor()]))).toEqual([]);
  });

  it('is skipped when the set has no NodePools', () => {
    expect(capacity(run([driver({ tolerations: [] })]))).toEqual([]);
  });

  it('reports a pod that tolerates no pool taint, naming each pool and why', () => {
    const findings = ofRule(run([...sparkPools(), driver({ tolerations: [] })]), 'capacity-unschedulable');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ location: { fieldPath: 'spec', object: 'Pod/(unnamed)' } });
    expect(findings[0]!.message).toContain('spark-driver does not tolerate taint spark=driver:NoSchedule');
  });

  it('matches toleration effect and operator as the scheduler does', () => {
    const wrongEffect = [{ key: 'spark', operator: 'Equal', value: 'driver', effect: 'NoExecute' }];
    expect(ofRule(run([...sparkPools(), driver({ tolerations: wrongEffect })]), 'capacity-unschedulable')).toHaveLength(
      1,
    );
    const wrongValue = [{ key: 'spark', value: 'executor' }];
    expect(ofRule(run([...sparkPools(), driver({ tolerations: wrongValue })]), 'capacity-unschedulable')).toHaveLength(
      0,
    ); // fits the executor pool's on-demand side
    expect(
      ofRule(
        run([...sparkPools(), driver({ tolerations: [{ key: 'spark', operator: 'Exists' }] })]),
        'capacity-unschedulable',
      ),
    ).toEqual([]);
    expect(
      ofRule(run([...sparkPools(), driver({ tolerations: [{ operator: 'Exists' }] })]), 'capacity-unschedulable'),
    ).toEqual([]);
  });

  it('needs a pool that labels a custom nodeSelector key', () => {
    const selecting = executor({ nodeSelector: { 'emr-eks-gitops.io/team': 'ml' } });
    expect(ofRule(run([...sparkPools(), selecting]), 'capacity-unschedulable')[0]!.message).toContain(
      'requires emr-eks-gitops.io/team In [ml]',
    );
    const labelled = applied(
      'platform/nodepool-ml.yaml',
      nodePool('ml', {
        capacityTypes: ['spot'],
        labels: { 'emr-eks-gitops.io/team': 'ml' },
        taints: [{ key: 'spark', value: 'executor', effect: 'NoSchedule' }],
      }),
    );
    expect(ofRule(run([...sparkPools(), labelled, selecting]), 'capacity-unschedulable')).toEqual([]);
  });

  it('evaluates required nodeAffinity terms (OR of ANDed expressions)', () => {
    const affinity = (...terms: Record<string, unknown>[][]) => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })),
          },
        },
      },
    });
    const generation = (operator: string, values: string[]) => ({
      key: 'karpenter.k8s.aws/instance-generation',
      operator,
      values,
    });
    const pools = [
      applied(
        'platform/nodepool-old.yaml',
        nodePool('old', {
          capacityTypes: ['spot'],
          requirements: [generation('In', ['4', '5'])],
          taints: [{ key: 'spark', value: 'executor', effect: 'NoSchedule' }],
        }),
      ),
    ];
    const unschedulable = (spec: Record<string, unknown>) =>
      ofRule(run([...pools, executor(spec)]), 'capacity-unschedulable').length;
    expect(unschedulable(affinity([generation('Gt', ['5'])]))).toBe(1);
    expect(unschedulable(affinity([generation('Gt', ['4'])]))).toBe(0);
    expect(unschedulable(affinity([generation('Lt', ['4'])]))).toBe(1);
    expect(unschedulable(affinity([generation('NotIn', ['4', '5'])]))).toBe(1);
    expect(unschedulable(affinity([generation('NotIn', ['4', '5'])], [generation('In', ['5'])]))).toBe(0);
    expect(unschedulable(affinity([{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]))).toBe(1);
    expect(unschedulable(affinity([{ key: 'topology.kubernetes.io/zone', operator: 'Exists' }]))).toBe(0);
    expect(unschedulable(affinity([{ key: 'emr-eks-gitops.io/gpu', operator: 'DoesNotExist' }]))).toBe(0);
    expect(unschedulable(affinity([{ key: 'kubernetes.io/os', operator: 'DoesNotExist' }]))).toBe(1);
  });

  it('checks applied workloads, except those pinned to capacity Karpenter does not manage', () => {
    const deployment = (spec: Record<string, unknown>) =>
      applied('addons/deployment-web.yaml', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'jupyterhub' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
          },
        },
      });
    expect(
      ofRule(run([...sparkPools(), deployment({})]), 'capacity-unschedulable').map((f) => f.location.fieldPath),
    ).toEqual(['spec.template.spec']);
    expect(
      ofRule(
        run([...sparkPools(), deployment({ nodeSelector: { 'eks.amazonaws.com/nodegroup': 'system' } })]),
        'capacity-unschedulable',
      ),
    ).toEqual([]);
  });
});

describe('driver-on-spot', () => {
  it('refuses a driver that a spot-capable pool would take', () => {
    const anyCapacity = driver({ nodeSelector: {}, tolerations: [{ key: 'spark', operator: 'Exists' }] });
    const findings = ofRule(run([...sparkPools(), anyCapacity]), 'driver-on-spot');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('spot capacity of NodePool spark-executor');
  });

  it('recognises a driver by its spark-role label too, and passes one pinned to on-demand', () => {
    const labelled = template(
      'pod-templates/ml/driver.yaml',
      podTemplate('executor', { tolerations: [{ operator: 'Exists' }] }, { labels: { 'spark-role': 'driver' } }),
    );
    expect(ofRule(run([...sparkPools(), labelled]), 'driver-on-spot')).toHaveLength(1);
    expect(ofRule(run([...sparkPools(), driver({ tolerations: [{ operator: 'Exists' }] })]), 'driver-on-spot')).toEqual(
      [],
    );
  });
});

describe('executor-spot-first', () => {
  it('warns when the highest-weight pool executors fit gives no spot', () => {
    const pools = sparkPools();
    const everywhere = executor({ tolerations: [{ key: 'spark', operator: 'Exists' }] });
    expect(ofRule(run([...pools, everywhere]), 'executor-spot-first')).toEqual([]); // executor pool has weight 50 > 10
    const heavyDriverPool = applied(
      'platform/nodepool-spark-driver.yaml',
      nodePool('spark-driver', {
        weight: 100,
        taints: [{ key: 'spark', value: 'driver', effect: 'NoSchedule' }],
      }),
    );
    const findings = ofRule(run([heavyDriverPool, pools[1]!, everywhere]), 'executor-spot-first');
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(findings[0]!.message).toContain('NodePool spark-driver (weight 100)');
  });
});
