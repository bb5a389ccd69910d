import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { requireThat } from '../primitives/errors.js';
import type { SparkPlacements } from '../karpenter/spark-capacity.js';
import type { PodPlacement } from '../scheduling/placement.js';
import { DEFAULT_SPARK_PRIORITY_CLASS_NAMES } from './spark-priority-classes.js';
import { DEFAULT_GP3_STORAGE_CLASS_NAME } from '../storage/gp3-storage-class.js';
import { requireGoDuration } from '../primitives/go-duration.js';
import { requireIntegerInRange, requireObjectName } from '../primitives/kubernetes-names.js';
import { doNotDisruptAnnotations } from './disruption-protection.js';
import { EMR_POD_TEMPLATE_CONTRACT, podTemplateContractViolations } from './emr-pod-template-contract.js';
import { localDiskVolume, requireNotUnderMnt, SPARK_LOCAL_DIR_VOLUME, type SparkLocalDisk } from './local-disk.js';
import { YUNIKORN_SCHEDULER_NAME } from '../yunikorn/yunikorn-chart.js';
import {
  onYunikorn,
  sparkTaskGroups,
  YUNIKORN_TASK_GROUP_NAME_ANNOTATION,
  type GangPodSize,
} from '../yunikorn/task-groups.js';

export type SparkRole = 'driver' | 'executor';

/** The container names EMR on EKS recognises as Spark's own in a pod template. */
export const SPARK_CONTAINER_NAMES: Readonly<Record<SparkRole, string>> =
  EMR_POD_TEMPLATE_CONTRACT.sparkMainContainerNames;

/** Spark UI port and the Prometheus paths the driver serves (executor metrics are aggregated by the driver). */
export const SPARK_UI_PORT = 4040;
export const SPARK_PROMETHEUS_PATHS = {
  driver: '/metrics/driver/prometheus/',
  executors: '/metrics/executors/prometheus/',
} as const;
/** Annotation naming the second scrape path on driver pods, for a scrape job of executor metrics. */
export const EXECUTORS_METRICS_PATH_ANNOTATION = 'emr-eks-gitops.io/prometheus-executors-path';

/** EC2 gives two minutes' notice before reclaiming spot capacity. */
const SPOT_NOTICE_SECONDS = 120;

/** Custom code fetched before Spark starts, into an emptyDir shared with the Spark container. */
export interface SparkCustomCode {
  /** Image of the init container that fetches the code. */
  readonly image: string;
  /** Command run by the init container; it must write into `mountPath`. */
  readonly command: readonly string[];
  /** Where the code is mounted in both containers. @default '/opt/custom-code' */
  readonly mountPath?: string;
  /**
   * AWS region of the fetch (the cluster's): set as AWS_REGION and AWS_DEFAULT_REGION, since EKS's pod identity webhook
   * adds them only when it was started with a region (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go,
   * addEnvToContainer: `m.Region != ""`) and the AWS CLI needs one for `aws s3`. @default none
   */
  readonly region?: string;
}

