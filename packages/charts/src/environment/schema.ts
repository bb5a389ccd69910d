import type { Static } from '@sinclair/typebox';
import { environmentSchema, type AddonsConfig } from '../config/schema.js';
import { AddonsSchema } from '../addons/index.js';

// The whole environment file's schema: the config layer's sections with the add-on list's `addons:` section.

export const EnvironmentSchema = environmentSchema(AddonsSchema);

// The add-ons' `declare module` types (config/schema.ts's AddonsConfig) and the list's schema describe one section.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const addonTypesMatchTheList: Same<AddonsConfig, Static<typeof AddonsSchema>> = true;
void addonTypesMatchTheList;

/** The JSON Schema for editors, as written to environments/schema.json (stable key order, trailing newline). */
export function environmentSchemaJson(): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...EnvironmentSchema }, null, 2)}\n`;
}
