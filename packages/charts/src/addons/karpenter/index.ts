import type { AddonModule } from '../module.js';
import { KarpenterAddonSchema } from './schema.js';
import { KARPENTER_ADDON_DEFAULTS, resolveKarpenterAddon, type ResolvedKarpenterAddon } from './resolve.js';
import { KARPENTER_README_TEMPLATES, KarpenterControllerChart } from './chart.js';

/** Karpenter's controller as a Helm release of its own layer, between its CRDs and the platform's NodePools. */
export const karpenterAddon: AddonModule<
  'karpenter',
  typeof KarpenterAddonSchema,
  ResolvedKarpenterAddon,
  typeof KARPENTER_ADDON_DEFAULTS
> = {
  key: 'karpenter',
  schema: KarpenterAddonSchema,
  delivery: {
    kind: 'helm-release',
    needsEngine:
      'a Helm release needs a delivery: section (Flux or Argo CD installs it); add one, or install the controller with the cluster (leave addons.karpenter out: its values are then rendered to artifacts/platform/karpenter/controller-values.yaml)',
    rule: 'addon-delivery',
  },
  defaults: KARPENTER_ADDON_DEFAULTS,
  resolve: resolveKarpenterAddon,
  // No rules of its own: the back end's (none on EKS Auto Mode) is the capacity's, capacity-backend-semantics.ts.
  // Auto Mode runs its own Karpenter: the config rules refuse addons.karpenter there.
  charts: ({ app, config, helmDelivery }, addon) =>
    helmDelivery && config.capacity.backend === 'karpenter'
      ? [new KarpenterControllerChart(app, config, config.capacity, addon, helmDelivery)]
      : [],
  readme: { templates: Object.values(KARPENTER_README_TEMPLATES) },
  // The chart names its controller image by digest in its own values; the release sets none.
  images: () => [],
};
