import { Type, type Static } from '@sinclair/typebox';
import { NVIDIA_GPU_RESOURCE } from '@emr-eks-gitops/core';
import { GoDuration, Quantity, RoleArn, S3Uri, StringEnum, strictObject } from './schema-types.js';

const PoolLimits = (pool: string) =>
  strictObject(
    {
      cpu: Quantity(`total vCPUs of the ${pool} pool's nodes: a Kubernetes quantity such as 1000`),
      memory: Quantity(`total memory of the ${pool} pool's nodes: a Kubernetes quantity such as "4000Gi"`),
    },
    `ceiling of the ${pool} pool; Karpenter launches no node past it`,
  );

const NoDisruptionWindows = Type.Array(
  strictObject(
    {
      schedule: Type.String({
        minLength: 9,
        description: 'start of the window, a cron expression in UTC such as "0 0 * * 1-5"',
      }),
      duration: GoDuration('length of the window, a duration such as 10h'),
    },
    'a window in which Karpenter disrupts no Spark node voluntarily',
  ),
  {
    description:
      'windows without voluntary disruption (drift, expiry, consolidation), e.g. business hours; [] for none',
  },
);

/** The name tenants give a class; `default` is the environment's own pools (capacity.limits etc.). */
export const CAPACITY_CLASS_NAME_PATTERN = '^[a-z][a-z0-9-]{0,19}$';
const ClassName = (description: string) => Type.String({ pattern: CAPACITY_CLASS_NAME_PATTERN, description });

export const CapacityClassSchema = strictObject(
  {
    name: ClassName(
      'the class name tenants choose it by, e.g. graviton: lower case, up to 20 characters; its pools are spark-<name>-driver, spark-<name>-executor-*; "default" is the environment\'s own pools and cannot be redefined',
    ),
    description: Type.Optional(
      Type.String({ maxLength: 200, description: 'what the class is for, shown in the environment README' }),
    ),
    arch: Type.Optional(
      Type.Unsafe<'amd64' | 'arm64'>({
        type: 'string',
        enum: ['amd64', 'arm64'],
        description: 'CPU architecture: amd64 (default) or arm64 (Graviton; EMR on EKS release images are multi-arch)',
      }),
    ),
    categories: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z]{1,4}$' }), {
        minItems: 1,
        uniqueItems: true,
        description:
          'instance categories such as c, m, r (default c, m, r; g or p for GPU classes); ignored for the executors when families is set',
      }),
    ),
    families: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]*[0-9][a-z0-9-]*$' }), {
        minItems: 1,
        uniqueItems: true,
        description: 'instance families such as r7g, r6g (replaces categories)',
      }),
    ),
    minGeneration: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 20, description: 'lowest instance generation, e.g. 6 (default 6)' }),
    ),
    sizes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9-]+$' }), {
        minItems: 1,
        uniqueItems: true,
        description: 'instance sizes such as 2xlarge, 4xlarge (default any)',
      }),
    ),
    executorCapacity: Type.Optional(
      Type.Unsafe<'spot-first' | 'on-demand'>({
        type: 'string',
        enum: ['spot-first', 'on-demand'],
        description:
          'executor pools: spot-first (spot preferred, on-demand fallback; the default) or on-demand only. Drivers are always on-demand',
      }),
    ),
    localDisk: Type.Optional(
      Type.Unsafe<'ebs' | 'nvme'>({
        type: 'string',
        enum: ['ebs', 'nvme'],
        description:
          'executor scratch disk: ebs (a gp3 volume per pod, the default) or nvme (instance types with local NVMe, striped RAID0 by the spark-nvme node class)',
      }),
    ),
    gpu: Type.Optional(
      strictObject(
        {
          resource: Type.Optional(
            Type.String({
              pattern: '^[a-z0-9.-]+/[a-z0-9.-]+$',
              default: NVIDIA_GPU_RESOURCE,
              description: "the device plugin's resource each executor requests (default nvidia.com/gpu)",
            }),
          ),
          perExecutor: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 16, default: 1, description: 'devices per executor (default 1)' }),
          ),
          taintKey: Type.Optional(
            Type.String({
              pattern: '^([a-z0-9.-]+/)?[A-Za-z0-9._-]+$',
              description: 'key of the NoSchedule taint GPU nodes carry (default the resource name, nvidia.com/gpu)',
            }),
          ),
        },
        'GPU executors (drivers stay on CPU nodes of the class): GPU instance types only, tainted, executors tolerate the taint and request the device. The NVIDIA device plugin must run on these nodes',
      ),
    ),
    exclusiveTo: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }), {
        minItems: 1,
        uniqueItems: true,
        description:
          "tenants that may use the class; absent: every tenant. The API server enforces it for pods of the other tenants' namespaces (a ValidatingAdmissionPolicy in platform/admission/), which needs cluster.kubernetesVersion 1.30 or later",
      }),
    ),
    limits: Type.Optional(
      strictObject(
        {
          driver: Type.Optional(PoolLimits("class's driver")),
          executorSpot: Type.Optional(PoolLimits("class's spot executor")),
          executorOnDemand: Type.Optional(PoolLimits("class's on-demand executor")),
        },
        "resource ceilings of the class's pools (defaults: driver 200 CPU / 800Gi, spot executors 1000 / 4000Gi, on-demand executors 200 / 800Gi)",
      ),
    ),
    executorConsolidateAfter: Type.Optional(
      GoDuration(
        "how long the class's executor nodes stay empty or underutilized before consolidation (default capacity.executorConsolidateAfter)",
      ),
    ),
    noDisruptionWindows: Type.Optional(NoDisruptionWindows),
  },
  'a capacity class: its own driver pool (on-demand) and executor pools, labelled and tainted emr-eks-gitops.io/capacity-class=<name>',
);

