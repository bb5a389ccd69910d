import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  EMR_RAPIDS_RELEASE_DATES,
  NVIDIA_DEVICE_PLUGIN_CHART,
  emrRapidsRelease,
  nvidiaDevicePluginHelmValues,
  nvidiaDevicePluginPoolMisfit,
  placementProblems,
  vendoredHelmValuesUrl,
  type NodeRequirement,
  type NvidiaDevicePluginValues,
  type PoolSchedulingView,
  type Taint,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The edit's value is refused at its own line with exactly `message`. */
const refusedAt = (name: string, edit: (text: string) => string, needle: string, message: string) => {
  const text = edit(environmentText(name));
  expect(text.indexOf(needle), needle).toBeGreaterThanOrEqual(0);
  const line = text.slice(0, text.indexOf(needle)).split('\n').length;
  expect(() => load(name, edit)).toThrow(
    new RegExp(`^environments/${name}\\.yaml:${line}:\\d+: ${escapeRegExp(message)}$`, 'm'),
  );
};

const poolsOf = (result: RenderResult): PoolSchedulingView[] =>
  result.objects
    .filter((o) => o.object.kind === 'NodePool')
    .map(({ object }) => {
      const template = (object as any).spec.template;
      return {
        name: object.metadata.name,
        labels: template.metadata.labels,
        taints: (template.spec.taints ?? []) as Taint[],
        requirements: template.spec.requirements as NodeRequirement[],
      };
    });
const fileOf = (result: RenderResult, path: string) => result.objects.find((o) => o.path === path)?.object as any;
const withoutPlugin = (text: string) => text.replace(/^ {2}nvidiaDevicePlugin: \{\}.*\n/m, '');

