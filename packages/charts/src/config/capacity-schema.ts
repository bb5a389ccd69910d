import { Type, type Static } from '@sinclair/typebox';
import { GoDuration, Quantity, RoleArn, S3Uri, strictObject } from './schema-types.js';

const PoolLimits = (pool: string) => strictObject({
  cpu: Quantity(`total vCPUs of the ${pool} pool's nodes: a Kubernetes quantity such as 1000`),
  memory: Quantity(`total memory of the ${pool} pool's nodes: a Kubernetes quantity such as "4000Gi"`),
}, `ceiling of the ${pool} pool; Karpenter launches no node past it`);

export const CapacitySchema = strictObject({
  amiAlias: Type.String({
    pattern: '^(al2|al2023|bottlerocket)@(latest|v[0-9][0-9.]*)$',
    description: 'AMI of Karpenter nodes, pinned: an EC2NodeClass alias such as al2023@v20250101 (al2, al2023 or bottlerocket; @latest drifts and is refused)',
  }),
  nodeRole: Type.String({
    pattern: '^[\\w+=,.@-]{1,64}$',
    description: 'IAM role name (not ARN) of the nodes Karpenter launches, e.g. KarpenterNodeRole-spark-platform-dev',
  }),
  rootVolumeGiB: Type.Optional(Type.Integer({ minimum: 20, maximum: 16384, default: 100, description: 'size of each node\'s encrypted gp3 root volume in GiB, 20 to 16384' })),
  nvmeInstanceStore: Type.Optional(Type.Boolean({
    default: false,
    description: 'true: executor nodes are instance types with local NVMe, striped as RAID0 and used for Spark scratch space (spark.local.dir)',
  })),
  limits: Type.Optional(strictObject({
    driver: Type.Optional(PoolLimits('driver')),
    executorSpot: Type.Optional(PoolLimits('spot executor')),
    executorOnDemand: Type.Optional(PoolLimits('on-demand fallback executor')),
  }, 'resource ceilings of the Spark node pools')),
  driverNodes: Type.Optional(strictObject({
    expireAfter: Type.Optional(Type.String({
      pattern: '^(([0-9]+(s|m|h))+|Never)$',
      description: 'lifetime of a driver node, a duration such as 720h or "Never"; expiry is forceful: disruption budgets and no-disruption windows do not hold it back',
    })),
    terminationGracePeriod: Type.Optional(Type.String({
      pattern: '^([0-9]+(s|m|h))+$',
      description: 'how long the drain of an expiring driver node waits for running drivers before killing them, e.g. 48h; longer than every tenant\'s spark.maxJobDuration (absent: wait for them, however long)',
    })),
  }, 'how driver nodes end (Karpenter expireAfter and terminationGracePeriod of the driver pool)')),
  executorIdleTimeout: Type.Optional(GoDuration('Spark dynamic allocation\'s executor idle timeout, a duration such as 60s')),
  executorConsolidateAfter: Type.Optional(GoDuration('how long executor nodes stay empty or underutilized before Karpenter consolidates them; longer than executorIdleTimeout, e.g. 5m')),
  noDisruptionWindows: Type.Optional(Type.Array(strictObject({
    schedule: Type.String({ minLength: 9, description: 'start of the window, a cron expression in UTC such as "0 0 * * 1-5"' }),
    duration: GoDuration('length of the window, a duration such as 10h'),
  }, 'a window in which Karpenter disrupts no Spark node voluntarily'), {
    description: 'windows without voluntary disruption (drift, expiry, consolidation), e.g. business hours; [] for none',
  })),
  controller: strictObject({
    roleArn: RoleArn('IAM role of the Karpenter controller (IRSA)'),
    interruptionQueue: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,80}$',
      description: 'SQS queue name Karpenter reads spot interruption and rebalance events from',
    }),
    managedNodeGroups: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$', description: 'an EKS managed node group name' }), {
      minItems: 1, description: 'EKS managed node groups the controller must run on (it never runs on nodes it made)',
    })),
  }, 'The Karpenter controller'),
}, 'Karpenter capacity for Spark: node class and pools for drivers (on-demand) and executors (spot first)');

