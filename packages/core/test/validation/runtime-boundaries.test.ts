import { describe, expect, it } from 'vitest';
import { sparkTenantProblems, type ContainerDefaults, type NodeRequirement } from '../../src/index.js';
import { brief, capacity, poolWith, spark, tenant } from './runtime-fixtures.js';

/**
 * Each capacity and quota rule at its edge: the tenant fits at exactly the figure the rule computes and is refused one
 * unit below it. The fixture's default job (dev's app-dev; logs on, so EMR adds its logging containers; the custom-code
 * init container) counts, as admission does:
 *   job runner  0.1 + 0.25 cores; requests 512Mi + 200Mi = 712Mi,   limits 2Gi + 2Gi = 4096Mi
 *   driver      1 + 0.25 cores;   requests 2432Mi + 512Mi = 2944Mi, limits 2432Mi + 2Gi = 4480Mi  (2g heap + 384Mi overhead)
 *   executor    2 + 0.25 cores;   requests 4505Mi + 512Mi = 5017Mi, limits 4505Mi + 2Gi = 6553Mi  (4g heap + 10% overhead)
 *   one job     3.85 cores, requests 8673Mi, limits 15129Mi
 */
const quota = (change: Partial<{ cpu: string | number; memory: string; pods: number; storage: string }>) => ({
  cpu: 16,
  memory: '64Gi',
  pods: 60,
  storage: '400Gi',
  ...change,
});
const defaults = (change: Partial<ContainerDefaults>): ContainerDefaults => ({
  default: { memory: '2Gi' },
  defaultRequest: { cpu: '250m', memory: '512Mi' },
  max: { cpu: '8', memory: '32Gi' },
  ...change,
});

describe('quota-holds-job at the edge', () => {
  it("CPU: a quota of exactly one job's 3.85 cores fits, 1m less does not", () => {
    expect(sparkTenantProblems(tenant({ quota: quota({ cpu: '3850m', storage: '50Gi' }) }))).toEqual([]);
    const problems = sparkTenantProblems(tenant({ quota: quota({ cpu: '3849m', storage: '50Gi' }) }));
    expect(brief(problems)).toEqual(['error quota-holds-job quota.cpu']);
    expect(problems[0]!.hint).toBe('raise quota.cpu to at least 4 or shrink spark.jobSize');
  });

  it("memory: the quota holds the pods' memory limits (15129Mi), not just their requests (8673Mi)", () => {
    expect(sparkTenantProblems(tenant({ quota: quota({ memory: '15129Mi' }) }))).toEqual([]);
    const problems = sparkTenantProblems(tenant({ quota: quota({ memory: '15128Mi' }) }));
    expect(brief(problems)).toEqual(['error quota-holds-job quota.memory']);
    expect(problems[0]!.message).toBe(
      "quota.memory 15128Mi (requests.memory and limits.memory) cannot hold one job: the job runner, a driver 1.25 cores / 2.9Gi and one executor 2.25 cores / 4.9Gi request 8.5Gi with limits of 14.8Gi (EMR's logging containers take the LimitRange default limit)",
    );
    expect(problems[0]!.hint).toBe('raise quota.memory to at least 15Gi or shrink spark.jobSize');
    // Far above the requests and still below the limits: refused all the same.
    expect(brief(sparkTenantProblems(tenant({ quota: quota({ memory: '12Gi' }) })))).toEqual([
      'error quota-holds-job quota.memory',
    ]);
  });

  it("memory limits follow the LimitRange default: EMR's logging containers and the job runner take it", () => {
    // default.memory 4Gi: logging containers 4Gi each, the job runner 4Gi + 4Gi; limits 2432+4096 + 4505+4096 + 8192 = 23321Mi.
    const bigDefault = defaults({ default: { memory: '4Gi' } });
    expect(sparkTenantProblems(tenant({ containerDefaults: bigDefault, quota: quota({ memory: '23321Mi' }) }))).toEqual(
      [],
    );
    expect(
      brief(sparkTenantProblems(tenant({ containerDefaults: bigDefault, quota: quota({ memory: '23320Mi' }) }))),
    ).toEqual(['error quota-holds-job quota.memory']);
  });

  it('pods: three (job runner, driver, one executor) fit, two do not', () => {
    expect(sparkTenantProblems(tenant({ quota: quota({ pods: 3 }) }))).toEqual([]);
    expect(brief(sparkTenantProblems(tenant({ quota: quota({ pods: 2 }) })))).toEqual([
      'error quota-holds-job quota.pods',
    ]);
  });

  it("without EMR's logging, the job runner and the pods carry no logging containers", () => {
    // Requests: 512Mi + 2432Mi + 4505Mi; limits 2Gi + (2432 + init 512 → 2432Mi) + 4505Mi = 8985Mi; cores 0.25 + 1 + 2.
    const noLogs = { logs: { cloudWatch: false, s3: false } };
    expect(
      sparkTenantProblems(tenant({ ...noLogs, quota: quota({ cpu: '3250m', memory: '8985Mi', storage: '50Gi' }) })),
    ).toEqual([]);
    expect(
      brief(
        sparkTenantProblems(tenant({ ...noLogs, quota: quota({ cpu: '3249m', memory: '8984Mi', storage: '50Gi' }) })),
      ),
    ).toEqual(['error quota-holds-job quota.cpu', 'error quota-holds-job quota.memory']);
  });
});

