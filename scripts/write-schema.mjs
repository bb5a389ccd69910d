// Writes environments/schema.json and environments/tenants/schema.json from the TypeBox schema that is also the
// config's TypeScript type.
import { writeFileSync, readFileSync } from 'node:fs';
import { environmentSchemaJson, tenantFileSchemaJson } from '../packages/charts/dist/index.js';

for (const [file, next] of [
  ['../environments/schema.json', environmentSchemaJson()],
  ['../environments/tenants/schema.json', tenantFileSchemaJson()],
]) {
  const target = new URL(file, import.meta.url);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    /* first build */
  }
  if (current !== next) writeFileSync(target, next);
}
