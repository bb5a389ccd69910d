// Run-time rules of one tenant: what the API server's admission, the scheduler, Karpenter, Spark and EMR will do with a
// job of the tenant's default size. They read the figures the builders were given (quota, LimitRange, job size, pools),
// so a rule and the objects it judges cannot disagree. Each problem names a field of the input, which callers map back
// to the line of their configuration.
import { instanceTypesMatching, largestAllocatable, smallestFittingType } from '../../karpenter/instance-types.js';
import { INSTANCE_LABEL_VOCABULARIES } from '../../karpenter/instance-labels.js';
import { placementProblems } from '../../scheduling/placement.js';
import { parseQuantity } from '../../primitives/quantity.js';
import { EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS } from '../../spark/emr-job-configuration.js';
import { configDiagnostic, parseConfigPath, type RuleId, type Severity } from '../../diagnostics/index.js';
import { goDurationSeconds } from '../../primitives/go-duration.js';
import type { AwsServiceReach, RuntimeProblem, SparkTenantRuntime } from './tenant-runtime.js';
import { gangProblems } from './yunikorn-gang-rules.js';
import {
  effectiveLimitRange,
  formatCores,
  formatMiB,
  jobFootprint,
  EMR_LOGGING_CONTAINER_MEMORY_MIB,
  type PodFootprint,
} from './pod-footprint.js';

const MIB = 2 ** 20;
// Either back end's local-NVMe label (Karpenter's AWS provider, EKS Auto Mode).
const NVME_LABEL_KEYS = new Set(INSTANCE_LABEL_VOCABULARIES.map((labels) => labels.localNvme));
const quantityMiB = (q: string | number) => parseQuantity(q) / MIB;

/** Every run-time problem of one tenant, in a stable order. */
export function sparkTenantProblems(tenant: SparkTenantRuntime): RuntimeProblem[] {
  const limits = effectiveLimitRange(tenant.containerDefaults);
  const job = jobFootprint(tenant.jobSize, limits, {
    emrLogging: tenant.logs.cloudWatch || tenant.logs.s3,
    initContainer: tenant.customCode,
  });
  return [
    ...limitRangeProblems(tenant, job),
    ...quotaProblems(tenant, job),
    ...storageProblems(tenant, job.executor),
    ...poolProblems(tenant, job),
    ...accountProblems(tenant),
    ...jobRunnerProblems(tenant),
    ...egressProblems(tenant),
    ...expiryProblems(tenant),
    ...(tenant.gang ? gangProblems(tenant, job, tenant.gang.minExecutors) : []),
  ];
}

function problem(
  rule: RuleId,
  field: string,
  message: string,
  hint: string,
  severity: Severity = 'error',
): RuntimeProblem {
  return configDiagnostic(rule, parseConfigPath(field), message, { hint, severity });
}

const describePod = (role: string, pod: PodFootprint) =>
  `${role} ${formatCores(pod.cores)} cores / ${formatMiB(pod.memoryRequestMiB)}`;

