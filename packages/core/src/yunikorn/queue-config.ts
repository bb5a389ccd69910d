import { requireThat } from '../primitives/errors.js';
import { parseQuantity, type QuantityInput } from '../primitives/quantity.js';

/**
 * YuniKorn's queue configuration (`queues.yaml` of the `yunikorn-defaults` ConfigMap), as yunikorn-core v1.8.0 parses it
 * (`pkg/common/configs/config.go`: go-yaml lower-cases the field names, so `placementrules`, `queues`, `guaranteed`).
 * Resource names are YuniKorn's: `vcore` (parsed as a CPU quantity) and `memory` (bytes, a Kubernetes quantity).
 */
export interface YunikornResources {
  readonly vcore: string;
  readonly memory: string;
}

export interface YunikornQueue {
  readonly name: string;
  readonly parent?: true;
  readonly resources?: { readonly guaranteed?: YunikornResources; readonly max?: YunikornResources };
  readonly properties?: Readonly<Record<string, string>>;
  readonly queues?: readonly YunikornQueue[];
}

export interface YunikornPlacementRule {
  readonly name: string;
  readonly value?: string;
  readonly create?: boolean;
  readonly parent?: YunikornPlacementRule;
}

export interface YunikornSchedulerConfig {
  readonly partitions: ReadonlyArray<{
    readonly name: string;
    readonly placementrules: readonly YunikornPlacementRule[];
    readonly queues: readonly YunikornQueue[];
  }>;
}

/** Ordering of the applications inside one queue: yunikorn-core `application.sort.policy` (fifo, fair). */
export type YunikornOrdering = 'fifo' | 'fair';

/** The parent queue every tenant queue sits under: `root.tenants.<namespace>`. */
export const YUNIKORN_TENANTS_QUEUE = 'root.tenants';

/** One tenant's queue: its namespace names it (the placement rule reads the pod's namespace). */
export interface TenantQueue {
  readonly namespace: string;
  readonly guaranteed: { readonly cpu: QuantityInput; readonly memory: QuantityInput };
  /** The tenant's ResourceQuota: the queue's max, so what YuniKorn lets run and what admission accepts agree. */
  readonly max: { readonly cpu: QuantityInput; readonly memory: QuantityInput };
  readonly ordering: YunikornOrdering;
}

/** The full queue name of a tenant's queue, as pod templates label it. */
export function tenantQueueName(namespace: string): string {
  return `${YUNIKORN_TENANTS_QUEUE}.${namespace}`;
}

const resources = (r: { readonly cpu: QuantityInput; readonly memory: QuantityInput }): YunikornResources => ({
  vcore: String(r.cpu),
  memory: String(r.memory),
});

/**
 * The queue tree: `root` -> `tenants` -> one leaf per tenant named after its namespace, `guaranteed` its share and
 * `max` its quota. Placement is by the pod's namespace (the `tag` rule on `namespace` below the fixed `root.tenants`,
 * `create: false`): a tenant cannot put its pods in another tenant's queue by labelling them, and a pod of a namespace
 * without a queue is rejected by YuniKorn rather than scheduled outside the shares.
 */
export function yunikornQueueConfig(tenants: readonly TenantQueue[]): YunikornSchedulerConfig {
  requireThat(
    tenants.length > 0,
    'tenants',
    'is empty: YuniKorn would have no tenant queue; give at least one tenant a queue',
  );
  const leaves = [...tenants]
    .sort((a, b) => (a.namespace < b.namespace ? -1 : 1))
    .map(
      (tenant): YunikornQueue => ({
        name: tenant.namespace,
        resources: { guaranteed: resources(tenant.guaranteed), max: resources(tenant.max) },
        properties: { 'application.sort.policy': tenant.ordering },
      }),
    );
  const config: YunikornSchedulerConfig = {
    partitions: [
      {
        name: 'default',
        placementrules: [
          { name: 'tag', value: 'namespace', create: false, parent: { name: 'fixed', value: YUNIKORN_TENANTS_QUEUE } },
        ],
        queues: [{ name: 'root', parent: true, queues: [{ name: 'tenants', parent: true, queues: leaves }] }],
      },
    ],
  };
  const problem = yunikornConfigProblems(config)[0];
  requireThat(problem === undefined, 'tenants', problem ?? '');
  return config;
}

