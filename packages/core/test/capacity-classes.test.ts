import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  CAPACITY_CLASS_LABEL,
  Ec2NodeClass,
  SparkCapacity,
  SparkPodTemplates,
  effectiveInstanceSelection,
  emptySelectionProblem,
  gpuSelectionProblem,
  instanceSelectionRequirements,
  placementProblems,
  type SparkCapacityProps,
} from '../src/index.js';
import { configurationErrorOf, synthByName, validationFindings } from './helpers.js';

/** The default pools and one named class beside them, in one chart, as an environment renders them. */
function withClass(props: Partial<SparkCapacityProps>, nvme = false) {
  const chart = Testing.chart();
  const base = { clusterName: 'dev', amiAlias: 'al2023@v20250101', role: 'KarpenterNodeRole-dev' };
  const driverNodeClass = new Ec2NodeClass(chart, 'Spark', { ...base, name: 'spark' });
  const nvmeExecutorNodeClass = nvme
    ? new Ec2NodeClass(chart, 'Nvme', { ...base, name: 'spark-nvme', instanceStorePolicy: 'RAID0' })
    : undefined;
  const defaults = new SparkCapacity(chart, 'Default', { driverNodeClass });
  const named = new SparkCapacity(chart, 'Class', {
    driverNodeClass,
    nvmeExecutorNodeClass,
    capacityClass: 'c1',
    poolNamePrefix: 'spark-c1',
    ...props,
  });
  return { chart, defaults, named, pools: [...defaults.pools, ...named.pools] };
}
const fits = (placement: Parameters<typeof placementProblems>[0], pools: SparkCapacity['pools']) =>
  pools.filter((pool) => placementProblems(placement, pool).length === 0).map((pool) => pool.name);

describe('SparkCapacity as a capacity class', () => {
  it('keeps default pods off the class and class pods off the default pools', () => {
    const { defaults, named, pools } = withClass({
      instanceRequirements: instanceSelectionRequirements({ arch: 'arm64', categories: ['c', 'm'], minGeneration: 7 }),
    });
    expect(fits(defaults.driverPlacement, pools)).toEqual(['spark-driver']);
    expect(fits(defaults.executorPlacement, pools)).toEqual(['spark-executor-spot', 'spark-executor-on-demand']);
    expect(fits(named.driverPlacement, pools)).toEqual(['spark-c1-driver']);
    expect(fits(named.executorPlacement, pools)).toEqual(['spark-c1-executor-spot', 'spark-c1-executor-on-demand']);
    expect(named.driverPlacement.nodeSelector).toEqual({
      'emr-eks-gitops.io/workload': 'spark-driver',
      [CAPACITY_CLASS_LABEL]: 'c1',
      'karpenter.sh/capacity-type': 'on-demand',
    });
    expect(named.driverPool.requirements).toContainEqual({
      key: 'karpenter.k8s.aws/instance-gpu-count',
      operator: 'DoesNotExist',
    });
    expect(defaults.driverPool.requirements.some((r) => r.key === 'karpenter.k8s.aws/instance-gpu-count')).toBe(false);
  });

  it('renders on-demand-only NVMe GPU executors that tolerate the GPU taint and request the device; drivers stay on CPU types', () => {
    const { named, pools, chart } = withClass(
      {
        executorCapacity: 'on-demand',
        ebsExecutors: false,
        gpu: { perExecutor: 2 },
        instanceRequirements: instanceSelectionRequirements({ categories: ['g', 'p'], minGeneration: 4 }),
        driverInstanceRequirements: instanceSelectionRequirements({}),
      },
      true,
    );
    expect(named.executorSpotPool).toBeUndefined();
    expect(named.pools.map((p) => p.name)).toEqual(['spark-c1-driver', 'spark-c1-executor-nvme-on-demand']);
    expect(named.executorPlacement).toBe(named.nvmeExecutorPlacement);
    expect(named.executorPlacement.capacityTypes).toEqual(['on-demand']);
    expect(named.executorPlacement.extendedResources).toEqual({ 'nvidia.com/gpu': 2 });
    expect(named.executorPlacement.tolerations.map((t) => t.key)).toEqual([
      'emr-eks-gitops.io/workload',
      CAPACITY_CLASS_LABEL,
      'nvidia.com/gpu',
    ]);
    expect(named.driverPlacement.tolerations.map((t) => t.key)).toEqual([
      'emr-eks-gitops.io/workload',
      CAPACITY_CLASS_LABEL,
    ]);
    expect(fits(named.executorPlacement, pools)).toEqual(['spark-c1-executor-nvme-on-demand']);

    const templates = new SparkPodTemplates({
      placements: named,
      localDisk: { kind: 'instance-store' },
      singleZone: true,
    });
    expect(templates.executor.spec?.containers[0]?.resources).toEqual({ limits: { 'nvidia.com/gpu': 2 } });
    expect(templates.driver.spec?.containers[0]?.resources).toBeUndefined();
    expect(
      templates.executor.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]
        ?.matchLabelKeys,
    ).toEqual(['spark-app-selector']);
    expect(templates.driver.spec?.affinity).toBeUndefined();
    // Pools and templates together pass the schemas (1.31: matchLabelKeys) and the placement rules, with no spot warning.
    expect(validationFindings([...Object.values(synthByName(chart)), templates.driver, templates.executor])).toEqual(
      [],
    );

    // A hand-edited executor template that reaches the GPU pool without requesting a device is refused.
    const idle = {
      ...templates.executor,
      spec: {
        ...templates.executor.spec!,
        containers: templates.executor.spec!.containers.map(({ resources: _, ...c }) => c),
      },
    };
    expect(validationFindings([...Object.values(synthByName(chart)), idle])).toEqual([
      'test pod-template.yaml Pod/(unnamed) spec: [gpu-pool-device-request] can land on GPU instance types of NodePool spark-c1-executor-nvme-on-demand but no container requests a GPU: it holds a GPU node without using its devices — add resources.limits of the device (e.g. nvidia.com/gpu: 1) to the Spark container, or keep the pod off GPU pools (their taint untolerated)',
    ]);
  });

  it('refuses settings that leave no executor pool or ask for fractional devices', () => {
    expect(configurationErrorOf(() => withClass({ ebsExecutors: false })).message).toContain(
      'ebsExecutors: false leaves no executor pool',
    );
    expect(configurationErrorOf(() => withClass({ gpu: { perExecutor: 0.5 } })).message).toContain(
      'gpu.perExecutor: 0.5 must be a whole number of devices',
    );
  });
});

