import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

// Stryker's test run: the core tests of the mutated rules and models (calling them directly, or through the capacity
// and Fargate builders that check pods against pools). Every "static" mutant (code run while test files load) runs the
// whole set, so tests that reach these files only through unrelated builders would multiply the run time; the charts
// and CLI tests render whole environments and are left out for the same reason.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'packages/core/test/validation/**/*.test.ts',
      'packages/core/test/{placement,tolerates-taint,capacity-classes,spark,auto-mode,fargate}.test.ts',
    ],
  },
});
