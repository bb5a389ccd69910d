import { PROMETHEUS_IMAGES } from '@emr-eks-gitops/core';
import { imageReference, type AddonModule } from '../module.js';
import { PrometheusSchema } from './schema.js';
import { PROMETHEUS_ADDON_DEFAULTS, resolvePrometheus, type ResolvedPrometheus } from './resolve.js';
import { PROMETHEUS_README_TEMPLATES, PrometheusChart } from './chart.js';

/** Prometheus: this project's server (mode server) or PodMonitors for a running operator, with dashboards and alerts. */
export const prometheusAddon: AddonModule<
  'prometheus',
  typeof PrometheusSchema,
  ResolvedPrometheus,
  typeof PROMETHEUS_ADDON_DEFAULTS
> = {
  key: 'prometheus',
  schema: PrometheusSchema,
  // Without a delivery engine the server's values are an artifact for `helm install -f`.
  delivery: { kind: 'helm-release-or-values' },
  defaults: PROMETHEUS_ADDON_DEFAULTS,
  resolve: resolvePrometheus,
  charts: ({ app, config, helmDelivery }, prometheus) => [new PrometheusChart(app, config, prometheus, helmDelivery)],
  readme: { templates: Object.values(PROMETHEUS_README_TEMPLATES) },
  // Pinned in the server's values; in mode operator the operator's own Prometheus runs.
  images: (_config, prometheus) =>
    prometheus.mode === 'server'
      ? [PROMETHEUS_IMAGES.configReloader, PROMETHEUS_IMAGES.server].map(imageReference)
      : [],
};