describe('instance selections', () => {
  it("write the default pools' requirements by default and families instead of categories", () => {
    expect(instanceSelectionRequirements({})).toEqual([
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
    ]);
    expect(instanceSelectionRequirements({ arch: 'arm64', families: ['r7g'], sizes: ['4xlarge'] })).toEqual([
      { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['r7g'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['4xlarge'] },
    ]);
  });

  it('state their defaults in one place: what the requirements select and what a summary of the class shows', () => {
    expect(effectiveInstanceSelection({})).toEqual({ arch: 'amd64', categories: ['c', 'm', 'r'], minGeneration: 6 });
    // Naming families drops the categories and the lowest generation unless one is given.
    expect(effectiveInstanceSelection({ families: ['r7g'], arch: 'arm64' })).toEqual({
      arch: 'arm64',
      families: ['r7g'],
      minGeneration: undefined,
      sizes: undefined,
    });
    expect(effectiveInstanceSelection({ families: ['r7g'], minGeneration: 7 }).minGeneration).toBe(7);
  });

  it('say when a selection launches nothing or holds no GPU executor, and stay silent on types the catalog does not know', () => {
    expect(emptySelectionProblem({ arch: 'arm64', families: ['m7i'] })).toMatch(
      /^selects no instance type: its families or categories are amd64 of generation 7/,
    );
    expect(emptySelectionProblem({ arch: 'arm64', families: ['m7g'] })).toBeUndefined();
    expect(emptySelectionProblem({ families: ['zz9'] })).toBeUndefined();
    expect(gpuSelectionProblem(instanceSelectionRequirements({ categories: ['m'] }), 1)).toMatch(
      /^selects only instance types without GPUs/,
    );
    expect(
      gpuSelectionProblem(instanceSelectionRequirements({ categories: ['g'], minGeneration: 5 }), 4),
    ).toBeUndefined();
    expect(
      gpuSelectionProblem(instanceSelectionRequirements({ categories: ['g'], minGeneration: 5, sizes: ['xlarge'] }), 2),
    ).toMatch(/^asks 2 GPUs per executor, but the largest selected type has 1/);
  });
});
