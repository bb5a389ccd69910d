import { HELM_RELEASE_NEEDS_ENGINE, type AddonModule } from '../module.js';
import { JupyterHubSchema } from './schema.js';
import { JUPYTERHUB_ADDON_DEFAULTS, resolveJupyterHub, type ResolvedJupyterHub } from './resolve.js';
import { JUPYTERHUB_RULES } from './rules.js';
import { JUPYTERHUB_README_TEMPLATES, jupyterHubCharts } from './chart.js';

/** JupyterHub: notebook servers in the tenants' namespaces, each the Spark driver of its sessions. */
export const jupyterHubAddon: AddonModule<
  'jupyterhub',
  typeof JupyterHubSchema,
  ResolvedJupyterHub,
  typeof JUPYTERHUB_ADDON_DEFAULTS
> = {
  key: 'jupyterhub',
  schema: JupyterHubSchema,
  delivery: { kind: 'helm-release', needsEngine: HELM_RELEASE_NEEDS_ENGINE, rule: 'addon-delivery' },
  defaults: JUPYTERHUB_ADDON_DEFAULTS,
  resolve: resolveJupyterHub,
  rules: JUPYTERHUB_RULES,
  // No delivery engine, no release (the config refuses the add-on without one).
  charts: (context, hub) => (context.helmDelivery ? jupyterHubCharts(context, hub, context.helmDelivery) : []),
  readme: { templates: Object.values(JUPYTERHUB_README_TEMPLATES) },
  // The notebook image, which the sessions' executors run too; the hub's own images are the chart's defaults.
  images: (_config, hub) => [`${hub.image.name}:${hub.image.tag}`],
};
