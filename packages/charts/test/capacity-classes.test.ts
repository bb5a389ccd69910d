import { describe, expect, it } from 'vitest';
import { placementProblems, type NodeRequirement, type Taint } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, RenderError, type RenderResult } from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

const CLASS = 'emr-eks-gitops.io/capacity-class';
const CAPACITY_TYPE = 'karpenter.sh/capacity-type';

interface RenderedPool {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  requirements: NodeRequirement[];
}
const poolsOf = (result: RenderResult): RenderedPool[] =>
  result.objects
    .filter((o) => o.object.kind === 'NodePool')
    .map(({ object }) => {
      const template = (object as any).spec.template;
      return {
        name: object.metadata.name,
        labels: template.metadata.labels,
        taints: template.spec.taints ?? [],
        requirements: template.spec.requirements,
      };
    });
const templateOf = (result: RenderResult, path: string) => result.objects.find((o) => o.path === path)!.object as any;
/** The pools a pod template fits exactly: every selected label present, every taint tolerated, no stray toleration. */
const fitting = (pools: readonly RenderedPool[], template: any) =>
  pools
    .filter(
      (pool) =>
        placementProblems({ nodeSelector: template.spec.nodeSelector, tolerations: template.spec.tolerations }, pool)
          .length === 0,
    )
    .map((pool) => pool.name)
    .sort();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const capacityTypes = (pool: RenderedPool) => pool.requirements.find((r) => r.key === CAPACITY_TYPE)!.values!;

