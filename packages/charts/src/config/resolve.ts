import type { Static, TSchema } from '@sinclair/typebox';
import {
  AUTO_MODE_DEFAULT_EXPIRE_AFTER,
  AUTO_MODE_DEFAULT_TERMINATION_GRACE_PERIOD,
  KARPENTER_CLUSTER_NAMESPACE,
  KARPENTER_DEFAULT_EXPIRE_AFTER,
  SPARK_DEFAULT_JOB_SIZE,
  type AutoModeBuiltInNodePool,
  type PodIdentityMode,
  type SparkJobSize,
} from '@emr-eks-gitops/core';
import {
  ClusterSchema,
  ProductionSchema,
  TenantSchema,
  type ClusterConfig,
  type EnvironmentFile,
  type FleetClusterConfig,
  type TenantConfig,
} from './schema.js';
import {
  CapacityClassSchema,
  CapacitySchema,
  SparkPlatformSchema,
  type CapacityClassConfig,
  type CapacityConfig,
  type SparkPlatformConfig,
  type TenantSparkConfig,
} from './capacity-schema.js';
import { DeliverySchema, type DeliveryConfig } from './delivery-schema.js';
import { TenantQueueSchema, type TenantQueueConfig } from './yunikorn-schema.js';
import type { TenantFargateConfig } from './fargate-schema.js';
import type { TenantServiceAccountConfig } from './tenant-access-schema.js';
import { fargateProfileName } from './fargate-semantics.js';
import type { ProgressiveSyncConfig } from './fleet-schema.js';

// The environment as charts, render and the CLI read it: every default applied here, once. A default the schema
// declares (`default`, also in environments/schema.json) is read from the schema, so the two cannot disagree. Each
// add-on resolves its own section (its module's `resolve`, addons/); environment/resolve.ts puts the two together.

/** A type with every property and list read-only, all the way down. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** `T` as the file has it, with the fields of `R` replaced by their resolved form. */
export type With<T, R> = Omit<DeepReadonly<T>, keyof R> & Readonly<R>;

export type ResolvedCluster = With<
  ClusterConfig,
  {
    partition: NonNullable<ClusterConfig['partition']>;
    identity: PodIdentityMode;
  }
>;

/** How driver nodes end: Karpenter's expiry always known, a drain bound only where one is configured or implied. */
export interface DriverNodes {
  readonly expireAfter: string;
  readonly terminationGracePeriod?: string;
}

type CapacityCommon = With<
  Omit<CapacityConfig, 'backend' | 'amiAlias' | 'controller' | 'autoMode'>,
  {
    rootVolumeGiB: number;
    nvmeInstanceStore: boolean;
    classes: readonly ResolvedCapacityClass[];
    driverNodes: DriverNodes;
  }
>;

/** A GPU class's devices: the resource each executor requests, how many, and the taint its nodes carry. */
export interface ResolvedClassGpu {
  readonly resource: string;
  readonly perExecutor: number;
  /** The file's, else the resource name (NVIDIA's device plugin convention). */
  readonly taintKey: string;
}

/**
 * A capacity class, its executors' scratch disk known (EBS unless the file says nvme); its instance selection's defaults
 * are the capacity builders' (core), which take it as it is.
 */
export type ResolvedCapacityClass = With<
  CapacityClassConfig,
  { gpu?: ResolvedClassGpu; localDisk: NonNullable<CapacityClassConfig['localDisk']> }
>;

export type KarpenterController = DeepReadonly<NonNullable<CapacityConfig['controller']>> & {
  /** Where the controller runs: addons.karpenter.namespace when this project installs it, else kube-system. */
  readonly namespace: string;
};

/** Self-managed Karpenter: its node classes' AMI and its controller, both required by the semantics rules. */
export type KarpenterCapacity = CapacityCommon & {
  readonly backend: 'karpenter';
  readonly amiAlias: string;
  readonly controller: KarpenterController;
};

/** EKS Auto Mode: the built-in pools to enable and the one the add-ons run on; AWS picks AMIs and runs Karpenter. */
export type AutoModeCapacity = CapacityCommon & {
  readonly backend: 'auto-mode';
  readonly autoMode: {
    readonly builtInNodePools: readonly AutoModeBuiltInNodePool[];
    readonly addonNodePool: AutoModeBuiltInNodePool;
  };
  /** Auto Mode bounds every drain (24h when not configured), so the bound is always known. */
  readonly driverNodes: Required<DriverNodes>;
};

