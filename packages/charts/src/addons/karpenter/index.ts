import { KARPENTER_CHART, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../../config/resolve.js';
import type { AddonModule, AddonReadme } from '../module.js';
import { KarpenterAddonSchema } from './schema.js';
import { KARPENTER_ADDON_DEFAULTS, resolveKarpenterAddon, type ResolvedKarpenterAddon } from './resolve.js';
import { KARPENTER_CONTROLLER_FOLDER, KarpenterControllerChart } from './chart.js';

/** Karpenter's controller as a Helm release of its own layer, between its CRDs and the platform's NodePools. */
export const karpenterAddon: AddonModule<'karpenter', typeof KarpenterAddonSchema, ResolvedKarpenterAddon, typeof KARPENTER_ADDON_DEFAULTS> = {
  key: 'karpenter',
  schema: KarpenterAddonSchema,
  delivery: {
    kind: 'helm-release',
    needsEngine: 'a Helm release needs a delivery: section (Flux or Argo CD installs it); add one, or install the controller with the cluster (leave addons.karpenter out: its values are then rendered to artifacts/platform/karpenter/controller-values.yaml)',
    rule: 'addon-delivery',
  },
  defaults: KARPENTER_ADDON_DEFAULTS,
  resolve: resolveKarpenterAddon,
  // No rules of its own: the back end's (none on EKS Auto Mode) is the capacity's, capacity-backend-semantics.ts.
  // Auto Mode runs its own Karpenter: the config rules refuse addons.karpenter there.
  charts: ({ app, config, helmDelivery }, addon) => (helmDelivery && config.capacity.backend === 'karpenter'
    ? [new KarpenterControllerChart(app, config, config.capacity, addon, helmDelivery)] : []),
  readme: karpenterReadme,
  // The chart names its controller image by digest in its own values; the release sets none.
  images: () => [],
};

function karpenterReadme(config: ResolvedEnvironment, addon: ResolvedKarpenterAddon): AddonReadme {
  if (!config.delivery) return { rows: [] };
  const { namespace } = addon;
  return {
    rows: [{
      name: 'Karpenter controller',
      chart: `\`${KARPENTER_CHART.url}\` ${KARPENTER_CHART.version}`,
      namespace,
      folder: KARPENTER_CONTROLLER_FOLDER,
      reach: `no UI: \`kubectl logs -n ${namespace} deploy/karpenter\`; metrics on port 8080 of \`svc/karpenter\``,
    }],
    details: {
      namespace,
      replicas: addon.replicas,
      application: `${PROJECT_NAME}-${config.name}-addon-karpenter`,
      nodeGroups: config.capacity.backend === 'karpenter' ? (config.capacity.controller.managedNodeGroups ?? []).map((group) => `\`${group}\``).join(', ') : '',
    },
  };
}
