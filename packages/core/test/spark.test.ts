import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  Ec2NodeClass,
  SparkCapacity,
  SparkPodTemplates,
  checkSparkPodTemplate,
  placementProblems,
  sparkDefaults,
  toleratesTaint,
  type SparkCapacityProps,
  type SparkPodTemplatesProps,
} from '../src/index.js';
import { configurationErrorOf, crdSchemaErrors, synthByName, validationFindings } from './helpers.js';

function capacity(props: Partial<SparkCapacityProps> = {}, nvmeExecutors = false) {
  const chart = Testing.chart();
  const base = { clusterName: 'dev', amiAlias: 'al2023@v20250101', role: 'KarpenterNodeRole-dev' };
  const driverNodeClass = new Ec2NodeClass(chart, 'Driver', { ...base, name: 'spark-driver' });
  const executorNodeClass = new Ec2NodeClass(chart, 'Executor', { ...base, name: 'spark-executor' });
  const nvmeExecutorNodeClass = nvmeExecutors
    ? new Ec2NodeClass(chart, 'NvmeExecutor', { ...base, name: 'spark-nvme', instanceStorePolicy: 'RAID0' })
    : undefined;
  const built = new SparkCapacity(chart, 'Spark', {
    driverNodeClass,
    executorNodeClass,
    nvmeExecutorNodeClass,
    ...props,
  });
  return { chart, capacity: built };
}