/** The capacity back end, told apart by `backend`. */
export type ResolvedCapacity = KarpenterCapacity | AutoModeCapacity;

type SparkLogs = NonNullable<SparkPlatformConfig['logs']>;
export type ResolvedSparkPlatform = With<SparkPlatformConfig, { logs: With<SparkLogs, { persistentAppUI: boolean }> }>;

type DeliveryCommon = With<
  Omit<DeliveryConfig, 'engine' | 'argocd'>,
  {
    interval: string;
    retryInterval: string;
    timeout: string;
    prune: boolean;
    selfHeal: boolean;
  }
>;
export type FluxDelivery = DeliveryCommon & { readonly engine: 'flux' };
export type ArgoCdDelivery = DeliveryCommon & {
  readonly engine: 'argocd';
  readonly argocd: {
    readonly namespace: string;
    readonly project: string;
    readonly destinationServer: string;
    /** Only for an environment with clusters:, only when asked: the ApplicationSet's RollingSync steps. */
    readonly progressiveSync?: DeepReadonly<ProgressiveSyncConfig>;
  };
};
/** How the layers reach the cluster, told apart by `engine`. */
export type ResolvedDelivery = FluxDelivery | ArgoCdDelivery;

/**
 * The `addons:` section with each add-on's defaults applied. Each add-on's module adds its key (`declare module`,
 * addons/<name>/), so the model knows every add-on while this layer imports none of them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: each add-on adds its key by declaration merging, so this must stay an interface
export interface ResolvedAddons {}

export type ResolvedServiceAccount = With<
  TenantServiceAccountConfig,
  { sparkDriver: boolean; automountServiceAccountToken: boolean }
>;

/** A Fargate tenant's profile: its name, role and subnets, the tenant's own or the environment's `fargate` section's. */
export type ResolvedTenantFargate = With<
  TenantFargateConfig,
  { profile: string; podExecutionRoleArn: string; subnets: readonly string[] }
>;

export type ResolvedTenantQueue = With<
  TenantQueueConfig,
  {
    ordering: NonNullable<TenantQueueConfig['ordering']>;
    gangMinExecutors: number;
  }
>;

/**
 * A tenant's Spark settings. `localDisk` stays as written (absent: EBS volumes on the default pools; a named executor
 * class's own disk decides there); `localDiskSize` is always known: the file's, else LOCAL_DISK_DEFAULTS's for where
 * the tenant runs.
 */
export type ResolvedTenantSpark = With<
  TenantSparkConfig,
  {
    jobSize: SparkJobSize;
    localDiskSize: NonNullable<TenantSparkConfig['localDiskSize']>;
    /** Whether the file states localDiskSize: a problem with the scratch disk is located there, else at localDisk. */
    localDiskSizeWritten: boolean;
  }
>;

export type ResolvedTenant = With<
  TenantConfig,
  {
    /** The tenant's own identity, else the cluster's. */
    identity: PodIdentityMode;
    retired: boolean;
    /** Its job size is Spark's own when the file states none (SPARK_DEFAULT_JOB_SIZE); its scratch size, LOCAL_DISK_DEFAULTS's. */
    spark: ResolvedTenantSpark;
    serviceAccounts: readonly ResolvedServiceAccount[];
    fargate?: ResolvedTenantFargate;
    queue?: ResolvedTenantQueue;
  }
>;

