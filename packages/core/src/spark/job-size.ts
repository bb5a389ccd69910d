import { requireThat } from '../primitives/errors.js';

/** A Spark memory size as spark-defaults take it: a whole number with a binary unit, e.g. `4g` or `4096m`. */
export type SparkMemory = string;

/** What one Spark pod (driver or executor) asks for, as `spark-defaults` state it. */
export interface SparkPodSize {
  /** `spark.{driver,executor}.cores`: the container's CPU request (Spark sets no CPU limit). */
  readonly cores: number;
  /** `spark.{driver,executor}.memory`: the JVM heap, e.g. `4g`. */
  readonly memory: SparkMemory;
  /**
   * Share of `memory` added for off-heap use (`spark.{driver,executor}.memoryOverhead` is rendered from it, at least
   * 384 MiB as Spark computes it). 0.1 suits JVM jobs; PySpark and R jobs need about 0.4.
   * @default 0.1
   */
  readonly memoryOverheadFactor?: number;
}

/** A tenant's default job size: one driver and each executor. */
export interface SparkJobSize {
  readonly driver: SparkPodSize;
  readonly executor: SparkPodSize;
}

/** The Spark container of a pod as the API server sees it: CPU request, memory request (= limit). */
export interface SparkContainerResources {
  readonly cores: number;
  /** Heap plus overhead, in MiB: Spark sets the memory request and limit to this. */
  readonly memoryMiB: number;
  /** `spark.*.memoryOverhead` in MiB. */
  readonly overheadMiB: number;
}

/** Spark's floor for the memory overhead (ResourceProfile.MEMORY_OVERHEAD_MIN_MIB). */
export const SPARK_MIN_MEMORY_OVERHEAD_MIB = 384;
const SPARK_MEMORY = /^([1-9][0-9]*)([mgt])$/;
const UNIT_MIB: Record<string, number> = { m: 1, g: 1024, t: 1024 * 1024 };

/** `4g` -> 4096 (MiB); throws a ConfigurationError naming `field` for anything but `<n>m|g|t`. */
export function sparkMemoryMiB(memory: SparkMemory, field: string): number {
  const match = SPARK_MEMORY.exec(memory);
  requireThat(
    match !== null,
    field,
    `"${memory}" is not a Spark memory size; write a whole number with m, g or t, e.g. "4g" or "4096m"`,
  );
  return Number(match[1]) * UNIT_MIB[match[2]!]!;
}

/** Validates one pod size; `field` is its path, e.g. `executor`. */
export function requireSparkPodSize(size: SparkPodSize, field: string): void {
  requireThat(
    Number.isInteger(size.cores) && size.cores >= 1 && size.cores <= 192,
    `${field}.cores`,
    `${size.cores} must be a whole number of cores from 1 to 192`,
  );
  sparkMemoryMiB(size.memory, `${field}.memory`);
  const factor = size.memoryOverheadFactor ?? 0.1;
  requireThat(
    factor >= 0.1 && factor <= 1,
    `${field}.memoryOverheadFactor`,
    `${factor} must be from 0.1 (JVM jobs) to 1; PySpark jobs need about 0.4`,
  );
}

/** The Spark container's resources for a pod size, computed as Spark does (overhead = max(384 MiB, factor x heap)). */
export function sparkContainerResources(size: SparkPodSize, field = 'size'): SparkContainerResources {
  requireSparkPodSize(size, field);
  const heap = sparkMemoryMiB(size.memory, `${field}.memory`);
  const overheadMiB = Math.max(SPARK_MIN_MEMORY_OVERHEAD_MIB, Math.floor((size.memoryOverheadFactor ?? 0.1) * heap));
  return { cores: size.cores, memoryMiB: heap + overheadMiB, overheadMiB };
}

/**
 * The `spark-defaults` that make a job this size: cores, heap and the overhead written out in MiB, so the pod's
 * memory does not depend on whether Spark treats the job as JVM (0.1) or non-JVM (0.4).
 */
export function jobSizeProperties(size: SparkJobSize): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const role of ['driver', 'executor'] as const) {
    const resources = sparkContainerResources(size[role], role);
    properties[`spark.${role}.cores`] = String(size[role].cores);
    properties[`spark.${role}.memory`] = size[role].memory;
    properties[`spark.${role}.memoryOverhead`] = `${resources.overheadMiB}m`;
  }
  return properties;
}

/** Spark's own defaults (1 core and 1g each), used when a tenant states no size. */
export const SPARK_DEFAULT_JOB_SIZE: SparkJobSize = {
  driver: { cores: 1, memory: '1g' },
  executor: { cores: 1, memory: '1g' },
};