export interface SparkPodTemplatesProps {
  /** Driver and executor placements, normally a SparkCapacity. */
  readonly placements: SparkPlacements;
  /** PriorityClass names. @default { driver: 'spark-driver', executor: 'spark-executor' } */
  readonly priorityClassNames?: Readonly<Record<SparkRole, string>>;
  /**
   * Scratch disk for spark.local.dir. `instance-store` sends executors to the NVMe pools (placements.nvmeExecutorPlacement).
   * @default a 100Gi generic ephemeral volume on the 'gp3' StorageClass
   */
  readonly localDisk?: SparkLocalDisk;
  /**
   * The longest a job may run, as a Go duration (`12h`): the driver pod's `activeDeadlineSeconds`, so a driver never
   * outlives the drain bound (terminationGracePeriod) of an expiring driver node. @default no deadline
   */
  readonly maxJobDuration?: string;
  /** Mount path of the scratch disk (spark.local.dir). @default '/var/data/spark-local-dir-1' */
  readonly localDirPath?: string;
  /** Executor grace period, below the 120 s spot notice so decommissioning finishes first. @default 100 */
  readonly executorTerminationGracePeriodSeconds?: number;
  /** Init container that fetches custom code. @default none */
  readonly customCode?: SparkCustomCode;
  /** Prometheus scrape annotations on the driver. @default true */
  readonly prometheusScrape?: boolean;
  /**
   * Keep each job's executors in the Availability Zone its driver was scheduled to (cross-AZ shuffle is paid per GB):
   * a required executor podAffinity to the job's driver (`matchLabelKeys: [spark-app-selector]`) on
   * `topology.kubernetes.io/zone`. Needs Kubernetes 1.31+, where the API server merges matchLabelKeys into the
   * selector (so Karpenter's scheduling simulation sees it too). @default false
   */
  readonly singleZone?: boolean;
  /** Labels of both pods, e.g. `eks.amazonaws.com/fargate-profile` for pods a Fargate profile runs. @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** User and group of the EMR Spark images (hadoop, uid 999, gid 1000), which the init containers run as. @default { uid: 999, gid: 1000 } */
  readonly sparkUser?: { readonly uid: number; readonly gid: number };
  /**
   * Schedule on Apache YuniKorn: `schedulerName: yunikorn`, the queue label, and a gang of the driver and `minExecutors`
   * executors (task groups on the driver, placed as the templates are). `sizes`: each pod's requests as admission counts
   * them. @default the default scheduler
   */
  readonly yunikorn?: {
    readonly queue: string;
    readonly minExecutors: number;
    readonly sizes: { readonly driver: GangPodSize; readonly executor: GangPodSize };
  };
}

type Container = NonNullable<IPod['spec']>['containers'][number];

/**
 * The restricted Pod Security settings of a container of ours (init and sidecar containers: EMR allows them a
 * securityContext, but not the pod or the Spark containers). Non-root as the Spark user, so what it writes into the
 * shared volumes belongs to the user Spark runs as.
 */
