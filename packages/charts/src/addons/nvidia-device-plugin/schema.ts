import { Type, type Static } from '@sinclair/typebox';
import { strictObject } from '../../config/schema-types.js';
import type { DeepReadonly } from '../../config/resolve.js';

export const NvidiaDevicePluginAddonSchema = strictObject(
  {
    resources: Type.Optional(
      strictObject(
        {
          cpu: Type.String({ pattern: '^[0-9]+m?$', description: 'CPU request, e.g. 50m' }),
          memory: Type.String({
            pattern: '^[0-9]+(Ki|Mi|Gi)$',
            description: 'memory request, e.g. 64Mi (the limit is twice the request)',
          }),
        },
        'requests of the plugin container on each GPU node (default 50m CPU, 64Mi memory; the memory limit is twice the request)',
      ),
    ),
  },
  "NVIDIA's device plugin (chart nvidia-device-plugin from https://nvidia.github.io/k8s-device-plugin, pinned) in kube-system, on the nodes of the GPU capacity classes only (their class label and NVIDIA GPUs), tolerating exactly their taints: without it those nodes never advertise nvidia.com/gpu and GPU executors stay Pending. Needed by every capacity class with gpu on backend karpenter; refused on EKS Auto Mode, which runs its own",
);

export type NvidiaDevicePluginAddonConfig = Static<typeof NvidiaDevicePluginAddonSchema>;

declare module '../../config/schema.js' {
  /** addons.nvidiaDevicePlugin: the type of this add-on's section (its schema above is the list's, addons/index.ts). */
  interface AddonsConfig {
    nvidiaDevicePlugin?: NvidiaDevicePluginAddonConfig;
  }
}

declare module '../../config/resolve.js' {
  /** addons.nvidiaDevicePlugin as written: it has no defaults to apply. */
  interface ResolvedAddons {
    nvidiaDevicePlugin?: DeepReadonly<NvidiaDevicePluginAddonConfig>;
  }
}
