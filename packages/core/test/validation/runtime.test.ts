import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Ec2NodeClass, jobSubmitterClassification, sparkTenantProblems } from '../../src/index.js';
import { brief, capacity, spark, tenant } from './runtime-fixtures.js';

describe('sparkTenantProblems', () => {
  it('passes a tenant whose default job fits its quota, LimitRange, pools and nodes', () => {
    expect(sparkTenantProblems(tenant())).toEqual([]);
  });

  it('refuses a LimitRange default CPU limit below what Spark pods may ask for (no limit is set by Spark)', () => {
    const problems = sparkTenantProblems(
      tenant({
        containerDefaults: {
          default: { cpu: '1', memory: '4Gi' },
          defaultRequest: { cpu: '500m', memory: '2Gi' },
          max: { cpu: '8', memory: '32Gi' },
        },
      }),
    );
    expect(brief(problems)).toEqual(['error limitrange-cpu-limit containerDefaults.default.cpu']);
    expect(problems[0]!.message).toBe(
      'the LimitRange gives every container without a CPU limit a CPU limit of 1, and Spark sets none on drivers and executors (only with spark.kubernetes.*.limit.cores): a pod asking for more cores (up to max.cpu 8) is rejected by the API server ("must be less than or equal to cpu limit") and the driver retries executor creation forever; this tenant\'s pods ask for up to 2',
    );
    expect(problems[0]!.hint).toBe(
      'remove containerDefaults.default.cpu: Kubernetes then uses max.cpu (8) as the default limit',
    );
    // Equal to max: nothing a pod may ask for is refused by the injected limit.
    expect(
      sparkTenantProblems(
        tenant({
          containerDefaults: {
            default: { cpu: '8', memory: '2Gi' },
            defaultRequest: { cpu: '250m', memory: '512Mi' },
            max: { cpu: '8', memory: '32Gi' },
          },
        }),
      ),
    ).toEqual([]);
  });

  it("refuses a default memory limit below the 512Mi EMR's logging container requests", () => {
    const problems = sparkTenantProblems(
      tenant({
        containerDefaults: {
          default: { memory: '256Mi' },
          defaultRequest: { cpu: '250m', memory: '128Mi' },
          max: { cpu: '8', memory: '32Gi' },
        },
      }),
    );
    expect(brief(problems)).toContain('error limitrange-memory-limit containerDefaults.default.memory');
  });

  it('refuses a storage quota that holds fewer scratch volumes than the CPU quota admits executors', () => {
    const problems = sparkTenantProblems(tenant({ quota: { cpu: 16, memory: '64Gi', pods: 60, storage: '200Gi' } }));
    expect(brief(problems)).toEqual(['error quota-storage-volumes quota.storage']);
    // 16 cores / (2 + 0.25 for EMR's logging container) = 7 executors; 200Gi / 50Gi = 4 volumes.
    expect(problems[0]!.message).toBe(
      'quota.storage 200Gi holds 4 scratch volumes of 50Gi (every driver and executor gets one, counted against requests.storage), but quota.cpu 16 admits 7 executors of 2.25 cores: from pod 5 on, the volume claim is refused and the pod stays Pending',
    );
    expect(problems[0]!.hint).toBe('set quota.storage to at least 350Gi, or lower spark.localDiskSize');
    // Below one volume: not even the driver starts.
    expect(
      sparkTenantProblems(tenant({ quota: { cpu: 16, memory: '64Gi', pods: 60, storage: '10Gi' } }))[0]!.message,
    ).toContain('holds 0 scratch volumes of 50Gi');
    // Instance-store scratch space uses no PVCs.
    const nvme = capacity({
      nvmeExecutorNodeClass: new Ec2NodeClass(Testing.chart(), 'N', {
        name: 'spark-nvme',
        clusterName: 'dev',
        amiAlias: 'al2023@v20250101',
        role: 'r',
        instanceStorePolicy: 'RAID0',
      }),
    });
    expect(
      sparkTenantProblems(
        tenant(
          {
            quota: { cpu: 16, memory: '64Gi', pods: 60, storage: '1Gi' },
            localDisk: { kind: 'instance-store' },
            executorPools: nvme.poolsOf(nvme.nvmeExecutorPlacement!),
          },
          nvme,
        ),
      ),
    ).toEqual([]);
  });

  it('refuses a quota that cannot hold the job runner, one driver and one executor', () => {
    const problems = sparkTenantProblems(tenant({ quota: { cpu: 3, memory: '8Gi', pods: 2, storage: '400Gi' } }));
    expect(brief(problems)).toEqual([
      'error quota-holds-job quota.cpu',
      'error quota-holds-job quota.memory',
      'error quota-holds-job quota.pods',
    ]);
    expect(problems[0]!.message).toBe(
      'quota.cpu 3 cannot hold one job: the job runner, a driver 1.25 cores / 2.9Gi and one executor 2.25 cores / 4.9Gi request 3.85 cores, so the job never gets past its first pods',
    );
    expect(problems[2]!.message).toBe(
      'quota.pods 2 cannot hold one job: the job runner, the driver and at least one executor are 3 pods',
    );
  });

  it('refuses Spark containers above the LimitRange max, naming the job size field', () => {
    const problems = sparkTenantProblems(
      tenant({
        jobSize: { driver: { cores: 1, memory: '2g' }, executor: { cores: 12, memory: '40g' } },
        quota: { cpu: 64, memory: '256Gi', pods: 60, storage: '2Ti' },
      }),
    );
    expect(brief(problems)).toEqual([
      'error limitrange-max jobSize.executor.cores',
      'error limitrange-max jobSize.executor.memory',
    ]);
    expect(problems[1]!.message).toContain(
      "asks for 44Gi (heap 40g plus Spark's overhead), above the LimitRange's max.memory 32Gi",
    );
  });

  it('refuses pods no instance type of their pools can hold, and pools limited below one pod', () => {
    const small = capacity({
      instanceRequirements: [
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m6i'] },
        { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['large', 'xlarge'] },
      ],
      limits: { driver: { cpu: '1', memory: '400Gi' } },
    });
    const problems = sparkTenantProblems(
      tenant({ jobSize: { driver: { cores: 1, memory: '2g' }, executor: { cores: 4, memory: '8g' } } }, small),
    );
    expect(brief(problems)).toEqual([
      'error node-fits-pod jobSize.executor.cores',
      'error pool-limit-holds-pod driverPools.limits.cpu',
    ]);
    expect(problems[0]!.message).toMatch(
      /^one executor pod requests 4\.25 cores \/ 9\.\dGi, more than any instance type of spark-executor-spot, spark-executor-on-demand can give a pod \(the largest offers 3\.\d+ cores/,
    );
  });

  it('refuses an account that mounts its token without the spark-driver Role', () => {
    const problems = sparkTenantProblems(
      tenant({ serviceAccounts: [{ name: 'notebook-spark', automountServiceAccountToken: true, sparkDriver: false }] }),
    );
    expect(brief(problems)).toEqual(['error driver-account-rbac serviceAccounts[0].automountServiceAccountToken']);
    expect(problems[0]!.message).toContain('gets 403 creating its first executor');
  });

  it('refuses a job runner that could land off on-demand driver capacity', () => {
    expect(jobSubmitterClassification(spark.driverPlacement).properties).toEqual({
      // Like the driver, the job runner must not be evicted when a drain starts (losing it fails the job).
      'jobsubmitter.annotation.karpenter.sh/do-not-disrupt': 'true',
      'jobsubmitter.node.selector.emr-eks-gitops.io/workload': 'spark-driver',
      'jobsubmitter.node.selector.karpenter.sh/capacity-type': 'on-demand',
      'jobsubmitter.node.toleration.emr-eks-gitops.io/workload': 'spark-driver',
      'jobsubmitter.node.toleration.emr-eks-gitops.io/workload.effect': 'NoSchedule',
    });
    // Without the toleration the job runner fits no tainted driver pool.
    const untolerated = sparkTenantProblems(
      tenant({ jobRunnerPlacement: { nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' }, tolerations: [] } }),
    );
    expect(brief(untolerated)).toEqual(['error job-runner-placement jobRunnerPlacement']);
    expect(untolerated[0]!.message).toContain('fits none of the driver pools spark-driver');
    // A driver pool widened to spot would let it be reclaimed.
    const spotDriverPool = {
      ...spark.driverPool,
      name: 'spark-driver',
      labels: spark.driverPool.labels,
      taints: spark.driverPool.taints,
      capacityTypes: ['spot', 'on-demand'] as const,
      requirements: spark.driverPool.requirements.map((r) =>
        r.key === 'karpenter.sh/capacity-type' ? { ...r, values: ['spot', 'on-demand'] } : r,
      ),
      limits: spark.driverPool.limits,
      expireAfter: '720h',
      terminationGracePeriod: undefined,
    };
    const onSpot = sparkTenantProblems(
      tenant({
        driverPools: [spotDriverPool],
        jobRunnerPlacement: {
          nodeSelector: { 'emr-eks-gitops.io/workload': 'spark-driver' },
          tolerations: spark.driverPlacement.tolerations,
        },
      }),
    );
    expect(brief(onSpot)).toEqual(['error job-runner-placement jobRunnerPlacement']);
    expect(onSpot[0]!.message).toContain('can land on spot capacity of spark-driver');
  });

  it('refuses restricted egress without a route to S3, STS and (with CloudWatch logging) CloudWatch Logs', () => {
    const none = sparkTenantProblems(
      tenant({ egress: { mode: 'restricted', reaches: { s3: false, sts: false, logs: false } } }),
    );
    expect(brief(none)).toEqual(['error egress-aws-services egress.mode']);
    expect(none[0]!.message).toMatch(/^restricted egress has no route to S3, .*; STS, .*; CloudWatch Logs, /);
    expect(none[0]!.hint).toContain('s3, sts, logs in network.awsServices');
    expect(
      sparkTenantProblems(tenant({ egress: { mode: 'restricted', reaches: { s3: true, sts: true, logs: true } } })),
    ).toEqual([]);
    // Logs only matter when they go to CloudWatch.
    expect(
      sparkTenantProblems(
        tenant({
          logs: { cloudWatch: false, s3: true },
          egress: { mode: 'restricted', reaches: { s3: true, sts: true, logs: false } },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses jobs that may outlive the drain bound of an expiring driver node', () => {
    const bounded = capacity({ driverNodes: { expireAfter: '720h', terminationGracePeriod: '24h' } });
    // The job runner waits up to EMR's 15-minute job-start-timeout for its driver, then lives as long as the driver.
    expect(sparkTenantProblems(tenant({ maxJobDuration: '23h45m' }, bounded))).toEqual([]);
    const longer = sparkTenantProblems(tenant({ maxJobDuration: '24h' }, bounded));
    expect(brief(longer)).toEqual(['error driver-node-expiry maxJobDuration']);
    expect(longer[0]!.message).toBe(
      "spark.maxJobDuration 24h plus the 15m a job may wait to start (EMR's job-start-timeout, while its job runner already runs) is longer than the driver pool's terminationGracePeriod 24h: a job submitted on a driver node about to expire or drift loses its job runner or driver before it can finish",
    );
    expect(longer[0]!.hint).toBe(
      'set spark.maxJobDuration to at most 23h45m (the driver pod gets it as activeDeadlineSeconds), or raise capacity.driverNodes.terminationGracePeriod to at least 15m more than it',
    );
    const tooShort = capacity({ driverNodes: { expireAfter: '720h', terminationGracePeriod: '10m' } });
    expect(sparkTenantProblems(tenant({ maxJobDuration: '1m' }, tooShort))[0]!.hint).toBe(
      'raise capacity.driverNodes.terminationGracePeriod to at least 15m more than spark.maxJobDuration',
    );
    expect(brief(sparkTenantProblems(tenant({ maxJobDuration: undefined }, bounded)))).toEqual([
      'error driver-node-expiry maxJobDuration',
    ]);
    // No drain bound (Karpenter waits for do-not-disrupt drivers), or no expiry: nothing to check.
    expect(sparkTenantProblems(tenant({ maxJobDuration: undefined }))).toEqual([]);
    expect(
      sparkTenantProblems(
        tenant(
          { maxJobDuration: undefined },
          capacity({ driverNodes: { expireAfter: 'Never', terminationGracePeriod: '1h' } }),
        ),
      ),
    ).toEqual([]);
  });

  it('warns when executors could never use the quota, per pod class, and when they reach NVMe they do not use', () => {
    const problems = sparkTenantProblems(tenant({ quota: { cpu: 900, memory: '64Gi', pods: 600, storage: '40Ti' } }));
    expect(brief(problems)).toEqual(['warning quota-exceeds-capacity quota.cpu']);
    expect(problems[0]!.message).toContain('may launch only 500 cores in all');
    const nvmeOnlyPools = spark.poolsOf(spark.executorPlacement).map((pool) => ({
      ...pool,
      name: pool.name,
      labels: pool.labels,
      taints: pool.taints,
      capacityTypes: pool.capacityTypes,
      limits: pool.limits,
      expireAfter: pool.expireAfter,
      terminationGracePeriod: pool.terminationGracePeriod,
      requirements: [
        ...pool.requirements,
        { key: 'karpenter.k8s.aws/instance-local-nvme', operator: 'Gt' as const, values: ['0'] },
      ],
    }));
    expect(brief(sparkTenantProblems(tenant({ executorPools: nvmeOnlyPools })))).toEqual([
      'warning executor-disk-pools localDisk',
    ]);
    // The same pools on EKS Auto Mode, whose label for local NVMe is eks.amazonaws.com/instance-local-nvme.
    const autoModeNvmeOnly = nvmeOnlyPools.map((pool) => ({
      ...pool,
      requirements: pool.requirements.map((r) =>
        r.key === 'karpenter.k8s.aws/instance-local-nvme' ? { ...r, key: 'eks.amazonaws.com/instance-local-nvme' } : r,
      ),
    }));
    expect(brief(sparkTenantProblems(tenant({ executorPools: autoModeNvmeOnly })))).toEqual([
      'warning executor-disk-pools localDisk',
    ]);
  });
});
