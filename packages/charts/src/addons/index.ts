import { Type, type TOptional } from '@sinclair/typebox';
import { strictObject } from '../config/schema-types.js';
import type { AddonsConfig } from '../config/schema.js';
import type { ResolvedAddons, ResolvedEnvironment } from '../config/resolve.js';
import type { ConfigRules } from '../config/problems.js';
import type { ManifestChart } from '../charts/manifest-chart.js';
import { collectIssues } from '../config/render-error.js';
import type { AddonSummary } from '../charts/summaries.js';
import { isObject, type AddonBuildContext, type AddonModule } from './module.js';
import { karpenterAddon } from './karpenter/index.js';
import { jupyterHubAddon } from './jupyterhub/index.js';
import { prometheusAddon } from './prometheus/index.js';
import { historyServerAddon } from './history-server/index.js';
import { nvidiaDevicePluginAddon } from './nvidia-device-plugin/index.js';
import { yunikornAddon } from './yunikorn/index.js';

/**
 * Every add-on, in the order the environment schema lists them (editors, environments/schema.json, the "allowed
 * fields" of an unknown key). The schema, the config rules, render, the README's add-on table and `emr-gitops images`
 * all iterate this list: a new add-on is a folder with its module, and one line here.
 */
export const ADDON_MODULES = [
  karpenterAddon,
  jupyterHubAddon,
  prometheusAddon,
  historyServerAddon,
  nvidiaDevicePluginAddon,
  yunikornAddon,
] as const;

export type AddonKey = (typeof ADDON_MODULES)[number]['key'];

/**
 * The order the README's add-on table lists the add-ons in, and the charts are built in (warnings come out in it):
 * the controller first, then what users reach, as the table has always read.
 */
export const ADDON_TABLE_ORDER: readonly AddonKey[] = [
  'karpenter',
  'prometheus',
  'jupyterhub',
  'historyServer',
  'nvidiaDevicePlugin',
  'yunikorn',
];

type AddonsProperties = { [Module in (typeof ADDON_MODULES)[number] as Module['key']]: TOptional<Module['schema']> };

export const AddonsSchema = strictObject(
  Object.fromEntries(ADDON_MODULES.map((module) => [module.key, Type.Optional(module.schema)])) as AddonsProperties,
  "Platform add-ons, each off unless its section is present; rendered into dist-manifests/<env>/addons/<name>/ (Karpenter's controller into karpenter/, a layer of its own between the CRDs and the platform)",
);

const modules: readonly AddonModule[] = ADDON_MODULES;
const inTableOrder = [...modules].sort(
  (a, b) => ADDON_TABLE_ORDER.indexOf(a.key as AddonKey) - ADDON_TABLE_ORDER.indexOf(b.key as AddonKey),
);
const sectionOf = (addons: unknown, key: string): unknown =>
  isObject(addons) ? (addons as Record<string, unknown>)[key] : undefined;

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void
  ? I
  : never;

/** Every add-on's defaults, read from its schema (part of ENVIRONMENT_DEFAULTS). */
export const ADDON_DEFAULTS = Object.assign(
  {},
  ...ADDON_MODULES.map((module) => module.defaults),
) as UnionToIntersection<(typeof ADDON_MODULES)[number]['defaults']>;

/** The `addons:` section with each add-on's defaults applied, by its module. */
export function resolveAddons(file: AddonsConfig): ResolvedAddons {
  return Object.fromEntries(
    modules.flatMap((module) => {
      const addon = sectionOf(file, module.key);
      return addon === undefined ? [] : [[module.key, module.resolve(addon)]];
    }),
  ) as ResolvedAddons;
}

/**
 * A Helm release without a `delivery:` section is refused at its section: nothing would install it. Each Helm-release
 * add-on says what to do instead (`delivery.needsEngine`) and under which rule.
 */
const ADDON_DELIVERY_RULES: ConfigRules = {
  topic: 'add-on delivery',
  rules: [
    ...new Set(modules.flatMap((module) => (module.delivery.kind === 'helm-release' ? [module.delivery.rule] : []))),
  ],
  check: ({ file }, at) =>
    modules.flatMap((module) =>
      module.delivery.kind === 'helm-release' &&
      sectionOf(file?.addons, module.key) !== undefined &&
      !isObject(file?.delivery)
        ? [at(module.delivery.rule, ['addons', module.key], module.delivery.needsEngine)]
        : [],
    ),
};

/** The add-ons' topics of the rule registry (environment/semantics.ts): each add-on's rules, then the delivery rule. */
export const ADDON_RULES: readonly ConfigRules[] = [
  ...modules.flatMap((module) => (module.rules ? [module.rules] : [])),
  ADDON_DELIVERY_RULES,
];

/** The charts of the add-ons the environment turns on. A builder's refusal is located below its section (addons.<key>.<field>). */
export function addonCharts(context: AddonBuildContext): ManifestChart[] {
  return inTableOrder.flatMap((module) => {
    const addon = sectionOf(context.config.addons, module.key);
    if (addon === undefined) return [];
    // One refused add-on does not hide another's problems.
    return collectIssues(context.issues, ['addons', module.key], () => module.charts(context, addon)) ?? [];
  });
}

/** What the add-ons' charts told the README (render.ts's summaries), by add-on, in the table's order. */
export function addonReadmes(summaries: readonly AddonSummary[]): ReadonlyMap<AddonKey, AddonSummary> {
  const byKey = new Map(summaries.map((summary) => [summary.name, summary]));
  return new Map(
    inTableOrder.flatMap((module) => {
      const summary = byKey.get(module.key);
      return summary === undefined ? [] : [[module.key as AddonKey, summary] as const];
    }),
  );
}

/** The images each add-on that is on names in its rendered objects. */
export function addonImages(
  config: ResolvedEnvironment,
): { readonly key: AddonKey; readonly images: readonly string[] }[] {
  return modules.flatMap((module) => {
    const addon = sectionOf(config.addons, module.key);
    return addon === undefined ? [] : [{ key: module.key as AddonKey, images: module.images(config, addon) }];
  });
}

export {
  HELM_RELEASE_NEEDS_ENGINE,
  type AddonBuildContext,
  type AddonModule,
  type AddonReadme,
  type AddonReadmeRow,
  type AddonTenant,
} from './module.js';
