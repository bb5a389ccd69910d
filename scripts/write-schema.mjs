// Writes environments/schema.json from the TypeBox schema that is also the config's TypeScript type.
import { writeFileSync, readFileSync } from 'node:fs';
import { environmentSchemaJson } from '../packages/charts/dist/index.js';

const target = new URL('../environments/schema.json', import.meta.url);
const next = environmentSchemaJson();
let current = '';
try { current = readFileSync(target, 'utf8'); } catch { /* first build */ }
if (current !== next) writeFileSync(target, next);
