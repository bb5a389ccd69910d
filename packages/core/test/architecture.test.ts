import { createRequire } from 'node:module';
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
});
