import type { IPod } from 'kubernetes-models/v1/Pod';
import { requireThat } from '../primitives/errors.js';

/**
 * Gang scheduling through YuniKorn task groups (yunikorn-k8shim v1.8.0 `pkg/cache/amprotocol.go` `TaskGroup`, read from
 * the driver's `yunikorn.apache.org/task-groups` annotation by `pkg/cache/utils.go` GetTaskGroupsFromAnnotation, which
 * refuses an empty name, a missing minResource and a minMember of 0 or less). For each group YuniKorn creates minMember
 * placeholder pods (`pkg/cache/placeholder.go`) with the group's nodeSelector, tolerations and affinity, requests and
 * limits of minResource and the driver's priorityClassName; the real pods take their places once all fit.
 */
export const YUNIKORN_TASK_GROUP_NAME_ANNOTATION = 'yunikorn.apache.org/task-group-name';
export const YUNIKORN_TASK_GROUPS_ANNOTATION = 'yunikorn.apache.org/task-groups';
/** The queue label pods carry (yunikorn-k8shim constants.CanonicalLabelQueueName); placeholders get it too. */
export const YUNIKORN_QUEUE_LABEL = 'yunikorn.apache.org/queue';

/** Group names: one for the driver, one for the executors. */
export const SPARK_TASK_GROUP_NAMES = { driver: 'spark-driver', executor: 'spark-executor' } as const;

export interface YunikornTaskGroup {
  readonly name: string;
  readonly minMember: number;
  /** Labels of the group's placeholders. */
  readonly labels?: Readonly<Record<string, string>>;
  /** CPU in millicores and memory in MiB, as Kubernetes quantities. */
  readonly minResource: { readonly cpu: string; readonly memory: string };
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: NonNullable<IPod['spec']>['tolerations'];
  readonly affinity?: NonNullable<IPod['spec']>['affinity'];
}

/** What one pod of a group asks for: the requests admission counts (Spark's container, EMR's, the defaults). */
export interface GangPodSize {
  readonly cores: number;
  readonly memoryMiB: number;
}

/**
 * The gang of a Spark job: its driver and `minExecutors` executors, each group placed by the pod template it stands for
 * (its nodeSelector, tolerations and affinity copied, so a placeholder reserves room exactly where the real pod goes).
 */
export function sparkTaskGroups(
  templates: { readonly driver: IPod; readonly executor: IPod },
  sizes: { readonly driver: GangPodSize; readonly executor: GangPodSize },
  minExecutors: number,
): YunikornTaskGroup[] {
  requireThat(
    Number.isInteger(minExecutors) && minExecutors >= 1,
    'minExecutors',
    `${minExecutors} must be a whole number from 1 (YuniKorn refuses a task group with minMember 0)`,
  );
  // Executors held to their driver's zone (pod affinity to `spark-role: driver`) need a driver to be there: the driver's
  // placeholder carries the labels that affinity selects, or the executors' placeholders wait for a driver that waits for them.
  const driverLabels = Object.assign(
    {},
    ...(templates.executor.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (term) => term.labelSelector?.matchLabels ?? {},
    ),
  ) as Record<string, string>;
  const group = (role: 'driver' | 'executor', minMember: number): YunikornTaskGroup => {
    const spec = templates[role].spec!;
    const size = sizes[role];
    return {
      name: SPARK_TASK_GROUP_NAMES[role],
      minMember,
      ...(role === 'driver' && Object.keys(driverLabels).length > 0 ? { labels: driverLabels } : {}),
      minResource: { cpu: `${Math.ceil(size.cores * 1000)}m`, memory: `${Math.ceil(size.memoryMiB)}Mi` },
      ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
      ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
      ...(spec.affinity ? { affinity: spec.affinity } : {}),
    };
  };
  return [group('driver', 1), group('executor', minExecutors)];
}

/** What the templates carry to run on YuniKorn: scheduler name, queue label, and the groups (driver) or group name. */
export interface YunikornPodSettings {
  readonly schedulerName: string;
  readonly queue: string;
  readonly taskGroups: readonly YunikornTaskGroup[];
}

/** The templates with YuniKorn's scheduler name, the queue label and the task-group annotations. */
export function onYunikorn(
  templates: { readonly driver: IPod; readonly executor: IPod },
  settings: YunikornPodSettings,
): { driver: IPod; executor: IPod } {
  const mark = (pod: IPod, annotations: Record<string, string>): IPod => ({
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: { ...pod.metadata?.labels, [YUNIKORN_QUEUE_LABEL]: settings.queue },
      annotations: { ...pod.metadata?.annotations, ...annotations },
    },
    spec: { ...pod.spec!, schedulerName: settings.schedulerName },
  });
  return {
    driver: mark(templates.driver, {
      [YUNIKORN_TASK_GROUP_NAME_ANNOTATION]: SPARK_TASK_GROUP_NAMES.driver,
      [YUNIKORN_TASK_GROUPS_ANNOTATION]: JSON.stringify(settings.taskGroups),
    }),
    executor: mark(templates.executor, { [YUNIKORN_TASK_GROUP_NAME_ANNOTATION]: SPARK_TASK_GROUP_NAMES.executor }),
  };
}
