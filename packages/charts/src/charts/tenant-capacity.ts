import {
  ConfigurationError,
  emrRapidsRelease,
  type SparkCapacity,
  type SparkLocalDisk,
  type SparkPlacements,
} from '@emr-eks-gitops/core';
import type { ResolvedTenant } from '../config/resolve.js';

/** Where one tenant's jobs (or one variant of them) run: the classes' pools and the scratch disk they imply. */
export interface ClassPlacement {
  readonly driverClass: string;
  readonly executorClass: string;
  readonly driver: SparkCapacity;
  readonly executor: SparkCapacity;
  /** Drivers from the driver class, executors from the executor class: what SparkPodTemplates takes. */
  readonly placements: SparkPlacements;
  readonly localDisk: SparkLocalDisk;
  /**
   * When the executors get GPUs: Spark's GPU scheduling properties, the RAPIDS Accelerator plugin and the release's
   * spark-rapids image (empty otherwise).
   */
  readonly gpuProperties: Readonly<Record<string, string>>;
  /** The release label of jobs on this placement when it differs from the tenant's: its spark-rapids variant for GPU executors. */
  readonly releaseLabel?: string;
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
  classes: ReadonlyMap<string, SparkCapacity>,
  tenant: ResolvedTenant,
  driverClass: string,
  executorClass: string,
  storageClassName: string,
  cluster: { readonly region: string; readonly partition?: string },
): ClassPlacement {
  const driver = capacityClassOf(classes, driverClass, 'capacityClasses.driver');
  const executor = capacityClassOf(classes, executorClass, 'capacityClasses.executor');
  const localDisk = scratchDisk(executor, tenant, storageClassName);
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
    ...gpuJobs(executor.executorPlacement.extendedResources, tenant, cluster),
  };
}

/** The class of that name. The config rules refuse unknown names (capacity-class-unknown); this guards configs built in code. */
export function capacityClassOf(
  classes: ReadonlyMap<string, SparkCapacity>,
  name: string,
  field: 'capacityClasses.driver' | 'capacityClasses.executor',
): SparkCapacity {
  const found = classes.get(name);
  if (!found)
    throw new ConfigurationError(
      field,
      `no capacity class is named "${name}"; use one of ${[...classes.keys()].join(', ')}`,
    );
  return found;
}

/**
 * The scratch disk of jobs whose executors run on `executor`'s pools, the one place this is decided: on a named class
 * the class's pools decide (NVMe instance store when its executors go to its NVMe pools, else an EBS volume per pod), on
 * the default class the tenant's spark.localDisk does. An EBS volume is the tenant's resolved spark.localDiskSize.
 */
export function scratchDisk(executor: SparkCapacity, tenant: ResolvedTenant, storageClassName: string): SparkLocalDisk {
  const instanceStore =
    executor.capacityClass === undefined
      ? tenant.spark.localDisk === 'instance-store'
      : executor.executorPlacement === executor.nvmeExecutorPlacement;
  return instanceStore
    ? { kind: 'instance-store' }
    : { kind: 'generic-ephemeral-volume', storageClassName, size: String(tenant.spark.localDiskSize) };
}

/** A Fargate tenant's scratch space: each pod's ephemeral storage, the tenant's resolved spark.localDiskSize. */
export function fargateScratchDisk(tenant: ResolvedTenant): SparkLocalDisk {
  return { kind: 'ephemeral-storage', size: String(tenant.spark.localDiskSize) };
}

/** GPU executors run the RAPIDS Accelerator variant of the tenant's release; CPU executors change nothing. */
function gpuJobs(
  resources: Readonly<Record<string, number>> | undefined,
  tenant: ResolvedTenant,
  cluster: { readonly region: string; readonly partition?: string },
): Pick<ClassPlacement, 'gpuProperties' | 'releaseLabel'> {
  const gpu = Object.entries(resources ?? {}).find(([name]) => name.endsWith('/gpu'));
  if (!gpu) return { gpuProperties: {} };
  // The config rules refuse a release without one (gpu-rapids-release); this guards configs built in code.
  const rapids = emrRapidsRelease(cluster.region, tenant.releaseLabel, cluster.partition);
  if ('unknown' in rapids)
    throw new ConfigurationError(
      'releaseLabel',
      `GPU executors need the release's RAPIDS Accelerator image: ${rapids.unknown}`,
    );
  return {
    gpuProperties: gpuProperties(gpu, tenant.spark.jobSize.executor.cores, rapids.image),
    releaseLabel: rapids.releaseLabel,
  };
}

/**
 * Spark requests `<vendor>/gpu` per executor from spark.executor.resource.gpu.* and schedules tasks on the devices with
 * spark.task.resource.gpu.amount (here the executor's cores share its GPUs). The RAPIDS Accelerator runs as the SQL
 * plugin of the release's spark-rapids image, named for driver and executors, so these overrides run GPU jobs even
 * when submitted with the tenant's own release label. No discovery script is set: the spark-rapids image configures
 * its own (the EMR on EKS guide's RAPIDS jobs set none); `/usr/lib/spark/scripts/gpu/getGpusResources.sh` is EMR on
 * EC2's path, not documented for EMR on EKS images.
 */
function gpuProperties([name, amount]: [string, number], cores: number, image: string): Record<string, string> {
  const perTask = Math.floor((amount / cores) * 10000) / 10000;
  return {
    'spark.executor.resource.gpu.amount': String(amount),
    'spark.executor.resource.gpu.vendor': name.slice(0, -'/gpu'.length),
    'spark.kubernetes.container.image': image,
    'spark.plugins': 'com.nvidia.spark.SQLPlugin',
    'spark.task.resource.gpu.amount': String(perTask),
  };
}