function limitRangeProblems(tenant: SparkTenantRuntime, job: ReturnType<typeof jobFootprint>): RuntimeProblem[] {
  const d = tenant.containerDefaults;
  const problems: RuntimeProblem[] = [];
  const sparkCores = Math.max(tenant.jobSize.driver.cores, tenant.jobSize.executor.cores);
  if (d.default.cpu !== undefined) {
    const injected = parseQuantity(d.default.cpu);
    const max = d.max ? parseQuantity(d.max.cpu) : undefined;
    if (max === undefined || injected < max) {
      problems.push(
        problem(
          'limitrange-cpu-limit',
          'containerDefaults.default.cpu',
          `the LimitRange gives every container without a CPU limit a CPU limit of ${d.default.cpu}, and Spark sets none on drivers and executors (only with spark.kubernetes.*.limit.cores): a pod asking for more cores${max !== undefined ? ` (up to max.cpu ${d.max!.cpu})` : ''} is rejected by the API server ("must be less than or equal to cpu limit") and the driver retries executor creation forever; this tenant's pods ask for up to ${sparkCores}`,
          max !== undefined
            ? `remove containerDefaults.default.cpu: Kubernetes then uses max.cpu (${d.max!.cpu}) as the default limit`
            : 'remove containerDefaults.default.cpu, or set max.cpu and leave the default limit to it',
        ),
      );
    }
  }
  const defaultMemory = quantityMiB(d.default.memory);
  if ((tenant.logs.cloudWatch || tenant.logs.s3) && defaultMemory < EMR_LOGGING_CONTAINER_MEMORY_MIB) {
    problems.push(
      problem(
        'limitrange-memory-limit',
        'containerDefaults.default.memory',
        `EMR's logging container requests ${EMR_LOGGING_CONTAINER_MEMORY_MIB}Mi and takes the default memory limit ${d.default.memory}: a request above its limit, so every job pod is rejected`,
        `set containerDefaults.default.memory to at least ${EMR_LOGGING_CONTAINER_MEMORY_MIB}Mi`,
      ),
    );
  }
  for (const role of ['driver', 'executor'] as const) {
    const spark = job[role].sparkContainer!;
    if (d.max) {
      if (spark.cores > parseQuantity(d.max.cpu)) {
        problems.push(
          problem(
            'limitrange-max',
            `jobSize.${role}.cores`,
            `the ${role}'s Spark container asks for ${spark.cores} cores, above the LimitRange's max.cpu ${d.max.cpu}: the API server rejects every ${role} pod`,
            `lower spark.jobSize.${role}.cores to at most ${d.max.cpu}, or raise containerDefaults.max.cpu to ${spark.cores}`,
          ),
        );
      }
      if (spark.memoryMiB > quantityMiB(d.max.memory)) {
        problems.push(
          problem(
            'limitrange-max',
            `jobSize.${role}.memory`,
            `the ${role}'s Spark container asks for ${formatMiB(spark.memoryMiB)} (heap ${tenant.jobSize[role].memory} plus Spark's overhead), above the LimitRange's max.memory ${d.max.memory}: the API server rejects every ${role} pod`,
            `lower spark.jobSize.${role}.memory, or raise containerDefaults.max.memory to at least ${formatMiB(spark.memoryMiB)}`,
          ),
        );
      }
    }
  }
  return problems;
}

function quotaProblems(tenant: SparkTenantRuntime, job: ReturnType<typeof jobFootprint>): RuntimeProblem[] {
  const pods = [job.jobRunner, job.driver, job.executor];
  const sum = (pick: (pod: PodFootprint) => number) => pods.reduce((total, pod) => total + pick(pod), 0);
  const what = `the job runner, ${describePod('a driver', job.driver)} and ${describePod('one executor', job.executor)}`;
  const problems: RuntimeProblem[] = [];
  const cores = sum((p) => p.cores);
  if (parseQuantity(tenant.quota.cpu) < cores) {
    problems.push(
      problem(
        'quota-holds-job',
        'quota.cpu',
        `quota.cpu ${tenant.quota.cpu} cannot hold one job: ${what} request ${formatCores(cores)} cores, so the job never gets past its first pods`,
        `raise quota.cpu to at least ${Math.ceil(cores)} or shrink spark.jobSize`,
      ),
    );
  }
  const memoryRequest = sum((p) => p.memoryRequestMiB);
  const memoryLimit = sum((p) => p.memoryLimitMiB);
  const memoryQuota = quantityMiB(tenant.quota.memory);
  if (memoryQuota < Math.max(memoryRequest, memoryLimit)) {
    problems.push(
      problem(
        'quota-holds-job',
        'quota.memory',
        `quota.memory ${tenant.quota.memory} (requests.memory and limits.memory) cannot hold one job: ${what} request ${formatMiB(memoryRequest)} with limits of ${formatMiB(memoryLimit)} (EMR's logging containers take the LimitRange default limit)`,
        `raise quota.memory to at least ${formatMiB(Math.ceil(Math.max(memoryRequest, memoryLimit) / 1024) * 1024)} or shrink spark.jobSize`,
      ),
    );
  }
  if (tenant.quota.pods < pods.length) {
    problems.push(
      problem(
        'quota-holds-job',
        'quota.pods',
        `quota.pods ${tenant.quota.pods} cannot hold one job: the job runner, the driver and at least one executor are ${pods.length} pods`,
        `raise quota.pods to at least ${pods.length}`,
      ),
    );
  }
  return problems;
}

