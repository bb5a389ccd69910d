// What a Spark job's pods ask of the namespace, as admission computes it: Spark's container, the containers EMR adds,
// and what the LimitRange fills in for containers that state nothing.
import { parseQuantity } from '../../primitives/quantity.js';
import { sparkContainerResources, type SparkJobSize, type SparkPodSize } from '../../spark/job-size.js';
import type { ContainerDefaults } from '../../tenant/tenant-namespace.js';

/** EMR's logging container on drivers and executors requests 512Mi and no CPU ("Using Amazon EMR container defaults classification"). */
export const EMR_LOGGING_CONTAINER_MEMORY_MIB = 512;
/** EMR's logging container on the job runner requests 100m and 200Mi ("Using job submitter classification"). */
export const JOB_RUNNER_LOGGING_CONTAINER = { cores: 0.1, memoryMiB: 200 } as const;

const MIB = 2 ** 20;

/** Requests and limits of one pod, summed over its containers (init containers count with their maximum). */
export interface PodFootprint {
  readonly cores: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
  /** The Spark container alone (what LimitRange max is checked against); absent for the job runner. */
  readonly sparkContainer?: { readonly cores: number; readonly memoryMiB: number };
}

/** The LimitRange as admission applies it: absent default limits fall back to max (SetDefaults_LimitRangeItem). */
export interface EffectiveLimitRange {
  readonly defaultRequest: { readonly cores: number; readonly memoryMiB: number };
  /** Default limits; undefined when neither default nor max sets one. */
  readonly defaultLimit: { readonly cores?: number; readonly memoryMiB?: number };
  readonly max: { readonly cores?: number; readonly memoryMiB?: number };
}

export function effectiveLimitRange(defaults: ContainerDefaults): EffectiveLimitRange {
  const cores = (q: string | number | undefined) => (q === undefined ? undefined : parseQuantity(q));
  const mib = (q: string | number | undefined) => (q === undefined ? undefined : parseQuantity(q) / MIB);
  const max = { cores: cores(defaults.max?.cpu), memoryMiB: mib(defaults.max?.memory) };
  return {
    defaultRequest: {
      cores: parseQuantity(defaults.defaultRequest.cpu),
      memoryMiB: parseQuantity(defaults.defaultRequest.memory) / MIB,
    },
    defaultLimit: {
      cores: cores(defaults.default.cpu) ?? max.cores,
      memoryMiB: mib(defaults.default.memory) ?? max.memoryMiB,
    },
    max,
  };
}

export interface JobFootprint {
  readonly driver: PodFootprint;
  readonly executor: PodFootprint;
  readonly jobRunner: PodFootprint;
}

/**
 * The pods one job starts: EMR's job runner, the driver and each executor. `emrLogging`: monitoringConfiguration sends
 * logs somewhere, so EMR adds its logging container (memory request only: it takes the LimitRange's CPU request and
 * default memory limit). `initContainer`: the pod templates' custom-code init container, which takes the defaults.
 */
export function jobFootprint(
  jobSize: SparkJobSize,
  limits: EffectiveLimitRange,
  options: { emrLogging: boolean; initContainer: boolean },
): JobFootprint {
  const defaultMemoryLimit = limits.defaultLimit.memoryMiB ?? 0;
  const sparkPod = (size: SparkPodSize, role: string): PodFootprint => {
    const spark = sparkContainerResources(size, role);
    const logging = options.emrLogging
      ? {
          cores: limits.defaultRequest.cores,
          memoryRequestMiB: EMR_LOGGING_CONTAINER_MEMORY_MIB,
          memoryLimitMiB: Math.max(EMR_LOGGING_CONTAINER_MEMORY_MIB, defaultMemoryLimit),
        }
      : { cores: 0, memoryRequestMiB: 0, memoryLimitMiB: 0 };
    const containers = {
      cores: spark.cores + logging.cores,
      memoryRequestMiB: spark.memoryMiB + logging.memoryRequestMiB,
      memoryLimitMiB: spark.memoryMiB + logging.memoryLimitMiB,
    };
    const init = options.initContainer
      ? {
          cores: limits.defaultRequest.cores,
          memoryRequestMiB: limits.defaultRequest.memoryMiB,
          memoryLimitMiB: defaultMemoryLimit,
        }
      : { cores: 0, memoryRequestMiB: 0, memoryLimitMiB: 0 };
    return {
      cores: Math.max(containers.cores, init.cores),
      memoryRequestMiB: Math.max(containers.memoryRequestMiB, init.memoryRequestMiB),
      memoryLimitMiB: Math.max(containers.memoryLimitMiB, init.memoryLimitMiB),
      sparkContainer: { cores: spark.cores, memoryMiB: spark.memoryMiB },
    };
  };
  // The job runner's own container states no resources that EMR documents: count it with the namespace defaults.
  const jobRunner: PodFootprint = {
    cores: limits.defaultRequest.cores + (options.emrLogging ? JOB_RUNNER_LOGGING_CONTAINER.cores : 0),
    memoryRequestMiB:
      limits.defaultRequest.memoryMiB + (options.emrLogging ? JOB_RUNNER_LOGGING_CONTAINER.memoryMiB : 0),
    memoryLimitMiB:
      defaultMemoryLimit +
      (options.emrLogging ? Math.max(JOB_RUNNER_LOGGING_CONTAINER.memoryMiB, defaultMemoryLimit) : 0),
  };
  return { driver: sparkPod(jobSize.driver, 'driver'), executor: sparkPod(jobSize.executor, 'executor'), jobRunner };
}

export const formatCores = (cores: number): string => `${Number(cores.toFixed(3))}`;
export const formatMiB = (mib: number): string =>
  mib >= 1024 && Number.isInteger(mib / 1024)
    ? `${mib / 1024}Gi`
    : mib >= 1024
      ? `${Number((mib / 1024).toFixed(1))}Gi`
      : `${Math.ceil(mib)}Mi`;
