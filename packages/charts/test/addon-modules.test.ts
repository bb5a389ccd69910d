import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADDON_MODULES, ADDON_RULES, ADDON_TABLE_ORDER, addonReadmes } from '../src/addons/index.js';
import { loadEnvironmentText, renderEnvironment, type EnvironmentConfig } from '../src/index.js';
import { renderSummaries } from '../src/render/render.js';
import { committedEnvironmentText, renderCommittedEnvironments } from './committed-environments.js';

// The list in addons/index.ts drives the schema, the rules, the charts, the README and the images: each module's part
// must show up where the list is read, and the committed output must be what it was before the modules.

const committed = renderCommittedEnvironments();
const committedFile = (env: string, path: string) =>
  readFileSync(new URL(`../../../dist-manifests/${env}/${path}`, import.meta.url), 'utf8');
const schemaJson = JSON.parse(readFileSync(new URL('../../../environments/schema.json', import.meta.url), 'utf8')) as {
  properties: { addons: { properties: Record<string, { description?: string }> } };
};
const keys = ADDON_MODULES.map((module) => module.key);
const sectionOf = (config: EnvironmentConfig, key: string) =>
  (config.addons as Record<string, unknown> | undefined)?.[key];

describe('the add-on list', () => {
  it("gives environments/schema.json its addons keys, in the list's order, each with its module's schema", () => {
    expect(Object.keys(schemaJson.properties.addons.properties)).toEqual(keys);
    for (const module of ADDON_MODULES) {
      expect(schemaJson.properties.addons.properties[module.key]?.description, module.key).toBe(
        module.schema.description,
      );
    }
  });

  it('orders the README table with every add-on once', () => {
    expect([...ADDON_TABLE_ORDER].sort()).toEqual([...keys].sort());
  });

  it("refuses a Helm-release add-on without a delivery section at its section, with its module's message, and no other", () => {
    for (const module of ADDON_MODULES) {
      const found: { rule: string; path: string; message: string }[] = [];
      const at = (rule: string, path: readonly (string | number)[], message: string) => {
        found.push({ rule, path: path.join('.'), message });
        return {} as never;
      };
      const addonProblems = (file: unknown) =>
        ADDON_RULES.forEach((topic) => {
          topic.check({ file: file as never, tenants: [] }, at as never);
        });
      const file = { addons: { [module.key]: {} } };
      const needsEngine = module.delivery.kind === 'helm-release' ? module.delivery : undefined;
      addonProblems(file);
      const engineProblems = found.filter(
        (problem) =>
          problem.message.startsWith('is delivered as a Helm release') ||
          problem.message.startsWith('a Helm release needs'),
      );
      expect(engineProblems, module.key).toEqual(
        needsEngine ? [{ rule: needsEngine.rule, path: `addons.${module.key}`, message: needsEngine.needsEngine }] : [],
      );
      // With a delivery section, none.
      found.length = 0;
      addonProblems({ ...file, delivery: { engine: 'flux' } });
      expect(
        found.filter((problem) => problem.message === needsEngine?.needsEngine),
        module.key,
      ).toEqual([]);
    }
  });

  it("gives every add-on an environment turns on its rows in the README's add-on table, in the table's order", () => {
    let seen = 0;
    for (const { name, config, result } of committed) {
      const readme = result.files.get('README.md')!;
      const table = readme.slice(readme.indexOf('## Add-ons'));
      const readmes = addonReadmes(renderSummaries(config).addons);
      const on = ADDON_TABLE_ORDER.filter((key) => sectionOf(config, key) !== undefined);
      expect([...readmes.keys()], name).toEqual(on);
      let position = 0;
      for (const key of on) {
        const { rows } = readmes.get(key)!;
        // Every committed environment has a delivery engine: every add-on that is on is in the table.
        expect(rows.length, `${name} ${key}`).toBeGreaterThan(0);
        for (const row of rows) {
          const line = `| ${row.name} | ${row.chart} | \`${row.namespace}\` | \`${row.folder}/\` | ${row.reach} |`;
          const at = table.indexOf(line);
          expect(at, `${name} ${key}: ${line}`).toBeGreaterThan(position);
          position = at;
          // The folder the row names is where the add-on's objects are.
          expect(
            [...result.files.keys()].some((path) => path.startsWith(`${row.folder}/`)),
            `${name} ${row.folder}`,
          ).toBe(true);
          seen++;
        }
      }
    }
    // Each add-on appears in some committed environment.
    expect(
      new Set(committed.flatMap(({ config }) => keys.filter((key) => sectionOf(config, key) !== undefined))),
    ).toEqual(new Set(keys));
    expect(seen).toBeGreaterThanOrEqual(keys.length);
  });

  it('gives each add-on the README templates of its own folder, and no template to another', () => {
    const addonsFolder = new URL('../src/addons/', import.meta.url);
    const inFolders = readdirSync(addonsFolder, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md.hbs'))
      .map(
        (file) =>
          `addons/${file
            .split('\\')
            .join('/')
            .replace(/\.md\.hbs$/, '')}`,
      )
      .sort();
    const declared = ADDON_MODULES.flatMap((module) => module.readme.templates);
    expect([...declared].sort()).toEqual(inFolders);
    // One folder per add-on: its templates share it, and no other add-on's are there.
    const folders = ADDON_MODULES.flatMap((module) => [
      ...new Set(module.readme.templates.map((template) => template.split('/').slice(0, 2).join('/'))),
    ]);
    expect(folders.length).toBe(ADDON_MODULES.filter((module) => module.readme.templates.length > 0).length);
    expect(new Set(folders).size).toBe(folders.length);
    expect(inFolders.length).toBeGreaterThanOrEqual(5);
  });

  it('leaves the committed output as it was: every add-on folder and the README, byte for byte', () => {
    for (const { name, result } of committed) {
      const paths = [...result.files.keys()].filter(
        (path) => /^(addons|karpenter)\//.test(path) || path === 'README.md',
      );
      expect(paths.length, name).toBeGreaterThan(1);
      for (const path of paths) expect(result.files.get(path), `${name}/${path}`).toBe(committedFile(name, path));
    }
  });

  it('builds no add-on chart without its section', () => {
    const dev = committed.find(({ name }) => name === 'dev')!;
    const result = renderEnvironment({ ...dev.config, addons: undefined });
    expect([...result.files.keys()].filter((path) => /^(addons|karpenter)\//.test(path))).toEqual([]);
    expect(result.files.get('README.md')).toContain('None: `addons:` in `environments/dev.yaml` switches them on.');
  });

  it("keeps a Helm release's values as an artifact without a delivery engine (Prometheus), and refuses the others", () => {
    const text = committedEnvironmentText('dev');
    const withoutDelivery = text.replace(/^delivery:.*\n((?: {2}.*\n)*)/m, '');
    expect(() => loadEnvironmentText(withoutDelivery, 'environments/dev.yaml')).toThrow(
      /addons\.jupyterhub: is delivered as a Helm release by Flux or Argo CD: add a delivery section/,
    );
    const serverOnly = withoutDelivery
      .replace(/^ {2}karpenter:.*\n/m, '')
      .replace(/^ {2}jupyterhub:.*\n((?: {4}.*\n)*)/m, '');
    const result = renderEnvironment(loadEnvironmentText(serverOnly, 'environments/dev.yaml').config);
    expect(result.files.has('artifacts/addons/prometheus/values.yaml')).toBe(true);
    expect(
      [...result.files.keys()].filter((path) => path.startsWith('addons/prometheus/') && path.includes('helmrelease')),
    ).toEqual([]);
  });
});