function storageProblems(tenant: SparkTenantRuntime, executor: PodFootprint): RuntimeProblem[] {
  if (tenant.localDisk.kind !== 'generic-ephemeral-volume') return [];
  const volume = parseQuantity(tenant.localDisk.size);
  const storage = parseQuantity(tenant.quota.storage);
  const byStorage = Math.floor(storage / volume);
  const byCpu = Math.floor(parseQuantity(tenant.quota.cpu) / executor.cores);
  if (byStorage >= byCpu) return [];
  const needed = formatMiB((byCpu * volume) / MIB);
  return [
    problem(
      'quota-storage-volumes',
      'quota.storage',
      `quota.storage ${tenant.quota.storage} holds ${byStorage} scratch volume${byStorage === 1 ? '' : 's'} of ${tenant.localDisk.size} (every driver and executor gets one, counted against requests.storage), but quota.cpu ${tenant.quota.cpu} admits ${byCpu} executors of ${formatCores(executor.cores)} cores: from pod ${byStorage + 1} on, the volume claim is refused and the pod stays Pending`,
      `set quota.storage to at least ${needed}, or lower spark.localDiskSize`,
    ),
  ];
}

/** Pods of a class fit some instance type of some pool they reach, and some pool's limit holds one of them. */
function poolProblems(tenant: SparkTenantRuntime, job: ReturnType<typeof jobFootprint>): RuntimeProblem[] {
  const problems: RuntimeProblem[] = [];
  const classes = [
    { role: 'driver' as const, pod: job.driver, pools: tenant.driverPools, limitsField: 'driverPools.limits' },
    { role: 'executor' as const, pod: job.executor, pools: tenant.executorPools, limitsField: 'executorPools.limits' },
  ];
  for (const { role, pod, pools } of classes) {
    const request = { cpuMillis: Math.ceil(pod.cores * 1000), memoryMiB: Math.ceil(pod.memoryRequestMiB) };
    // Pools that allow only instance types the catalog does not know are not judged (unknown is not "does not fit").
    const known = pools.filter((pool) => instanceTypesMatching(pool.requirements).length > 0);
    if (known.length > 0 && !known.some((pool) => smallestFittingType(pool.requirements, request) !== undefined)) {
      const largest = known.map((pool) => largestAllocatable(pool.requirements));
      const cpu = Math.max(...largest.map((l) => l?.cpuMillis ?? 0)) / 1000;
      const memory = Math.max(...largest.map((l) => l?.memoryMiB ?? 0));
      problems.push(
        problem(
          'node-fits-pod',
          `jobSize.${role}.${pod.cores > cpu ? 'cores' : 'memory'}`,
          `${describePod(`one ${role} pod requests`, pod)}, more than any instance type of ${pools.map((p) => p.name).join(', ')} can give a pod (the largest offers ${formatCores(cpu)} cores / ${formatMiB(memory)} after the kubelet's reservations): Karpenter launches no node and the pod stays Pending`,
          `shrink spark.jobSize.${role} to fit within ${formatCores(cpu)} cores / ${formatMiB(memory)}`,
        ),
      );
    }
  }
  for (const { role, pod, pools, limitsField } of classes) {
    for (const [resource, need, unit] of [
      ['cpu', pod.cores, formatCores(pod.cores)],
      ['memory', pod.memoryRequestMiB * MIB, formatMiB(pod.memoryRequestMiB)],
    ] as const) {
      const ceilings = pools.map((pool) => pool.limits?.[resource]);
      if (ceilings.length === 0 || ceilings.some((c) => c === undefined || parseQuantity(c) >= need)) continue;
      problems.push(
        problem(
          'pool-limit-holds-pod',
          `${limitsField}.${resource}`,
          `the ${role} pools ${pools.map((p) => p.name).join(', ')} are limited to ${ceilings.join(', ')} ${resource}, less than one ${role} pod (${unit}): Karpenter never launches a node for it`,
          `raise the pool limit above ${unit}`,
        ),
      );
    }
  }
  // The quota is shared by drivers and executors; executors can only ever use what their pools may launch.
  const executorCeiling = (resource: 'cpu' | 'memory'): number | undefined => {
    const ceilings = tenant.executorPools.map((pool) => pool.limits?.[resource]);
    if (ceilings.length === 0 || ceilings.some((c) => c === undefined)) return undefined;
    return ceilings.reduce<number>((sum, c) => sum + parseQuantity(c!), 0);
  };
  const cpuCeiling = executorCeiling('cpu');
  const executorCores = parseQuantity(tenant.quota.cpu) - job.driver.cores - job.jobRunner.cores;
  // Stryker disable next-line ConditionalExpression: `n > undefined` is false, so the guard changes nothing at run time
  if (cpuCeiling !== undefined && executorCores > cpuCeiling) {
    problems.push(
      problem(
        'quota-exceeds-capacity',
        'quota.cpu',
        `quota.cpu ${tenant.quota.cpu} leaves ${formatCores(executorCores)} cores for executors after one driver and job runner, but the executor pools (${tenant.executorPools.map((p) => p.name).join(', ')}) may launch only ${formatCores(cpuCeiling)} cores in all: the rest of the quota can never be used`,
        `lower quota.cpu to at most ${formatCores(cpuCeiling + job.driver.cores + job.jobRunner.cores)}, or raise the executor pools' limits`,
        'warning',
      ),
    );
  }
  const memoryCeiling = executorCeiling('memory');
  const executorMemory =
    parseQuantity(tenant.quota.memory) - (job.driver.memoryRequestMiB + job.jobRunner.memoryRequestMiB) * MIB;
  // Stryker disable next-line ConditionalExpression: `n > undefined` is false, so the guard changes nothing at run time
  if (memoryCeiling !== undefined && executorMemory > memoryCeiling) {
    problems.push(
      problem(
        'quota-exceeds-capacity',
        'quota.memory',
        `quota.memory ${tenant.quota.memory} leaves ${formatMiB(executorMemory / MIB)} for executors, but the executor pools (${tenant.executorPools.map((p) => p.name).join(', ')}) may launch only ${formatMiB(memoryCeiling / MIB)} in all: the rest of the quota can never be used`,
        `lower quota.memory, or raise the executor pools' limits`,
        'warning',
      ),
    );
  }
  // Executors that use EBS volumes on pools that only launch NVMe instance types pay for disks they leave idle.
  const nvmeOnly = tenant.executorPools.filter((pool) =>
    pool.requirements.some((r) => NVME_LABEL_KEYS.has(r.key) && (r.operator === 'Gt' || r.operator === 'Exists')),
  );
  if (tenant.localDisk.kind !== 'instance-store' && nvmeOnly.length > 0) {
    problems.push(
      problem(
        'executor-disk-pools',
        'localDisk',
        `executors use ${tenant.localDisk.kind === 'generic-ephemeral-volume' ? 'an EBS volume each' : 'no local disk'}, but pools ${nvmeOnly.map((p) => p.name).join(', ')} launch only instance types with local NVMe: the tenant pays for instance store it never uses`,
        'route these executors to pools without an instance-local-nvme requirement, or set spark.localDisk: instance-store',
        'warning',
      ),
    );
  }
  return problems;
}