describe('capacity classes (prod)', () => {
  const prod = renderEnvironment(load('prod'));
  const pools = poolsOf(prod);
  const pool = (name: string) => pools.find((p) => p.name === name)!;
  // tenant, artifact prefix, driver class pools, executor class pools
  const expected: Array<[string, string, string[], string[]]> = [
    ['app-dev', '', ['spark-driver'], ['spark-executor-on-demand', 'spark-executor-spot']],
    ['data-eng', '', ['spark-graviton-driver'], ['spark-graviton-executor-on-demand', 'spark-graviton-executor-spot']],
    ['data-eng', 'classes/default/', ['spark-driver'], ['spark-executor-on-demand', 'spark-executor-spot']],
    ['ml', '', ['spark-driver'], ['spark-memory-nvme-executor-nvme-on-demand', 'spark-memory-nvme-executor-nvme-spot']],
    ['ml', 'classes/gpu/', ['spark-gpu-driver'], ['spark-gpu-executor-on-demand']],
  ];

  it("keeps the default pools as they were and adds each class's pools, labelled and tainted with the class", () => {
    expect(pools.map((p) => p.name).sort()).toEqual([
      'spark-driver',
      'spark-executor-on-demand',
      'spark-executor-spot',
      'spark-gpu-driver',
      'spark-gpu-executor-on-demand',
      'spark-graviton-driver',
      'spark-graviton-executor-on-demand',
      'spark-graviton-executor-spot',
      'spark-memory-nvme-driver',
      'spark-memory-nvme-executor-nvme-on-demand',
      'spark-memory-nvme-executor-nvme-spot',
    ]);
    for (const p of pools) {
      const named = p.name.match(/^spark-(graviton|memory-nvme|gpu)-/)?.[1];
      expect(p.labels[CLASS], p.name).toBe(named);
      expect(
        p.taints.some((t) => t.key === CLASS),
        p.name,
      ).toBe(named !== undefined);
    }
    expect(pool('spark-graviton-executor-spot').requirements).toContainEqual({
      key: 'kubernetes.io/arch',
      operator: 'In',
      values: ['arm64'],
    });
    // Non-GPU classes never launch GPU types; the GPU class's drivers run on CPU types of its architecture.
    for (const name of ['spark-graviton-executor-spot', 'spark-memory-nvme-driver', 'spark-gpu-driver']) {
      expect(pool(name).requirements, name).toContainEqual({
        key: 'karpenter.k8s.aws/instance-gpu-count',
        operator: 'DoesNotExist',
      });
    }
    expect(pool('spark-gpu-executor-on-demand').requirements).toContainEqual({
      key: 'karpenter.k8s.aws/instance-gpu-count',
      operator: 'Gt',
      values: ['0'],
    });
    expect(pool('spark-memory-nvme-executor-nvme-spot').requirements).toContainEqual({
      key: 'karpenter.k8s.aws/instance-local-nvme',
      operator: 'Gt',
      values: ['0'],
    });
  });

  it.each(expected)(
    "%s %s: drivers only on on-demand capacity of their class, executors on the class's capacity types",
    (tenant, prefix, driverPools, executorPools) => {
      const driver = templateOf(prod, `artifacts/tenants/${tenant}/${prefix}pod-templates/driver.yaml`);
      const executor = templateOf(prod, `artifacts/tenants/${tenant}/${prefix}pod-templates/executor.yaml`);
      expect(fitting(pools, driver)).toEqual(driverPools);
      expect(driverPools.every((name) => capacityTypes(pool(name)).join() === 'on-demand')).toBe(true);
      expect(driver.spec.nodeSelector[CAPACITY_TYPE]).toBe('on-demand');
      expect(fitting(pools, executor)).toEqual(executorPools);
      const gpu = prefix === 'classes/gpu/';
      expect(executorPools.flatMap((name) => capacityTypes(pool(name))).sort()).toEqual(
        gpu ? ['on-demand'] : ['on-demand', 'spot'],
      );
      // The GPU taint is tolerated by GPU executors only, and they request the device the pool is for.
      expect(executor.spec.tolerations.some((t: Taint) => t.key === 'nvidia.com/gpu')).toBe(gpu);
      expect(driver.spec.tolerations.some((t: Taint) => t.key === 'nvidia.com/gpu')).toBe(false);
      expect(executor.spec.containers[0].resources?.limits?.['nvidia.com/gpu']).toBe(gpu ? 1 : undefined);
    },
  );

  it('no tenant lands on a class exclusive to another tenant', () => {
    const exclusive: Record<string, string[]> = { 'memory-nvme': ['ml'], gpu: ['ml'] };
    const templates = prod.objects.filter((o) => o.object.kind === 'Pod');
    expect(templates.length).toBe(11); // with app-dev's notebook session executor
    for (const { path, object } of templates) {
      const tenant = path.split('/')[2]!;
      for (const name of fitting(pools, object)) {
        const owners = exclusive[pool(name).labels[CLASS] ?? ''];
        expect(owners === undefined || owners.includes(tenant), `${path} fits ${name}`).toBe(true);
      }
    }
  });

  it("GPU jobs get Spark's GPU scheduling properties; each offered class has its own job-run documents", () => {
    const gpu = JSON.parse(prod.files.get('artifacts/tenants/ml/classes/gpu/start-job-run.json')!);
    const properties = gpu.configurationOverrides.applicationConfiguration[0].properties;
    expect(properties).toMatchObject({
      'spark.executor.resource.gpu.amount': '1',
      'spark.executor.resource.gpu.vendor': 'nvidia.com',
      'spark.task.resource.gpu.amount': '0.25',
      'spark.kubernetes.executor.podTemplateFile':
        's3://spark-platform-prod-artifacts-410987654321/emr-eks-gitops/tenants/ml/classes/gpu/pod-templates/executor.yaml',
    });
    // The job runner goes where the variant's drivers go.
    expect(
      gpu.configurationOverrides.applicationConfiguration[1].properties[`jobsubmitter.node.selector.${CLASS}`],
    ).toBe('gpu');
    const own = JSON.parse(prod.files.get('artifacts/tenants/ml/start-job-run.json')!).configurationOverrides
      .applicationConfiguration[0].properties;
    expect(own['spark.executor.resource.gpu.amount']).toBeUndefined();
    expect(prod.files.has('artifacts/tenants/ml/classes/gpu/job-template.json')).toBe(false);
  });

  it("the README shows each pool's class and which tenant runs there", () => {
    const readme = prod.files.get('README.md')!;
    expect(readme).toContain(
      '| `spark-graviton-executor-spot` | graviton | spot | 1000 CPU, 4000Gi memory | executors of data-eng (spot first) |',
    );
    expect(readme).toContain(
      '| `spark-gpu-executor-on-demand` | gpu | on-demand | 128 CPU, 512Gi memory | executors (on-demand) of the jobs of ml that ask for class gpu |',
    );
    expect(readme).toContain(
      'tenants_ml -.-|"jobs asking for gpu:<br/>executors, on-demand"| pool_spark_gpu_executor_on_demand',
    );
  });
});