export const SparkPlatformSchema = strictObject({
  artifactsS3Uri: S3Uri('where dist-manifests/<env>/artifacts/ is synced to; Spark reads the pod templates from there'),
  logs: Type.Optional(strictObject({
    cloudWatchLogGroupPrefix: Type.Optional(Type.String({
      pattern: '^/[./#A-Za-z0-9_-]{1,400}[A-Za-z0-9_-]$',
      description: 'CloudWatch Logs group prefix, e.g. /emr-on-eks/spark-platform-dev: each tenant logs to <prefix>/<tenant>',
    })),
    s3Uri: Type.Optional(S3Uri('S3 location of job logs: each tenant\'s logs go below <s3Uri>/<tenant>/ and its Spark event logs (for a History Server) below <s3Uri>/<tenant>/spark-events/')),
    persistentAppUI: Type.Optional(Type.Boolean({ default: true, description: 'keep the Spark UI of finished jobs in the EMR console (default true)' })),
  }, 'where EMR sends every job\'s logs (monitoringConfiguration); at least one of cloudWatchLogGroupPrefix and s3Uri')),
}, 'Spark settings shared by all tenants');

const SparkMemory = (description: string) => Type.String({ pattern: '^[1-9][0-9]*[mgt]$', description });
const SparkPodSize = (role: string) => strictObject({
  cores: Type.Integer({ minimum: 1, maximum: 192, description: `spark.${role}.cores: the ${role} container's CPU request, a whole number of cores` }),
  memory: SparkMemory(`spark.${role}.memory: the ${role}'s JVM heap, a whole number with m, g or t such as "8g"`),
  memoryOverheadFactor: Type.Optional(Type.Number({
    minimum: 0.1, maximum: 1, description: `share of the heap added for off-heap memory (spark.${role}.memoryOverhead is rendered from it, at least 384m): 0.1 for JVM jobs (default), about 0.4 for PySpark`,
  })),
}, `the default size of ${role === 'driver' ? 'the driver' : 'each executor'}`);

export const TenantSparkSchema = strictObject({
  localDisk: Type.Optional(Type.Unsafe<'ebs' | 'instance-store'>({
    type: 'string', enum: ['ebs', 'instance-store'],
    description: 'scratch disk of drivers and executors for spark.local.dir: "ebs" (a gp3 volume per pod, the default) or "instance-store" (executors on the NVMe pools; needs capacity.nvmeInstanceStore)',
  })),
  jobSize: Type.Optional(strictObject({
    driver: SparkPodSize('driver'),
    executor: SparkPodSize('executor'),
  }, 'the default size of a job\'s pods, rendered into spark-defaults and used by every capacity rule (default: Spark\'s own, 1 core and 1g each)')),
  maxJobDuration: Type.Optional(GoDuration('the longest a job may run, e.g. 12h: the driver pod\'s activeDeadlineSeconds; at most capacity.driverNodes.terminationGracePeriod')),
  localDiskSize: Type.Optional(Quantity('size of the gp3 scratch volume per driver and executor (localDisk ebs), e.g. "100Gi" (default); each counts against quota.storage. On Fargate (tenants[].fargate): the ephemeral-storage request of each driver and executor, 20Gi (default, included) to 175Gi')),
  executorTerminationGracePeriodSeconds: Type.Optional(Type.Integer({
    minimum: 1, maximum: 119, description: 'seconds an executor gets to decommission before it is killed: under the 120 s spot notice',
  })),
  customCode: Type.Optional(strictObject({
    image: Type.String({ minLength: 1, description: 'container image that fetches the tenant\'s code, e.g. an ECR image with the AWS CLI' }),
    command: Type.Array(Type.String(), { minItems: 1, description: 'command that writes the code into /opt/custom-code' }),
  }, 'an initContainer that fetches custom code before Spark starts')),
  decommissionFallbackStorage: Type.Optional(S3Uri('where decommissioned executors copy shuffle and RDD blocks no peer can take (spark.storage.decommission.fallbackStorage.path); the job role needs write access')),
  extraProperties: Type.Optional(Type.Record(Type.String({ pattern: '^spark\\.' }), Type.String(), {
    description: 'more spark-defaults properties for this tenant (names start with "spark.")',
  })),
}, 'Spark settings of this tenant: pod templates and spark-defaults');

export type SparkPlatformConfig = Static<typeof SparkPlatformSchema>;
export type CapacityConfig = Static<typeof CapacitySchema>;
export type TenantSparkConfig = Static<typeof TenantSparkSchema>;
