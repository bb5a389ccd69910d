// Writes the README's rule tables from the RULES catalog (between `<!-- rules:<topic> -->` markers).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRuleTables } from '../packages/core/dist/index.js';

const target = new URL('../README.md', import.meta.url);
const current = readFileSync(target, 'utf8');
const next = withRuleTables(current);
if (next !== current) writeFileSync(target, next);