export const CapacitySchema = strictObject(
  {
    backend: Type.Optional(
      StringEnum(['karpenter', 'auto-mode'], {
        default: 'karpenter',
        description:
          'who runs the nodes: "karpenter" (self-managed Karpenter: EC2NodeClasses, a controller, its CRDs and interruption queue; the default) or "auto-mode" (EKS Auto Mode: AWS runs Karpenter, the EBS CSI driver and the VPC CNI; this project renders eks.amazonaws.com NodeClasses and the cluster\'s compute config). The pools, taints and placements are the same on both',
      }),
    ),
    amiAlias: Type.Optional(
      Type.String({
        pattern: '^(al2|al2023|bottlerocket)@(latest|v[0-9][0-9.]*)$',
        description:
          'AMI of Karpenter nodes, pinned: an EC2NodeClass alias such as al2023@v20250101 (al2, al2023 or bottlerocket; @latest drifts and is refused); required with backend karpenter, unused with auto-mode (AWS picks the AMI)',
      }),
    ),
    nodeRole: Type.String({
      pattern: '^[\\w+=,.@-]{1,64}$',
      description:
        'IAM role name (not ARN) of the nodes, e.g. KarpenterNodeRole-spark-platform-dev; with auto-mode it needs an EC2 access entry with AmazonEKSAutoNodePolicy, and the built-in pools use it too',
    }),
    rootVolumeGiB: Type.Optional(
      Type.Integer({
        minimum: 20,
        maximum: 16384,
        default: 100,
        description:
          "size of each node's encrypted gp3 root volume in GiB, 20 to 16384 (with auto-mode: the NodeClass's ephemeralStorage, where images, logs and emptyDirs live)",
      }),
    ),
    autoMode: Type.Optional(
      strictObject(
        {
          builtInNodePools: Type.Optional(
            Type.Array(
              StringEnum(['general-purpose', 'system'], { description: 'a built-in pool: general-purpose or system' }),
              {
                uniqueItems: true,
                default: ['system'],
                description:
                  "Auto Mode's built-in pools to enable in the cluster's compute config (default [system]; [] for none)",
              },
            ),
          ),
          addonNodePool: Type.Optional(
            StringEnum(['general-purpose', 'system'], {
              default: 'system',
              description:
                'built-in pool that runs the add-ons (Prometheus, history servers, the JupyterHub hub): every Auto Mode node is a Karpenter node, so they cannot stay off Karpenter\'s nodes; "system" (tainted CriticalAddonsOnly, which they tolerate; the default) or "general-purpose"; must be in builtInNodePools',
            }),
          ),
        },
        'EKS Auto Mode settings (used with backend auto-mode; kept but unused with karpenter, so switching is one line)',
      ),
    ),
    nvmeInstanceStore: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'true: executor nodes are instance types with local NVMe, striped as RAID0 and used for Spark scratch space (spark.local.dir)',
      }),
    ),
    limits: Type.Optional(
      strictObject(
        {
          driver: Type.Optional(PoolLimits('driver')),
          executorSpot: Type.Optional(PoolLimits('spot executor')),
          executorOnDemand: Type.Optional(PoolLimits('on-demand fallback executor')),
        },
        'resource ceilings of the Spark node pools',
      ),
    ),
    driverNodes: Type.Optional(
      strictObject(
        {
          expireAfter: Type.Optional(
            Type.String({
              pattern: '^(([0-9]+(s|m|h))+|Never)$',
              description:
                'lifetime of a driver node, a duration such as 720h or "Never"; expiry is forceful: disruption budgets and no-disruption windows do not hold it back',
            }),
          ),
          terminationGracePeriod: Type.Optional(
            Type.String({
              pattern: '^([0-9]+(s|m|h))+$',
              description:
                "how long the drain of an expiring driver node waits for running drivers, job runners and notebook servers (do-not-disrupt) before killing them, e.g. 48h; at least every tenant's spark.maxJobDuration plus 15m, EMR's job-start-timeout (absent: wait for them, however long)",
            }),
          ),
        },
        'how driver nodes end (Karpenter expireAfter and terminationGracePeriod of the driver pool)',
      ),
    ),
    executorIdleTimeout: Type.Optional(
      GoDuration("Spark dynamic allocation's executor idle timeout, a duration such as 60s"),
    ),
    executorConsolidateAfter: Type.Optional(
      GoDuration(
        'how long executor nodes stay empty or underutilized before Karpenter consolidates them; longer than executorIdleTimeout, e.g. 5m',
      ),
    ),
    noDisruptionWindows: Type.Optional(NoDisruptionWindows),
    classes: Type.Optional(
      Type.Array(CapacityClassSchema, {
        minItems: 1,
        description:
          'named capacity classes beside the default pools (Graviton, instance families, NVMe, GPUs); tenants choose them in spark.capacityClasses',
      }),
    ),
    controller: Type.Optional(
      strictObject(
        {
          roleArn: RoleArn('IAM role of the Karpenter controller (IRSA)'),
          interruptionQueue: Type.String({
            pattern: '^[A-Za-z0-9_-]{1,80}$',
            description: 'SQS queue name Karpenter reads spot interruption and rebalance events from',
          }),
          managedNodeGroups: Type.Optional(
            Type.Array(
              Type.String({
                pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$',
                description: 'an EKS managed node group name',
              }),
              {
                minItems: 1,
                description: 'EKS managed node groups the controller must run on (it never runs on nodes it made)',
              },
            ),
          ),
        },
        'The Karpenter controller (backend karpenter: required; unused with auto-mode, where AWS runs it)',
      ),
    ),
  },
  'Karpenter capacity for Spark: node class and pools for drivers (on-demand) and executors (spot first)',
);

