// The gang rule of a tenant on YuniKorn: a job starts only when its driver and minimum executors all fit (placeholders
// reserve them first, yunikorn-k8shim pkg/cache/placeholder.go), so a gang that can never fit never starts; it waits
// until EMR's job-start-timeout fails it.
import { parseQuantity } from '../../primitives/quantity.js';
import { configDiagnostic, type ConfigDiagnostic } from '../../diagnostics/index.js';
import { formatCores, formatMiB, type JobFootprint } from './pod-footprint.js';
import type { RuntimePool, SparkTenantRuntime } from './tenant-runtime.js';

const MIB = 2 ** 20;

/** What the gang rule reports, at `gang.minExecutors` of SparkTenantRuntime. */
export type GangProblem = ConfigDiagnostic;

/**
 * The gang (driver plus `minExecutors` executors, the job runner and the placeholders beside them) within the tenant's
 * queue max, which is its quota (CPU, memory, pods), and the executors of one gang within one executor pool's limits (each pool's limit is what
 * that pool may ever launch; the driver's own pool is checked by pool-limit-holds-pod).
 */
export function gangProblems(tenant: SparkTenantRuntime, job: JobFootprint, minExecutors: number): GangProblem[] {
  const problems: GangProblem[] = [];
  const report = (message: string, hint: string) =>
    problems.push(configDiagnostic('yunikorn-gang-fits', ['gang', 'minExecutors'], message, { hint }));
  // The ResourceQuota counts placeholders like any pod, at creation. Before the driver runs, the pending driver and its
  // placeholder both exist beside the executors' placeholders; once it runs, Spark creates each real executor while
  // its placeholder still holds the room (the swap frees it after). The quota must hold the larger of the two.
  const peak = (n: number) => {
    const runner = job.jobRunner;
    const before = {
      cores: runner.cores + 2 * job.driver.cores + n * job.executor.cores,
      memoryMiB: runner.memoryRequestMiB + 2 * job.driver.memoryRequestMiB + n * job.executor.memoryRequestMiB,
    };
    const after = {
      cores: runner.cores + job.driver.cores + (n + 1) * job.executor.cores,
      memoryMiB: runner.memoryRequestMiB + job.driver.memoryRequestMiB + (n + 1) * job.executor.memoryRequestMiB,
    };
    return {
      cores: Math.max(before.cores, after.cores),
      memoryMiB: Math.max(before.memoryMiB, after.memoryMiB),
      pods: n + 3,
    };
  };
  const fits = (n: number) => {
    const need = peak(n);
    return (
      need.cores <= parseQuantity(tenant.quota.cpu) &&
      need.memoryMiB * MIB <= parseQuantity(tenant.quota.memory) &&
      need.pods <= tenant.quota.pods
    );
  };
  if (!fits(minExecutors)) {
    let most = 0;
    while (most < minExecutors && fits(most + 1)) most += 1;
    const need = peak(minExecutors);
    report(
      `the gang of a driver and ${minExecutors} executor${minExecutors === 1 ? '' : 's'} does not fit the queue's max, the tenant's quota (${tenant.quota.cpu} CPU, ${tenant.quota.memory}, ${tenant.quota.pods} pods): with the job runner and the placeholders, which the quota counts like any pod (the pending driver beside its placeholder, each real executor beside the placeholder it replaces), it needs ${formatCores(need.cores)} cores / ${formatMiB(need.memoryMiB)} / ${need.pods} pods; YuniKorn never completes the gang and every job waits until EMR's job-start-timeout fails it`,
      most > 0
        ? `lower queue.gangMinExecutors to at most ${most}, or raise the quota`
        : 'raise the quota: it does not hold a gang of a driver and one executor with their placeholders',
    );
  }
  const executors = {
    cores: minExecutors * job.executor.cores,
    memory: minExecutors * job.executor.memoryRequestMiB * MIB,
  };
  const holds = (pool: RuntimePool) =>
    (pool.limits?.cpu === undefined || parseQuantity(pool.limits.cpu) >= executors.cores) &&
    (pool.limits?.memory === undefined || parseQuantity(pool.limits.memory) >= executors.memory);
  if (tenant.executorPools.length > 0 && !tenant.executorPools.some(holds)) {
    report(
      `the gang's ${minExecutors} executors (${formatCores(executors.cores)} cores / ${formatMiB(executors.memory / MIB)}) fit no single executor pool's limits (${tenant.executorPools.map((p) => `${p.name}: ${p.limits?.cpu ?? 'unlimited'} CPU, ${p.limits?.memory ?? 'unlimited'}`).join('; ')}): their placeholders stay Pending and the job never starts`,
      "lower queue.gangMinExecutors, or raise the executor pools' limits",
    );
  }
  return problems;
}
