import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/project.js';

/**
 * The README's rule tables are what users filter CI output and look errors up by: every rule id the code can report
 * must have a row, and no row may name an id the code no longer reports.
 */

const PACKAGES = ['core', 'charts', 'cli'];
// Bracketed words in source text that are not rule ids (a label key in a Markdown code span of the README template).
const NOT_RULES = new Set(['spark-app-selector']);
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

/** The string members of an exported union type, e.g. `export type RuleId = | 'a' | 'b';`. */
function unionMembers(file: string, type: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const body = new RegExp(`export type ${type} =([^;]*);`).exec(text)?.[1];
  if (body === undefined) throw new Error(`no union type ${type} in ${file}`);
  return [...body.matchAll(/'([a-z0-9-]+)'/g)].map((match) => match[1]!);
}

/** Every rule id the code reports: the findings' and run-time problems' id types, and the `[rule-id]` that ends a located config error. */
function codeRuleIds(): Set<string> {
  const ids = new Set([
    ...unionMembers('packages/core/src/validation/finding.ts', 'RuleId'),
    ...unionMembers('packages/core/src/validation/runtime/tenant-runtime.ts', 'RuntimeRuleId'),
    ...unionMembers('packages/core/src/validation/runtime/tenant-runtime.ts', 'FargateRuleId'),
  ]);
  for (const pkg of PACKAGES) {
    for (const file of sourceFiles(join(REPO_ROOT, 'packages', pkg, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/ \[([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\]['"`]/g)) {
        if (!NOT_RULES.has(match[1]!)) ids.add(match[1]!);
      }
    }
  }
  return ids;
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
  const code = codeRuleIds();

  it('finds the rules in the code and the tables in the README', () => {
    // Guards the two parsers: a refactor that hides the ids from them must fail here, not pass vacuously.
    expect(code.size).toBeGreaterThan(60);
    expect(code).toContain('limitrange-cpu-limit');
    expect(code).toContain('capacity-class-unknown');
    expect(code).toContain('schema');
    expect(rows.length).toBeGreaterThan(30);
  });

  it('name every rule id the code reports', () => {
    const named = new Set(rows.flatMap((row) => [...row.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)));
    expect([...code].filter((id) => !named.has(id)).sort()).toEqual([]);
  });

  it('name no rule id the code does not report (first column)', () => {
    const first = rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!))
      .filter((token) => RULE_ID.test(token));
    expect(first.filter((id) => !code.has(id)).sort()).toEqual([]);
  });
});
