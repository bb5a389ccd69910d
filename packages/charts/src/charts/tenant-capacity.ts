import { ConfigurationError, type SparkCapacity, type SparkLocalDisk, type SparkPlacements } from '@emr-eks-gitops/core';
import type { TenantConfig } from '../config/schema.js';

/** Where one tenant's jobs (or one variant of them) run: the classes' pools and the scratch disk they imply. */
export interface ClassPlacement {
  readonly driverClass: string;
  readonly executorClass: string;
  readonly driver: SparkCapacity;
  readonly executor: SparkCapacity;
  /** Drivers from the driver class, executors from the executor class: what SparkPodTemplates takes. */
  readonly placements: SparkPlacements;
  readonly localDisk: SparkLocalDisk;
  /** Spark's own GPU scheduling properties when the executors get GPUs (empty otherwise). */
  readonly gpuProperties: Readonly<Record<string, string>>;
  /** The Fargate profile that runs every pod of the tenant instead of any NodePool (Fargate tenants only). */
  readonly fargateProfile?: string;
  /** Labels of the driver and executor pods (the Fargate profile's, so no other profile takes them). */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/**
 * Composes a driver class and an executor class. On a named executor class the class decides the scratch disk (NVMe
 * instance store or an EBS volume per pod); on the default class the tenant's spark.localDisk does, as before classes.
 */
export function classPlacement(
  classes: ReadonlyMap<string, SparkCapacity>, tenant: TenantConfig, driverClass: string, executorClass: string, storageClassName: string,
): ClassPlacement {
  // The config rules refuse unknown names (capacity-class-unknown); this guards configs built in code.
  const classOf = (name: string, field: string) => {
    const found = classes.get(name);
    if (!found) throw new ConfigurationError(field, `no capacity class is named "${name}"; use one of ${[...classes.keys()].join(', ')}`);
    return found;
  };
  const driver = classOf(driverClass, 'capacityClasses.driver');
  const executor = classOf(executorClass, 'capacityClasses.executor');
  const spark = tenant.spark ?? {};
  const instanceStore = executor.capacityClass === undefined
    ? spark.localDisk === 'instance-store'
    : executor.executorPlacement === executor.nvmeExecutorPlacement;
  const localDisk: SparkLocalDisk = instanceStore
    ? { kind: 'instance-store' }
    : { kind: 'generic-ephemeral-volume', storageClassName, size: String(spark.localDiskSize ?? '100Gi') };
  return {
    driverClass,
    executorClass,
    driver,
    executor,
    placements: {
      driverPlacement: driver.driverPlacement,
      executorPlacement: executor.executorPlacement,
      nvmeExecutorPlacement: executor.nvmeExecutorPlacement,
      executorIdleTimeout: executor.executorIdleTimeout,
    },
    localDisk,
    gpuProperties: gpuProperties(executor.executorPlacement.extendedResources, tenant.spark?.jobSize?.executor.cores ?? 1),
  };
}

/**
 * Spark requests `<vendor>/gpu` per executor from spark.executor.resource.gpu.*, and schedules tasks on the devices
 * with spark.task.resource.gpu.amount (here the executor's cores share its GPUs); EMR images ship the discovery script.
 */
function gpuProperties(resources: Readonly<Record<string, number>> | undefined, cores: number): Record<string, string> {
  const gpu = Object.entries(resources ?? {}).find(([name]) => name.endsWith('/gpu'));
  if (!gpu) return {};
  const [name, amount] = gpu;
  const perTask = Math.floor((amount / cores) * 10000) / 10000;
  return {
    'spark.executor.resource.gpu.amount': String(amount),
    'spark.executor.resource.gpu.discoveryScript': '/usr/lib/spark/scripts/gpu/getGpusResources.sh',
    'spark.executor.resource.gpu.vendor': name.slice(0, -'/gpu'.length),
    'spark.task.resource.gpu.amount': String(perTask),
  };
}