/**
 * The checks of yunikorn-core v1.8.0 `pkg/common/configs/configvalidator.go` that this configuration can meet, re-stated
 * (YuniKorn refuses the whole ConfigMap on any of them and keeps its old queues):
 * `QueueNameRegExp` `^[a-zA-Z0-9_:#/@-]{1,64}$` and unique names per level (checkQueues), `root must not have resource
 * limits set` (checkQueuesStructure), guaranteed within max (checkResourceConfig), a child's max within its parent's and
 * the children's guaranteed sum within the parent's max (checkQueueResource), the sort policy one of fifo/fair
 * (`application.sort.policy`, objects.SortPolicyFromString), and a `create: false` rule's fixed parent an existing parent
 * queue (checkPlacementRules). Messages follow yunikorn-core's.
 */
export function yunikornConfigProblems(config: YunikornSchedulerConfig): string[] {
  const problems: string[] = [];
  for (const partition of config.partitions) {
    const root =
      partition.queues.length === 1 && partition.queues[0]!.name.toLowerCase() === 'root'
        ? partition.queues[0]!
        : undefined;
    if (!root) {
      problems.push('the partition has no single root queue');
      continue;
    }
    if (root.resources?.guaranteed || root.resources?.max)
      problems.push('root queue must not have resource limits set');
    walk(root, undefined, 'root', problems);
    for (const [index, rule] of partition.placementrules.entries()) {
      const parent = rule.parent;
      if (rule.create || parent?.name !== 'fixed' || parent.value === undefined) continue;
      const target = parent.value
        .split('.')
        .slice(1)
        .reduce<YunikornQueue | undefined>((queue, name) => queue?.queues?.find((q) => q.name === name), root);
      if (!target?.parent)
        problems.push(
          `placement rule no. #${index} (${rule.name}) references non-existing queues (${parent.value}) and create is 'false'`,
        );
    }
  }
  return problems;
}

const QUEUE_NAME = /^[a-zA-Z0-9_:#/@-]{1,64}$/;
const SORT_POLICIES = ['fifo', 'fair'];

type Amounts = { vcore?: number; memory?: number };
const amounts = (r: YunikornResources | undefined): Amounts =>
  r ? { vcore: parseQuantity(r.vcore), memory: parseQuantity(r.memory) } : {};
// resources.FitInMaxUndef: a resource the larger side does not state is unlimited.
const fits = (max: Amounts, value: Amounts) =>
  (['vcore', 'memory'] as const).every((k) => max[k] === undefined || (value[k] ?? 0) <= max[k]!);
const show = (a: Amounts) =>
  `map[${Object.entries(a)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ')}]`;

/** checkQueues and checkQueueResource, depth first; returns the queue's guaranteed (or its children's sum). */
function walk(queue: YunikornQueue, parentMax: Amounts | undefined, path: string, problems: string[]): Amounts {
  const guaranteed = amounts(queue.resources?.guaranteed);
  const ownMax = amounts(queue.resources?.max);
  if (!fits(ownMax, guaranteed))
    problems.push(
      `guaranteed resource ${show(guaranteed)} is larger than maximum resource ${show(ownMax)} for queue ${path}`,
    );
  if (parentMax && !fits(parentMax, ownMax))
    problems.push(
      `max resource of parent ${show(parentMax)} is smaller than maximum resource ${show(ownMax)} for queue ${path}`,
    );
  const max: Amounts = { vcore: ownMax.vcore ?? parentMax?.vcore, memory: ownMax.memory ?? parentMax?.memory };
  const policy = queue.properties?.['application.sort.policy'];
  if (policy !== undefined && !SORT_POLICIES.includes(policy))
    problems.push(
      `undefined policy: ${policy} for queue ${path} (application.sort.policy is one of ${SORT_POLICIES.join(', ')})`,
    );
  const seen = new Set<string>();
  const sum: Required<Amounts> = { vcore: 0, memory: 0 };
  for (const child of queue.queues ?? []) {
    if (!QUEUE_NAME.test(child.name))
      problems.push(`invalid queue name ${child.name} below ${path}: a name must match ^[a-zA-Z0-9_:#/@-]{1,64}$`);
    if (seen.has(child.name.toLowerCase()))
      problems.push(`duplicate child name found with name '${child.name}' below ${path}`);
    seen.add(child.name.toLowerCase());
    const g = walk(child, max, `${path}.${child.name}`, problems);
    sum.vcore += g.vcore ?? 0;
    sum.memory += g.memory ?? 0;
  }
  if (!fits(guaranteed, sum))
    problems.push(
      `guaranteed resource of parent ${show(guaranteed)} is smaller than sum of guaranteed resources ${show(sum)} of the children for queue ${path}`,
    );
  if (!fits(max, sum))
    problems.push(
      `max resource ${show(max)} is smaller than sum of guaranteed resources ${show(sum)} of the children for queue ${path}`,
    );
  return guaranteed.vcore === undefined && guaranteed.memory === undefined ? sum : guaranteed;
}
