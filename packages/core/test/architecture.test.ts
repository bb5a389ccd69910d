import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cruise,
  type ICruiseOptions,
  type ICruiseResult,
  type IForbiddenRuleType,
  type IViolation,
} from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

// The layer rules live in the repository's .dependency-cruiser.cjs (docs/architecture.md explains them); this test runs
// dependency-cruiser over every package's sources with them and names each import that breaks one.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = createRequire(import.meta.url)(`${root}.dependency-cruiser.cjs`) as {
  forbidden: IForbiddenRuleType[];
  options: ICruiseOptions;
};

async function violations(baseDir: string, folders: string[]): Promise<{ result: ICruiseResult; found: string[] }> {
  const { output } = await cruise(folders, {
    ...config.options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  const result = output as ICruiseResult;
  return { result, found: result.summary.violations.map(describeViolation) };
}

/** `rule: from -> to`, with the loop for a circle: what a reader needs to find the import. */
function describeViolation(violation: IViolation): string {
  const cycle = violation.cycle?.map((step) => step.name).join(' -> ');
  return `${violation.rule.name}: ${violation.from} -> ${violation.to}${cycle ? ` (circle: ${violation.from} -> ${cycle})` : ''}`;
}

describe('layers: every import runs downward, and no files or folders import each other in a circle', () => {
  it('packages/*/src keep every rule of .dependency-cruiser.cjs', async () => {
    const { result, found } = await violations(root, ['packages/core/src', 'packages/charts/src', 'packages/cli/src']);
    // The cruise reached every package (an exclude that matched too much would pass vacuously).
    const sources = result.modules.map((module) => module.source);
    for (const pkg of ['core', 'charts', 'cli']) expect(sources).toContain(`packages/${pkg}/src/index.ts`);
    expect(sources.filter((source) => source.startsWith('packages/core/src/')).length).toBeGreaterThan(100);
    // Imports by package name are seen (resolved to the package's built dist/), so the package rules can fire on them.
    const byName = result.modules
      .flatMap((module) => module.dependencies)
      .filter((dependency) => dependency.module === '@emr-eks-gitops/core');
    expect(byName.length).toBeGreaterThan(50);
    expect(new Set(byName.map((dependency) => dependency.resolved))).toEqual(new Set(['packages/core/dist/index.js']));
    expect(found).toEqual([]);
  }, 120_000);

  it('names an import that runs back up, a circle of files and a circle of folders (fixture)', async () => {
    const fixture = fileURLToPath(new URL('fixtures/layering/', import.meta.url));
    const { found } = await violations(fixture, ['packages/core/src']);
    expect(found).toEqual([
      'core: primitives imports no layer above it: packages/core/src/primitives/names.ts -> packages/core/src/validation/rules.ts',
      'no circle of files: packages/core/src/validation/checks.ts -> packages/core/src/validation/rules.ts' +
        ' (circle: packages/core/src/validation/checks.ts -> packages/core/src/validation/rules.ts -> packages/core/src/validation/checks.ts)',
      'no circle of folders: packages/core/src/addons -> packages/core/src/karpenter' +
        ' (circle: packages/core/src/addons -> packages/core/src/karpenter -> packages/core/src/addons)',
      'no circle of folders: packages/core/src/karpenter -> packages/core/src/addons' +
        ' (circle: packages/core/src/karpenter -> packages/core/src/addons -> packages/core/src/karpenter)',
    ]);
  }, 120_000);

  it('names a package imported by name from a package under it (fixture with a workspace link)', async () => {
    // As pnpm links the workspace: node_modules/@emr-eks-gitops/cli -> packages/cli, whose entry is its built dist/.
    const workspace = mkdtempSync(join(tmpdir(), 'layering-'));
    try {
      cpSync(fileURLToPath(new URL('fixtures/layering/', import.meta.url)), workspace, { recursive: true });
      mkdirSync(join(workspace, 'packages/cli/dist'), { recursive: true });
      writeFileSync(
        join(workspace, 'packages/cli/package.json'),
        JSON.stringify({
          name: '@emr-eks-gitops/cli',
          type: 'module',
          main: './dist/index.js',
          exports: { '.': { default: './dist/index.js' } },
        }),
      );
      writeFileSync(join(workspace, 'packages/cli/dist/index.js'), 'export const main = () => 0;\n');
      mkdirSync(join(workspace, 'node_modules/@emr-eks-gitops'), { recursive: true });
      symlinkSync('../../packages/cli', join(workspace, 'node_modules/@emr-eks-gitops/cli'), 'dir');
      writeFileSync(
        join(workspace, 'packages/core/src/karpenter/entry.ts'),
        "import { main } from '@emr-eks-gitops/cli';\nexport const entry = main;\n",
      );
      const { found } = await violations(workspace, ['packages/core/src/karpenter']);
      expect(found).toEqual([
        'core imports no package above it: packages/core/src/karpenter/entry.ts -> packages/cli/dist/index.js',
      ]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }, 120_000);
});
