// The gang rule of a tenant on YuniKorn: a job starts only when its driver and minimum executors all fit (placeholders
// reserve them first, yunikorn-k8shim pkg/cache/placeholder.go), so a gang that can never fit never starts; it waits
// until EMR's job-start-timeout fails it.
import { parseQuantity } from '../../quantity.js';
import type { Severity } from '../finding.js';
import { formatCores, formatMiB, type JobFootprint } from './pod-footprint.js';
import type { RuntimePool, SparkTenantRuntime } from './spark-tenant-rules.js';

const MIB = 2 ** 20;

/** What the gang rule reports; `field` is a path into SparkTenantRuntime (`gang.minExecutors`). */
export interface GangProblem {
  readonly rule: 'yunikorn-gang-fits';
  readonly severity: Severity;
  readonly field: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * The gang (driver plus `minExecutors` executors, the job runner beside it) within the tenant's queue max, which is its
 * quota (CPU, memory, pods), and the executors of one gang within one executor pool's limits (each pool's limit is what
 * that pool may ever launch; the driver's own pool is checked by pool-limit-holds-pod).
 */
export function gangProblems(tenant: SparkTenantRuntime, job: JobFootprint, minExecutors: number): GangProblem[] {
  const problems: GangProblem[] = [];
  const report = (message: string, hint: string) => problems.push({ rule: 'yunikorn-gang-fits', severity: 'error', field: 'gang.minExecutors', message, hint });
  const cores = job.jobRunner.cores + job.driver.cores + minExecutors * job.executor.cores;
  const memoryMiB = job.jobRunner.memoryRequestMiB + job.driver.memoryRequestMiB + minExecutors * job.executor.memoryRequestMiB;
  const gang = `the job runner, a driver and ${minExecutors} executor${minExecutors === 1 ? '' : 's'} (${formatCores(cores)} cores / ${formatMiB(memoryMiB)})`;
  const fitting = (perExecutor: number, room: number) => Math.max(0, Math.floor(room / perExecutor));
  const byCpu = fitting(job.executor.cores, parseQuantity(tenant.quota.cpu) - job.jobRunner.cores - job.driver.cores);
  const byMemory = fitting(job.executor.memoryRequestMiB, parseQuantity(tenant.quota.memory) / MIB - job.jobRunner.memoryRequestMiB - job.driver.memoryRequestMiB);
  const byPods = Math.max(0, tenant.quota.pods - 2);
  const most = Math.min(byCpu, byMemory, byPods);
  if (minExecutors > most) {
    report(`the gang of ${gang} does not fit the queue's max, the tenant's quota (${tenant.quota.cpu} CPU, ${tenant.quota.memory}, ${tenant.quota.pods} pods): YuniKorn never schedules its placeholders and every job waits until EMR's job-start-timeout fails it`,
      most > 0 ? `lower queue.gangMinExecutors to at most ${most}, or raise the quota` : 'raise the quota: it does not hold a driver and one executor beside the job runner');
  }
  const executors = { cores: minExecutors * job.executor.cores, memory: minExecutors * job.executor.memoryRequestMiB * MIB };
  const holds = (pool: RuntimePool) => (pool.limits?.cpu === undefined || parseQuantity(pool.limits.cpu) >= executors.cores)
    && (pool.limits?.memory === undefined || parseQuantity(pool.limits.memory) >= executors.memory);
  if (tenant.executorPools.length > 0 && !tenant.executorPools.some(holds)) {
    report(`the gang's ${minExecutors} executors (${formatCores(executors.cores)} cores / ${formatMiB(executors.memory / MIB)}) fit no single executor pool's limits (${tenant.executorPools.map((p) => `${p.name}: ${p.limits?.cpu ?? 'unlimited'} CPU, ${p.limits?.memory ?? 'unlimited'}`).join('; ')}): their placeholders stay Pending and the job never starts`,
      'lower queue.gangMinExecutors, or raise the executor pools\' limits');
  }
  return problems;
}
