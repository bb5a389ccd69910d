import { KARPENTER_CHART, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../../config/schema.js';
import type { AddonModule, AddonReadme } from '../module.js';
import { KarpenterAddonSchema, type KarpenterAddonConfig } from './schema.js';
import { KARPENTER_CONTROLLER_FOLDER, KarpenterControllerChart } from './chart.js';

/** Karpenter's controller as a Helm release of its own layer, between its CRDs and the platform's NodePools. */
export const karpenterAddon: AddonModule<'karpenter', typeof KarpenterAddonSchema> = {
  key: 'karpenter',
  schema: KarpenterAddonSchema,
  delivery: {
    kind: 'helm-release',
    needsEngine: 'a Helm release needs a delivery: section (Flux or Argo CD installs it); add one, or install the controller with the cluster (leave addons.karpenter out: its values are then rendered to artifacts/platform/karpenter/controller-values.yaml)',
  },
  // The back end's rule (none on EKS Auto Mode) is the capacity's: capacity-backend-semantics.ts.
  rules: () => [],
  charts: ({ app, config, helmDelivery }, addon) => (helmDelivery ? [new KarpenterControllerChart(app, config, addon, helmDelivery)] : []),
  readme: karpenterReadme,
  // The chart names its controller image by digest in its own values; the release sets none.
  images: () => [],
};

function karpenterReadme(config: EnvironmentConfig, addon: KarpenterAddonConfig): AddonReadme {
  if (!config.delivery) return { rows: [] };
  const namespace = addon.namespace ?? 'kube-system';
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
      replicas: addon.replicas ?? 2,
      application: `${PROJECT_NAME}-${config.name}-addon-karpenter`,
      nodeGroups: (config.capacity.controller?.managedNodeGroups ?? []).map((group) => `\`${group}\``).join(', '),
    },
  };
}