describe('capacity classes: what stays, what is refused', () => {
  it('an environment without classes renders the pools of before, and no executor keeps a job in one zone unless asked', () => {
    const dev = renderEnvironment(load('dev'));
    expect(
      poolsOf(dev)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['spark-driver', 'spark-executor-on-demand', 'spark-executor-spot']);
    expect(poolsOf(dev).every((p) => p.labels[CLASS] === undefined)).toBe(true);
    expect(templateOf(dev, 'artifacts/tenants/data-eng/pod-templates/executor.yaml').spec.affinity).toBeUndefined();
  });

  it('refuses single-AZ jobs "always" for a tenant that serves notebooks: a notebook driver has no spark-role label, its executors would stay Pending', () => {
    const role = '    executionRoleArn: arn:aws:iam::310987654321:role/emr-staging-data-eng-job-execution';
    const edit = (t: string) =>
      t.replace(
        role,
        `    serviceAccounts:\n      - { name: notebook-spark, roleArn: arn:aws:iam::310987654321:role/emr-staging-data-eng-notebook, sparkDriver: true }\n${role}`,
      );
    const text = edit(environmentText('staging'));
    const line = text.slice(0, text.indexOf('singleZone: always')).split('\n').length;
    const message =
      'tenants[1].spark.singleZone: with "always" the executor pod template requires a pod of the same application labelled spark-role=driver in the zone (pod affinity on spark-app-selector), and this tenant\'s notebook sessions use that template too: a notebook is a client-mode driver that carries neither label, so every executor of a notebook session stays Pending; use singleZone: offered (jobs opt in with the single-zone/ documents, notebooks keep the plain template), or serve notebooks from another tenant [single-zone-notebook]';
    expect(() => loadEnvironmentText(text, 'environments/staging.yaml')).toThrow(
      new RegExp(`^environments/staging\\.yaml:${line}:\\d+: ${escapeRegExp(message)}$`, 'm'),
    );
    // "offered" keeps the plain template (the notebook's) free of the affinity: accepted.
    expect(() =>
      loadEnvironmentText(text.replace('singleZone: always', 'singleZone: offered'), 'environments/staging.yaml'),
    ).not.toThrow();
    // Without a hub nothing spawns notebooks: the account alone is accepted.
    const noHub = text.replace(/\n {2}jupyterhub:[\s\S]*?\n {2}prometheus:/, '\n  prometheus:');
    expect(noHub).not.toContain('jupyterhub:');
    expect(() => loadEnvironmentText(noHub, 'environments/staging.yaml')).not.toThrow();
  });

  it("single-AZ jobs: executors require their driver's zone, matched by the job's spark-app-selector, always or per job", () => {
    const staging = renderEnvironment(load('staging'));
    expect(templateOf(staging, 'artifacts/tenants/data-eng/pod-templates/executor.yaml').spec.affinity).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { 'spark-role': 'driver' } },
            matchLabelKeys: ['spark-app-selector'],
            topologyKey: 'topology.kubernetes.io/zone',
          },
        ],
      },
    });
    expect(templateOf(staging, 'artifacts/tenants/data-eng/pod-templates/driver.yaml').spec.affinity).toBeUndefined();
    expect(templateOf(staging, 'artifacts/tenants/ml/pod-templates/executor.yaml').spec.affinity).toBeUndefined();
    // ml offers it per job: the single-zone documents use the same pools, with the affinity, and their own template URIs.
    const variant = templateOf(staging, 'artifacts/tenants/ml/single-zone/pod-templates/executor.yaml');
    expect(variant.spec.affinity).toEqual(
      templateOf(staging, 'artifacts/tenants/data-eng/pod-templates/executor.yaml').spec.affinity,
    );
    expect(variant.spec.nodeSelector).toEqual(
      templateOf(staging, 'artifacts/tenants/ml/pod-templates/executor.yaml').spec.nodeSelector,
    );
    const overrides = JSON.parse(staging.files.get('artifacts/tenants/ml/single-zone/configuration-overrides.json')!);
    expect(overrides.applicationConfiguration[0].properties['spark.kubernetes.executor.podTemplateFile']).toBe(
      's3://spark-platform-staging-artifacts-310987654321/emr-eks-gitops/tenants/ml/single-zone/pod-templates/executor.yaml',
    );
    expect(staging.files.get('README.md')).toContain(
      'Jobs of ml do so when submitted with the documents under `artifacts/tenants/<tenant>/single-zone/`',
    );
  });

  it.each([
    [
      'a class that does not exist',
      (t: string) => t.replace('executor: memory-nvme', 'executor: memory'),
      [
        'executor: memory',
        'tenants[2].spark.capacityClasses.executor: no capacity class is named "memory": jobs would have no pools to run on; use one of default, graviton, memory-nvme, gpu, or define it in capacity.classes [capacity-class-unknown]',
      ],
    ],
    [
      'an exclusive class not granted',
      (t: string) => t.replace('offered: [default]', 'offered: [default, gpu]'),
      [
        'offered: [default, gpu]',
        'tenants[1].spark.capacityClasses.offered[1]: capacity class "gpu" is exclusive to ml, not to tenant data-eng; use another class, or add data-eng to capacity.classes[2].exclusiveTo [capacity-class-exclusive]',
      ],
    ],
    [
      'exclusive to a tenant that does not exist',
      (t: string) =>
        t.replace(
          'exclusiveTo: [ml]\n      limits:\n        driver: { cpu: 32',
          'exclusiveTo: [mll]\n      limits:\n        driver: { cpu: 32',
        ),
      [
        'exclusiveTo: [mll]',
        'capacity.classes[2].exclusiveTo[0]: no tenant is named "mll" (tenants: app-dev, data-eng, ml); list tenant names [capacity-class-exclusive]',
      ],
    ],
    [
      'a class named default',
      (t: string) => t.replace('- name: graviton', '- name: default'),
      [
        '- name: default',
        'capacity.classes[0].name: "default" is the environment\'s own pools (capacity.limits, capacity.nvmeInstanceStore); give this class another name [capacity-class-name]',
      ],
    ],
    [
      'two classes of one name',
      (t: string) => t.replace('- name: memory-nvme', '- name: graviton'),
      [
        '- name: graviton\n      description: memory',
        'capacity.classes[1].name: "graviton" is already the name of capacity.classes[0]; each class needs its own name [capacity-class-name]',
      ],
    ],
    [
      'offering the class the tenant already runs on',
      (t: string) => t.replace('offered: [default]', 'offered: [graviton]'),
      [
        'offered: [graviton]',
        'tenants[1].spark.capacityClasses.offered[0]: "graviton" is already where this tenant\'s drivers and executors run; offer only other classes [capacity-class-offered]',
      ],
    ],
    [
      'a scratch disk the executor class does not have',
      (t: string) => t.replace('offered: [gpu]', 'offered: [gpu]\n      localDisk: ebs'),
      [
        'localDisk: ebs',
        'tenants[2].spark.localDisk: executors run on capacity class "memory-nvme", whose scratch disk is nvme: "ebs" cannot be honoured there; leave localDisk out (the class decides) or choose a class with localDisk: ebs [capacity-class-local-disk]',
      ],
    ],
    [
      'single-AZ jobs before Kubernetes 1.31',
      (t: string) => t.replace('offered: [gpu]', 'offered: [gpu]\n      singleZone: offered'),
      [
        'singleZone: offered',
        "tenants[2].spark.singleZone: keeping a job's executors in its driver's zone needs pod affinity with matchLabelKeys, which the API server applies by default from Kubernetes 1.31 (the cluster is 1.30: the API server drops the field, and executors would follow any driver of the namespace instead of their own); upgrade cluster.kubernetesVersion to 1.31 or later, or remove singleZone [single-zone-version]",
      ],
    ],
  ] as Array<[string, (t: string) => string, [string, string]]>)(
    'refuses %s with a located error',
    (_, edit, [needle, message]) => {
      // Located at the line of the value the edit introduced (line numbers follow the committed file).
      const text = edit(environmentText('prod'));
      const line = text.slice(0, text.indexOf(needle)).split('\n').length;
      expect(() => load('prod', edit)).toThrow(
        new RegExp(`^environments/prod\\.yaml:${line}:\\d+: ${escapeRegExp(message)}$`, 'm'),
      );
    },
  );

  it('warns, at the selection, about a class the offline catalog knows no type of (a misspelt family launches nothing)', () => {
    const result = renderEnvironment(load('prod', (t) => t.replace('families: [r6id, r8id]', 'families: [r6idd]')));
    expect(result.warnings.map(issueText)).toContainEqual({
      configPath: ['capacity', 'classes', 1, 'families'],
      message:
        "capacity class memory-nvme: no instance type of the offline catalog matches its families r6idd, so no capacity rule can check that its pools hold the tenants' pods; if a name is misspelt, Karpenter launches no node and the class's pods stay Pending: check them against the EC2 instance types [capacity-class-instances]",
    });
    expect(renderEnvironment(load('prod')).warnings.filter((w) => w.rule === 'capacity-class-instances')).toEqual([]);
  });

  const renderIssues = (edit: (text: string) => string) => {
    try {
      renderEnvironment(load('prod', edit));
    } catch (error) {
      if (error instanceof RenderError) return error.issues.map(issueText);
      throw error;
    }
    return [];
  };

  it.each([
    [
      'a GPU class selecting only types without GPUs',
      (t: string) => t.replace('categories: [g]', 'categories: [c]'),
      [
        {
          configPath: ['capacity', 'classes', 2, 'categories'],
          message:
            'GPU class gpu selects only instance types without GPUs (c5, c5a, c5ad, c5d, c6a, c6i, ...): the GPU pools, which require a GPU, can launch nothing and every executor stays Pending; select GPU families such as g5, g6, g6e (categories [g]) [capacity-class-gpu]',
        },
      ],
    ],
    [
      'GPU executors asking more devices than a node has',
      (t: string) => t.replace('perExecutor: 1 }', 'perExecutor: 8 }'),
      [
        {
          configPath: ['capacity', 'classes', 2, 'gpu', 'perExecutor'],
          message:
            'GPU class gpu asks 8 GPUs per executor, but the largest selected type has 1 (g5.2xlarge, g5.4xlarge, g5.8xlarge): no node can hold an executor; lower gpu.perExecutor to at most 1 or select larger sizes [capacity-class-gpu]',
        },
      ],
    ],
    [
      'a class whose architecture its families do not have',
      (t: string) =>
        t.replace('families: [r6id, r8id]\n      arch: amd64', 'families: [r6id, r8id]\n      arch: arm64'),
      [
        {
          configPath: ['capacity', 'classes', 1, 'families'],
          message:
            'capacity class memory-nvme selects no instance type: its families or categories are amd64 of generation 6, 8, and arch arm64, minGeneration none and sizes any leave none of them; Karpenter would launch no node for the class; widen the selection [capacity-class-instances]',
        },
      ],
    ],
    [
      "a class that cannot hold the tenant's driver and executor size",
      (t: string) => t.replace('minGeneration: 7\n', 'minGeneration: 7\n      sizes: [large]\n'),
      [
        {
          configPath: ['tenants', 1, 'spark', 'jobSize', 'driver', 'cores'],
          message:
            "one driver pod requests 2.25 cores / 9.3Gi, more than any instance type of spark-graviton-driver can give a pod (the largest offers 1.73 cores / 6.3Gi after the kubelet's reservations): Karpenter launches no node and the pod stays Pending; shrink spark.jobSize.driver to fit within 1.73 cores / 6.3Gi [node-fits-pod]",
        },
        {
          configPath: ['tenants', 1, 'spark', 'jobSize', 'executor', 'cores'],
          message:
            "one executor pod requests 4.25 cores / 18.1Gi, more than any instance type of spark-graviton-executor-spot, spark-graviton-executor-on-demand can give a pod (the largest offers 1.73 cores / 6.3Gi after the kubelet's reservations): Karpenter launches no node and the pod stays Pending; shrink spark.jobSize.executor to fit within 1.73 cores / 6.3Gi [node-fits-pod]",
        },
      ],
    ],
    [
      'an offered class that cannot hold the executor size',
      (t: string) => t.replace('sizes: [2xlarge, 4xlarge, 8xlarge]', 'sizes: [xlarge]'),
      [
        {
          configPath: ['tenants', 2, 'spark', 'capacityClasses', 'offered', 0],
          message:
            "jobs asking for capacity class gpu: one executor pod requests 4.25 cores / 34.1Gi, more than any instance type of spark-gpu-executor-on-demand can give a pod (the largest offers 3.72 cores / 28.2Gi after the kubelet's reservations): Karpenter launches no node and the pod stays Pending; shrink spark.jobSize.executor to fit within 3.72 cores / 28.2Gi [node-fits-pod]",
        },
      ],
    ],
    [
      'an offered class with EBS scratch volumes the storage quota cannot hold',
      (t: string) => t.replace(/ {6}localDiskSize: 50Gi +# EBS scratch of gpu.*\n/, ''),
      [
        {
          configPath: ['tenants', 2, 'spark', 'capacityClasses', 'offered', 0],
          message:
            'jobs asking for capacity class gpu: quota.storage 2000Gi holds 20 scratch volumes of 100Gi (every driver and executor gets one, counted against requests.storage), but quota.cpu 128 admits 30 executors of 4.25 cores: from pod 21 on, the volume claim is refused and the pod stays Pending; set quota.storage to at least 3000Gi, or lower spark.localDiskSize [quota-storage-volumes]',
        },
      ],
    ],
    [
      'a class whose driver pool cannot supply one on-demand driver',
      (t: string) => t.replace('driver: { cpu: 100, memory: 400Gi }', 'driver: { cpu: 1, memory: 400Gi }'),
      [
        {
          configPath: ['capacity', 'classes', 0, 'limits', 'driver', 'cpu'],
          message:
            'the driver pools spark-graviton-driver are limited to 1 cpu, less than one driver pod (2.25): Karpenter never launches a node for it; raise the pool limit above 2.25 [pool-limit-holds-pod]',
        },
      ],
    ],
  ])('refuses %s where the run breaks', (_, edit, issues) => {
    expect(renderIssues(edit)).toEqual(issues);
  });
});
