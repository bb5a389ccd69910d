import { NVIDIA_DEVICE_PLUGIN_CHART, NVIDIA_DEVICE_PLUGIN_IMAGE } from '@emr-eks-gitops/core';
import { HELM_RELEASE_NEEDS_ENGINE, imageReference, type AddonModule } from '../module.js';
import { NvidiaDevicePluginAddonSchema, type NvidiaDevicePluginAddonConfig } from './schema.js';
import type { DeepReadonly } from '../../config/resolve.js';
import { NVIDIA_DEVICE_PLUGIN_RULES } from './rules.js';
import { NVIDIA_DEVICE_PLUGIN_FOLDER, NvidiaDevicePluginChart } from './chart.js';

/** NVIDIA's device plugin on the GPU capacity classes' nodes (self-managed Karpenter only). */
export const nvidiaDevicePluginAddon: AddonModule<'nvidiaDevicePlugin', typeof NvidiaDevicePluginAddonSchema, DeepReadonly<NvidiaDevicePluginAddonConfig>, Record<never, never>> = {
  key: 'nvidiaDevicePlugin',
  schema: NvidiaDevicePluginAddonSchema,
  delivery: { kind: 'helm-release', needsEngine: HELM_RELEASE_NEEDS_ENGINE, rule: 'addon-delivery' },
  // Nothing to default: the section is read as written.
  defaults: {},
  resolve: (addon) => addon,
  rules: NVIDIA_DEVICE_PLUGIN_RULES,
  charts: ({ app, config, classes, helmDelivery }, addon) =>
    (helmDelivery ? [new NvidiaDevicePluginChart(app, config, addon, classes, helmDelivery)] : []),
  readme: (config) => ({
    rows: config.delivery ? [{
      name: 'NVIDIA device plugin',
      chart: `\`${NVIDIA_DEVICE_PLUGIN_CHART.name}\` ${NVIDIA_DEVICE_PLUGIN_CHART.version} from ${NVIDIA_DEVICE_PLUGIN_CHART.url}`,
      namespace: NVIDIA_DEVICE_PLUGIN_CHART.namespace,
      folder: NVIDIA_DEVICE_PLUGIN_FOLDER,
      reach: 'no UI: runs on the GPU classes\' nodes only (see Capacity classes); each such node advertises `nvidia.com/gpu` (`kubectl describe node`)',
    }] : [],
  }),
  images: (config) => (config.delivery ? [imageReference(NVIDIA_DEVICE_PLUGIN_IMAGE)] : []),
};
