import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSchemaJson } from '@emr-eks-gitops/charts';
import { REPO_ROOT, runCli } from './support/project.js';

const ENVIRONMENTS = ['dev', 'prod', 'staging'];

describe('the committed repository', () => {
  it('dist-manifests/ is what the environment files render to (render --check)', async () => {
    const result = await runCli(REPO_ROOT, ['render', '--check']);
    expect(result.stdout + result.stderr).not.toContain('drift');
    expect(result.exitCode).toBe(0);
  });

  it('environments/schema.json is the schema the code validates with', () => {
    expect(readFileSync(join(REPO_ROOT, 'environments/schema.json'), 'utf8')).toBe(environmentSchemaJson());
  });

  it('every environment file points editors at the schema', () => {
    for (const env of ENVIRONMENTS) {
      expect(readFileSync(join(REPO_ROOT, `environments/${env}.yaml`), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/schema\.json$/m);
    }
  });

  it.each(ENVIRONMENTS)('kubectl kustomize dist-manifests/%s builds, namespaces included', (env) => {
    const built = execFileSync('kubectl', ['kustomize', join(REPO_ROOT, 'dist-manifests', env)], { encoding: 'utf8' });
    const kinds = [...built.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]);
    expect(kinds.filter((kind) => kind === 'Namespace')).toHaveLength(3);
    expect(kinds).toContain('ResourceQuota');
    expect(kinds).toContain('LimitRange');
  });
});
