import { NVIDIA_DEVICE_PLUGIN_IMAGE } from '@emr-eks-gitops/core';
import { HELM_RELEASE_NEEDS_ENGINE, imageReference, type AddonModule } from '../module.js';
import { NvidiaDevicePluginAddonSchema, type NvidiaDevicePluginAddonConfig } from './schema.js';
import type { DeepReadonly } from '../../config/resolve.js';
import { NVIDIA_DEVICE_PLUGIN_RULES } from './rules.js';
import { NvidiaDevicePluginChart } from './chart.js';

/** NVIDIA's device plugin on the GPU capacity classes' nodes (self-managed Karpenter only). */
export const nvidiaDevicePluginAddon: AddonModule<
  'nvidiaDevicePlugin',
  typeof NvidiaDevicePluginAddonSchema,
  DeepReadonly<NvidiaDevicePluginAddonConfig>,
  Record<never, never>
> = {
  key: 'nvidiaDevicePlugin',
  schema: NvidiaDevicePluginAddonSchema,
  delivery: { kind: 'helm-release', needsEngine: HELM_RELEASE_NEEDS_ENGINE, rule: 'addon-delivery' },
  // Nothing to default: the section is read as written.
  defaults: {},
  resolve: (addon) => addon,
  rules: NVIDIA_DEVICE_PLUGIN_RULES,
  charts: ({ app, config, classes, helmDelivery }, addon) =>
    helmDelivery ? [new NvidiaDevicePluginChart(app, config, addon, classes, helmDelivery)] : [],
  // Table rows only (its chart's summary): no text of its own.
  readme: { templates: [] },
  images: (config) => (config.delivery ? [imageReference(NVIDIA_DEVICE_PLUGIN_IMAGE)] : []),
};