describe('SparkCapacity', () => {
  const { chart, capacity: spark } = capacity();
  const objects = synthByName(chart);
  const driverPool = objects['NodePool/spark-driver'];
  const spotPool = objects['NodePool/spark-executor-spot'];
  const onDemandPool = objects['NodePool/spark-executor-on-demand'];
  const capacityTypes = (pool: any) =>
    pool.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type').values;

  it('creates an on-demand driver pool consolidated only when empty, and spot-first executor pools', () => {
    expect(capacityTypes(driverPool)).toEqual(['on-demand']);
    expect(driverPool.spec.disruption.consolidationPolicy).toBe('WhenEmpty');
    expect(capacityTypes(spotPool)).toEqual(['spot']);
    expect(capacityTypes(onDemandPool)).toEqual(['on-demand']);
    expect(spotPool.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
    expect(spotPool.spec.weight).toBeGreaterThan(onDemandPool.spec.weight);
    expect(driverPool.spec.template.spec.nodeClassRef.name).toBe('spark-driver');
    expect(spotPool.spec.template.spec.nodeClassRef.name).toBe('spark-executor');
  });

  it('blocks voluntary disruption in business hours in every pool', () => {
    for (const pool of [driverPool, spotPool, onDemandPool]) {
      expect(pool.spec.disruption.budgets).toContainEqual({ nodes: '0', schedule: '0 8 * * 1-5', duration: '10h' });
      expect(pool.spec.limits).toBeDefined();
      expect(pool.spec.template.spec.expireAfter).toBe('720h');
    }
  });

  it('gives drivers an on-demand selector and a toleration of the driver taint only', () => {
    const placement = spark.driverPlacement;
    expect(placement.nodeSelector['karpenter.sh/capacity-type']).toBe('on-demand');
    expect(placement.capacityTypes).toEqual(['on-demand']);
    expect(placementProblems(placement, spark.driverPool)).toEqual([]);
    for (const executorTaint of spark.executorSpotPool!.taints) {
      expect(placement.tolerations.some((t) => toleratesTaint(t, executorTaint))).toBe(false);
    }
    // The driver selector cannot be satisfied by an executor pool.
    expect(placementProblems(placement, spark.executorSpotPool!)).not.toEqual([]);
  });

  it('gives executors a selector both executor pools satisfy and tolerations of exactly their taint', () => {
    const placement = spark.executorPlacement;
    expect(placement.nodePools).toEqual(['spark-executor-spot', 'spark-executor-on-demand']);
    expect(placement.capacityTypes).toEqual(['spot', 'on-demand']);
    expect(placementProblems(placement, spark.executorSpotPool!)).toEqual([]);
    expect(placementProblems(placement, spark.executorOnDemandPool!)).toEqual([]);
    expect(spark.executorSpotPool!.taints).toEqual(spark.executorOnDemandPool!.taints);
    for (const toleration of placement.tolerations) {
      expect(spark.executorSpotPool!.taints.some((taint) => toleratesTaint(toleration, taint))).toBe(true);
      expect(spark.driverPool.taints.some((taint) => toleratesTaint(toleration, taint))).toBe(false);
    }
  });

  it('rejects an executor consolidateAfter not longer than the dynamic allocation idle timeout', () => {
    const error = configurationErrorOf(() => capacity({ executorIdleTimeout: '5m', executorConsolidateAfter: '300s' }));
    expect(error.field).toBe('executorConsolidateAfter');
    expect(
      configurationErrorOf(() => capacity({ noDisruptionWindows: [{ schedule: 'weekdays', duration: '8h' }] })).field,
    ).toBe('noDisruptionWindows[0].schedule');
  });

  it('renders NVMe executor pools beside the EBS ones, and only NVMe placements reach them', () => {
    const { capacity: nvme } = capacity({}, true);
    const nvmeRequirement = { key: 'karpenter.k8s.aws/instance-local-nvme', operator: 'Gt', values: ['0'] };
    expect(nvme.nvmeExecutorPlacement?.instanceStoreEphemeralStorage).toBe(true);
    expect(nvme.nvmeExecutorPlacement?.nodePools).toEqual([
      'spark-executor-nvme-spot',
      'spark-executor-nvme-on-demand',
    ]);
    expect(nvme.nvmeExecutorSpotPool?.requirements).toContainEqual(nvmeRequirement);
    expect(nvme.nvmeExecutorOnDemandPool?.requirements).toContainEqual(nvmeRequirement);
    // EBS executors neither require nor reach NVMe instance types.
    expect(nvme.executorPlacement.instanceStoreEphemeralStorage).toBe(false);
    expect(nvme.executorSpotPool!.requirements).not.toContainEqual(nvmeRequirement);
    expect(placementProblems(nvme.executorPlacement, nvme.nvmeExecutorSpotPool!)).not.toEqual([]);
    expect(placementProblems(nvme.nvmeExecutorPlacement!, nvme.executorSpotPool!)).not.toEqual([]);
    expect(nvme.driverPlacement.instanceStoreEphemeralStorage).toBe(false);
    // A RAID0 class as the EBS executors' class would put every executor on NVMe: refused.
    const chart = Testing.chart();
    const raid = new Ec2NodeClass(chart, 'Raid', {
      clusterName: 'dev',
      amiAlias: 'al2023@v20250101',
      role: 'r',
      name: 'raid',
      instanceStorePolicy: 'RAID0',
    });
    expect(
      configurationErrorOf(() => new SparkCapacity(chart, 'S', { driverNodeClass: raid, executorNodeClass: raid }))
        .field,
    ).toBe('executorNodeClass');
  });

  it("bounds the driver pool's expiry drain only when asked", () => {
    expect(spark.driverPool.terminationGracePeriod).toBeUndefined();
    const { chart: bounded } = capacity({ driverNodes: { expireAfter: '336h', terminationGracePeriod: '24h' } });
    const pool = synthByName(bounded)['NodePool/spark-driver'];
    expect(pool.spec.template.spec.expireAfter).toBe('336h');
    expect(pool.spec.template.spec.terminationGracePeriod).toBe('24h');
    expect(
      synthByName(bounded)['NodePool/spark-executor-spot'].spec.template.spec.terminationGracePeriod,
    ).toBeUndefined();
  });

  it("renders each pool's requirements, taint, limits and budgets, passing the CRD schema and the project's validation", () => {
    const requirements = (capacityType: string) => [
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: [capacityType] },
    ];
    const taint = (workload: string) => [{ key: 'emr-eks-gitops.io/workload', value: workload, effect: 'NoSchedule' }];
    const businessHours = { nodes: '0', schedule: '0 8 * * 1-5', duration: '10h' };
    const expected = [
      [
        driverPool,
        'on-demand',
        'spark-driver',
        { cpu: '200', memory: '800Gi' },
        [{ nodes: '1' }, businessHours],
        undefined,
      ],
      [spotPool, 'spot', 'spark-executor', { cpu: '1000', memory: '4000Gi' }, [{ nodes: '10%' }, businessHours], 50],
      [
        onDemandPool,
        'on-demand',
        'spark-executor',
        { cpu: '200', memory: '800Gi' },
        [{ nodes: '10%' }, businessHours],
        10,
      ],
    ] as const;
    for (const [pool, capacityType, workload, limits, budgets, weight] of expected) {
      const { spec } = pool;
      expect(spec.template.spec.requirements, pool.metadata.name).toEqual(requirements(capacityType));
      expect(spec.template.spec.taints, pool.metadata.name).toEqual(taint(workload));
      const diskLabel = workload === 'spark-executor' ? { 'emr-eks-gitops.io/local-disk': 'ebs' } : {};
      expect(spec.template.metadata.labels, pool.metadata.name).toEqual({
        'emr-eks-gitops.io/workload': workload,
        ...diskLabel,
      });
      expect(spec.template.spec.nodeClassRef, pool.metadata.name).toEqual({
        group: 'karpenter.k8s.aws',
        kind: 'EC2NodeClass',
        name: workload,
      });
      expect(spec.limits, pool.metadata.name).toEqual(limits);
      expect(spec.disruption.budgets, pool.metadata.name).toEqual(budgets);
      expect(spec.disruption.consolidateAfter, pool.metadata.name).toBe('5m');
      expect(spec.weight, pool.metadata.name).toBe(weight);
      expect(crdSchemaErrors(pool)).toEqual([]);
    }
    // Pools and node classes together, as an environment renders them.
    expect(validationFindings(Object.values(objects))).toEqual([]);
  });
});

