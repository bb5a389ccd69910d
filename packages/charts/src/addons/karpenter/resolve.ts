import { schemaDefault } from '../../config/resolve.js';
import { KarpenterAddonSchema, type KarpenterAddonConfig } from './schema.js';

/** The section's defaults, read from its schema. */
export const KARPENTER_ADDON_DEFAULTS = {
  karpenterNamespace: schemaDefault(KarpenterAddonSchema.properties.namespace),
  karpenterReplicas: schemaDefault(KarpenterAddonSchema.properties.replicas),
};

export interface ResolvedKarpenterAddon {
  readonly namespace: NonNullable<KarpenterAddonConfig['namespace']>;
  readonly replicas: number;
}

export function resolveKarpenterAddon(addon: KarpenterAddonConfig): ResolvedKarpenterAddon {
  return {
    namespace: addon.namespace ?? KARPENTER_ADDON_DEFAULTS.karpenterNamespace,
    replicas: addon.replicas ?? KARPENTER_ADDON_DEFAULTS.karpenterReplicas,
  };
}

declare module '../../config/resolve.js' {
  /** addons.karpenter with its defaults applied. */
  interface ResolvedAddons {
    karpenter?: ResolvedKarpenterAddon;
  }
}
