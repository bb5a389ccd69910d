import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderEnvironment } from '../src/index.js';
import { renderCommittedEnvironments } from './committed-environments.js';

/**
 * The environment README is built from the charts' summaries with one template per section: every template is used,
 * the build ships them beside the compiled code, and the README's code reads nothing of the charts but their summaries.
 */
const packageRoot = new URL('..', import.meta.url).pathname;
const sourceFolder = join(packageRoot, 'src');
const readmeFolder = join(sourceFolder, 'render', 'readme');
const files = (folder: string, ending: string) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(ending))
    .map((file) => file.split('\\').join('/'))
    .sort();
/** The README's templates, below `src/`: the sections' (render/readme/) and the add-ons' own (addons/<name>/). */
const templates = ['render/readme', 'addons'].flatMap((folder) =>
  files(join(sourceFolder, folder), '.md.hbs').map((file) => `${folder}/${file}`),
);

/** A template line as a pattern of the README: its placeholders stand for any text. */
const linePattern = (line: string) =>
  new RegExp(
    line
      .split(/\{\{[^}]*\}\}\}?/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?'),
  );

/** The template's line with the most text of its own (no block helper in it): it reaches a README only through that template. */
function ownLine(template: string): { line: string; own: number } {
  const lines = readFileSync(join(sourceFolder, template), 'utf8')
    .split('\n')
    .filter((line) => !/\{\{[#/^]|\{\{else/.test(line));
  return lines
    .map((line) => ({ line, own: line.replace(/\{\{[^}]*\}\}\}?/g, '').trim().length }))
    .reduce((best, next) => (next.own > best.own ? next : best), { line: '', own: 0 });
}

describe('README section templates', () => {
  const committed = renderCommittedEnvironments();
  const dev = committed.find(({ name }) => name === 'dev')!.config;
  // Without delivery nothing installs charts: Prometheus' values become an artifact, which its own template lists.
  const devWithoutDelivery = { ...dev, delivery: undefined, addons: { prometheus: dev.addons!.prometheus } };
  const readmes = [...committed.map(({ result }) => result), renderEnvironment(devWithoutDelivery)].map(
    (result) => result.files.get('README.md')!,
  );

  it('there is a template per section and per add-on note', () => {
    expect(templates).toEqual(
      expect.arrayContaining([
        'render/readme/overview.md.hbs',
        'render/readme/layers.md.hbs',
        'render/readme/cost.md.hbs',
        'render/readme/cluster-access.md.hbs',
        'addons/jupyterhub/jupyterhub.md.hbs',
      ]),
    );
    expect(templates.length).toBeGreaterThanOrEqual(20);
  });

  it.each(templates)('%s is rendered into a README', (template) => {
    const { line, own } = ownLine(template);
    expect(own, `${template} has a line of its own`).toBeGreaterThan(30);
    expect(
      readmes.some((readme) => linePattern(line).test(readme)),
      `${template}: "${line}"`,
    ).toBe(true);
  });

  it('the build copies each template next to the compiled module that reads it', () => {
    const dist = join(packageRoot, 'dist');
    expect(files(dist, '.md.hbs')).toEqual([...templates].sort());
    for (const template of templates)
      expect(readFileSync(join(dist, template), 'utf8'), template).toBe(
        readFileSync(join(sourceFolder, template), 'utf8'),
      );
  });
});

/** Each import of a module: what it names and whether only its types are imported. */
function importsOf(path: string): Array<{ from: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      return [{ from: (statement.moduleSpecifier as ts.StringLiteral).text, typeOnly }];
    }
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      return [{ from: (statement.moduleSpecifier as ts.StringLiteral).text, typeOnly: statement.isTypeOnly }];
    }
    return [];
  });
}

describe("the README reads only the charts' summaries", () => {
  const modules = files(readmeFolder, '.ts');

  it.each(modules)(
    'render/readme/%s imports its own folder, handlebars, node:fs, and types of the summaries and of core only',
    (module) => {
      const wrong = importsOf(join(readmeFolder, module)).filter(({ from, typeOnly }) => {
        if (from.startsWith('./') || from === 'handlebars' || from === 'node:fs') return false;
        if (from === '../../charts/summaries.js' || from === '@emr-eks-gitops/core') return !typeOnly;
        return true;
      });
      expect(wrong, `${module} imports ${JSON.stringify(wrong)}`).toEqual([]);
    },
  );

  it.each(files(join(sourceFolder, 'addons'), '.ts'))(
    "addons/%s reaches the README only through its chart's summary (types) and its templates",
    (module) => {
      const wrong = importsOf(join(sourceFolder, 'addons', module)).filter(
        ({ from, typeOnly }) => from.includes('/render/') || (from.endsWith('/charts/summaries.js') && !typeOnly),
      );
      expect(wrong, `${module} imports ${JSON.stringify(wrong)}`).toEqual([]);
    },
  );

  it('the summaries are declarations only: data the charts fill in, nothing computed', () => {
    const path = join(packageRoot, 'src', 'charts', 'summaries.ts');
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
    const runtime = source.statements.filter(
      (statement) =>
        !ts.isInterfaceDeclaration(statement) &&
        !ts.isTypeAliasDeclaration(statement) &&
        !(ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly),
    );
    expect(runtime.map((statement) => statement.getText(source))).toEqual([]);
  });

  it('only render.ts hands the summaries to the README', () => {
    const src = join(packageRoot, 'src');
    const importers = files(src, '.ts')
      .filter((module) => !module.startsWith('render/readme/'))
      .filter((module) =>
        importsOf(join(src, module)).some(({ from }) => from.includes('/readme/') || from.startsWith('./readme/')),
      );
    expect(importers.map((module) => relative('.', module))).toEqual(['render/render.ts']);
  });
});
