import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSchemaJson } from '@emr-eks-gitops/charts';
import { REPO_ROOT, runCli } from './support/project.js';

const ENVIRONMENTS = ['dev', 'prod', 'sandbox', 'staging'];

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
      expect(readFileSync(join(REPO_ROOT, `environments/${env}.yaml`), 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=\.\/schema\.json$/m,
      );
    }
  });

  const WIRING: Record<string, string> = { dev: 'flux', prod: 'flux', sandbox: 'flux', staging: 'argocd' };
  // sandbox runs on EKS Auto Mode: no Karpenter CRDs or controller layer, NodeClasses instead of EC2NodeClasses.
  const AUTO_MODE = new Set(['sandbox']);
  // sandbox shows Prometheus in operator mode: PodMonitors and a PrometheusRule, no chart of this project's.
  const PROMETHEUS_OPERATOR = new Set(['sandbox']);
  const kustomize = (folder: string) => execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
  const kindsOf = (built: string) => [...built.matchAll(/^kind: (\w+)$/gm)].map((match) => match[1]);

  it.each(ENVIRONMENTS)(
    'dist-manifests/%s: one folder per layer, each with its own kustomization.yaml, and none at the top',
    (env) => {
      const dir = join(REPO_ROOT, 'dist-manifests', env);
      const layers = readdirSync(dir)
        .filter((entry) => existsSync(join(dir, entry, 'kustomization.yaml')))
        .sort();
      // Every environment runs JupyterHub and Prometheus (staging and prod also a Spark History Server) in the addons layer.
      if (AUTO_MODE.has(env)) expect(layers).toEqual(['addons', 'flux', 'platform', 'tenants']);
      else
        expect(layers).toEqual(
          WIRING[env] === 'flux'
            ? ['addons', 'crds', 'flux', 'karpenter', 'platform', 'tenants']
            : ['addons', 'argocd', 'karpenter', 'platform', 'tenants'],
        );
      expect(existsSync(join(dir, 'kustomization.yaml'))).toBe(false);
    },
  );

  it.each(ENVIRONMENTS)('kubectl kustomize builds each layer of dist-manifests/%s, namespaces included', (env) => {
    const dir = join(REPO_ROOT, 'dist-manifests', env);
    const tenants = kindsOf(kustomize(join(dir, 'tenants')));
    // sandbox has two tenants; staging also has the reporting tenant, on Fargate.
    expect(tenants.filter((kind) => kind === 'Namespace')).toHaveLength(
      AUTO_MODE.has(env) ? 2 : env === 'staging' ? 4 : 3,
    );
    expect(tenants).toContain('ResourceQuota');
    expect(tenants).toContain('LimitRange');
    expect(tenants).not.toContain('NodePool');
    const platform = kindsOf(kustomize(join(dir, 'platform')));
    expect(platform).not.toContain('Namespace');
    if (AUTO_MODE.has(env)) {
      expect(platform).toEqual(
        expect.arrayContaining(['StorageClass', 'PriorityClass', 'NodeClass', 'NodePool', 'ConfigMap']),
      );
      expect(platform).not.toContain('EC2NodeClass');
    } else {
      expect(platform).toEqual(expect.arrayContaining(['StorageClass', 'PriorityClass', 'EC2NodeClass', 'NodePool']));
      if (WIRING[env] === 'flux')
        expect(kindsOf(kustomize(join(dir, 'crds'))).sort()).toEqual(['HelmRelease', 'OCIRepository']);
      expect(kindsOf(kustomize(join(dir, 'karpenter'))).sort()).toEqual(
        WIRING[env] === 'flux' ? ['HelmRelease', 'OCIRepository'] : ['Application'],
      );
    }
    // JupyterHub everywhere (its release, namespace, StorageClass and spawner RBAC in tenant namespaces); the History
    // Server (plain workloads) in staging and prod.
    const releaseKinds = WIRING[env] === 'flux' ? ['HelmRelease', 'HelmRepository'] : ['Application'];
    const history =
      env === 'dev' || env === 'sandbox' ? [] : ['ServiceAccount', 'Deployment', 'Service', 'NetworkPolicy'];
    // Prometheus everywhere too: dashboard ConfigMaps, and its namespace, StorageClass and release (an OCI chart with
    // Flux) in server mode, PodMonitors and the PrometheusRule in operator mode.
    const prometheusKinds = PROMETHEUS_OPERATOR.has(env)
      ? ['ConfigMap', 'PodMonitor', 'PrometheusRule']
      : ['ConfigMap', ...(WIRING[env] === 'flux' ? ['OCIRepository'] : [])];
    // JupyterHub's NetworkPolicies in the served tenant namespaces (notebook servers to and from the hub).
    expect(new Set(kindsOf(kustomize(join(dir, 'addons'))))).toEqual(
      new Set([
        'Namespace',
        'StorageClass',
        'Role',
        'RoleBinding',
        'NetworkPolicy',
        ...releaseKinds,
        ...prometheusKinds,
        ...history,
      ]),
    );
  });

  it.each(ENVIRONMENTS)(
    'kubectl kustomize builds the wiring of dist-manifests/%s, and every folder it points at is committed',
    (env) => {
      const built = kustomize(join(REPO_ROOT, 'dist-manifests', env, WIRING[env]!));
      const paths = [...built.matchAll(/^ {4}path: (\S+)$/gm), ...built.matchAll(/^ {2}path: (\S+)$/gm)]
        .map((match) => match[1]!)
        .filter((path) => path !== '"."' && path !== '.');
      expect(paths.length).toBeGreaterThanOrEqual(WIRING[env] === 'flux' && !AUTO_MODE.has(env) ? 4 : 3);
      for (const path of paths) {
        expect(path.replace(/^\.\//, ''), path).toMatch(new RegExp(`^dist-manifests/${env}/`));
        expect(existsSync(join(REPO_ROOT, path, 'kustomization.yaml')), path).toBe(true);
      }
    },
  );
});
