// Run-time rules of a tenant whose pods run on EKS Fargate: the Spark rules that do not depend on Karpenter (quota,
// LimitRange, accounts, egress), and what Fargate itself refuses or changes: pod sizes past 16 vCPU / 120 GB after its
// rounding, and scratch space whose provisioned ephemeral storage (request + 10% + 5 GiB) passes 175 GiB.
import {
  FARGATE_EPHEMERAL_STORAGE_GIB,
  FARGATE_MAX_EPHEMERAL_REQUEST_GIB,
  FARGATE_MAX_POD,
  fargatePodSize,
  fargateProvisionedStorageGiB,
  formatFargateSize,
  type FargatePodSize,
} from '../../fargate/fargate-sizing.js';
import { parseQuantity } from '../../primitives/quantity.js';
import { effectiveLimitRange, formatCores, formatMiB, jobFootprint, type PodFootprint } from './pod-footprint.js';
import { sparkTenantProblems } from './spark-tenant-rules.js';
import { configDiagnostic, type RuleId } from '../../diagnostics/index.js';
import type { RuntimeProblem, SparkTenantRuntime } from './tenant-runtime.js';

/** Rules about Karpenter's pools, node expiry and the job runner's node selector: Fargate has none of them. */
const KARPENTER_ONLY_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'node-fits-pod',
  'pool-limit-holds-pod',
  'quota-exceeds-capacity',
  'job-runner-placement',
  'executor-disk-pools',
  'driver-node-expiry',
]);

/** A Fargate tenant as the rules see it: a Spark tenant without pools; its scratch disk is the pod's ephemeral storage. */
export type FargateTenantRuntime = Omit<SparkTenantRuntime, 'driverPools' | 'executorPools' | 'jobRunnerPlacement'>;

/** The Fargate size of each pod of one job (the job runner, the driver, one executor), as Fargate computes it. */
export interface FargateJobSizes {
  readonly jobRunner: FargatePodSize;
  readonly driver: FargatePodSize;
  readonly executor: FargatePodSize;
}

/** The Fargate size of each pod a job of the tenant's default size starts (EMR's logging containers included). */
export function fargateJobSizes(tenant: FargateTenantRuntime): FargateJobSizes {
  const job = footprintOf(tenant);
  const size = (pod: PodFootprint) => fargatePodSize({ cores: pod.cores, memoryMiB: pod.memoryRequestMiB });
  return { jobRunner: size(job.jobRunner), driver: size(job.driver), executor: size(job.executor) };
}

function footprintOf(tenant: FargateTenantRuntime) {
  return jobFootprint(tenant.jobSize, effectiveLimitRange(tenant.containerDefaults), {
    emrLogging: tenant.logs.cloudWatch || tenant.logs.s3,
    initContainer: tenant.customCode,
  });
}

/** Every run-time problem of one Fargate tenant, in a stable order. */
export function fargateTenantProblems(tenant: FargateTenantRuntime): RuntimeProblem[] {
  const spark = sparkTenantProblems({
    ...tenant,
    driverPools: [],
    executorPools: [],
    jobRunnerPlacement: { nodeSelector: {}, tolerations: [] },
  }).filter((p) => !KARPENTER_ONLY_RULES.has(p.rule));
  return [...spark, ...sizeProblems(tenant), ...storageProblems(tenant)];
}

