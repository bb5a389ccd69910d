import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../src/output/tree.js';
import { prepareEnvironments } from '../src/parallel-render.js';
import { findProject } from '../src/project.js';
import { editEnvironment, REPO_ROOT, runCli, tempProject } from './support/project.js';

// Worker threads run the compiled CLI (`pnpm test` builds first); the sources run in one thread.
const bin = join(REPO_ROOT, 'packages/cli/bin/emr-gitops.js');
function inTwoThreads(root: string, args: readonly string[]) {
  const child = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, EMR_GITOPS_JOBS: '2', CI: '1' },
  });
  return { exitCode: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('environments rendered in worker threads', () => {
  it('write the same bytes, with the same messages in the same order, as one thread', async () => {
    expect(existsSync(join(REPO_ROOT, 'packages/cli/dist/render-worker.js')), 'the compiled worker').toBe(true);
    const serial = tempProject();
    const parallel = tempProject();
    const one = await runCli(serial, ['render'], { env: { ...process.env, EMR_GITOPS_JOBS: '1' } });
    const two = inTwoThreads(parallel, ['render']);
    expect(two.exitCode, two.stderr).toBe(0);
    expect(two).toEqual(one);
    expect(one.stdout.match(/^dist-manifests\/\w+/gm)).toEqual([
      'dist-manifests/dev',
      'dist-manifests/global',
      'dist-manifests/prod',
      'dist-manifests/sandbox',
      'dist-manifests/staging',
    ]);
    expect(readTree(join(parallel, 'dist-manifests'))).toEqual(readTree(join(serial, 'dist-manifests')));
    // An environment with clusters: renders in a worker as committed: each cluster's folder and what sits above them.
    expect(existsSync(join(parallel, 'dist-manifests/global/spark-global-tokyo/tenants'))).toBe(true);
    expect(readTree(join(parallel, 'dist-manifests/global'))).toEqual(
      readTree(join(REPO_ROOT, 'dist-manifests/global')),
    );
  }, 180_000);

  it('refuse the same environment files with the same located problems', async () => {
    const root = tempProject();
    for (const env of ['dev', 'staging']) editEnvironment(root, env, (text) => `${text}\nunknownSetting: 1\n`);
    const one = await runCli(root, ['render', '--check'], { env: { ...process.env, EMR_GITOPS_JOBS: '1' } });
    const two = inTwoThreads(root, ['render', '--check']);
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toMatch(
      /environments\/dev\.yaml:\d+:\d+: [^\n]*unknownSetting[\s\S]*environments\/staging\.yaml:\d+:\d+: [^\n]*unknownSetting/,
    );
    expect(two).toEqual(one);
  }, 180_000);

  it('fail, not wait, when a worker thread stops before reporting the environment it took', async () => {
    const project = findProject(REPO_ROOT);
    const dying = new URL('./fixtures/dying-render-worker.mjs', import.meta.url);
    const started = Date.now();
    await expect(
      prepareEnvironments(project, ['dev', 'sandbox'], { env: [] }, { EMR_GITOPS_JOBS: '2' }, dying),
    ).rejects.toThrow(
      'a render worker thread stopped (exit code 3) before reporting the environments it took; nothing was written. EMR_GITOPS_JOBS=1 renders them in this thread only.',
    );
    // This thread rendered the environment left to it, then heard of the worker's end: no wait for a report.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