describe("EMR's logging containers", () => {
  it('are added when logs go to CloudWatch only, or to S3 only', () => {
    for (const logs of [
      { cloudWatch: true, s3: false },
      { cloudWatch: false, s3: true },
    ]) {
      expect(
        sparkTenantProblems(tenant({ logs, quota: quota({ cpu: '3850m', memory: '15129Mi', storage: '50Gi' }) })),
      ).toEqual([]);
      expect(
        brief(
          sparkTenantProblems(tenant({ logs, quota: quota({ cpu: '3849m', memory: '15128Mi', storage: '50Gi' }) })),
        ),
      ).toEqual(['error quota-holds-job quota.cpu', 'error quota-holds-job quota.memory']);
      expect(
        brief(
          sparkTenantProblems(
            tenant({
              logs,
              containerDefaults: defaults({
                default: { memory: '511Mi' },
                defaultRequest: { cpu: '250m', memory: '256Mi' },
              }),
            }),
          ),
        ),
      ).toContain('error limitrange-memory-limit containerDefaults.default.memory');
    }
  });
});

describe('quota-storage-volumes at the edge', () => {
  it('the recommended quota.storage is accepted: 7 executors of 2.25 cores in quota.cpu 16, 7 volumes of 50Gi', () => {
    const refused = sparkTenantProblems(tenant({ quota: quota({ storage: '349Gi' }) }));
    expect(brief(refused)).toEqual(['error quota-storage-volumes quota.storage']);
    expect(refused[0]!.message).toContain('holds 6 scratch volumes of 50Gi');
    expect(refused[0]!.hint).toBe('set quota.storage to at least 350Gi, or lower spark.localDiskSize');
    expect(sparkTenantProblems(tenant({ quota: quota({ storage: '350Gi' }) }))).toEqual([]);
  });

  it('one volume is "volume", not "volumes"', () => {
    expect(sparkTenantProblems(tenant({ quota: quota({ storage: '99Gi' }) }))[0]!.message).toContain(
      'holds 1 scratch volume of 50Gi (',
    );
  });
});

