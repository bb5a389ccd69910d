import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../src/output/tree.js';
import { editEnvironment, runCli, tempProject } from './support/project.js';

/** The name-status lines (`A path`, `M path`, `D path`) of a diff's output. */
const nameStatus = (stdout: string) => stdout.split('\n').filter((line) => /^[AMD] /.test(line));

describe('emr-gitops diff', () => {
  it('names exactly the files a quota change touches, the quota and the README (exit 1, nothing written); after render, prints only a summary (exit 0)', async () => {
    const root = tempProject({ withOutput: true });
    editEnvironment(root, 'dev', (text) =>
      text.replace('quota: { cpu: 16, memory: 64Gi, pods: 60', 'quota: { cpu: 20, memory: 64Gi, pods: 60'),
    );
    const before = readTree(join(root, 'dist-manifests'));

    const changed = await runCli(root, ['diff']);
    expect(changed.exitCode).toBe(1);
    expect(nameStatus(changed.stdout)).toEqual([
      'M dist-manifests/dev/README.md',
      'M dist-manifests/dev/tenants/app-dev/resourcequota-tenant-quota.yaml',
    ]);
    expect(changed.stdout).toBe(
      'M dist-manifests/dev/README.md\nM dist-manifests/dev/tenants/app-dev/resourcequota-tenant-quota.yaml\n' +
        '2 files would change: 0 added, 2 changed, 0 removed; run `pnpm render` to write them\n',
    );
    expect(readTree(join(root, 'dist-manifests')), 'diff writes nothing').toEqual(before);

    expect((await runCli(root, ['render'])).exitCode).toBe(0);
    const clean = await runCli(root, ['diff']);
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toMatch(
      /^no changes: dist-manifests\/dev, dist-manifests\/global, dist-manifests\/prod, dist-manifests\/sandbox, dist-manifests\/staging match the environment files \(\d+ files\)\n$/,
    );
  });

  it("--unified adds each file's diff, --stat counts the lines", async () => {
    const root = tempProject({ withOutput: true });
    editEnvironment(root, 'prod', (text) => text.replace('pods: 240', 'pods: 250'));

    const unified = await runCli(root, ['diff', '--unified', '--env', 'prod']);
    expect(unified.exitCode).toBe(1);
    expect(unified.stdout).toContain(
      'M dist-manifests/prod/README.md\nM dist-manifests/prod/tenants/app-dev/resourcequota-tenant-quota.yaml\n',
    );
    expect(unified.stdout).toContain(
      '--- a/dist-manifests/prod/tenants/app-dev/resourcequota-tenant-quota.yaml\t(committed)\n' +
        '+++ b/dist-manifests/prod/tenants/app-dev/resourcequota-tenant-quota.yaml\t(rendered)\n',
    );
    expect(unified.stdout).toMatch(/^-\s+pods: "240"$/m);
    expect(unified.stdout).toMatch(/^\+\s+pods: "250"$/m);

    const stat = await runCli(root, ['diff', '--stat', '--env', 'prod']);
    expect(stat.exitCode).toBe(1);
    expect(stat.stdout).toBe(
      `${' dist-manifests/prod/README.md'.padEnd(' dist-manifests/prod/tenants/app-dev/resourcequota-tenant-quota.yaml'.length)} | 2 +-\n` +
        ' dist-manifests/prod/tenants/app-dev/resourcequota-tenant-quota.yaml | 2 +-\n' +
        '2 files would change: 0 added, 2 changed, 0 removed; 2 insertions(+), 2 deletions(-); run `pnpm render` to write them\n',
    );
  });

  it('lists files render would add and remove, environments never rendered and stale folders', async () => {
    const root = tempProject({ withOutput: true });
    cpSync(join(root, 'environments/dev.yaml'), join(root, 'environments/qa.yaml'));
    mkdirSync(join(root, 'dist-manifests/legacy/tenants'), { recursive: true });
    writeFileSync(join(root, 'dist-manifests/legacy/tenants/configmap-old.yaml'), 'kind: ConfigMap\n');
    writeFileSync(join(root, 'dist-manifests/dev/tenants/stray.yaml'), 'kind: ConfigMap\n');
    writeFileSync(join(root, 'dist-manifests/notes.txt'), 'a stray file\n');
    const before = readTree(join(root, 'dist-manifests'));

    const result = await runCli(root, ['diff']);
    expect(result.exitCode).toBe(1);
    const lines = nameStatus(result.stdout);
    expect(lines).toContain('D dist-manifests/dev/tenants/stray.yaml');
    expect(lines).toContain('D dist-manifests/legacy/tenants/configmap-old.yaml');
    expect(lines).toContain('A dist-manifests/qa/tenants/app-dev/resourcequota-tenant-quota.yaml');
    expect(lines.filter((line) => !line.startsWith('A dist-manifests/qa/'))).toEqual([
      'D dist-manifests/dev/tenants/stray.yaml',
      'D dist-manifests/legacy/tenants/configmap-old.yaml',
      'D dist-manifests/notes.txt',
    ]);
    expect(lines.map((line) => line.slice(2))).toEqual(lines.map((line) => line.slice(2)).sort()); // by path, as git sorts
    expect(result.stdout).toMatch(/^dist-manifests\/qa: never rendered; render creates it \(\d+ files\)$/m);
    expect(result.stdout).toContain(
      'dist-manifests/legacy: stale (no environments/legacy.yaml); render removes it (1 file)\n',
    );
    expect(readTree(join(root, 'dist-manifests'))).toEqual(before);
    expect(result.stdout).toMatch(
      /^\d+ files would change: \d+ added, 0 changed, 3 removed; run `pnpm render` to write them\n$/m,
    );

    // With --env, as with `render --env`, other folders are not render's business.
    const one = await runCli(root, ['diff', '--env', 'dev']);
    expect(one.exitCode).toBe(1);
    expect(nameStatus(one.stdout)).toEqual(['D dist-manifests/dev/tenants/stray.yaml']);
    expect(one.stdout).not.toContain('legacy');
  });

  it('agrees with render --check: no output folder at all is every file added', async () => {
    const root = tempProject();
    const result = await runCli(root, ['diff', '--env', 'staging']);
    expect(result.exitCode).toBe(1);
    expect(nameStatus(result.stdout).every((line) => line.startsWith('A dist-manifests/staging/'))).toBe(true);
    expect(nameStatus(result.stdout).length).toBeGreaterThan(30);
    expect((await runCli(root, ['render', '--check', '--env', 'staging'])).exitCode).toBe(1);
  });

  it('bad usage, an unknown environment or a bad environment file exit 2', async () => {
    const root = tempProject({ withOutput: true });
    expect((await runCli(root, ['diff', '--unifed'])).exitCode).toBe(2);
    expect((await runCli(root, ['diff', '--env', 'qa'])).exitCode).toBe(2);
    editEnvironment(root, 'dev', (text) => text.replace('pods: 60', 'pods: sixty'));
    const bad = await runCli(root, ['diff']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('environments/dev.yaml:');
  });
});