function sizeProblems(tenant: FargateTenantRuntime): RuntimeProblem[] {
  const job = footprintOf(tenant);
  const sizes = fargateJobSizes(tenant);
  const problems: RuntimeProblem[] = [];
  const largest = formatFargateSize(FARGATE_MAX_POD);
  for (const role of ['driver', 'executor'] as const) {
    const size = sizes[role];
    if (size.fits) continue;
    const pod = job[role];
    const field = pod.cores > FARGATE_MAX_POD.vcpu ? 'cores' : 'memory';
    problems.push(
      configDiagnostic(
        'fargate-pod-size',
        ['jobSize', role, field],
        `one ${role} pod requests ${formatCores(pod.cores)} cores / ${formatMiB(pod.memoryRequestMiB)} (the Spark container, EMR's logging container and the larger init container), plus the 256 MB Fargate adds for its kubelet: ${formatMiB(size.neededMiB)}, more than the largest Fargate pod (${largest}); the pod is never scheduled and the job hangs`,
        {
          hint: `shrink spark.jobSize.${role} to at most ${FARGATE_MAX_POD.vcpu} cores and a heap plus overhead that leaves room for EMR's logging container and the 256 MB, or run the tenant on Karpenter (remove fargate)`,
        },
      ),
    );
  }
  // EMR's logging container takes the LimitRange's default CPU request: on top of whole Spark cores it lifts the pod to
  // the next vCPU size, which Fargate bills in full while Spark uses only its own cores.
  const logged = tenant.logs.cloudWatch || tenant.logs.s3;
  const sidecarCores = effectiveLimitRange(tenant.containerDefaults).defaultRequest.cores;
  if (logged && sidecarCores > 0) {
    for (const role of ['driver', 'executor'] as const) {
      const size = sizes[role];
      const without = fargatePodSize({ cores: job[role].cores - sidecarCores, memoryMiB: job[role].memoryRequestMiB });
      if (!size.fits || !without.fits || without.vcpu === size.vcpu) continue;
      problems.push(
        configDiagnostic(
          'fargate-rounding',
          ['containerDefaults', 'defaultRequest', 'cpu'],
          `EMR's logging container takes the LimitRange's default CPU request ${formatCores(sidecarCores)}, which lifts each ${role} from ${formatFargateSize(without)} to ${formatFargateSize(size)} on Fargate: the tenant pays for ${size.vcpu - without.vcpu} vCPU per ${role} that Spark never uses`,
          {
            hint: 'set containerDefaults.defaultRequest.cpu to "0" (the logging container then shares the Spark container\'s CPU), or size spark.jobSize to the Fargate vCPU count',
          },
        ),
      );
    }
  }
  if (!sizes.jobRunner.fits) {
    problems.push(
      configDiagnostic(
        'fargate-pod-size',
        ['containerDefaults', 'defaultRequest'],
        `EMR's job runner takes the LimitRange's default requests (${formatCores(job.jobRunner.cores)} cores / ${formatMiB(job.jobRunner.memoryRequestMiB)} with its logging container), more than the largest Fargate pod (${largest})`,
        { hint: 'lower containerDefaults.defaultRequest' },
      ),
    );
  }
  return problems;
}

function storageProblems(tenant: FargateTenantRuntime): RuntimeProblem[] {
  if (tenant.localDisk.kind !== 'ephemeral-storage') return [];
  // Only the Spark container requests ephemeral storage, so its request is the pod's sum.
  const gib = parseQuantity(tenant.localDisk.size) / 2 ** 30;
  const provisioned = fargateProvisionedStorageGiB(gib);
  if (provisioned <= FARGATE_EPHEMERAL_STORAGE_GIB.max + 1e-9) return [];
  const { max, included } = FARGATE_EPHEMERAL_STORAGE_GIB;
  return [
    configDiagnostic(
      'fargate-ephemeral-storage',
      ['localDisk'],
      `the scratch disk asks for ${tenant.localDisk.size} of ephemeral storage per driver and executor, and Fargate provisions the request plus 10% and 5 GiB for system use: ${formatGiB(provisioned)} GiB, more than a Fargate pod can have (${max} GiB in all, ${included} GiB included): the pods are never scheduled`,
      {
        hint: `set spark.localDiskSize to at most ${FARGATE_MAX_EPHEMERAL_REQUEST_GIB}Gi (${formatGiB(fargateProvisionedStorageGiB(FARGATE_MAX_EPHEMERAL_REQUEST_GIB))} GiB provisioned), or run the tenant on Karpenter (remove fargate) for EBS or NVMe scratch space`,
      },
    ),
  ];
}

const formatGiB = (gib: number) => String(Math.round(gib * 10) / 10);