function accountProblems(tenant: SparkTenantRuntime): RuntimeProblem[] {
  return tenant.serviceAccounts.flatMap((account, index) =>
    account.automountServiceAccountToken && !account.sparkDriver
      ? [
          problem(
            'driver-account-rbac',
            `serviceAccounts[${index}].automountServiceAccountToken`,
            `service account ${account.name} mounts its API token, but no Role lets it do anything: a Spark driver started with it (a notebook's session) gets 403 creating its first executor`,
            'set sparkDriver: true to bind the spark-driver Role (pods, services, configmaps and PVCs in this namespace), or set automountServiceAccountToken: false',
          ),
        ]
      : [],
  );
}

function jobRunnerProblems(tenant: SparkTenantRuntime): RuntimeProblem[] {
  const fitting = tenant.driverPools.filter((pool) => placementProblems(tenant.jobRunnerPlacement, pool).length === 0);
  if (fitting.length > 0 && fitting.every((pool) => pool.capacityTypes.every((type) => type === 'on-demand')))
    return [];
  return [
    problem(
      'job-runner-placement',
      'jobRunnerPlacement',
      fitting.length === 0
        ? `EMR's job runner (node selector ${JSON.stringify(tenant.jobRunnerPlacement.nodeSelector)}) fits none of the driver pools ${tenant.driverPools.map((p) => p.name).join(', ')}: every job stays SUBMITTED until EMR times it out`
        : `EMR's job runner can land on spot capacity of ${fitting
            .filter((p) => p.capacityTypes.some((t) => t !== 'on-demand'))
            .map((p) => p.name)
            .join(', ')}: a reclaimed job runner fails the job`,
      'render the emr-job-submitter classification from the driver placement (on-demand, tolerating the driver taint)',
    ),
  ];
}