describe('limitrange rules at the edge', () => {
  it("a default memory limit of exactly the 512Mi EMR's logging container requests is enough; 511Mi is not", () => {
    expect(
      brief(sparkTenantProblems(tenant({ containerDefaults: defaults({ default: { memory: '512Mi' } }) }))),
    ).not.toContain('error limitrange-memory-limit containerDefaults.default.memory');
    const problems = sparkTenantProblems(
      tenant({
        containerDefaults: defaults({ default: { memory: '511Mi' }, defaultRequest: { cpu: '250m', memory: '256Mi' } }),
      }),
    );
    expect(brief(problems)).toContain('error limitrange-memory-limit containerDefaults.default.memory');
    expect(problems.find((p) => p.rule === 'limitrange-memory-limit')!.message).toBe(
      "EMR's logging container requests 512Mi and takes the default memory limit 511Mi: a request above its limit, so every job pod is rejected",
    );
    // Without EMR's logging there is no logging container to reject.
    expect(
      brief(
        sparkTenantProblems(
          tenant({
            logs: { cloudWatch: false, s3: false },
            containerDefaults: defaults({
              default: { memory: '511Mi' },
              defaultRequest: { cpu: '250m', memory: '256Mi' },
            }),
          }),
        ),
      ),
    ).not.toContain('error limitrange-memory-limit containerDefaults.default.memory');
  });

  it('Spark containers at exactly max.cpu and max.memory are admitted, one unit more is not', () => {
    // The executor's Spark container: 2 cores, 4505Mi.
    expect(
      sparkTenantProblems(tenant({ containerDefaults: defaults({ max: { cpu: '2', memory: '4505Mi' } }) })),
    ).toEqual([]);
    expect(
      brief(sparkTenantProblems(tenant({ containerDefaults: defaults({ max: { cpu: '1999m', memory: '4504Mi' } }) }))),
    ).toEqual(['error limitrange-max jobSize.executor.cores', 'error limitrange-max jobSize.executor.memory']);
    expect(
      brief(
        sparkTenantProblems(
          tenant({
            jobSize: { driver: { cores: 3, memory: '2g' }, executor: { cores: 2, memory: '4g' } },
            containerDefaults: defaults({ max: { cpu: '2', memory: '32Gi' } }),
          }),
        ),
      ),
    ).toEqual(['error limitrange-max jobSize.driver.cores']);
  });

  it('a default CPU limit without a max is refused with the hint to set max.cpu', () => {
    const problems = sparkTenantProblems(
      tenant({
        containerDefaults: { default: { cpu: '8', memory: '2Gi' }, defaultRequest: { cpu: '250m', memory: '512Mi' } },
      }),
    );
    expect(brief(problems)).toEqual(['error limitrange-cpu-limit containerDefaults.default.cpu']);
    expect(problems[0]!.message).toContain('a pod asking for more cores is rejected');
    expect(problems[0]!.hint).toBe(
      'remove containerDefaults.default.cpu, or set max.cpu and leave the default limit to it',
    );
  });
});