export const SparkPlatformSchema = strictObject(
  {
    artifactsS3Uri: S3Uri(
      'where dist-manifests/<env>/artifacts/ is synced to; Spark reads the pod templates from there',
    ),
    s3KmsKeyArn: Type.Optional(
      Type.String({
        pattern: '^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$',
        description:
          'the KMS key of the SSE-KMS encryption of the artifacts, logs and fallback-storage buckets, if they use one: the job, notebook and History Server roles get kms:Decrypt on it (and kms:GenerateDataKey where they write), through S3 only (artifacts/iam/)',
      }),
    ),
    logs: Type.Optional(
      strictObject(
        {
          cloudWatchLogGroupPrefix: Type.Optional(
            Type.String({
              pattern: '^/[./#A-Za-z0-9_-]{1,400}[A-Za-z0-9_-]$',
              description:
                'CloudWatch Logs group prefix, e.g. /emr-on-eks/spark-platform-dev: each tenant logs to <prefix>/<tenant>',
            }),
          ),
          s3Uri: Type.Optional(
            S3Uri(
              "S3 location of job logs: each tenant's logs go below <s3Uri>/<tenant>/ and its Spark event logs (for a History Server) below <s3Uri>/<tenant>/spark-events/",
            ),
          ),
          persistentAppUI: Type.Optional(
            Type.Boolean({
              default: true,
              description: 'keep the Spark UI of finished jobs in the EMR console (default true)',
            }),
          ),
        },
        "where EMR sends every job's logs (monitoringConfiguration); at least one of cloudWatchLogGroupPrefix and s3Uri",
      ),
    ),
  },
  'Spark settings shared by all tenants',
);

const SparkMemory = (description: string) => Type.String({ pattern: '^[1-9][0-9]*[mgt]$', description });
const SparkPodSize = (role: string) =>
  strictObject(
    {
      cores: Type.Integer({
        minimum: 1,
        maximum: 192,
        description: `spark.${role}.cores: the ${role} container's CPU request, a whole number of cores`,
      }),
      memory: SparkMemory(`spark.${role}.memory: the ${role}'s JVM heap, a whole number with m, g or t such as "8g"`),
      memoryOverheadFactor: Type.Optional(
        Type.Number({
          minimum: 0.1,
          maximum: 1,
          description: `share of the heap added for off-heap memory (spark.${role}.memoryOverhead is rendered from it, at least 384m): 0.1 for JVM jobs (default), about 0.4 for PySpark`,
        }),
      ),
    },
    `the default size of ${role === 'driver' ? 'the driver' : 'each executor'}`,
  );