describe('GPU jobs (prod): the device plugin, the GPU pools and the RAPIDS job documents agree', () => {
  const prod = renderEnvironment(load('prod'));
  const pools = poolsOf(prod);
  const release = fileOf(prod, 'addons/nvidia-device-plugin/helmrelease-nvidia-device-plugin.yaml');
  const values = release.spec.values as NvidiaDevicePluginValues;

  it("renders the pinned chart from NVIDIA's Helm repository into kube-system with Flux", () => {
    expect(release.spec.chart.spec).toMatchObject({
      chart: 'nvidia-device-plugin',
      version: NVIDIA_DEVICE_PLUGIN_CHART.version,
      sourceRef: { kind: 'HelmRepository', name: 'nvidia-device-plugin' },
    });
    expect(release.spec.targetNamespace).toBe('kube-system');
    expect(fileOf(prod, 'addons/nvidia-device-plugin/helmrepository-nvidia-device-plugin.yaml').spec.url).toBe(
      'https://nvidia.github.io/k8s-device-plugin',
    );
    expect(values.image).toEqual({ repository: 'nvcr.io/nvidia/k8s-device-plugin', tag: 'v0.20.0' });
  });

  it("runs the plugin on every GPU pool and on no other pool, tolerating exactly the GPU pools' taints", () => {
    const gpu = pools.filter((pool) =>
      pool.requirements.some((r) => r.key === 'karpenter.k8s.aws/instance-gpu-count' && r.operator === 'Gt'),
    );
    expect(gpu.map((pool) => pool.name)).toEqual(['spark-gpu-executor-on-demand']);
    for (const pool of gpu) expect(nvidiaDevicePluginPoolMisfit(values, pool), pool.name).toBeUndefined();
    for (const pool of pools.filter((p) => !gpu.includes(p)))
      expect(nvidiaDevicePluginPoolMisfit(values, pool), pool.name).toBeDefined();
    // The class's driver pool (CPU types, same class taint) is refused for its lack of GPUs, not only for a taint.
    const driver = pools.find((pool) => pool.name === 'spark-gpu-driver')!;
    expect(nvidiaDevicePluginPoolMisfit({ ...values, tolerations: [{ operator: 'Exists' }] }, driver)).toBe(
      'requires karpenter.k8s.aws/instance-gpu-count Gt [0], which nodes of pool spark-gpu-driver never have',
    );
    expect(values.tolerations).toEqual([
      { key: 'emr-eks-gitops.io/capacity-class', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      { key: 'emr-eks-gitops.io/workload', operator: 'Equal', value: 'spark-executor', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  it("puts the plugin exactly where the GPU variant's executors go", () => {
    const executor = fileOf(prod, 'artifacts/tenants/ml/classes/gpu/pod-templates/executor.yaml');
    const executorPools = pools.filter(
      (pool) =>
        placementProblems({ nodeSelector: executor.spec.nodeSelector, tolerations: executor.spec.tolerations }, pool)
          .length === 0,
    );
    const pluginPools = pools.filter((pool) => nvidiaDevicePluginPoolMisfit(values, pool) === undefined);
    expect(executorPools.map((pool) => pool.name)).toEqual(pluginPools.map((pool) => pool.name));
    expect(executor.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
  });

  it('sets only keys the chart has (it ships no values schema: checked against its vendored defaults)', () => {
    const defaults = parse(readFileSync(vendoredHelmValuesUrl(NVIDIA_DEVICE_PLUGIN_CHART), 'utf8')) as Record<
      string,
      unknown
    >;
    const unknown: string[] = [];
    const walk = (set: Record<string, unknown>, known: Record<string, unknown>, path: string) => {
      for (const [key, value] of Object.entries(set)) {
        if (!(key in known)) {
          unknown.push(`${path}${key}`);
          continue;
        }
        const inner = known[key];
        // Maps the chart fills in (resources: {}) or lists are free-form below.
        if (
          value &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          inner &&
          typeof inner === 'object' &&
          !Array.isArray(inner) &&
          Object.keys(inner).length > 0
        ) {
          walk(value as Record<string, unknown>, inner as Record<string, unknown>, `${path}${key}.`);
        }
      }
    };
    walk(values as unknown as Record<string, unknown>, defaults, '');
    expect(unknown).toEqual([]);
  });

  it("runs GPU jobs on the release's spark-rapids image with the RAPIDS SQL plugin, and CPU jobs as before", () => {
    const gpu = JSON.parse(prod.files.get('artifacts/tenants/ml/classes/gpu/start-job-run.json')!);
    expect(gpu.releaseLabel).toBe('emr-7.2.0-spark-rapids-20240610');
    const overrides = JSON.parse(prod.files.get('artifacts/tenants/ml/classes/gpu/configuration-overrides.json')!);
    expect(overrides).toEqual(gpu.configurationOverrides);
    const properties = overrides.applicationConfiguration[0].properties;
    expect(properties).toMatchObject({
      'spark.kubernetes.container.image':
        '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.2.0-spark-rapids:20240610',
      'spark.plugins': 'com.nvidia.spark.SQLPlugin',
      'spark.executor.resource.gpu.amount': '1',
      'spark.executor.resource.gpu.vendor': 'nvidia.com',
      'spark.task.resource.gpu.amount': '0.25',
    });
    // The spark-rapids image configures its own discovery script; EMR on EC2's path is not set.
    expect(properties['spark.executor.resource.gpu.discoveryScript']).toBeUndefined();
    const own = JSON.parse(prod.files.get('artifacts/tenants/ml/start-job-run.json')!);
    expect(own.releaseLabel).toBe('emr-7.2.0-20240610');
    expect(
      own.configurationOverrides.applicationConfiguration[0].properties['spark.kubernetes.container.image'],
    ).toBeUndefined();
    expect(own.configurationOverrides.applicationConfiguration[0].properties['spark.plugins']).toBeUndefined();
  });

  it('says in the environment README what renders the plugin and which image GPU jobs use', () => {
    const readme = prod.files.get('README.md')!;
    expect(readme).toContain('`addons/nvidia-device-plugin/`');
    expect(readme).toContain(
      '`996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.2.0-spark-rapids:20240610`',
    );
  });
});

describe('GPU jobs delivered by Argo CD', () => {
  it('renders the same plugin values as an Application with the chart as its Helm source', () => {
    const argo = renderEnvironment(
      load('prod', (t) =>
        t
          .replace('  engine: flux\n', '  engine: argocd\n')
          .replace(/^ {4}secretName: emr-eks-gitops-deploy-key.*\n/m, '')
          .replace('  interval: 5m\n', '')
          .replace(
            '  prune: true\n',
            '  prune: true\n  selfHeal: true\n  argocd:\n    namespace: argocd\n    project: default\n',
          ),
      ),
    );
    const flux = renderEnvironment(load('prod'));
    const application = argo.objects.find(
      (o) => o.path === 'addons/nvidia-device-plugin/application-emr-eks-gitops-prod-addon-nvidia-device-plugin.yaml',
    )?.object as any;
    expect(application.spec.source).toMatchObject({
      repoURL: 'https://nvidia.github.io/k8s-device-plugin',
      chart: 'nvidia-device-plugin',
      targetRevision: '0.20.0',
    });
    expect(application.spec.destination.namespace).toBe('kube-system');
    expect(application.spec.source.helm.valuesObject).toEqual(
      fileOf(flux, 'addons/nvidia-device-plugin/helmrelease-nvidia-device-plugin.yaml').spec.values,
    );
  });
});

describe('GPU rules', () => {
  it("refuses a GPU class on self-managed Karpenter without the device plugin, at the class's gpu entry", () => {
    refusedAt(
      'prod',
      withoutPlugin,
      'gpu: { resource: nvidia.com/gpu, perExecutor: 1 }',
      "capacity.classes[2].gpu: the nodes of GPU class gpu advertise nvidia.com/gpu only once NVIDIA's device plugin runs on them, and this environment renders none: every executor asking for it would stay Pending; add addons.nvidiaDevicePlugin: {} (the plugin on the GPU classes' nodes), or use capacity.backend auto-mode, which runs it itself [gpu-device-plugin]",
    );
  });

  it('refuses a GPU resource the NVIDIA plugin does not advertise', () => {
    refusedAt(
      'prod',
      (t) => t.replace('gpu: { resource: nvidia.com/gpu,', 'gpu: { resource: amd.com/gpu,'),
      'gpu: { resource: amd.com/gpu',
      "capacity.classes[2].gpu.resource: NVIDIA's device plugin advertises nvidia.com/gpu, not amd.com/gpu: executors requesting amd.com/gpu would stay Pending; remove resource (default nvidia.com/gpu) [gpu-device-plugin]",
    );
  });

  it('refuses the plugin on EKS Auto Mode, which runs its own', () => {
    refusedAt(
      'sandbox',
      (t) => t.replace(/^addons:.*\n/m, (line) => `${line}  nvidiaDevicePlugin: {}\n`),
      'nvidiaDevicePlugin: {}',
      'addons.nvidiaDevicePlugin: EKS Auto Mode installs and runs the NVIDIA device plugin on its GPU nodes itself: a second plugin would register the same devices twice; remove addons.nvidiaDevicePlugin [auto-mode-no-device-plugin]',
    );
  });

  it('refuses the plugin where no class has GPUs', () => {
    refusedAt(
      'staging',
      (t) => t.replace(/^addons:.*\n/m, (line) => `${line}  nvidiaDevicePlugin: {}\n`),
      'nvidiaDevicePlugin: {}',
      'addons.nvidiaDevicePlugin: no capacity class has gpu: the plugin runs only on the nodes of GPU classes and would run nowhere; remove it, or add a class with gpu (e.g. categories [g], gpu: {perExecutor: 1}) [gpu-device-plugin-unused]',
    );
  });

  it("refuses GPU jobs on a release without a RAPIDS Accelerator image, at the tenant's release label", () => {
    const edit = (t: string) =>
      t.replace(
        'role/emr-prod-ml-job-execution\n    releaseLabel: emr-7.2.0-20240610',
        'role/emr-prod-ml-job-execution\n    releaseLabel: emr-6.8.0-latest',
      );
    refusedAt(
      'prod',
      edit,
      'releaseLabel: emr-6.8.0-latest',
      'tenants[2].releaseLabel: jobs of ml on GPU class gpu need the RAPIDS Accelerator image of their release (the GPU libraries and discovery script), and none can be named: emr-6.8.0-latest has no RAPIDS Accelerator variant known to this tool: EMR on EKS publishes emr-<version>-spark-rapids for 6.9.0 and later, and the releases whose labels are on record are 6.9.0, 6.10.0, 6.11.0, 6.12.0, 6.14.0, 6.15.0, 7.0.0, 7.1.0, 7.2.0, 7.3.0, 7.9.0, 7.11.0, 7.13.0 (add 6.8.0 to EMR_RAPIDS_RELEASE_DATES from its EMR on EKS release page); use a release such as emr-7.2.0-20240610 [gpu-rapids-release]',
    );
  });

  // The 6.12.0 release page lists emr-6.12.0-20240321 but RAPIDS only for 20230701: the date is not the plain label's.
  it("refuses a dated release whose RAPIDS build EMR does not publish, at the tenant's release label", () => {
    const edit = (t: string) =>
      t.replace(
        'role/emr-prod-ml-job-execution\n    releaseLabel: emr-7.2.0-20240610',
        'role/emr-prod-ml-job-execution\n    releaseLabel: emr-6.12.0-20240321',
      );
    refusedAt(
      'prod',
      edit,
      'releaseLabel: emr-6.12.0-20240321',
      'tenants[2].releaseLabel: jobs of ml on GPU class gpu need the RAPIDS Accelerator image of their release (the GPU libraries and discovery script), and none can be named: EMR on EKS publishes no emr-6.12.0-spark-rapids-20240321: the 6.12.0 release page lists RAPIDS builds emr-6.12.0-spark-rapids-20230701 and emr-6.12.0-spark-rapids-latest (the release labels emr-6.12.0-20230701, emr-6.12.0-latest name them); use a release such as emr-7.2.0-20240610 [gpu-rapids-release]',
    );
  });

  it('builds values from code only for GPU pools', () => {
    expect(() => nvidiaDevicePluginHelmValues({ gpuPools: [] })).toThrow('gpuPools: is empty');
    const cpu: PoolSchedulingView = {
      name: 'cpu',
      labels: { 'emr-eks-gitops.io/capacity-class': 'x' },
      taints: [],
      requirements: [],
    };
    expect(() => nvidiaDevicePluginHelmValues({ gpuPools: [cpu] })).toThrow(
      'pool cpu does not require GPU instance types',
    );
  });
});

describe('emrRapidsRelease', () => {
  it("names the spark-rapids variant of a release in the region's registry", () => {
    expect(emrRapidsRelease('ap-northeast-2', 'emr-7.2.0-20240610')).toEqual({
      releaseLabel: 'emr-7.2.0-spark-rapids-20240610',
      image: '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.2.0-spark-rapids:20240610',
    });
    expect(emrRapidsRelease('us-west-2', 'emr-6.9.0-latest')).toEqual({
      releaseLabel: 'emr-6.9.0-spark-rapids-latest',
      image: '895885662937.dkr.ecr.us-west-2.amazonaws.com/spark/emr-6.9.0-spark-rapids:latest',
    });
  });

  it('never guesses', () => {
    expect(emrRapidsRelease('us-west-2', 'emr-6.8.0-latest')).toEqual({
      unknown: expect.stringContaining('6.9.0 and later'),
    });
    expect(emrRapidsRelease('us-west-2', 'emr-6.11.0-java17-latest')).toEqual({
      unknown: expect.stringContaining('plain releases'),
    });
    expect(emrRapidsRelease('me-central-1', 'emr-7.2.0-latest')).toEqual({
      unknown: expect.stringContaining('region me-central-1'),
    });
    // A refresh without a RAPIDS build (6.9.0's page: 20230905 plain only), and a release not on record (7.5.0).
    expect(emrRapidsRelease('us-west-2', 'emr-6.9.0-20230905')).toEqual({
      unknown: expect.stringContaining('publishes no emr-6.9.0-spark-rapids-20230905'),
    });
    expect(emrRapidsRelease('us-west-2', 'emr-7.5.0-latest')).toEqual({
      unknown: expect.stringContaining('add 7.5.0 to EMR_RAPIDS_RELEASE_DATES'),
    });
  });

  it('names every dated RAPIDS build on record, and -latest of every release on record', () => {
    for (const [version, dates] of Object.entries(EMR_RAPIDS_RELEASE_DATES)) {
      for (const tag of [...dates, 'latest']) {
        expect(emrRapidsRelease('us-west-2', `emr-${version}-${tag}`), `${version} ${tag}`).toMatchObject({
          releaseLabel: `emr-${version}-spark-rapids-${tag}`,
        });
      }
    }
  });
});