describe('pool rules at the edge', () => {
  // The driver pod: 1.25 cores, 2944Mi requested.
  const driverLimits = (cpu: string, memory: string) =>
    capacity({
      limits: {
        driver: { cpu, memory },
        executorSpot: { cpu: '400', memory: '1600Gi' },
        executorOnDemand: { cpu: '100', memory: '400Gi' },
      },
    });

  it('pool-limit-holds-pod: a driver pool limited to exactly one driver pod launches it; 1m or 1Mi less never does', () => {
    expect(sparkTenantProblems(tenant({}, driverLimits('1250m', '2944Mi')))).toEqual([]);
    const problems = sparkTenantProblems(tenant({}, driverLimits('1249m', '2943Mi')));
    expect(brief(problems)).toEqual([
      'error pool-limit-holds-pod driverPools.limits.cpu',
      'error pool-limit-holds-pod driverPools.limits.memory',
    ]);
    expect(problems[0]!.message).toBe(
      'the driver pools spark-driver are limited to 1249m cpu, less than one driver pod (1.25): Karpenter never launches a node for it',
    );
    expect(problems[1]!.message).toBe(
      'the driver pools spark-driver are limited to 2943Mi memory, less than one driver pod (2.9Gi): Karpenter never launches a node for it',
    );
    expect(problems[1]!.hint).toBe('raise the pool limit above 2.9Gi');
  });

  it('pool-limit-holds-pod: one reachable pool that can hold the pod is enough, and an unlimited pool always can', () => {
    const [spot, onDemand] = spark.poolsOf(spark.executorPlacement);
    const tight = { cpu: '1', memory: '1Gi' };
    expect(sparkTenantProblems(tenant({ executorPools: [poolWith(spot!, { limits: tight }), onDemand!] }))).toEqual([]);
    expect(
      sparkTenantProblems(
        tenant({ executorPools: [poolWith(spot!, { limits: tight }), poolWith(onDemand!, { limits: undefined })] }),
      ),
    ).toEqual([]);
    expect(
      brief(
        sparkTenantProblems(
          tenant({ executorPools: [poolWith(spot!, { limits: tight }), poolWith(onDemand!, { limits: tight })] }),
        ),
      ),
    ).toEqual([
      'error pool-limit-holds-pod executorPools.limits.cpu',
      'error pool-limit-holds-pod executorPools.limits.memory',
      'warning quota-exceeds-capacity quota.cpu',
      'warning quota-exceeds-capacity quota.memory',
    ]);
  });

  it('no pools (a Fargate tenant) means no pool limit and no executor ceiling to judge', () => {
    expect(brief(sparkTenantProblems(tenant({ driverPools: [], executorPools: [] })))).toEqual([
      'error job-runner-placement jobRunnerPlacement',
    ]);
  });

  it("node-fits-pod: a pod that fits one reachable pool's instance types but not another's is placed", () => {
    const [spot, onDemand] = spark.poolsOf(spark.executorPlacement);
    const m6iLarge: NodeRequirement[] = [
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['large'] },
    ];
    expect(
      sparkTenantProblems(tenant({ executorPools: [poolWith(spot!, { requirements: m6iLarge }), onDemand!] })),
    ).toEqual([]);
    expect(
      sparkTenantProblems(tenant({ executorPools: [spot!, poolWith(onDemand!, { requirements: m6iLarge })] })),
    ).toEqual([]);
    const problems = sparkTenantProblems(
      tenant({
        executorPools: [poolWith(spot!, { requirements: m6iLarge }), poolWith(onDemand!, { requirements: m6iLarge })],
      }),
    );
    expect(brief(problems)).toEqual(['error node-fits-pod jobSize.executor.cores']);
    expect(problems[0]!.message).toMatch(
      /^one executor pod requests 2\.25 cores \/ 4\.9Gi, more than any instance type of spark-executor-spot, spark-executor-on-demand can give a pod \(the largest offers 1\.\d+ cores \/ [\d.]+Gi after the kubelet's reservations\)/,
    );
  });

  it('node-fits-pod names memory when cores fit and memory does not', () => {
    const [spot, onDemand] = spark.poolsOf(spark.executorPlacement);
    const m6iXlarge: NodeRequirement[] = [
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['xlarge'] },
    ];
    const problems = sparkTenantProblems(
      tenant({
        jobSize: { driver: { cores: 1, memory: '2g' }, executor: { cores: 2, memory: '20g' } },
        containerDefaults: defaults({ max: { cpu: '8', memory: '64Gi' } }),
        quota: quota({ memory: '128Gi' }),
        executorPools: [poolWith(spot!, { requirements: m6iXlarge }), poolWith(onDemand!, { requirements: m6iXlarge })],
      }),
    );
    expect(brief(problems)).toEqual(['error node-fits-pod jobSize.executor.memory']);
    expect(problems[0]!.hint).toMatch(/^shrink spark\.jobSize\.executor to fit within 3\.\d+ cores \/ 1[0-9]\.\dGi$/);
  });

  it('node-fits-pod quotes the largest instance type of all reachable pools, and does not judge pools of unknown types', () => {
    const [spot, onDemand] = spark.poolsOf(spark.executorPlacement);
    const size = (s: string): NodeRequirement[] => [
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: [s] },
    ];
    const tooBig = { jobSize: { driver: { cores: 1, memory: '2g' }, executor: { cores: 6, memory: '4g' } } };
    const largest = (message: string) => /the largest offers ([\d.]+) cores/.exec(message)![1];
    const small = sparkTenantProblems(
      tenant({
        ...tooBig,
        executorPools: [
          poolWith(spot!, { requirements: size('large') }),
          poolWith(onDemand!, { requirements: size('large') }),
        ],
      }),
    );
    const mixed = sparkTenantProblems(
      tenant({
        ...tooBig,
        executorPools: [
          poolWith(spot!, { requirements: size('large') }),
          poolWith(onDemand!, { requirements: size('xlarge') }),
        ],
      }),
    );
    expect(Number(largest(mixed[0]!.message))).toBeGreaterThan(Number(largest(small[0]!.message)));
    expect(largest(mixed[0]!.message)).toBe(
      largest(
        sparkTenantProblems(
          tenant({
            ...tooBig,
            executorPools: [
              poolWith(spot!, { requirements: size('xlarge') }),
              poolWith(onDemand!, { requirements: size('xlarge') }),
            ],
          }),
        )[0]!.message,
      ),
    );
    // A pool of instance types the catalog does not know is not judged: unknown is not "does not fit".
    const unknown: NodeRequirement[] = [
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['x99.metal'] },
    ];
    expect(
      brief(
        sparkTenantProblems(
          tenant({
            ...tooBig,
            executorPools: [
              poolWith(spot!, { requirements: unknown }),
              poolWith(onDemand!, { requirements: size('large') }),
            ],
          }),
        ),
      ),
    ).toEqual(['error node-fits-pod jobSize.executor.cores']);
    expect(
      brief(
        sparkTenantProblems(
          tenant({
            ...tooBig,
            executorPools: [poolWith(spot!, { requirements: unknown }), poolWith(onDemand!, { requirements: unknown })],
          }),
        ),
      ),
    ).not.toContain('error node-fits-pod jobSize.executor.cores');
  });

  it('quota-exceeds-capacity: a quota executors can use exactly (500 cores, 2000Gi of executor pools) is no warning', () => {
    // cpu: 500 + the driver's 1.25 + the job runner's 0.35; memory: 2000Gi + 2944Mi + 712Mi.
    expect(
      sparkTenantProblems(
        tenant({ quota: quota({ cpu: '501600m', memory: '2051656Mi', pods: 600, storage: '40Ti' }) }),
      ),
    ).toEqual([]);
    const problems = sparkTenantProblems(
      tenant({ quota: quota({ cpu: '501601m', memory: '2051657Mi', pods: 600, storage: '40Ti' }) }),
    );
    expect(brief(problems)).toEqual([
      'warning quota-exceeds-capacity quota.cpu',
      'warning quota-exceeds-capacity quota.memory',
    ]);
    expect(problems[0]!.message).toBe(
      'quota.cpu 501601m leaves 500.001 cores for executors after one driver and job runner, but the executor pools (spark-executor-spot, spark-executor-on-demand) may launch only 500 cores in all: the rest of the quota can never be used',
    );
    expect(problems[0]!.hint).toBe("lower quota.cpu to at most 501.6, or raise the executor pools' limits");
    expect(problems[1]!.hint).toBe("lower quota.memory, or raise the executor pools' limits");
    expect(problems[1]!.message).toBe(
      'quota.memory 2051657Mi leaves 2000Gi for executors, but the executor pools (spark-executor-spot, spark-executor-on-demand) may launch only 2000Gi in all: the rest of the quota can never be used',
    );
    // An executor pool without a limit can use any quota.
    const [spot, onDemand] = spark.poolsOf(spark.executorPlacement);
    expect(
      sparkTenantProblems(
        tenant({
          quota: quota({ cpu: 900, memory: '4000Gi', pods: 600, storage: '40Ti' }),
          executorPools: [spot!, poolWith(onDemand!, { limits: undefined })],
        }),
      ),
    ).toEqual([]);
  });
});