describe('SparkPodTemplates', () => {
  const { chart: capacityChart, capacity: spark } = capacity();
  const templates = (props: Partial<SparkPodTemplatesProps> = {}) =>
    new SparkPodTemplates({ placements: spark, ...props });
  const { driver, executor } = templates({
    customCode: {
      image: 'public.ecr.aws/docker/library/busybox:1.36',
      command: ['sh', '-c', 'cp -r /code/. /opt/custom-code/'],
    },
  });

  it('places the driver on the driver pool with do-not-disrupt and the driver priority', () => {
    expect(driver.spec?.nodeSelector).toEqual(spark.driverPlacement.nodeSelector);
    expect(driver.spec?.tolerations).toEqual(spark.driverPlacement.tolerations);
    expect(
      placementProblems(
        { nodeSelector: driver.spec!.nodeSelector!, tolerations: driver.spec!.tolerations as any },
        spark.driverPool,
      ),
    ).toEqual([]);
    expect(driver.metadata?.annotations?.['karpenter.sh/do-not-disrupt']).toBe('true');
    expect(driver.metadata?.annotations?.['prometheus.io/path']).toBe('/metrics/driver/prometheus/');
    expect(driver.metadata?.annotations?.['prometheus.io/port']).toBe('4040');
    expect(driver.spec?.priorityClassName).toBe('spark-driver');
    expect(driver.spec?.containers.map((c) => c.name)).toEqual(['spark-kubernetes-driver']);
  });

  it('places executors on both executor pools and stops them within the spot notice', () => {
    const selectorAndTolerations = {
      nodeSelector: executor.spec!.nodeSelector!,
      tolerations: executor.spec!.tolerations as any,
    };
    expect(placementProblems(selectorAndTolerations, spark.executorSpotPool!)).toEqual([]);
    expect(placementProblems(selectorAndTolerations, spark.executorOnDemandPool!)).toEqual([]);
    expect(executor.spec?.terminationGracePeriodSeconds).toBe(100);
    expect(executor.spec?.priorityClassName).toBe('spark-executor');
    expect(executor.metadata?.annotations).toBeUndefined();
    expect(executor.spec?.containers.map((c) => c.name)).toEqual(['spark-kubernetes-executor']);
  });

  it('mounts scratch space and custom code outside /mnt; only the init container carries (restricted) security settings', () => {
    const spec = executor.spec!;
    expect(spec.volumes).toContainEqual(
      expect.objectContaining({
        name: 'spark-local-dir-1',
        ephemeral: expect.objectContaining({ volumeClaimTemplate: expect.anything() }),
      }),
    );
    expect(spec.containers[0]?.volumeMounts).toEqual([
      { name: 'spark-local-dir-1', mountPath: '/var/data/spark-local-dir-1' },
      { name: 'custom-code', mountPath: '/opt/custom-code' },
    ]);
    expect(spec.initContainers?.[0]?.volumeMounts).toEqual([
      { name: 'custom-code', mountPath: '/opt/custom-code' },
      { name: 'custom-code-home', mountPath: '/home/custom-code' },
    ]);
    // EMR allows neither and sets the pod's own (EMR on EKS guide, "Pod template fields").
    expect(spec.securityContext).toBeUndefined();
    expect(spec.containers[0]?.securityContext).toBeUndefined();
    expect(spec.initContainers?.[0]?.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('gives the custom-code container a writable HOME, where the AWS CLI caches IRSA credentials', () => {
    for (const pod of [driver, executor]) {
      const init = pod.spec!.initContainers![0]!;
      const home = init.env?.find((variable) => variable.name === 'HOME')?.value;
      expect(home).toBe('/home/custom-code');
      const mount = init.volumeMounts?.find((m) => m.mountPath === home);
      expect(pod.spec!.volumes?.find((volume) => volume.name === mount?.name)?.emptyDir).toEqual({});
    }
    expect(
      configurationErrorOf(() =>
        templates({
          customCode: { image: 'amazon/aws-cli:2.17.0', command: ['true'], mountPath: '/home/custom-code/lib' },
        }),
      ).field,
    ).toBe('customCode.mountPath');
  });

  it('keeps the pod securityContext in the session executor template, which Spark alone reads (notebooks)', () => {
    const { executor: emr, sessionExecutor } = templates();
    expect(sessionExecutor.spec?.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(sessionExecutor.spec?.containers[0]?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    // Otherwise the same pod: placement, volumes, init container.
    const { securityContext: _pod, containers, ...rest } = sessionExecutor.spec!;
    const { containers: emrContainers, ...emrRest } = emr.spec!;
    expect(rest).toEqual(emrRest);
    expect(containers.map(({ securityContext: _c, ...container }) => container)).toEqual(emrContainers);
    expect(emr.spec?.securityContext).toBeUndefined();
  });

  it('refuses a template with a field EMR does not allow, at its path', () => {
    const pod = JSON.parse(JSON.stringify(driver));
    pod.spec.containers[0].command = ['/bin/sh'];
    const error = configurationErrorOf(() => checkSparkPodTemplate(pod, 'driver'));
    expect([error.field, error.message]).toEqual([
      'driver.spec.containers[0].command',
      expect.stringContaining(
        'command is not a field EMR on EKS allows in the Spark main container spark-kubernetes-driver',
      ),
    ]);
    const withPodContext = { ...driver, spec: { ...driver.spec!, securityContext: { runAsNonRoot: true } } };
    expect(configurationErrorOf(() => checkSparkPodTemplate(withPodContext, 'driver')).field).toBe(
      'driver.spec.securityContext',
    );
  });

  it("renders the containers, volumes and tolerations EMR needs, passing the project's validation, identical for identical input", () => {
    const hardened = {
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const mounts = [
      { name: 'spark-local-dir-1', mountPath: '/var/data/spark-local-dir-1' },
      { name: 'custom-code', mountPath: '/opt/custom-code' },
    ];
    for (const [pod, role] of [
      [driver, 'driver'],
      [executor, 'executor'],
    ] as const) {
      const spec = pod.spec!;
      expect([pod.apiVersion, pod.kind]).toEqual(['v1', 'Pod']);
      expect(spec.containers).toEqual([{ name: `spark-kubernetes-${role}`, volumeMounts: mounts }]);
      expect(spec.initContainers).toEqual([
        {
          name: 'fetch-custom-code',
          image: 'public.ecr.aws/docker/library/busybox:1.36',
          command: ['sh', '-c', 'cp -r /code/. /opt/custom-code/'],
          env: [{ name: 'HOME', value: '/home/custom-code' }],
          volumeMounts: [
            { name: 'custom-code', mountPath: '/opt/custom-code' },
            { name: 'custom-code-home', mountPath: '/home/custom-code' },
          ],
          securityContext: hardened,
        },
      ]);
      expect(spec.volumes).toEqual([
        {
          name: 'spark-local-dir-1',
          ephemeral: {
            volumeClaimTemplate: {
              spec: {
                accessModes: ['ReadWriteOnce'],
                storageClassName: 'gp3',
                resources: { requests: { storage: '100Gi' } },
              },
            },
          },
        },
        { name: 'custom-code', emptyDir: {} },
        { name: 'custom-code-home', emptyDir: {} },
      ]);
      expect(spec.tolerations).toEqual([
        { key: 'emr-eks-gitops.io/workload', operator: 'Equal', value: `spark-${role}`, effect: 'NoSchedule' },
      ]);
    }
    // The templates with the pools they schedule on: schema, unknown fields, placement and pod-template rules.
    expect(validationFindings([...Object.values(synthByName(capacityChart)), driver, executor])).toEqual([]);
    expect(JSON.stringify(templates().executor)).toBe(JSON.stringify(templates().executor));
  });

  it('uses an emptyDir on the RAID0 instance store, on the NVMe pools, for instance-store scratch space', () => {
    const { capacity: nvme } = capacity({}, true);
    const onNvme = new SparkPodTemplates({ placements: nvme, localDisk: { kind: 'instance-store' } });
    expect(onNvme.executor.spec?.volumes).toEqual([{ name: 'spark-local-dir-1', emptyDir: {} }]);
    expect(onNvme.executor.spec?.nodeSelector).toEqual(nvme.nvmeExecutorPlacement!.nodeSelector);
    // The default is an EBS volume per pod, on the EBS executor pools.
    const byDefault = new SparkPodTemplates({ placements: nvme });
    expect(
      byDefault.executor.spec?.volumes?.[0]?.ephemeral?.volumeClaimTemplate?.spec.resources?.requests?.storage,
    ).toBe('100Gi');
    expect(byDefault.executor.spec?.nodeSelector).toEqual(nvme.executorPlacement.nodeSelector);
    expect(configurationErrorOf(() => templates({ localDisk: { kind: 'instance-store' } })).field).toBe(
      'localDisk.kind',
    );
  });

  it("gives the driver the tenant's longest job as activeDeadlineSeconds", () => {
    expect(templates({ maxJobDuration: '12h' }).driver.spec?.activeDeadlineSeconds).toBe(43200);
    expect(templates({ maxJobDuration: '12h' }).executor.spec?.activeDeadlineSeconds).toBeUndefined();
    expect(templates().driver.spec?.activeDeadlineSeconds).toBeUndefined();
    expect(configurationErrorOf(() => templates({ maxJobDuration: '12 hours' })).field).toBe('maxJobDuration');
  });

  it('rejects mounts under /mnt and grace periods at or past the spot notice', () => {
    expect(configurationErrorOf(() => templates({ localDirPath: '/mnt/x' })).field).toBe('localDirPath');
    expect(configurationErrorOf(() => templates({ localDirPath: '/mnt' })).field).toBe('localDirPath');
    expect(
      configurationErrorOf(() => templates({ customCode: { image: 'img', command: ['true'], mountPath: '/mnt/code' } }))
        .field,
    ).toBe('customCode.mountPath');
    expect(configurationErrorOf(() => templates({ executorTerminationGracePeriodSeconds: 120 })).field).toBe(
      'executorTerminationGracePeriodSeconds',
    );
    expect(templates({ localDirPath: '/mnt2/spark' }).localDirPath).toBe('/mnt2/spark');
  });

  it('checkSparkPodTemplate rejects wrong container names and /mnt mounts in any template', () => {
    const podWith = (containers: any[], extra = {}) => ({
      apiVersion: 'v1' as const,
      kind: 'Pod' as const,
      spec: { containers, ...extra },
    });
    expect(configurationErrorOf(() => checkSparkPodTemplate(podWith([{ name: 'driver' }]), 'driver')).field).toBe(
      'driver.spec.containers',
    );
    expect(
      configurationErrorOf(() =>
        checkSparkPodTemplate(
          podWith([{ name: 'spark-kubernetes-executor' }, { name: 'spark-kubernetes-driver' }]),
          'driver',
        ),
      ).field,
    ).toBe('driver.spec.containers[0].name');
    const mntMount = podWith([
      { name: 'spark-kubernetes-executor', volumeMounts: [{ name: 'v', mountPath: '/mnt/x' }] },
    ]);
    expect(configurationErrorOf(() => checkSparkPodTemplate(mntMount, 'executor')).field).toBe(
      'executor.spec.containers[0].volumeMounts[0].mountPath',
    );
    const slowExecutor = podWith([{ name: 'spark-kubernetes-executor' }], { terminationGracePeriodSeconds: 150 });
    expect(configurationErrorOf(() => checkSparkPodTemplate(slowExecutor, 'executor')).field).toBe(
      'executor.spec.terminationGracePeriodSeconds',
    );
  });
});

describe('sparkDefaults', () => {
  const { capacity: spark } = capacity({ executorIdleTimeout: '1m30s', executorConsolidateAfter: '10m' });
  const podTemplates = new SparkPodTemplates({ placements: spark });
  const props = {
    placements: spark,
    podTemplates,
    driverPodTemplateUri: 's3://team-a-artifacts/pod-templates/driver.yaml',
    executorPodTemplateUri: 's3://team-a-artifacts/pod-templates/executor.yaml',
  };

  it('points at the pod templates and matches their scratch dir and the capacity idle timeout', () => {
    const { classification, properties } = sparkDefaults({
      ...props,
      decommissionFallbackStoragePath: 's3://team-a-artifacts/fallback/',
    });
    expect(classification).toBe('spark-defaults');
    expect(properties['spark.kubernetes.driver.podTemplateFile']).toBe(props.driverPodTemplateUri);
    expect(properties['spark.kubernetes.executor.podTemplateFile']).toBe(props.executorPodTemplateUri);
    expect(properties['spark.local.dir']).toBe(podTemplates.localDirPath);
    expect(properties['spark.dynamicAllocation.executorIdleTimeout']).toBe('90s');
    expect(properties['spark.storage.decommission.shuffleBlocks.enabled']).toBe('true');
    expect(properties['spark.storage.decommission.fallbackStorage.path']).toBe('s3://team-a-artifacts/fallback/');
    expect(properties['spark.metrics.conf.*.sink.prometheusServlet.path']).toBe(
      podTemplates.driver.metadata?.annotations?.['prometheus.io/path'],
    );
    expect(Object.keys(properties)).toEqual(Object.keys(properties).sort());
  });

  it('rejects non-S3 template locations and overrides of derived properties', () => {
    expect(
      configurationErrorOf(() => sparkDefaults({ ...props, driverPodTemplateUri: '/tmp/driver.yaml' })).field,
    ).toBe('driverPodTemplateUri');
    expect(
      configurationErrorOf(() => sparkDefaults({ ...props, extraProperties: { 'spark.local.dir': '/tmp' } })).field,
    ).toBe('extraProperties["spark.local.dir"]');
    expect(
      sparkDefaults({ ...props, extraProperties: { 'spark.sql.shuffle.partitions': '400' } }).properties[
        'spark.sql.shuffle.partitions'
      ],
    ).toBe('400');
    // The job size is the platform's: a per-tenant override goes through jobSize, not extraProperties.
    expect(
      configurationErrorOf(() => sparkDefaults({ ...props, extraProperties: { 'spark.executor.cores': '4' } })).field,
    ).toBe('extraProperties["spark.executor.cores"]');
  });

  it("renders the job size with Spark's overhead written out, and event logs under an S3 prefix", () => {
    const sized = sparkDefaults({
      ...props,
      jobSize: { driver: { cores: 2, memory: '8g' }, executor: { cores: 4, memory: '24g', memoryOverheadFactor: 0.4 } },
      eventLogDir: 's3://logs-bucket/ml/spark-events/',
    }).properties;
    expect(sized['spark.driver.cores']).toBe('2');
    expect(sized['spark.driver.memory']).toBe('8g');
    expect(sized['spark.driver.memoryOverhead']).toBe('819m'); // max(384, 0.1 x 8192)
    expect(sized['spark.executor.memoryOverhead']).toBe('9830m'); // 0.4 x 24576
    expect(sized['spark.eventLog.enabled']).toBe('true');
    expect(sized['spark.eventLog.dir']).toBe('s3://logs-bucket/ml/spark-events/');
    // Without a size, Spark's own defaults are written out: 1 core, 1g, the 384m floor.
    const small = sparkDefaults(props).properties;
    expect([
      small['spark.executor.cores'],
      small['spark.executor.memory'],
      small['spark.executor.memoryOverhead'],
    ]).toEqual(['1', '1g', '384m']);
    expect(
      configurationErrorOf(() =>
        sparkDefaults({
          ...props,
          jobSize: { driver: { cores: 1, memory: '4GB' }, executor: { cores: 1, memory: '1g' } },
        }),
      ).field,
    ).toBe('driver.memory');
    expect(
      configurationErrorOf(() => sparkDefaults({ ...props, eventLogDir: 's3://logs-bucket/no-slash' })).field,
    ).toBe('eventLogDir');
  });
});
