import { YUNIKORN_IMAGES } from '@emr-eks-gitops/core';
import { HELM_RELEASE_NEEDS_ENGINE, imageReference, type AddonModule } from '../module.js';
import { YunikornAddonSchema, type YunikornAddonConfig } from './schema.js';
import type { DeepReadonly } from '../../config/resolve.js';
import { YUNIKORN_RULES } from './rules.js';
import { YUNIKORN_README_TEMPLATES, YunikornChart, guaranteedCapacityIssues } from './chart.js';

/** Apache YuniKorn: a queue per tenant that has one, gang scheduling, queued instead of failed jobs. */
export const yunikornAddon: AddonModule<
  'yunikorn',
  typeof YunikornAddonSchema,
  DeepReadonly<YunikornAddonConfig>,
  Record<never, never>
> = {
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
  readme: { templates: Object.values(YUNIKORN_README_TEMPLATES) },
  images: (config) =>
    config.delivery
      ? [YUNIKORN_IMAGES.admission, YUNIKORN_IMAGES.scheduler, YUNIKORN_IMAGES.web].map(imageReference)
      : [],
};