/** A validated environment with every default applied, and where it came from: what charts, render and the CLI read. */
export interface ResolvedEnvironment {
  /** Environment name: the file name without `.yaml`. */
  readonly name: string;
  /** Path of the file, relative to the project root, as written into generated headers and messages. */
  readonly sourcePath: string;
  readonly production: boolean;
  readonly cluster: ResolvedCluster;
  readonly capacity: ResolvedCapacity;
  readonly spark: ResolvedSparkPlatform;
  readonly network?: DeepReadonly<NonNullable<EnvironmentFile['network']>>;
  readonly fargate?: DeepReadonly<NonNullable<EnvironmentFile['fargate']>>;
  readonly delivery?: ResolvedDelivery;
  readonly addons?: ResolvedAddons;
  readonly costAllocation?: DeepReadonly<NonNullable<EnvironmentFile['costAllocation']>>;
  /** The environment before this one in the promotion chain (rule promotion-order). */
  readonly promotion?: DeepReadonly<NonNullable<EnvironmentFile['promotion']>>;
  readonly tenants: readonly ResolvedTenant[];
  /** An environment with `clusters:`: its clusters as written (`cluster` is then the first of them). */
  readonly clusters?: DeepReadonly<FleetClusterConfig[]>;
  /** An environment with `clusters:`: each cluster's view, resolved on its own (environment/resolve.ts's resolveFleet, from config/cluster-views.ts). */
  readonly clusterViews?: readonly ClusterView[];
  /** Set on each cluster's view: where it sits among the environment's clusters. */
  readonly fleet?: FleetPlacement;
}

/** One cluster's view of an environment, and the way from the view's config paths back to the file's. */
export interface ClusterView<T = ResolvedEnvironment> {
  /** The cluster's name. */
  readonly cluster: string;
  /** The environment as a single-cluster one: `cluster:` this cluster, its tenants, its overrides applied. */
  readonly config: T;
  /** A config path of the view -> the path in the environment file that holds the value. */
  readonly sourcePath: (path: readonly (string | number)[]) => readonly (string | number)[];
}

/** Where a cluster's view of a multi-cluster environment sits among its clusters. */
export interface FleetPlacement {
  /** This view's cluster (also `cluster`). */
  readonly cluster: string;
  /** Every cluster of the environment, in file order, with the tenants placed on it. */
  readonly clusters: readonly { readonly cluster: ResolvedCluster; readonly tenants: readonly ResolvedTenant[] }[];
}

/** @deprecated the name of ResolvedEnvironment before defaults were resolved into one model; kept for library users. */
export type EnvironmentConfig = ResolvedEnvironment;

/** The `default` the schema declares for a field (a copy: the model never shares a value with the schema). */
export function schemaDefault<S extends TSchema>(field: S): Static<S> {
  if (!('default' in field))
    throw new Error(`the environment schema declares no default for: ${String(field.description)}`);
  return structuredClone(field.default) as Static<S>;
}

const capacity = CapacitySchema.properties;
const delivery = DeliverySchema.properties;

/** Every default of the environment file outside `addons:`, read once from the schema that declares it (the add-ons' are their modules'). */
export const SECTION_DEFAULTS = {
  production: schemaDefault(ProductionSchema),
  partition: schemaDefault(ClusterSchema.properties.partition),
  identity: schemaDefault(ClusterSchema.properties.identity),
  backend: schemaDefault(capacity.backend),
  rootVolumeGiB: schemaDefault(capacity.rootVolumeGiB),
  nvmeInstanceStore: schemaDefault(capacity.nvmeInstanceStore),
  builtInNodePools: schemaDefault(capacity.autoMode.properties.builtInNodePools),
  addonNodePool: schemaDefault(capacity.autoMode.properties.addonNodePool),
  persistentAppUI: schemaDefault(SparkPlatformSchema.properties.logs.properties.persistentAppUI),
  interval: schemaDefault(delivery.interval),
  retryInterval: schemaDefault(delivery.retryInterval),
  timeout: schemaDefault(delivery.timeout),
  prune: schemaDefault(delivery.prune),
  selfHeal: schemaDefault(delivery.selfHeal),
  argocdNamespace: schemaDefault(delivery.argocd.properties.namespace),
  argocdProject: schemaDefault(delivery.argocd.properties.project),
  argocdDestinationServer: schemaDefault(delivery.argocd.properties.destinationServer),
  gpuResource: schemaDefault(CapacityClassSchema.properties.gpu.properties.resource),
  gpuPerExecutor: schemaDefault(CapacityClassSchema.properties.gpu.properties.perExecutor),
  retired: schemaDefault(TenantSchema.properties.retired),
  queueOrdering: schemaDefault(TenantQueueSchema.properties.ordering),
  gangMinExecutors: schemaDefault(TenantQueueSchema.properties.gangMinExecutors),
} as const;

