import type { Static } from '@sinclair/typebox';
import { environmentSchema, type AddonsConfig } from '../config/schema.js';
import type { ResolvedAddons } from '../config/resolve.js';
import { type ADDON_MODULES, AddonsSchema } from '../addons/index.js';

// The whole environment file's schema: the config layer's sections with the add-on list's `addons:` section.

export const EnvironmentSchema = environmentSchema(AddonsSchema);

// The add-ons' `declare module` types (config's AddonsConfig and ResolvedAddons) and the list describe one section.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type ResolvedByTheList = {
  [Module in (typeof ADDON_MODULES)[number] as Module['key']]?: ReturnType<Module['resolve']>;
};
const addonTypesMatchTheList: [
  Same<AddonsConfig, Static<typeof AddonsSchema>>,
  Same<ResolvedAddons, ResolvedByTheList>,
] = [true, true];
void addonTypesMatchTheList;

/** The JSON Schema for editors, as written to environments/schema.json (stable key order, trailing newline). */
export function environmentSchemaJson(): string {
  // An environment file may hold no tenants of its own: tenant files place theirs (the loader checks the composition).
  const required = EnvironmentSchema.required?.filter((key) => key !== 'tenants');
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...EnvironmentSchema, required }, null, 2)}\n`;
}
