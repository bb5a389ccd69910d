import type { EnvironmentFile } from '../../config/schema.js';
import type { ConfigRules, Locate, Problem } from '../../config/problems.js';
import { isObject } from '../module.js';

/**
 * The plugin where it can do something: not on EKS Auto Mode (which runs its own plugin on its GPU nodes), and only
 * with a GPU capacity class (it runs on their nodes only). That GPU classes need the plugin is a capacity rule
 * (gpu-semantics.ts).
 */
export function nvidiaDevicePluginProblems(file: Partial<EnvironmentFile> | null, at: Locate): Problem[] {
  const capacity = isObject(file?.capacity) ? file.capacity : undefined;
  if (!isObject(file?.addons) || file.addons.nvidiaDevicePlugin === undefined) return [];
  const classes: unknown[] = Array.isArray(capacity?.classes) ? capacity.classes : [];
  const gpuClasses = classes.filter((spec) => isObject(spec) && isObject(spec.gpu) && typeof spec.name === 'string');
  if (capacity?.backend === 'auto-mode') {
    return [
      at(
        'auto-mode-no-device-plugin',
        ['addons', 'nvidiaDevicePlugin'],
        'EKS Auto Mode installs and runs the NVIDIA device plugin on its GPU nodes itself: a second plugin would register the same devices twice; remove addons.nvidiaDevicePlugin',
      ),
    ];
  }
  if (capacity && gpuClasses.length === 0) {
    return [
      at(
        'gpu-device-plugin-unused',
        ['addons', 'nvidiaDevicePlugin'],
        'no capacity class has gpu: the plugin runs only on the nodes of GPU classes and would run nowhere; remove it, or add a class with gpu (e.g. categories [g], gpu: {perExecutor: 1})',
      ),
    ];
  }
  return [];
}

/** The add-on's config rules, run by semanticProblems (its need of a delivery engine is the list's: addons/index.ts). */
export const NVIDIA_DEVICE_PLUGIN_RULES: ConfigRules = {
  topic: 'NVIDIA device plugin',
  rules: ['auto-mode-no-device-plugin', 'gpu-device-plugin-unused'],
  check: ({ file }, at) => nvidiaDevicePluginProblems(file, at),
};