function egressProblems(tenant: SparkTenantRuntime): RuntimeProblem[] {
  if (tenant.egress.mode !== 'restricted') return [];
  const reaches = tenant.egress.reaches;
  const needs: Array<[keyof AwsServiceReach, boolean, string]> = [
    ['s3', true, "S3, where the pod templates, the job's code and (with S3 logging) its logs live"],
    ['sts', true, 'STS, which IRSA calls to give the job its execution role'],
    ['logs', tenant.logs.cloudWatch, "CloudWatch Logs, where the job's logs are sent"],
  ];
  const missing = needs.filter(([service, needed]) => needed && !reaches[service]);
  if (missing.length === 0) return [];
  return [
    problem(
      'egress-aws-services',
      'egress.mode',
      `restricted egress has no route to ${missing.map(([, , why]) => why).join('; ')}: the job runner cannot read the pod templates and jobs fail before their driver starts`,
      `declare how the VPC reaches ${missing.map(([service]) => service).join(', ')} in network.awsServices (interface endpoint CIDRs, or for S3 a gateway endpoint's prefix-list CIDRs)`,
    ),
  ];
}

function expiryProblems(tenant: SparkTenantRuntime): RuntimeProblem[] {
  const bounded = tenant.driverPools.filter(
    (pool) => pool.expireAfter !== 'Never' && pool.terminationGracePeriod !== undefined,
  );
  if (bounded.length === 0) return [];
  const grace = Math.min(...bounded.map((pool) => goDurationSeconds(pool.terminationGracePeriod!) ?? Infinity));
  const graceText = bounded.find((pool) => goDurationSeconds(pool.terminationGracePeriod!) === grace)!
    .terminationGracePeriod!;
  const longest = tenant.maxJobDuration === undefined ? undefined : goDurationSeconds(tenant.maxJobDuration);
  // EMR's job runner (on the driver nodes, do-not-disrupt like the driver) lives from submission to the job's end: up to
  // the job-start timeout before the driver runs, then the driver's deadline. The drain must wait for both.
  const startSeconds =
    tenant.jobStartTimeout === undefined
      ? EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS
      : (goDurationSeconds(tenant.jobStartTimeout) ?? EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS);
  const startMinutes = Math.ceil(startSeconds / 60);
  if (longest !== undefined && longest + startSeconds <= grace) return [];
  const room = Math.floor((grace - startSeconds) / 60);
  return [
    problem(
      'driver-node-expiry',
      'maxJobDuration',
      longest === undefined
        ? `driver nodes expire (expireAfter ${bounded[0]!.expireAfter}, not held back by disruption budgets or windows) and their drain kills running drivers and job runners after terminationGracePeriod ${graceText}, but the tenant's jobs have no maximum duration: a longer job is killed when its node expires`
        : `spark.maxJobDuration ${tenant.maxJobDuration} plus the ${goMinutes(startMinutes)} a job may wait to start (EMR's job-start-timeout${tenant.jobStartTimeout === undefined ? '' : ', queue.maxQueueWait'}, while its job runner already runs) is longer than the driver pool's terminationGracePeriod ${graceText}: a job submitted on a driver node about to expire or drift loses its job runner or driver before it can finish`,
      room > 0
        ? `set spark.maxJobDuration to at most ${goMinutes(room)} (the driver pod gets it as activeDeadlineSeconds), or raise capacity.driverNodes.terminationGracePeriod to at least ${goMinutes(startMinutes)} more than it`
        : `raise capacity.driverNodes.terminationGracePeriod to at least ${goMinutes(startMinutes)} more than spark.maxJobDuration`,
    ),
  ];
}

/** Minutes as a Go duration: 1425 -> 23h45m. */
function goMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return `${hours > 0 ? `${hours}h` : ''}${minutes % 60 > 0 || hours === 0 ? `${minutes % 60}m` : ''}`;
}