describe('job-runner-placement and executor-disk-pools', () => {
  it('the job runner must fit only on-demand driver pools: one spot pool among them is enough to refuse', () => {
    const [driver] = spark.poolsOf(spark.driverPlacement);
    const spotToo = { ...poolWith(driver!, {}), name: 'spark-driver-spot', capacityTypes: ['spot'] as const };
    const problems = sparkTenantProblems(tenant({ driverPools: [poolWith(driver!, {}), spotToo] }));
    expect(brief(problems)).toEqual(['error job-runner-placement jobRunnerPlacement']);
    expect(problems[0]!.message).toBe(
      "EMR's job runner can land on spot capacity of spark-driver-spot: a reclaimed job runner fails the job",
    );
    expect(problems[0]!.hint).toBe(
      'render the emr-job-submitter classification from the driver placement (on-demand, tolerating the driver taint)',
    );
  });

  it('executors without instance store warn on pools that require local NVMe, by Gt or Exists', () => {
    const pools = spark.poolsOf(spark.executorPlacement);
    const nvme = (operator: 'Gt' | 'Exists') =>
      pools.map((pool) =>
        poolWith(pool, {
          requirements: [
            ...pool.requirements,
            operator === 'Gt'
              ? { key: 'karpenter.k8s.aws/instance-local-nvme', operator, values: ['0'] }
              : { key: 'karpenter.k8s.aws/instance-local-nvme', operator },
          ],
        }),
      );
    const ebs = sparkTenantProblems(tenant({ executorPools: nvme('Exists') }));
    expect(brief(ebs)).toEqual(['warning executor-disk-pools localDisk']);
    expect(ebs[0]!.message).toBe(
      'executors use an EBS volume each, but pools spark-executor-spot, spark-executor-on-demand launch only instance types with local NVMe: the tenant pays for instance store it never uses',
    );
    expect(ebs[0]!.hint).toBe(
      'route these executors to pools without an instance-local-nvme requirement, or set spark.localDisk: instance-store',
    );
    const none = sparkTenantProblems(
      tenant({ localDisk: { kind: 'ephemeral-storage', size: '20Gi' }, executorPools: nvme('Gt') }),
    );
    expect(none[0]!.message).toMatch(/^executors use no local disk, but pools /);
    expect(
      sparkTenantProblems(
        tenant({ localDisk: { kind: 'instance-store' }, quota: quota({ storage: '1Gi' }), executorPools: nvme('Gt') }),
      ),
    ).toEqual([]);
    // A requirement that excludes NVMe (DoesNotExist) is no reason to warn.
    expect(
      sparkTenantProblems(
        tenant({
          executorPools: pools.map((pool) =>
            poolWith(pool, {
              requirements: [
                ...pool.requirements,
                { key: 'karpenter.k8s.aws/instance-local-nvme', operator: 'DoesNotExist' },
              ],
            }),
          ),
        }),
      ),
    ).toEqual([]);
  });
});

