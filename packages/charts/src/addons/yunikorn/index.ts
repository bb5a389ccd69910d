import { YUNIKORN_CHART, YUNIKORN_IMAGES } from '@emr-eks-gitops/core';
import { HELM_RELEASE_NEEDS_ENGINE, imageReference, type AddonModule } from '../module.js';
import { YunikornAddonSchema, type YunikornAddonConfig } from './schema.js';
import type { DeepReadonly } from '../../config/resolve.js';
import { YUNIKORN_RULES } from './rules.js';
import { YUNIKORN_FOLDER, YunikornChart, guaranteedCapacityIssues } from './chart.js';

/** Apache YuniKorn: a queue per tenant that has one, gang scheduling, queued instead of failed jobs. */
export const yunikornAddon: AddonModule<'yunikorn', typeof YunikornAddonSchema, DeepReadonly<YunikornAddonConfig>, Record<never, never>> = {
  key: 'yunikorn',
  schema: YunikornAddonSchema,
  delivery: { kind: 'helm-release', needsEngine: HELM_RELEASE_NEEDS_ENGINE, rule: 'yunikorn-addon' },
  // Nothing to default: the section is read as written.
  defaults: {},
  resolve: (addon) => addon,
  rules: YUNIKORN_RULES,
  charts: ({ app, config, classes, issues, helmDelivery }) => {
    if (!helmDelivery) return [];
    // Guarantees the pools can never honour are refused before the queues are written.
    const capacityIssues = guaranteedCapacityIssues(config, classes);
    issues.push(...capacityIssues);
    return capacityIssues.length === 0 ? [new YunikornChart(app, config, helmDelivery)] : [];
  },
  readme: (config) => ({
    rows: config.delivery ? [{
      name: 'Apache YuniKorn',
      chart: `\`${YUNIKORN_CHART.name}\` ${YUNIKORN_CHART.version} from ${YUNIKORN_CHART.url}`,
      namespace: YUNIKORN_CHART.namespace,
      folder: YUNIKORN_FOLDER,
      reach: `\`kubectl port-forward -n ${YUNIKORN_CHART.namespace} svc/yunikorn-service 9889\`, then http://localhost:9889 (queues and applications); see Fair sharing`,
    }] : [],
  }),
  images: (config) => (config.delivery ? [YUNIKORN_IMAGES.admission, YUNIKORN_IMAGES.scheduler, YUNIKORN_IMAGES.web].map(imageReference) : []),
};
