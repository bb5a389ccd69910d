import { describe, expect, it } from 'vitest';
import type { IPod } from 'kubernetes-models/v1/Pod';
import {
  ConfigurationError,
  sparkTaskGroups,
  yunikornConfigProblems,
  yunikornHelmValues,
  yunikornQueueConfig,
  type TenantQueue,
  type YunikornQueue,
  type YunikornSchedulerConfig,
} from '../src/index.js';

const tenant = (
  namespace: string,
  guaranteed: [number, string],
  max: [number, string] = [32, '128Gi'],
): TenantQueue => ({
  namespace,
  guaranteed: { cpu: guaranteed[0], memory: guaranteed[1] },
  max: { cpu: max[0], memory: max[1] },
  ordering: 'fifo',
});
/** A configuration whose `tenants` parent holds `leaves`, with `tenants` given `resources`. */
const tree = (
  leaves: YunikornQueue[],
  resources?: YunikornQueue['resources'],
  rootResources?: YunikornQueue['resources'],
): YunikornSchedulerConfig => ({
  partitions: [
    {
      name: 'default',
      placementrules: [
        { name: 'tag', value: 'namespace', create: false, parent: { name: 'fixed', value: 'root.tenants' } },
      ],
      queues: [
        {
          name: 'root',
          parent: true,
          ...(rootResources ? { resources: rootResources } : {}),
          queues: [{ name: 'tenants', parent: true, ...(resources ? { resources } : {}), queues: leaves }],
        },
      ],
    },
  ],
});
const leaf = (
  name: string,
  g: [string, string],
  m?: [string, string],
  properties?: Record<string, string>,
): YunikornQueue => ({
  name,
  resources: { guaranteed: { vcore: g[0], memory: g[1] }, ...(m ? { max: { vcore: m[0], memory: m[1] } } : {}) },
  ...(properties ? { properties } : {}),
});

describe("yunikorn-core's configuration checks, re-stated (configvalidator.go v1.8.0)", () => {
  it('a tree of tenants within their max passes', () => {
    expect(
      yunikornConfigProblems(yunikornQueueConfig([tenant('spark-a', [8, '32Gi']), tenant('spark-b', [16, '64Gi'])])),
    ).toEqual([]);
  });

  it('each check finds what YuniKorn refuses', () => {
    expect(yunikornConfigProblems(tree([leaf('a', ['40', '32Gi'], ['32', '128Gi'])]))).toEqual([
      'guaranteed resource map[vcore:40 memory:34359738368] is larger than maximum resource map[vcore:32 memory:137438953472] for queue root.tenants.a',
    ]);
    expect(
      yunikornConfigProblems(tree([leaf('a', ['1', '1Gi'], ['64', '1Gi'])], { max: { vcore: '32', memory: '128Gi' } })),
    ).toEqual([
      'max resource of parent map[vcore:32 memory:137438953472] is smaller than maximum resource map[vcore:64 memory:1073741824] for queue root.tenants.a',
    ]);
    expect(
      yunikornConfigProblems(
        tree([leaf('a', ['20', '1Gi']), leaf('b', ['20', '1Gi'])], { max: { vcore: '32', memory: '128Gi' } }),
      ),
    ).toEqual([
      'max resource map[vcore:32 memory:137438953472] is smaller than sum of guaranteed resources map[vcore:40 memory:2147483648] of the children for queue root.tenants',
    ]);
    expect(
      yunikornConfigProblems(
        tree([leaf('a', ['20', '1Gi']), leaf('b', ['20', '1Gi'])], { guaranteed: { vcore: '32', memory: '128Gi' } }),
      ),
    ).toEqual([
      'guaranteed resource of parent map[vcore:32 memory:137438953472] is smaller than sum of guaranteed resources map[vcore:40 memory:2147483648] of the children for queue root.tenants',
    ]);
    expect(yunikornConfigProblems(tree([leaf('a.b', ['1', '1Gi'])]))).toEqual([
      'invalid queue name a.b below root.tenants: a name must match ^[a-zA-Z0-9_:#/@-]{1,64}$',
    ]);
    expect(yunikornConfigProblems(tree([leaf('a', ['1', '1Gi']), leaf('A', ['1', '1Gi'])]))).toEqual([
      "duplicate child name found with name 'A' below root.tenants",
    ]);
    expect(
      yunikornConfigProblems(tree([leaf('a', ['1', '1Gi'])], undefined, { max: { vcore: '1', memory: '1Gi' } })),
    ).toEqual(['root queue must not have resource limits set']);
    expect(
      yunikornConfigProblems(tree([leaf('a', ['1', '1Gi'], undefined, { 'application.sort.policy': 'priority' })])),
    ).toEqual(['undefined policy: priority for queue root.tenants.a (application.sort.policy is one of fifo, fair)']);
    const noParent: YunikornSchedulerConfig = {
      partitions: [{ ...tree([]).partitions[0]!, queues: [{ name: 'root', parent: true, queues: [] }] }],
    };
    expect(yunikornConfigProblems(noParent)).toEqual([
      "placement rule no. #0 (tag) references non-existing queues (root.tenants) and create is 'false'",
    ]);
  });

  it("yunikornQueueConfig refuses a tenant guaranteed more than its max, naming YuniKorn's reason", () => {
    expect(() => yunikornQueueConfig([tenant('spark-a', [64, '32Gi'])])).toThrow(ConfigurationError);
    expect(() => yunikornQueueConfig([tenant('spark-a', [64, '32Gi'])])).toThrow(
      /guaranteed resource .* is larger than maximum resource/,
    );
    expect(() => yunikornQueueConfig([])).toThrow(/no tenant queue/);
  });
});

describe('YuniKorn values and task groups', () => {
  const queues = yunikornQueueConfig([tenant('spark-a', [8, '32Gi'])]);

  it('the admission controller is never left to process every namespace', () => {
    expect(() => yunikornHelmValues({ queues, processNamespaces: [], managedNodeGroups: ['system'] })).toThrow(
      /every namespace/,
    );
    expect(
      yunikornHelmValues({ queues, processNamespaces: ['spark-b', 'spark-a'], managedNodeGroups: ['system'] })
        .yunikornDefaults['admissionController.filtering.processNamespaces'],
    ).toBe('^spark-a$,^spark-b$');
  });

  it('a gang without executors is refused: YuniKorn refuses a task group with minMember 0 (pkg/cache/utils.go)', () => {
    const pod: IPod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } };
    const size = { cores: 1, memoryMiB: 1024 };
    expect(() => sparkTaskGroups({ driver: pod, executor: pod }, { driver: size, executor: size }, 0)).toThrow(
      /whole number from 1/,
    );
    expect(
      sparkTaskGroups(
        { driver: pod, executor: pod },
        { driver: size, executor: { cores: 2.25, memoryMiB: 4505.6 } },
        3,
      ),
    ).toEqual([
      { name: 'spark-driver', minMember: 1, minResource: { cpu: '1000m', memory: '1024Mi' } },
      { name: 'spark-executor', minMember: 3, minResource: { cpu: '2250m', memory: '4506Mi' } },
    ]);
  });
});