describe('driver-node-expiry with several driver pools', () => {
  it("the shortest drain bound of the expiring pools counts, less EMR's 15m job-start-timeout (the job runner waits that long for its driver)", () => {
    const [driver] = spark.poolsOf(spark.driverPlacement);
    const pool = (grace: string | undefined, expireAfter = '720h') => ({
      ...poolWith(driver!, {}),
      terminationGracePeriod: grace,
      expireAfter,
    });
    const problems = sparkTenantProblems(
      tenant({ maxJobDuration: '13h', driverPools: [pool('24h'), pool('12h'), pool('1h', 'Never'), pool(undefined)] }),
    );
    expect(brief(problems)).toEqual(['error driver-node-expiry maxJobDuration']);
    expect(problems[0]!.message).toContain('terminationGracePeriod 12h');
    expect(problems[0]!.hint).toBe(
      'set spark.maxJobDuration to at most 11h45m (the driver pod gets it as activeDeadlineSeconds), or raise capacity.driverNodes.terminationGracePeriod to at least 15m more than it',
    );
    expect(sparkTenantProblems(tenant({ maxJobDuration: undefined, driverPools: [pool('24h')] }))[0]!.message).toBe(
      "driver nodes expire (expireAfter 720h, not held back by disruption budgets or windows) and their drain kills running drivers and job runners after terminationGracePeriod 24h, but the tenant's jobs have no maximum duration: a longer job is killed when its node expires",
    );
    expect(
      sparkTenantProblems(
        tenant({ maxJobDuration: '11h45m', driverPools: [pool('24h'), pool('12h'), pool('1h', 'Never')] }),
      ),
    ).toEqual([]);
    expect(
      brief(
        sparkTenantProblems(
          tenant({ maxJobDuration: '11h46m', driverPools: [pool('24h'), pool('12h'), pool('1h', 'Never')] }),
        ),
      ),
    ).toEqual(['error driver-node-expiry maxJobDuration']);
  });
});
