import { describe, expect, it } from 'vitest';
import {
  placementProblems,
  tolerationFor,
  type NodeRequirement,
  type PoolSchedulingView,
  type Taint,
} from '../src/index.js';
import { untoleratedTaints } from '../src/scheduling/placement.js';
import { requirementsSatisfiable, type NodeRequirement as Requirement } from '../src/scheduling/requirements.js';
import { misfit, readPlacement, readPool } from '../src/validation/capacity/placement.js';
import { Subject } from '../src/validation/subject.js';

const executorTaint: Taint = { key: 'workload', value: 'spark-executor', effect: 'NoSchedule' };
const pool = (change: Partial<PoolSchedulingView> = {}): PoolSchedulingView => ({
  name: 'p',
  labels: { workload: 'spark-executor' },
  taints: [executorTaint],
  requirements: [],
  ...change,
});
const tolerating = { tolerations: [tolerationFor(executorTaint)] };

describe('placementProblems: a pod placement against one pool', () => {
  it("passes a placement that selects the pool's label and tolerates exactly its taint", () => {
    expect(placementProblems({ nodeSelector: { workload: 'spark-executor' }, ...tolerating }, pool())).toEqual([]);
  });

  it('refuses an untolerated taint, and an Exists toleration for another key does not tolerate it', () => {
    expect(placementProblems({ nodeSelector: {}, tolerations: [] }, pool())).toEqual([
      'taint workload=spark-executor:NoSchedule of pool p is not tolerated',
    ]);
    const otherKey = { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' } as const;
    expect(placementProblems({ nodeSelector: {}, tolerations: [otherKey] }, pool())).toEqual([
      'taint workload=spark-executor:NoSchedule of pool p is not tolerated',
      'toleration {"key":"gpu","operator":"Exists","effect":"NoSchedule"} matches no taint of pool p',
    ]);
  });

  it('refuses over-toleration: a toleration no taint of the pool needs would let the pod onto other tainted nodes', () => {
    const extra = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' } as const;
    expect(placementProblems({ nodeSelector: {}, tolerations: [...tolerating.tolerations, extra] }, pool())).toEqual([
      'toleration {"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"} matches no taint of pool p',
    ]);
    expect(placementProblems({ nodeSelector: {}, tolerations: [extra] }, pool({ taints: [] }))).toEqual([
      'toleration {"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"} matches no taint of pool p',
    ]);
  });

  it('a PreferNoSchedule taint only discourages: it keeps no pod off, and a toleration of it is not over-toleration', () => {
    const soft: Taint = { key: 'workload', value: 'batch', effect: 'PreferNoSchedule' };
    expect(untoleratedTaints([], pool({ taints: [soft, executorTaint] }))).toEqual([executorTaint]);
    expect(placementProblems({ nodeSelector: {}, ...tolerating }, pool({ taints: [soft, executorTaint] }))).toEqual([]);
    expect(
      placementProblems({ nodeSelector: {}, tolerations: [tolerationFor(soft)] }, pool({ taints: [soft] })),
    ).toEqual([]);
  });

  it('a pool label decides, whatever the requirements say', () => {
    expect(
      placementProblems({ nodeSelector: { workload: 'spark-driver' }, tolerations: [] }, pool({ taints: [] })),
    ).toEqual(['nodeSelector workload=spark-driver is never a label of pool p']);
  });

  it('a capacity type the pool does not constrain is on-demand (what Karpenter launches)', () => {
    const open = pool({ labels: {}, taints: [] });
    expect(
      placementProblems({ nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' }, tolerations: [] }, open),
    ).toEqual([]);
    expect(
      placementProblems({ nodeSelector: { 'karpenter.sh/capacity-type': 'spot' }, tolerations: [] }, open),
    ).toEqual(['nodeSelector karpenter.sh/capacity-type=spot is never a label of pool p']);
    expect(placementProblems({ nodeSelector: { zone: 'a' }, tolerations: [] }, open)).toEqual([
      'nodeSelector zone=a is never a label of pool p',
    ]);
    // Only the capacity type has that default: another label is absent even when its value reads "on-demand".
    expect(placementProblems({ nodeSelector: { billing: 'on-demand' }, tolerations: [] }, open)).toEqual([
      'nodeSelector billing=on-demand is never a label of pool p',
    ]);
  });

  it('the toleration made for a taint: Exists without a value, Equal with one', () => {
    expect(tolerationFor({ key: 'dedicated', effect: 'NoSchedule' })).toEqual({
      key: 'dedicated',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(tolerationFor(executorTaint)).toEqual({
      key: 'workload',
      operator: 'Equal',
      value: 'spark-executor',
      effect: 'NoSchedule',
    });
  });

  it.each<[string, NodeRequirement, string, boolean]>([
    ['In', { key: 'gen', operator: 'In', values: ['6', '7'] }, '7', true],
    ['In, another value', { key: 'gen', operator: 'In', values: ['6', '7'] }, '5', false],
    ['NotIn', { key: 'gen', operator: 'NotIn', values: ['6'] }, '7', true],
    ['NotIn, the excluded value', { key: 'gen', operator: 'NotIn', values: ['6'] }, '6', false],
    ['Exists', { key: 'gen', operator: 'Exists' }, 'anything', true],
    ['DoesNotExist', { key: 'gen', operator: 'DoesNotExist' }, '6', false],
    ['Gt, above', { key: 'gen', operator: 'Gt', values: ['5'] }, '6', true],
    ['Gt, at the bound', { key: 'gen', operator: 'Gt', values: ['5'] }, '5', false],
    ['Gt, not an integer', { key: 'gen', operator: 'Gt', values: ['5'] }, 'six', false],
    ['Gt, a decimal above the bound (not an integer)', { key: 'gen', operator: 'Gt', values: ['5'] }, '5.5', false],
    ['Gt without a value', { key: 'gen', operator: 'Gt' }, '6', false],
    ['In without values', { key: 'gen', operator: 'In' }, '6', false],
    ['NotIn without values', { key: 'gen', operator: 'NotIn' }, '6', true],
    ['Lt, below', { key: 'gen', operator: 'Lt', values: ['5'] }, '4', true],
    ['Lt, at the bound', { key: 'gen', operator: 'Lt', values: ['5'] }, '5', false],
  ])('a nodeSelector against a pool requirement: %s', (_, requirement, value, fits) => {
    const problems = placementProblems(
      { nodeSelector: { gen: value }, tolerations: [] },
      pool({ labels: {}, taints: [], requirements: [requirement] }),
    );
    expect(problems).toEqual(fits ? [] : [`nodeSelector gen=${value} is never a label of pool p`]);
  });
});

describe("requirementsSatisfiable: a pod's node requirements against a NodePool's", () => {
  const r = (key: string, operator: Requirement['operator'], ...values: string[]): Requirement => ({
    key,
    operator,
    values,
  });
  const family = 'karpenter.k8s.aws/instance-family';
  const generation = 'karpenter.k8s.aws/instance-generation';
  const gpus = 'karpenter.k8s.aws/instance-gpu-count';

  it.each<[string, Requirement[], Requirement[], boolean]>([
    ['In meets In with a common value', [r(family, 'In', 'm6i', 'r6i')], [r(family, 'In', 'r6i')], true],
    ['In meets In with none', [r(family, 'In', 'm6i')], [r(family, 'In', 'r6i')], false],
    ['NotIn removes the only candidate', [r(family, 'In', 'm6i')], [r(family, 'NotIn', 'm6i')], false],
    ['NotIn leaves another', [r(family, 'In', 'm6i', 'r6i')], [r(family, 'NotIn', 'm6i')], true],
    ['Exists on a well-known label', [], [r(family, 'Exists')], true],
    ['Exists on a label no node has', [], [r('team', 'Exists')], false],
    ['NotIn on a label no node has (absent matches)', [], [r('team', 'NotIn', 'a')], true],
    ['DoesNotExist on a label the pool sets', [r('team', 'In', 'a')], [r('team', 'DoesNotExist')], false],
    ['DoesNotExist on a label no node has', [], [r('team', 'DoesNotExist')], true],
    ['DoesNotExist on a per-type label (GPU count): nodes without GPUs lack it', [], [r(gpus, 'DoesNotExist')], true],
    ['DoesNotExist on a per-type label the pool requires', [r(gpus, 'Gt', '0')], [r(gpus, 'DoesNotExist')], false],
    ['Gt and Lt leave an integer', [r(generation, 'Gt', '5')], [r(generation, 'Lt', '7')], true],
    ['Gt and Lt leave none', [r(generation, 'Gt', '5')], [r(generation, 'Lt', '6')], false],
    ['Gt with In values above it', [r(generation, 'In', '5', '6')], [r(generation, 'Gt', '5')], true],
    ['Gt with In values at or below it', [r(generation, 'In', '4', '5')], [r(generation, 'Gt', '5')], false],
    ['Lt with In values that are not integers', [r(generation, 'In', 'new')], [r(generation, 'Lt', '9')], false],
  ])('%s', (_, poolRequirements, podRequirements, satisfiable) => {
    expect(requirementsSatisfiable(poolRequirements, podRequirements)).toBe(satisfiable);
  });

  it("a pool's own DoesNotExist is checked even when the pod says nothing of the key", () => {
    expect(requirementsSatisfiable([r('team', 'DoesNotExist'), r('team', 'In', 'a')], [])).toBe(false);
    expect(requirementsSatisfiable([r('team', 'DoesNotExist')], [])).toBe(true);
  });
});

describe('one scheduling model: what generated placements and validated objects are both judged by', () => {
  // Karpenter v1 gives a well-known label no default: on a pool without an arch requirement, the pod's nodeSelector
  // narrows the pool's instance types (karpenter.sh, NodePools: "If a requirement is not defined for a well known label,
  // any value available to the cloud provider may be chosen"). Both users must say the pod fits.
  const open = pool({ labels: { workload: 'spark-executor' }, taints: [], requirements: [] });
  const nodePool = (requirements: NodeRequirement[]) =>
    readPool(
      new Subject(
        {
          path: 'platform/karpenter/nodepool-p.yaml',
          applied: true,
          object: {
            apiVersion: 'karpenter.sh/v1',
            kind: 'NodePool',
            metadata: { name: 'p' },
            spec: { template: { metadata: { labels: { workload: 'spark-executor' } }, spec: { requirements } } },
          },
        },
        'test',
      ),
    );
  const pod = (nodeSelector: Record<string, string>) =>
    readPlacement(
      new Subject(
        {
          path: 'pod.yaml',
          applied: true,
          object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { nodeSelector, containers: [] } },
        },
        'test',
      ),
    )!;

  it.each(['amd64', 'arm64'])(
    'kubernetes.io/arch=%s on a pool with no arch requirement fits, for placements and for validated pods',
    (arch) => {
      expect(placementProblems({ nodeSelector: { 'kubernetes.io/arch': arch }, tolerations: [] }, open)).toEqual([]);
      expect(misfit(pod({ 'kubernetes.io/arch': arch }), nodePool([]))).toBeUndefined();
    },
  );

  it('an arch the pool excludes does not fit either way', () => {
    const arm = [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] as const satisfies NodeRequirement[];
    expect(
      placementProblems(
        { nodeSelector: { 'kubernetes.io/arch': 'amd64' }, tolerations: [] },
        pool({ taints: [], requirements: arm }),
      ),
    ).toEqual(['nodeSelector kubernetes.io/arch=amd64 is never a label of pool p']);
    expect(misfit(pod({ 'kubernetes.io/arch': 'amd64' }), nodePool([...arm]))).toBe(
      'requires kubernetes.io/arch In [amd64], which its nodes cannot have',
    );
  });

  it("a label that is neither well-known nor the pool's fits neither way", () => {
    expect(placementProblems({ nodeSelector: { team: 'a' }, tolerations: [] }, open)).toEqual([
      'nodeSelector team=a is never a label of pool p',
    ]);
    expect(misfit(pod({ team: 'a' }), nodePool([]))).toBe('requires team In [a], which its nodes cannot have');
  });

  it("the pool's own name (karpenter.sh/nodepool) is a label of its nodes for both", () => {
    expect(placementProblems({ nodeSelector: { 'karpenter.sh/nodepool': 'p' }, tolerations: [] }, open)).toEqual([]);
    expect(misfit(pod({ 'karpenter.sh/nodepool': 'p' }), nodePool([]))).toBeUndefined();
  });
});
