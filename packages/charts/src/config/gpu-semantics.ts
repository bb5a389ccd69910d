import { NVIDIA_GPU_RESOURCE, emrRapidsRelease } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { CapacityClassConfig } from './capacity-schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';
import { tenantCapacityClasses } from './capacity-class-semantics.js';
import { SECTION_DEFAULTS } from './resolve.js';

/**
 * What GPU capacity classes need to run a job end to end. On self-managed Karpenter a GPU node advertises
 * `nvidia.com/gpu` only once NVIDIA's device plugin runs on it: without addons.nvidiaDevicePlugin every GPU executor
 * stays Pending while the pools look right (the plugin's own rules are its add-on's: addons/nvidia-device-plugin/). And
 * a tenant whose jobs get GPU executors needs its release's RAPIDS Accelerator image (emr-<version>-spark-rapids).
 */
export function gpuProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const capacity = isObject(file?.capacity) ? file.capacity : undefined;
  const plugin = isObject(file?.addons) ? file.addons.nvidiaDevicePlugin : undefined;
  const autoMode = capacity?.backend === 'auto-mode';
  const classes = (Array.isArray(capacity?.classes) ? capacity.classes : []) as Partial<CapacityClassConfig>[];
  const gpuClasses = classes.flatMap((spec, index) =>
    isObject(spec) && isObject(spec.gpu) && typeof spec.name === 'string'
      ? [{ spec: spec as Partial<CapacityClassConfig>, index }]
      : [],
  );
  const problems: Problem[] = [];

  if (capacity && !autoMode) {
    for (const { spec, index } of gpuClasses) {
      const resource = spec.gpu?.resource ?? NVIDIA_GPU_RESOURCE;
      if (plugin === undefined) {
        problems.push(
          at(
            'gpu-device-plugin',
            ['capacity', 'classes', index, 'gpu'],
            `the nodes of GPU class ${spec.name} advertise ${resource} only once NVIDIA's device plugin runs on them, and this environment renders none: every executor asking for it would stay Pending; add addons.nvidiaDevicePlugin: {} (the plugin on the GPU classes' nodes), or use capacity.backend auto-mode, which runs it itself`,
          ),
        );
      } else if (resource !== NVIDIA_GPU_RESOURCE) {
        problems.push(
          at(
            'gpu-device-plugin',
            ['capacity', 'classes', index, 'gpu', 'resource'],
            `NVIDIA's device plugin advertises ${NVIDIA_GPU_RESOURCE}, not ${resource}: executors requesting ${resource} would stay Pending; remove resource (default ${NVIDIA_GPU_RESOURCE})`,
          ),
        );
      }
    }
  }

  const gpuNames = new Set<string>(gpuClasses.map(({ spec }) => spec.name!));
  const region = isObject(file?.cluster) && typeof file.cluster.region === 'string' ? file.cluster.region : undefined;
  const partition =
    isObject(file?.cluster) && typeof file.cluster.partition === 'string'
      ? file.cluster.partition
      : SECTION_DEFAULTS.partition;
  tenants.forEach((tenant, index) => {
    if (tenant.retired || tenant.fargate || typeof tenant.releaseLabel !== 'string' || region === undefined) return;
    const chosen = tenantCapacityClasses(tenant);
    const gpu = [...new Set([chosen.executor, ...chosen.offered])].filter((name) => gpuNames.has(name));
    if (gpu.length === 0) return;
    const rapids = emrRapidsRelease(region, tenant.releaseLabel, partition);
    if ('unknown' in rapids) {
      problems.push(
        at(
          'gpu-rapids-release',
          ['tenants', index, 'releaseLabel'],
          `jobs of ${tenant.name} on GPU class ${gpu.join(', ')} need the RAPIDS Accelerator image of their release (the GPU libraries and discovery script), and none can be named: ${rapids.unknown}; use a release such as emr-7.2.0-20240610`,
        ),
      );
    }
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rules of this topic, run by semanticProblems. */
export const GPU_RULES: ConfigRules = {
  topic: 'GPU classes',
  rules: ['gpu-device-plugin', 'gpu-rapids-release'],
  check: ({ file, tenants }, at) => gpuProblems(file, tenants, at),
};
