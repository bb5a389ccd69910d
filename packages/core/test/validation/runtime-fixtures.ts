import { Testing } from 'cdk8s';
import {
  Ec2NodeClass,
  SparkCapacity,
  formatConfigPath,
  type NodeRequirement,
  type RuntimePool,
  type RuntimeProblem,
  type SparkCapacityProps,
  type SparkTenantRuntime,
} from '../../src/index.js';

/** dev's layout: driver pool 100 cores, spot executors 400, on-demand executors 100. */
export function capacity(props: Partial<SparkCapacityProps> = {}): SparkCapacity {
  const chart = Testing.chart();
  const driverNodeClass = new Ec2NodeClass(chart, 'NodeClass', {
    name: 'spark',
    clusterName: 'dev',
    amiAlias: 'al2023@v20250101',
    role: 'KarpenterNodeRole-dev',
  });
  return new SparkCapacity(chart, 'Spark', {
    driverNodeClass,
    limits: {
      driver: { cpu: '100', memory: '400Gi' },
      executorSpot: { cpu: '400', memory: '1600Gi' },
      executorOnDemand: { cpu: '100', memory: '400Gi' },
    },
    ...props,
  });
}

export const spark = capacity();

/** A tenant whose jobs run: dev's app-dev after the fix. */
export function tenant(overrides: Partial<SparkTenantRuntime> = {}, pools: SparkCapacity = spark): SparkTenantRuntime {
  return {
    quota: { cpu: 16, memory: '64Gi', pods: 60, storage: '400Gi' },
    containerDefaults: {
      default: { memory: '2Gi' },
      defaultRequest: { cpu: '250m', memory: '512Mi' },
      max: { cpu: '8', memory: '32Gi' },
    },
    jobSize: { driver: { cores: 1, memory: '2g' }, executor: { cores: 2, memory: '4g' } },
    localDisk: { kind: 'generic-ephemeral-volume', storageClassName: 'gp3', size: '50Gi' },
    logs: { cloudWatch: true, s3: true },
    customCode: true,
    maxJobDuration: '4h',
    serviceAccounts: [{ name: 'notebook-spark', automountServiceAccountToken: true, sparkDriver: true }],
    driverPools: pools.poolsOf(pools.driverPlacement),
    executorPools: pools.poolsOf(pools.executorPlacement),
    jobRunnerPlacement: pools.driverPlacement,
    egress: { mode: 'allow-all' },
    ...overrides,
  };
}

export const brief = (problems: RuntimeProblem[]) =>
  problems.map((p) => `${p.severity} ${p.rule} ${formatConfigPath(p.location.path)}`);

/** A copy of `pool` (a NodePool construct, whose fields do not spread) with other requirements or limits. */
export function poolWith(
  pool: RuntimePool,
  change: { requirements?: readonly NodeRequirement[]; limits?: RuntimePool['limits'] },
): RuntimePool {
  return {
    name: pool.name,
    labels: pool.labels,
    taints: pool.taints,
    capacityTypes: pool.capacityTypes,
    expireAfter: pool.expireAfter,
    terminationGracePeriod: pool.terminationGracePeriod,
    requirements: change.requirements ?? pool.requirements,
    limits: 'limits' in change ? change.limits : pool.limits,
  };
}
