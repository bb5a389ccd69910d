import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../src/output/tree.js';
import { editEnvironment, runCli, tempProject } from './support/project.js';

const retire = (tenant: string) => (text: string) =>
  text.replace(`  - name: ${tenant}\n`, `  - name: ${tenant}\n    retired: true\n`);
const remove = (tenant: string) => (text: string) => {
  const start = text.indexOf(`  - name: ${tenant}\n`);
  const next = text.indexOf('\n  - name: ', start + 1);
  return text.slice(0, start) + (next === -1 ? '' : text.slice(next + 1));
};
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1;

describe('removing a tenant', () => {
  it('refuses to drop a tenant that was never retired: exit 2 at the tenants: line, nothing written, --check too', async () => {
    const root = tempProject({ withOutput: true });
    editEnvironment(root, 'dev', remove('data-eng'));
    editEnvironment(root, 'prod', (text) => text.replace('pods: 240', 'pods: 250'));
    const before = readTree(join(root, 'dist-manifests'));
    const tenantsLine = lineOf(readFileSync(join(root, 'environments/dev.yaml'), 'utf8'), 'tenants:');

    for (const argv of [['render'], ['render', '--check']]) {
      const result = await runCli(root, argv);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(
        `environments/dev.yaml:${tenantsLine}:1: tenants: tenant "data-eng" was removed, but its committed namespace (dist-manifests/dev/tenants/data-eng/namespace-spark-data-eng.yaml) was never retired`,
      );
      expect(result.stderr).toContain('emr-gitops emr destroy --env dev --tenant data-eng');
      expect(result.stderr).toContain('nothing was written');
    }
    expect(readTree(join(root, 'dist-manifests')), 'no environment was written').toEqual(before);
  });

  it('retire, then remove: the first commit keeps the objects unpruned and drops the artifacts, the second removes the folder', async () => {
    const root = tempProject({ withOutput: true });
    editEnvironment(root, 'staging', retire('ml'));
    const retired = await runCli(root, ['render']);
    expect(retired.exitCode).toBe(0);
    const namespace = parse(
      readFileSync(join(root, 'dist-manifests/staging/tenants/ml/namespace-spark-ml.yaml'), 'utf8'),
    );
    expect(namespace.metadata.annotations).toMatchObject({
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
    expect(existsSync(join(root, 'dist-manifests/staging/artifacts/tenants/ml'))).toBe(false);
    expect(existsSync(join(root, 'dist-manifests/staging/artifacts/tenants/data-eng'))).toBe(true);
    expect((await runCli(root, ['render', '--check'])).exitCode).toBe(0);

    editEnvironment(root, 'staging', remove('ml'));
    expect((await runCli(root, ['render', '--check'])).exitCode, 'drift, not a refusal').toBe(1);
    const removed = await runCli(root, ['render']);
    expect(removed.exitCode).toBe(0);
    // Nothing but dev's accepted NodePort warning (render renders every environment).
    expect(
      removed.stderr.split('\n').filter((line) => line !== '' && !line.endsWith('[prometheus-node-port]')),
    ).toEqual([]);
    expect(existsSync(join(root, 'dist-manifests/staging/tenants/ml'))).toBe(false);
    expect(readFileSync(join(root, 'dist-manifests/staging/tenants/kustomization.yaml'), 'utf8')).not.toContain('- ml');
    expect(existsSync(join(root, 'dist-manifests/staging/tenants/data-eng'))).toBe(true);
  });

  it('a fresh project (nothing committed) renders whatever tenants the file has', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', remove('ml'));
    expect((await runCli(root, ['render', '--env', 'dev'])).exitCode).toBe(0);
  });
});
