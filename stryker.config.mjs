// @ts-check
/**
 * Mutation testing of the rules and models that decide whether a platform runs (`pnpm mutate`). Not part of
 * `pnpm test`: see the README's "Mutation testing" section for the run time and the score.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  // pnpm does not hoist the runner next to @stryker-mutator/core, so Stryker's plugin discovery cannot find it by name.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.mts' },
  coverageAnalysis: 'perTest',
  // Mutants that only run while test files load (module constants: message tables, label sets) cannot be switched per
  // test and would each need a full reload of every test file; they are reported as ignored, not counted. Mutants that
  // run both at load and in tests ("hybrid") are still tested, with the tests that cover them.
  ignoreStatic: true,
  concurrency: 2,
  mutate: [
    'packages/core/src/validation/runtime/*.ts',
    'packages/core/src/validation/capacity/*.ts',
    'packages/core/src/scheduling/*.ts',
  ],
  thresholds: { high: 95, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
