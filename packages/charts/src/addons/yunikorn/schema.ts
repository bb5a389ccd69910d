import type { Static } from '@sinclair/typebox';
import { strictObject } from '../../config/schema-types.js';
import type { DeepReadonly } from '../../config/resolve.js';

/** addons.yunikorn: the scheduler itself; each tenant opts in with its own `queue`. */
export const YunikornAddonSchema = strictObject(
  {},
  "Apache YuniKorn (chart yunikorn from https://apache.github.io/yunikorn-release, pinned) in namespace yunikorn, off the Spark pools: a queue per tenant with a `queue` section (root.tenants.<namespace>, max = the tenant's quota), gang scheduling of each job's driver and minimum executors, and the admission controller processing only those tenants' namespaces. Needs a delivery section; not on Fargate tenants",
);

export type YunikornAddonConfig = Static<typeof YunikornAddonSchema>;

declare module '../../config/schema.js' {
  /** addons.yunikorn: the type of this add-on's section (its schema above is the list's, addons/index.ts). */
  interface AddonsConfig {
    yunikorn?: YunikornAddonConfig;
  }
}

declare module '../../config/resolve.js' {
  /** addons.yunikorn as written: it has no defaults to apply. */
  interface ResolvedAddons {
    yunikorn?: DeepReadonly<YunikornAddonConfig>;
  }
}
