import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, RULE_IDS, withRuleTables } from '@emr-eks-gitops/core';
import { REPO_ROOT } from './support/project.js';

/**
 * The README's rule tables are what users filter CI output and look errors up by. They are generated from the RULES
 * catalog (`pnpm docs:rules`), which is where every rule id comes from (an id not in it does not compile): every rule
 * must have a row, no row may name a rule that does not exist, and no catalog entry may be a rule no code reports.
 */

const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const CATALOG = join('packages', 'core', 'src', 'diagnostics', 'rules.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The rows of the README's tables whose header starts with `| rule |`. */
function ruleTableRows(readme: string): string[] {
  const rows: string[] = [];
  let inTable = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('| rule |')) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !line.startsWith('|---')) rows.push(line);
  }
  return rows;
}

describe('the README rule tables', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const rows = ruleTableRows(readme);
  const catalog = new Set<string>(RULE_IDS);

  it('finds the rules in the catalog and the tables in the README', () => {
    // Guards the parsers: a refactor that hides the ids from them must fail here, not pass vacuously.
    expect(catalog.size).toBeGreaterThan(60);
    expect(catalog).toContain('limitrange-cpu-limit');
    expect(catalog).toContain('capacity-class-unknown');
    expect(catalog).toContain('schema');
    expect(rows.length).toBeGreaterThan(30);
  });

  it('are the tables the catalog generates (run pnpm docs:rules after changing RULES)', () => {
    expect(readme).toContain('<!-- rules:platform -->');
    expect(withRuleTables(readme)).toBe(readme);
  });

  it('name every rule id of the catalog', () => {
    const named = new Set(rows.flatMap((row) => [...row.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)));
    expect([...catalog].filter((id) => !named.has(id)).sort()).toEqual([]);
  });

  it('name no rule id the catalog does not have (first column)', () => {
    const first = rows
      .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!))
      .filter((token) => RULE_ID.test(token));
    expect(first.filter((id) => !catalog.has(id)).sort()).toEqual([]);
  });

  it('document no rule that no code reports: each id of the catalog is named in some source file besides it', () => {
    const sources = ['core', 'charts', 'cli']
      .flatMap((pkg) => sourceFiles(join(REPO_ROOT, 'packages', pkg, 'src')))
      .filter((file) => !file.endsWith(CATALOG))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    expect(RULE_IDS.filter((id) => !sources.includes(`'${id}'`))).toEqual([]);
  });

  it('give every rule a summary, and every row a text', () => {
    expect(RULE_IDS.filter((id) => RULES[id].summary.trim() === '')).toEqual([]);
    expect(rows.filter((row) => (row.split(' | ')[1] ?? '').trim().length < 20)).toEqual([]);
  });
});
