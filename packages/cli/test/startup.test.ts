import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/project.js';

/**
 * Every module URL a fresh `emr-gitops <args>` process loads, logged by a synchronous, in-thread module hook
 * (module.registerHooks): an off-thread `register()` hook can lose its last lines when the CLI exits right away.
 */
function modulesLoadedBy(args: readonly string[]): string[] {
  const register =
    "import { registerHooks } from 'node:module'; import { writeSync } from 'node:fs';" +
    ' registerHooks({ load(url, context, next) { writeSync(2, `LOADED ${url}\\n`); return next(url, context); } });';
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      join(REPO_ROOT, 'packages/cli/bin/emr-gitops.js'),
      ...args,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  expect(child.status, child.stderr).toBe(0);
  return [...child.stderr.matchAll(/^LOADED (.*)$/gm)].map((match) => match[1]!);
}

describe('emr-gitops start-up', () => {
  it('--help loads neither the charts, the validators nor the AWS SDK: each command loads what it needs when it runs', () => {
    for (const args of [['--help'], ['emr', '--help'], ['render', '--help']]) {
      const loaded = modulesLoadedBy(args);
      expect(
        loaded.some((url) => url.includes('/packages/cli/dist/main.js')),
        args.join(' '),
      ).toBe(true);
      for (const heavy of ['/packages/charts/', '/packages/core/', '@aws-sdk', 'kubernetes-models', 'cdk8s', 'ajv']) {
        expect(
          loaded.filter((url) => url.includes(heavy)),
          `${args.join(' ')} loads ${heavy}`,
        ).toEqual([]);
      }
    }
  });
});