/**
 * Driver node expiry when the file sets none, per back end. Not a schema default because it depends on the back end:
 * Karpenter's own NodePool default (720h, which core's SparkCapacity also writes), or Auto Mode's 14 days with its
 * 24h drain bound, inside Auto Mode's 21-day node lifetime.
 */
export const DRIVER_NODE_DEFAULTS = {
  karpenter: { expireAfter: KARPENTER_DEFAULT_EXPIRE_AFTER },
  'auto-mode': {
    expireAfter: AUTO_MODE_DEFAULT_EXPIRE_AFTER,
    terminationGracePeriod: AUTO_MODE_DEFAULT_TERMINATION_GRACE_PERIOD,
  },
} as const;

/**
 * Scratch disks when the file leaves them out: an executor class's is EBS (`localDisk`), and each driver and executor
 * gets `ebsSize` of gp3 (tenants on nodes) or `fargateSize` of ephemeral storage, what Fargate includes (tenants on
 * Fargate). Not schema defaults: the size depends on where the tenant runs.
 */
export const LOCAL_DISK_DEFAULTS = { localDisk: 'ebs', ebsSize: '100Gi', fargateSize: '20Gi' } as const;

/** Where a validated environment came from. */
export interface EnvironmentOrigin {
  /** Environment name: the file name without `.yaml`. */
  readonly name: string;
  /** Path of the file as the user knows it (`environments/dev.yaml`). */
  readonly sourcePath: string;
}

/**
 * The resolved model of a validated environment file around its `addons:` section, which the add-ons resolved
 * (environment/resolve.ts's resolveEnvironment joins them). Call it only on a file that passed the schema and the
 * semantics rules: what those rules guarantee (Karpenter's AMI and controller, a Fargate tenant's role and subnets) is
 * not reported again; a file without it throws a plain Error, a caller's mistake rather than the user's.
 */
export function resolveSections(
  file: EnvironmentFile,
  origin: EnvironmentOrigin,
  addons: ResolvedAddons | undefined,
): ResolvedEnvironment {
  const D = SECTION_DEFAULTS;
  // An environment with clusters: resolves each cluster's view, each with its cluster (environment/resolve.ts).
  if (!file.cluster)
    throw new Error('resolveSections needs cluster:; an environment with clusters: resolves through resolveFleet');
  const cluster: ResolvedCluster = {
    ...file.cluster,
    partition: file.cluster.partition ?? D.partition,
    identity: file.cluster.identity ?? D.identity,
  };
  // The add-ons' sections as resolved come in `addons`; the file's are left behind.
  const { delivery: deliveryFile, addons: _asWritten, ...rest } = file;
  return {
    ...rest,
    ...origin,
    production: file.production ?? D.production,
    cluster,
    capacity: resolveCapacity(file.capacity, addons),
    spark: {
      ...file.spark,
      logs: { ...file.spark.logs, persistentAppUI: file.spark.logs?.persistentAppUI ?? D.persistentAppUI },
    },
    ...(deliveryFile ? { delivery: resolveDelivery(deliveryFile) } : {}),
    ...(addons ? { addons } : {}),
    tenants: file.tenants.map((tenant) => resolveTenant(tenant, file, cluster.identity)),
  };
}

function resolveCapacity(file: CapacityConfig, addons: ResolvedAddons | undefined): ResolvedCapacity {
  const D = SECTION_DEFAULTS;
  const { backend = D.backend, amiAlias, controller, autoMode, ...rest } = file;
  const common = {
    ...rest,
    rootVolumeGiB: file.rootVolumeGiB ?? D.rootVolumeGiB,
    nvmeInstanceStore: file.nvmeInstanceStore ?? D.nvmeInstanceStore,
    classes: (file.classes ?? []).map(resolveCapacityClass),
  };
  if (backend === 'auto-mode') {
    return {
      ...common,
      backend,
      autoMode: {
        builtInNodePools: autoMode?.builtInNodePools ?? D.builtInNodePools,
        addonNodePool: autoMode?.addonNodePool ?? D.addonNodePool,
      },
      driverNodes: { ...DRIVER_NODE_DEFAULTS[backend], ...file.driverNodes },
    };
  }
  if (amiAlias === undefined || controller === undefined) {
    throw new Error(
      'capacity.amiAlias and capacity.controller are required with backend karpenter: resolve only a validated environment',
    );
  }
  // Installed with the cluster (no addons.karpenter), the controller runs in kube-system, the add-on's default too.
  const namespace = addons?.karpenter?.namespace ?? KARPENTER_CLUSTER_NAMESPACE;
  return {
    ...common,
    backend,
    amiAlias,
    controller: { ...controller, namespace },
    driverNodes: { ...DRIVER_NODE_DEFAULTS[backend], ...file.driverNodes },
  };
}

