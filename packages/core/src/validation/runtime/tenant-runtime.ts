// One tenant as the run-time rules read it (the figures its builders were given), and what they report: the model the
// Spark, Fargate and YuniKorn gang rules share.
import type { NodePoolLimits } from '../../karpenter/node-pool.js';
import type { PodPlacement, PoolSchedulingView } from '../../scheduling/placement.js';
import type { CapacityType } from '../../scheduling/well-known-labels.js';
import type { SparkJobSize } from '../../spark/job-size.js';
import type { SparkLocalDisk } from '../../spark/local-disk.js';
import type { ContainerDefaults, TenantQuota } from '../../tenant/tenant-namespace.js';
import type { ConfigDiagnostic } from '../../diagnostics/index.js';

/** A run-time problem of a tenant, located at a path into SparkTenantRuntime (e.g. `quota.storage`) that callers re-root. */
export type RuntimeProblem = ConfigDiagnostic;

/** What the rules need of a NodePool (a NodePool construct is one). */
export interface RuntimePool extends PoolSchedulingView {
  readonly capacityTypes: readonly CapacityType[];
  readonly limits: NodePoolLimits | undefined;
  readonly expireAfter: string;
  readonly terminationGracePeriod: string | undefined;
}

/** The AWS services a tenant's pods reach from inside the VPC, and whether its egress lets them. */
export interface AwsServiceReach {
  readonly s3: boolean;
  readonly sts: boolean;
  readonly logs: boolean;
}

/** One tenant as the rules see it: the same figures its builders were given. */
export interface SparkTenantRuntime {
  readonly quota: TenantQuota;
  readonly containerDefaults: ContainerDefaults;
  readonly jobSize: SparkJobSize;
  readonly localDisk: SparkLocalDisk;
  /** Where EMR sends the job logs; either one makes EMR add its logging container to every job pod. */
  readonly logs: { readonly cloudWatch: boolean; readonly s3: boolean };
  /** The pod templates have the custom-code init container. */
  readonly customCode: boolean;
  /** The longest job the tenant allows (Go duration). @default unbounded */
  readonly maxJobDuration?: string;
  readonly serviceAccounts: ReadonlyArray<{
    readonly name: string;
    readonly automountServiceAccountToken: boolean;
    readonly sparkDriver: boolean;
  }>;
  /** The pools each pod class can reach: drivers the on-demand driver pool(s), executors the pools of their placement. */
  readonly driverPools: readonly RuntimePool[];
  readonly executorPools: readonly RuntimePool[];
  /** Where the emr-job-submitter classification puts EMR's job runner. */
  readonly jobRunnerPlacement: Pick<PodPlacement, 'nodeSelector' | 'tolerations'>;
  /** `restricted`: egress is limited to listed destinations, and `reaches` says which AWS services they include. */
  readonly egress: { readonly mode: 'allow-all' } | { readonly mode: 'restricted'; readonly reaches: AwsServiceReach };
  /** On YuniKorn: the executors gang-scheduled with the driver. @default no gang */
  readonly gang?: { readonly minExecutors: number };
  /** How long EMR lets a job wait to start (emr-containers-defaults job-start-timeout, Go duration). @default EMR's 15m */
  readonly jobStartTimeout?: string;
}
