import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../src/output/tree.js';
import { editEnvironment, runCli, tempProject } from './support/project.js';

describe('emr-gitops render', () => {
  it('renders every environment, and a second run writes nothing: same bytes, same inodes and mtimes', async () => {
    const root = tempProject();
    const first = await runCli(root, ['render']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/dist-manifests\/dev: \d+ added, 0 changed, 0 removed/);
    const out = join(root, 'dist-manifests');
    const before = readTree(out);
    const stats = new Map([...before.keys()].map((path) => [path, statSync(join(out, path))]));
    expect(before.size).toBeGreaterThan(30);

    const second = await runCli(root, ['render']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/dist-manifests\/prod: up to date/);
    expect(readTree(out)).toEqual(before);
    for (const [path, stat] of stats) {
      const now = statSync(join(out, path));
      expect([now.ino, now.mtimeMs], path).toEqual([stat.ino, stat.mtimeMs]);
    }
  });

  it("changing one tenant's quota in one environment changes its quota file and its line of the README, nothing else", async () => {
    const root = tempProject();
    await runCli(root, ['render']);
    const before = readTree(join(root, 'dist-manifests'));
    editEnvironment(root, 'staging', (text) =>
      text.replace('quota: { cpu: 64, memory: 512Gi', 'quota: { cpu: 72, memory: 512Gi'),
    );

    const result = await runCli(root, ['render']);
    expect(result.exitCode).toBe(0);
    const after = readTree(join(root, 'dist-manifests'));
    const changed = [...after.keys()].filter((path) => after.get(path) !== before.get(path));
    // Staging runs YuniKorn: the tenant's queue max is its quota, so the queue configuration and its README lines follow.
    expect(changed).toEqual([
      'staging/README.md',
      'staging/addons/yunikorn/application-emr-eks-gitops-staging-addon-yunikorn.yaml',
      'staging/tenants/ml/resourcequota-tenant-quota.yaml',
    ]);
    expect(after.get(changed[2]!)).toContain('requests.cpu: "72"');
    expect(after.get(changed[1]!)).toContain('vcore: "72"');
    const readmeLines = (tree: Map<string, string>) => tree.get('staging/README.md')!.split('\n');
    const changedLines = readmeLines(after).filter((line, i) => line !== readmeLines(before)[i]);
    expect(changedLines).toHaveLength(3);
    expect(changedLines[0]).toMatch(/^\| ml \| `spark-ml` \| 72 CPU, /);
    expect(changedLines[1]).toMatch(/^ {2}tenants --> spark_ml\[".*max 72 CPU, 512Gi"\]$/);
    expect(changedLines[2]).toMatch(/^\| ml \| `root\.tenants\.spark-ml` \| .* \| 72 CPU, 512Gi \|/);
    expect(result.stdout).toContain('dist-manifests/staging: 0 added, 3 changed, 0 removed');
  });

  it('removes the files of a retired tenant that was deleted, and the folder of an environment that was deleted', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) => text.replace('  - name: ml\n', '  - name: ml\n    retired: true\n'));
    await runCli(root, ['render']);
    editEnvironment(root, 'dev', (text) => text.slice(0, text.indexOf('  - name: ml')));
    writeFileSync(join(root, 'environments', 'qa.yaml'), readFileSync(join(root, 'environments', 'dev.yaml')));
    await runCli(root, ['render']);
    expect(existsSync(join(root, 'dist-manifests/qa/tenants/app-dev'))).toBe(true);
    expect(existsSync(join(root, 'dist-manifests/dev/tenants/ml'))).toBe(false);
    expect(readFileSync(join(root, 'dist-manifests/dev/tenants/kustomization.yaml'), 'utf8')).not.toContain('- ml');

    rmSync(join(root, 'environments', 'qa.yaml'));
    const result = await runCli(root, ['render']);
    expect(result.stdout).toContain('dist-manifests/qa: removed (no environments/qa.yaml)');
    expect(existsSync(join(root, 'dist-manifests/qa'))).toBe(false);
  });

  it('--env renders only the named environment and leaves other folders alone', async () => {
    const root = tempProject();
    mkdirSync(join(root, 'dist-manifests', 'legacy'), { recursive: true });
    const result = await runCli(root, ['render', '--env', 'prod']);
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(root, 'dist-manifests/prod/flux/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(root, 'dist-manifests/dev'))).toBe(false);
    expect(existsSync(join(root, 'dist-manifests/legacy'))).toBe(true);
  });

  it('an unknown environment or option is a usage error (exit 2)', async () => {
    const root = tempProject();
    const unknownEnv = await runCli(root, ['render', '--env', 'qa']);
    expect(unknownEnv.exitCode).toBe(2);
    expect(unknownEnv.stderr).toContain('unknown environment "qa"; environments: dev, global, prod, sandbox, staging');
    const unknownOption = await runCli(root, ['render', '--chek']);
    expect(unknownOption.exitCode).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--chek'");
  });
});

describe('emr-gitops render --check', () => {
  it('exits 0 when the output matches and 1 with a unified diff naming the drifted file when it does not', async () => {
    const root = tempProject();
    await runCli(root, ['render']);
    expect((await runCli(root, ['render', '--check'])).exitCode).toBe(0);

    editEnvironment(root, 'prod', (text) => text.replace('pods: 240', 'pods: 250'));
    writeFileSync(join(root, 'dist-manifests/dev/tenants/stray.yaml'), 'kind: ConfigMap\n');
    const before = readTree(join(root, 'dist-manifests'));
    const result = await runCli(root, ['render', '--check']);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('dist-manifests/prod: drift: 2 changed, 0 missing, 0 stale');
    expect(result.stdout).toContain('--- a/dist-manifests/prod/tenants/app-dev/resourcequota-tenant-quota.yaml');
    expect(result.stdout).toMatch(/^-\s+pods: "240"$/m);
    expect(result.stdout).toMatch(/^\+\s+pods: "250"$/m);
    expect(result.stdout).toContain('dist-manifests/dev: drift: 0 changed, 0 missing, 1 stale');
    expect(result.stderr).toContain('run `pnpm render` and commit the result');
    expect(readTree(join(root, 'dist-manifests')), '--check writes nothing').toEqual(before);
  });

  it('reports missing output as drift', async () => {
    const root = tempProject();
    const result = await runCli(root, ['render', '--check', '--env', 'dev']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/dist-manifests\/dev: drift: 0 changed, \d+ missing, 0 stale/);
    expect(existsSync(join(root, 'dist-manifests'))).toBe(false);
  });
});