function restrictedContainerSecurityContext(user: {
  readonly uid: number;
  readonly gid: number;
}): Container['securityContext'] {
  return {
    runAsNonRoot: true,
    runAsUser: user.uid,
    runAsGroup: user.gid,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A writable HOME for the custom-code container: with IRSA the AWS CLI caches credentials in ~/.aws/cli/cache (aws/aws-cli#9075). */
export const CUSTOM_CODE_HOME = { volume: 'custom-code-home', path: '/home/custom-code' } as const;

/** The Spark container's own resources: its scratch disk as ephemeral storage (Fargate), device-plugin limits (GPUs). */
function containerResources(localDisk: SparkLocalDisk, placement: PodPlacement): Pick<Container, 'resources'> {
  const requests = localDisk.kind === 'ephemeral-storage' ? { 'ephemeral-storage': localDisk.size } : undefined;
  const limits = placement.extendedResources ? { ...placement.extendedResources } : undefined;
  return requests || limits ? { resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } } : {};
}

/**
 * Checks a Spark pod template against EMR on EKS's rules: only the fields EMR allows (EMR_POD_TEMPLATE_CONTRACT), the
 * Spark container carries its reserved name, nothing is mounted at or under /mnt, and executors stop within the spot
 * notice. Throws a ConfigurationError naming the field.
 */
export function checkSparkPodTemplate(pod: IPod, role: SparkRole, field: string = role): void {
  const spec = pod.spec;
  requireThat(spec !== undefined, `${field}.spec`, 'a pod template needs a spec');
  const expected = SPARK_CONTAINER_NAMES[role];
  const otherRole: SparkRole = role === 'driver' ? 'executor' : 'driver';
  spec.containers.forEach((c, i) => {
    requireThat(
      c.name !== SPARK_CONTAINER_NAMES[otherRole],
      `${field}.spec.containers[${i}].name`,
      `"${c.name}" is the ${otherRole} container name; a ${role} template names its Spark container "${expected}"`,
    );
  });
  const violation = podTemplateContractViolations(pod)[0];
  requireThat(
    violation === undefined,
    `${field}.${violation?.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : p))
      .join('.')
      .replace(/\.\[/g, '[')}`,
    violation?.message ?? '',
  );
  requireThat(
    spec.containers.some((c) => c.name === expected),
    `${field}.spec.containers`,
    `needs the Spark container named "${expected}" (found ${spec.containers.map((c) => `"${c.name}"`).join(', ') || 'none'})`,
  );
  for (const [list, containers] of [
    ['initContainers', spec.initContainers ?? []],
    ['containers', spec.containers],
  ] as const) {
    containers.forEach((c, i) => {
      (c.volumeMounts ?? []).forEach((m, j) => {
        requireNotUnderMnt(m.mountPath, `${field}.spec.${list}[${i}].volumeMounts[${j}].mountPath`);
      });
    });
  }
  if (role === 'executor' && spec.terminationGracePeriodSeconds !== undefined) {
    requireThat(
      spec.terminationGracePeriodSeconds < SPOT_NOTICE_SECONDS,
      `${field}.spec.terminationGracePeriodSeconds`,
      `${spec.terminationGracePeriodSeconds} must be below the ${SPOT_NOTICE_SECONDS} s spot interruption notice`,
    );
  }
}

/**
 * Driver and executor pod templates (plain `v1 Pod` documents for `spark.kubernetes.{driver,executor}.podTemplateFile`;
 * they are uploaded to S3, not applied to the cluster). Placement comes only from the capacity's placements.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Ec2NodeClass, SparkCapacity, SparkPodTemplates } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'karpenter');
 * const driverNodeClass = new Ec2NodeClass(chart, 'spark', {
 *   name: 'spark', clusterName: 'spark-platform', amiAlias: 'al2023@v20250115', role: 'KarpenterNodeRole-spark-platform',
 * });
 * const capacity = new SparkCapacity(chart, 'capacity', { driverNodeClass });
 * const templates = new SparkPodTemplates({
 *   placements: capacity, // the pods land exactly on the pools above
 *   localDisk: { kind: 'generic-ephemeral-volume', storageClassName: 'gp3', size: '100Gi' },
 * });
 * // templates.driver and templates.executor: v1 Pod documents to upload to S3 as podTemplateFile
 * ```
 */
export class SparkPodTemplates {
  readonly driver: IPod;
  readonly executor: IPod;
  /** Mount path of the scratch disk, for spark.local.dir. */
  readonly localDirPath: string;
  /** The scratch disk both templates mount. */
  readonly localDisk: SparkLocalDisk;
  /** The placement the executor template was built from (NVMe pools for instance-store scratch, else the EBS pools). */
  readonly executorPlacement: PodPlacement;
  /**
   * The executor template for Spark sessions that Spark itself starts, not EMR (a notebook server is their client-mode
   * driver): EMR never reads it, so it keeps what EMR's templates may not carry, the pod's securityContext (fsGroup
   * makes the scratch volume writable by the Spark user) and the Spark container's restricted settings.
   */
  readonly sessionExecutor: IPod;

  constructor(props: SparkPodTemplatesProps) {
    const { driverPlacement } = props.placements;
    const priorityClassNames = props.priorityClassNames ?? DEFAULT_SPARK_PRIORITY_CLASS_NAMES;
    const localDisk: SparkLocalDisk = props.localDisk ?? {
      kind: 'generic-ephemeral-volume',
      storageClassName: DEFAULT_GP3_STORAGE_CLASS_NAME,
      size: '100Gi',
    };
    this.localDisk = localDisk;
    requireThat(
      localDisk.kind !== 'instance-store' || props.placements.nvmeExecutorPlacement !== undefined,
      'localDisk.kind',
      '"instance-store" needs NVMe executor pools (SparkCapacity nvmeExecutorNodeClass with instanceStorePolicy RAID0); otherwise the emptyDir lands on the root EBS volume',
    );
    const executorPlacement =
      localDisk.kind === 'instance-store'
        ? props.placements.nvmeExecutorPlacement!
        : props.placements.executorPlacement;
    this.executorPlacement = executorPlacement;
    const deadlineSeconds =
      props.maxJobDuration === undefined ? undefined : requireGoDuration(props.maxJobDuration, 'maxJobDuration');
    requireThat(deadlineSeconds === undefined || deadlineSeconds > 0, 'maxJobDuration', 'must be longer than 0s');
    this.localDirPath = props.localDirPath ?? `/var/data/${SPARK_LOCAL_DIR_VOLUME}`;
    const gracePeriod = props.executorTerminationGracePeriodSeconds ?? 100;
    const sparkUser = props.sparkUser ?? { uid: 999, gid: 1000 };

    requireObjectName(priorityClassNames.driver, 'priorityClassNames.driver');
    requireObjectName(priorityClassNames.executor, 'priorityClassNames.executor');
    requireNotUnderMnt(this.localDirPath, 'localDirPath');
    requireIntegerInRange(gracePeriod, 0, SPOT_NOTICE_SECONDS - 1, 'executorTerminationGracePeriodSeconds');
    requireIntegerInRange(sparkUser.uid, 1, 2147483647, 'sparkUser.uid');
    requireIntegerInRange(sparkUser.gid, 0, 2147483647, 'sparkUser.gid');
    requireThat(
      localDisk.kind !== 'instance-store' || executorPlacement.instanceStoreEphemeralStorage,
      'localDisk.kind',
      '"instance-store" needs executor nodes whose EC2NodeClass sets instanceStorePolicy RAID0; otherwise the emptyDir lands on the root EBS volume',
    );
    const customCode = props.customCode;
    const codeMountPath = customCode?.mountPath ?? '/opt/custom-code';
    if (customCode) {
      requireThat(customCode.image !== '', 'customCode.image', 'must not be empty');
      requireThat(customCode.command.length > 0, 'customCode.command', 'must not be empty');
      requireNotUnderMnt(codeMountPath, 'customCode.mountPath');
      requireThat(
        codeMountPath !== CUSTOM_CODE_HOME.path && !codeMountPath.startsWith(`${CUSTOM_CODE_HOME.path}/`),
        'customCode.mountPath',
        `"${codeMountPath}" is the init container's HOME (${CUSTOM_CODE_HOME.path}); mount the code elsewhere, e.g. /opt/custom-code`,
      );
    }

    const build = (
      role: SparkRole,
      placement: PodPlacement,
      annotations: Record<string, string>,
      extraSpec: Partial<NonNullable<IPod['spec']>>,
    ): IPod => {
      const mounts = [{ name: SPARK_LOCAL_DIR_VOLUME, mountPath: this.localDirPath }];
      const volumes: IVolume[] = [localDiskVolume(localDisk, 'localDisk')];
      const initContainers: Container[] = [];
      if (customCode) {
        mounts.push({ name: 'custom-code', mountPath: codeMountPath });
        volumes.push({ name: 'custom-code', emptyDir: {} }, { name: CUSTOM_CODE_HOME.volume, emptyDir: {} });
        initContainers.push({
          name: 'fetch-custom-code',
          image: customCode.image,
          command: [...customCode.command],
          // The image's HOME is / (not writable by a non-root user): the CLI's credential cache goes to an emptyDir.
          env: [
            { name: 'HOME', value: CUSTOM_CODE_HOME.path },
            ...(customCode.region
              ? ['AWS_REGION', 'AWS_DEFAULT_REGION'].map((name) => ({ name, value: customCode.region! }))
              : []),
          ],
          volumeMounts: [
            { name: 'custom-code', mountPath: codeMountPath },
            { name: CUSTOM_CODE_HOME.volume, mountPath: CUSTOM_CODE_HOME.path },
          ],
          securityContext: restrictedContainerSecurityContext(sparkUser),
        });
      }
      const labels = { ...props.podLabels };
      const pod: IPod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...(Object.keys(labels).length > 0 ? { labels } : {}),
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: {
          priorityClassName: role === 'driver' ? priorityClassNames.driver : priorityClassNames.executor,
          // A placement off Karpenter's pools (Fargate) has neither.
          ...(Object.keys(placement.nodeSelector).length > 0 ? { nodeSelector: { ...placement.nodeSelector } } : {}),
          ...(placement.tolerations.length > 0 ? { tolerations: placement.tolerations.map((t) => ({ ...t })) } : {}),
          // No pod securityContext and none on the Spark container: EMR allows neither and sets its own
          // (EMR_POD_TEMPLATE_CONTRACT). The namespaces enforce Pod Security baseline, which EMR's pods meet.
          ...(initContainers.length > 0 ? { initContainers } : {}),
          containers: [
            {
              name: SPARK_CONTAINER_NAMES[role],
              // Spark adds its CPU and memory to these; the scratch disk's size is the pod's ephemeral storage (Fargate), and
              // device-plugin resources are limits only (GPU classes).
              ...containerResources(localDisk, placement),
              volumeMounts: mounts,
            },
          ],
          volumes,
          ...extraSpec,
        },
      };
      checkSparkPodTemplate(pod, role);
      return pod;
    };

    const scrape = props.prometheusScrape ?? true;
    this.driver = build(
      'driver',
      driverPlacement,
      {
        // Losing the driver loses the job: Karpenter must not voluntarily remove its node (when Karpenter made it).
        ...doNotDisruptAnnotations(driverPlacement),
        ...(scrape
          ? {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(SPARK_UI_PORT),
              'prometheus.io/path': SPARK_PROMETHEUS_PATHS.driver,
              [EXECUTORS_METRICS_PATH_ANNOTATION]: SPARK_PROMETHEUS_PATHS.executors,
            }
          : {}),
      },
      deadlineSeconds === undefined ? {} : { activeDeadlineSeconds: deadlineSeconds },
    );
    // Executors serve no UI: their metrics come from the driver, so they carry no scrape annotations.
    const executor = build(
      'executor',
      executorPlacement,
      {},
      {
        terminationGracePeriodSeconds: gracePeriod,
        ...(props.singleZone ? { affinity: sameZoneAsDriver() } : {}),
      },
    );
    const gang = props.yunikorn;
    const scheduled = gang
      ? onYunikorn(
          { driver: this.driver, executor },
          {
            schedulerName: YUNIKORN_SCHEDULER_NAME,
            queue: gang.queue,
            taskGroups: sparkTaskGroups({ driver: this.driver, executor }, gang.sizes, gang.minExecutors),
          },
        )
      : { driver: this.driver, executor };
    checkSparkPodTemplate(scheduled.driver, 'driver');
    checkSparkPodTemplate(scheduled.executor, 'executor');
    this.driver = scheduled.driver;
    this.executor = scheduled.executor;
    // A notebook session's driver is the running notebook server, no gang: its executors keep the queue, not the group.
    this.sessionExecutor = withPodSecurity(withoutTaskGroup(this.executor), sparkUser);
  }
}

function withoutTaskGroup(template: IPod): IPod {
  const annotations = Object.fromEntries(
    Object.entries(template.metadata?.annotations ?? {}).filter(([key]) => key !== YUNIKORN_TASK_GROUP_NAME_ANNOTATION),
  );
  const { annotations: _, ...metadata } = template.metadata ?? {};
  return { ...template, metadata: { ...metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } };
}

/** A template as Spark alone reads it: the pod runs as the Spark user, whose group owns the volumes; containers restricted. */
function withPodSecurity(template: IPod, user: { readonly uid: number; readonly gid: number }): IPod {
  const spec = template.spec!;
  return {
    ...template,
    spec: {
      ...spec,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: user.uid,
        runAsGroup: user.gid,
        fsGroup: user.gid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: spec.containers.map((container) => ({
        ...container,
        securityContext: container.securityContext ?? restrictedContainerSecurityContext(user),
      })),
    },
  };
}

/** File name of SparkPodTemplates.sessionExecutor beside the EMR templates: EMR never reads it (validation knows it by this name). */
export const SESSION_EXECUTOR_TEMPLATE_FILE = 'session-executor.yaml';

/** Spark labels every pod of an application with its id; the driver also carries spark-role: driver. */
export const SPARK_APP_SELECTOR_LABEL = 'spark-app-selector';

/**
 * Executor affinity that keeps a job's executors in its driver's zone. The app id is not known when the template is
 * written, so `matchLabelKeys` takes it from the executor's own spark-app-selector label.
 */
function sameZoneAsDriver(): NonNullable<NonNullable<IPod['spec']>['affinity']> {
  return {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchLabels: { 'spark-role': 'driver' } },
          matchLabelKeys: [SPARK_APP_SELECTOR_LABEL],
          topologyKey: 'topology.kubernetes.io/zone',
        },
      ],
    },
  };
}