export const TenantSparkSchema = strictObject(
  {
    capacityClasses: Type.Optional(
      strictObject(
        {
          driver: Type.Optional(
            ClassName(
              'capacity class of drivers and the job runner (always its on-demand pool): "default" (the default) or a name from capacity.classes',
            ),
          ),
          executor: Type.Optional(
            ClassName('capacity class of executors: "default" (the default) or a name from capacity.classes'),
          ),
          offered: Type.Optional(
            Type.Array(ClassName('a class a job may ask for instead'), {
              minItems: 1,
              uniqueItems: true,
              description:
                'more classes a job may run on (drivers and executors both): each gets pod templates and a StartJobRun document under artifacts/tenants/<tenant>/classes/<class>/',
            }),
          ),
        },
        "which capacity classes this tenant's jobs run on",
      ),
    ),
    singleZone: Type.Optional(
      Type.Unsafe<'always' | 'offered'>({
        type: 'string',
        enum: ['always', 'offered'],
        description:
          'keep each job\'s executors in the Availability Zone its driver was scheduled to (no cross-AZ shuffle traffic): "always" for every job, or "offered" for jobs that use the documents under artifacts/tenants/<tenant>/single-zone/ (a tenant that serves notebooks must use "offered": a notebook session\'s executors use the plain template); needs cluster.kubernetesVersion 1.31 or later',
      }),
    ),
    localDisk: Type.Optional(
      Type.Unsafe<'ebs' | 'instance-store'>({
        type: 'string',
        enum: ['ebs', 'instance-store'],
        description:
          'scratch disk of drivers and executors for spark.local.dir: "ebs" (a gp3 volume per pod, the default) or "instance-store" (executors on the NVMe pools; needs capacity.nvmeInstanceStore). On a named executor capacity class the class\'s localDisk decides; leave this out there',
      }),
    ),
    jobSize: Type.Optional(
      strictObject(
        {
          driver: SparkPodSize('driver'),
          executor: SparkPodSize('executor'),
        },
        "the default size of a job's pods, rendered into spark-defaults and used by every capacity rule (default: Spark's own, 1 core and 1g each)",
      ),
    ),
    maxJobDuration: Type.Optional(
      GoDuration(
        "the longest a job may run, e.g. 12h: the driver pod's activeDeadlineSeconds; at most capacity.driverNodes.terminationGracePeriod minus 15m, EMR's job-start-timeout",
      ),
    ),
    localDiskSize: Type.Optional(
      Quantity(
        'size of the gp3 scratch volume per driver and executor (localDisk ebs), e.g. "100Gi" (default); each counts against quota.storage. On Fargate (tenants[].fargate): the ephemeral-storage request of each driver and executor, 20Gi (default, included) to 154Gi (Fargate provisions the request plus 10% and 5 GiB, at most 175 GiB)',
      ),
    ),
    executorTerminationGracePeriodSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 119,
        description: 'seconds an executor gets to decommission before it is killed: under the 120 s spot notice',
      }),
    ),
    customCode: Type.Optional(
      strictObject(
        {
          image: Type.String({
            minLength: 1,
            description: "container image that fetches the tenant's code, e.g. an ECR image with the AWS CLI",
          }),
          command: Type.Array(Type.String(), {
            minItems: 1,
            description: 'command that writes the code into /opt/custom-code',
          }),
        },
        'an initContainer that fetches custom code before Spark starts',
      ),
    ),
    decommissionFallbackStorage: Type.Optional(
      S3Uri(
        'where decommissioned executors copy shuffle and RDD blocks no peer can take (spark.storage.decommission.fallbackStorage.path); the job role needs write access',
      ),
    ),
    extraProperties: Type.Optional(
      Type.Record(Type.String({ pattern: '^spark\\.' }), Type.String(), {
        description: 'more spark-defaults properties for this tenant (names start with "spark.")',
      }),
    ),
  },
  'Spark settings of this tenant: pod templates and spark-defaults',
);

export type SparkPlatformConfig = Static<typeof SparkPlatformSchema>;
export type CapacityConfig = Static<typeof CapacitySchema>;
export type CapacityClassConfig = Static<typeof CapacityClassSchema>;
export type TenantSparkConfig = Static<typeof TenantSparkSchema>;