function resolveCapacityClass({ gpu, localDisk, ...written }: CapacityClassConfig): ResolvedCapacityClass {
  const rest = { ...written, localDisk: localDisk ?? LOCAL_DISK_DEFAULTS.localDisk };
  if (!gpu) return rest;
  const resource = gpu.resource ?? SECTION_DEFAULTS.gpuResource;
  return {
    ...rest,
    gpu: {
      resource,
      perExecutor: gpu.perExecutor ?? SECTION_DEFAULTS.gpuPerExecutor,
      taintKey: gpu.taintKey ?? resource,
    },
  };
}

function resolveDelivery(file: DeliveryConfig): ResolvedDelivery {
  const D = SECTION_DEFAULTS;
  const { engine, argocd, ...rest } = file;
  const common = {
    ...rest,
    interval: file.interval ?? D.interval,
    retryInterval: file.retryInterval ?? D.retryInterval,
    timeout: file.timeout ?? D.timeout,
    prune: file.prune ?? D.prune,
    selfHeal: file.selfHeal ?? D.selfHeal,
  };
  if (engine === 'flux') return { ...common, engine };
  return {
    ...common,
    engine,
    argocd: {
      namespace: argocd?.namespace ?? D.argocdNamespace,
      project: argocd?.project ?? D.argocdProject,
      destinationServer: argocd?.destinationServer ?? D.argocdDestinationServer,
      ...(argocd?.progressiveSync ? { progressiveSync: argocd.progressiveSync } : {}),
    },
  };
}

function resolveTenant(tenant: TenantConfig, file: EnvironmentFile, clusterIdentity: PodIdentityMode): ResolvedTenant {
  const D = SECTION_DEFAULTS;
  const { fargate, queue, ...rest } = tenant;
  return {
    ...rest,
    identity: tenant.identity ?? clusterIdentity,
    retired: tenant.retired ?? D.retired,
    spark: {
      ...tenant.spark,
      jobSize: tenant.spark?.jobSize ?? SPARK_DEFAULT_JOB_SIZE,
      localDiskSize:
        tenant.spark?.localDiskSize ?? (fargate ? LOCAL_DISK_DEFAULTS.fargateSize : LOCAL_DISK_DEFAULTS.ebsSize),
      localDiskSizeWritten: tenant.spark?.localDiskSize !== undefined,
    },
    serviceAccounts: (tenant.serviceAccounts ?? []).map((account) => ({
      ...account,
      sparkDriver: account.sparkDriver ?? false,
      // A Spark driver talks to the API server; any other account gets no token unless it asks.
      automountServiceAccountToken: account.automountServiceAccountToken ?? account.sparkDriver ?? false,
    })),
    ...(fargate ? { fargate: resolveFargate(tenant, fargate, file) } : {}),
    ...(queue
      ? {
          queue: {
            ...queue,
            ordering: queue.ordering ?? D.queueOrdering,
            gangMinExecutors: queue.gangMinExecutors ?? D.gangMinExecutors,
          },
        }
      : {}),
  };
}

function resolveFargate(
  tenant: TenantConfig,
  fargate: TenantFargateConfig,
  file: EnvironmentFile,
): ResolvedTenantFargate {
  const podExecutionRoleArn = fargate.podExecutionRoleArn ?? file.fargate?.podExecutionRoleArn;
  const subnets = fargate.subnets ?? file.fargate?.subnets;
  if (podExecutionRoleArn === undefined || subnets === undefined) {
    throw new Error(
      `tenant ${tenant.name}: a Fargate tenant's role and subnets are required (its own or the environment's): resolve only a validated environment`,
    );
  }
  return { ...fargate, profile: fargateProfileName(tenant), podExecutionRoleArn, subnets };
}
