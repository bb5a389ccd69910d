import { App, ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ARGOCD_RESOURCES_FINALIZER, KARPENTER_CRD_CHART, hasErrors, validateObjects } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { ManifestChart } from '../src/charts/manifest-chart.js';
import { deliveryCharts } from '../src/charts/delivery-chart.js';

const ENVIRONMENTS = ['dev', 'prod', 'staging'] as const;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

import { deliveryGraph, deliveryObjects, ancestors, layerOf, type AnyObject } from './delivery-graph.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

describe.each(ENVIRONMENTS)('delivery of %s', (env) => {
  const config = load(env);
  const result = renderEnvironment(config);
  const graph = deliveryGraph(result);

  it('every Flux / Argo CD object passes strict schema validation', () => {
    const objects = deliveryObjects(result);
    expect(objects.length).toBeGreaterThanOrEqual(4);
    const findings = validateObjects(objects, {
      environment: env,
      production: config.production ?? false,
      kubernetesVersion: config.cluster.kubernetesVersion,
    });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('every path the wiring points at is a rendered folder with a kustomization.yaml, and no top-level kustomization', () => {
    const folders = [...graph.values()].flatMap((node) => (node.folder !== undefined ? [node.folder] : []));
    expect(folders.length).toBeGreaterThanOrEqual(3);
    for (const folder of folders) expect(result.files.has(`${folder}/kustomization.yaml`), folder).toBe(true);
    expect(result.files.has('kustomization.yaml')).toBe(false);
  });

  it('Karpenter CRDs come first, pinned to the schema version; NodePools and EC2NodeClasses only after them', () => {
    const crdLayer = [...graph.values()].find((node) => node.chart === KARPENTER_CRD_CHART.url);
    expect(crdLayer, 'a layer installs karpenter-crd').toBeDefined();
    const wiring = new Set(
      [...graph.values()].filter((node) => node.folder === 'flux' || node.folder === 'argocd').map((node) => node.id),
    );
    expect(
      [...ancestors(graph, crdLayer!.id)].filter((id) => !wiring.has(id)),
      'nothing but the wiring precedes the CRDs',
    ).toEqual([]);
    expect(KARPENTER_CRD_CHART.version).toBe('1.14.1');
    const karpenterObjects = result.objects.filter(
      (o) => o.applied && /karpenter\.(sh|k8s\.aws)\//.test(o.object.apiVersion),
    );
    expect(karpenterObjects.map((o) => o.object.kind).sort()).toEqual(
      expect.arrayContaining(['EC2NodeClass', 'NodePool']),
    );
    for (const object of karpenterObjects) {
      const layer = layerOf(graph, object.path);
      expect(layer, object.path).toBeDefined();
      expect(ancestors(graph, layer!.id), `${object.path} waits for the CRDs`).toContain(crdLayer!.id);
    }
  });

  it('no tenant object syncs before the platform layer', () => {
    const platform = layerOf(graph, 'platform/kustomization.yaml')!;
    const tenantObjects = result.objects.filter((o) => o.applied && o.path.startsWith('tenants/'));
    expect(tenantObjects.length).toBeGreaterThan(10);
    for (const object of tenantObjects)
      expect(ancestors(graph, layerOf(graph, object.path)!.id), object.path).toContain(platform.id);
  });

  it('every namespaced object syncs with or after the layer of its rendered Namespace (add-ons included, once they exist)', () => {
    const namespaces = new Map(
      result.objects
        .filter((o) => o.applied && o.object.kind === 'Namespace')
        .map((o) => [o.object.metadata.name, o.path]),
    );
    for (const object of result.objects.filter((o) => o.applied)) {
      const namespacePath = object.object.metadata.namespace && namespaces.get(object.object.metadata.namespace);
      if (!namespacePath) continue; // flux-system, argocd, kube-system: the controllers' own
      const layer = layerOf(graph, object.path)!;
      const namespaceLayer = layerOf(graph, namespacePath)!;
      expect(namespaceLayer.id === layer.id || ancestors(graph, layer.id).has(namespaceLayer.id), object.path).toBe(
        true,
      );
    }
  });

  it('every applied object is applied by exactly one layer', () => {
    for (const object of result.objects.filter((o) => o.applied)) {
      const owners = [...graph.values()].filter((node) => node.folder && object.path.startsWith(`${node.folder}/`));
      expect(owners.length, object.path).toBe(1);
    }
  });
});

describe('delivery engines', () => {
  it('staging is delivered by Argo CD with sync waves, dev and prod by Flux; the repository comes from the environment file', () => {
    const kinds = (env: string) => new Set(deliveryObjects(renderEnvironment(load(env))).map((o) => o.object.kind));
    expect([...kinds('staging')]).toEqual(['Application']);
    expect([...kinds('prod')].sort()).toEqual([
      'GitRepository',
      'HelmRelease',
      'HelmRepository',
      'Kustomization',
      'OCIRepository',
    ]);
    const prod = renderEnvironment(load('prod'));
    const git = prod.objects.find((o) => o.object.kind === 'GitRepository')!.object as AnyObject;
    expect(git.spec).toMatchObject({
      url: 'ssh://git@github.com/acme-data/emr-eks-gitops.git',
      ref: { branch: 'main' },
      interval: '5m',
      secretRef: { name: 'emr-eks-gitops-deploy-key' },
    });
    for (const k of prod.objects.filter((o) => o.object.kind === 'Kustomization').map((o) => o.object as AnyObject)) {
      expect(k.spec).toMatchObject({
        prune: true,
        timeout: '15m',
        retryInterval: '2m',
        sourceRef: { kind: 'GitRepository', name: git.metadata.name },
      });
    }
    const release = prod.objects.find(
      (o) => o.object.kind === 'HelmRelease' && o.object.metadata.name === KARPENTER_CRD_CHART.name,
    )!.object as AnyObject;
    expect(release.spec.install).toEqual({ crds: 'CreateReplace', remediation: { retries: 3 } });
    expect(release.spec.upgrade).toMatchObject({ crds: 'CreateReplace', remediation: { retries: 3 } });
    expect(release.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });

    const staging = renderEnvironment(load('staging'));
    const crds = staging.objects.find((o) => o.object.metadata.name === 'emr-eks-gitops-staging-crds')!
      .object as AnyObject;
    expect(crds.spec.source).toMatchObject({ repoURL: KARPENTER_CRD_CHART.url, targetRevision: '1.14.1' });
    expect(crds.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(crds.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  // Argo CD user guide, "App Deletion": the resources finalizer makes deleting an Application delete its resources,
  // which "enables cascading deletes when implementing the App of Apps pattern"; "Sync Options": Delete=false keeps one.
  it('Argo CD: layers and add-ons cascade their deletion, the CRDs and the root never do, kept objects say Delete=false', () => {
    const staging = renderEnvironment(load('staging'));
    const applications = staging.objects
      .filter((o) => o.object.kind === 'Application')
      .map((o) => o.object as AnyObject & { metadata: { finalizers?: string[] } });
    const finalized = (name: string) => applications.find((a) => a.metadata.name === name)!.metadata.finalizers;
    expect(applications.length).toBeGreaterThan(6);
    for (const application of applications) {
      const keep =
        application.metadata.annotations?.['argocd.argoproj.io/sync-options']?.includes('Prune=false') ?? false;
      const root = application.metadata.name === 'emr-eks-gitops-staging';
      expect(application.metadata.finalizers, application.metadata.name).toEqual(
        keep || root ? undefined : [ARGOCD_RESOURCES_FINALIZER],
      );
    }
    expect(finalized('emr-eks-gitops-staging-tenants')).toEqual([ARGOCD_RESOURCES_FINALIZER]);
    // The nested Karpenter controller Application goes with its layer instead of staying behind.
    expect(finalized('emr-eks-gitops-staging-addon-karpenter')).toEqual([ARGOCD_RESOURCES_FINALIZER]);
    expect(finalized('emr-eks-gitops-staging-crds')).toBeUndefined();
    expect(
      applications.find((a) => a.metadata.name === 'emr-eks-gitops-staging-crds')!.metadata.annotations![
        'argocd.argoproj.io/sync-options'
      ],
    ).toBe('Prune=false,Delete=false');
    // The README says exactly when the sync waves order the layers.
    expect(staging.files.get('README.md')).toContain('A commit that changes only files inside layer folders');
  });

  it('a broken Flux object is caught by the same validation (the check is not vacuous)', () => {
    const config = load('dev');
    const objects = deliveryObjects(renderEnvironment(config)).map((o) =>
      o.object.kind === 'Kustomization'
        ? { ...o, object: { ...o.object, spec: { ...(o.object as AnyObject).spec, wait: 'yes', pruned: true } } }
        : o,
    );
    expect(
      hasErrors(
        validateObjects(objects, {
          environment: 'dev',
          production: false,
          kubernetesVersion: config.cluster.kubernetesVersion,
        }),
      ),
    ).toBe(true);
  });

  it('an environment without delivery: renders no wiring and no CRD layer', () => {
    const config = load('dev');
    // Add-ons are Helm releases, which need a controller: the load refuses them without a delivery section.
    const result = renderEnvironment({ ...config, delivery: undefined, addons: undefined });
    expect([...result.files.keys()].filter((path) => /^(flux|argocd|crds)\//.test(path))).toEqual([]);
    expect(result.files.get('README.md')).toContain('this environment has no `delivery:` section, so nothing is wired');
  });

  it.each(['flux', 'argocd'] as const)(
    'the add-ons slot: an addons/ chart with content is wired after the tenants (%s)',
    (engine) => {
      const base = load(engine === 'flux' ? 'dev' : 'staging');
      const wiringOf = (addonObjects: boolean) => {
        const app = new App();
        const chart = (id: string, folder: string) =>
          new ManifestChart(app, id, { folder, environment: base.name, configPath: [] });
        const tenants = chart('tenants', 'tenants/a');
        new ApiObject(tenants, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
        const platform = chart('platform', 'platform/x');
        new ApiObject(platform, 'sc', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', namespace: 'default' },
        });
        const addon = chart('jupyterhub', 'addons/jupyterhub');
        if (addonObjects)
          new ApiObject(addon, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jupyterhub' } });
        return deliveryCharts(app, base, [platform, tenants, addon]).at(-1)!.toJson() as AnyObject[];
      };
      // An add-on chart without objects is not wired.
      expect(
        wiringOf(false)
          .map((o) => o.metadata.name)
          .join(' '),
      ).not.toContain('addons');
      const wiring = wiringOf(true);
      const addons = wiring.find((o) => o.metadata.name.endsWith('-addons'))!;
      const tenantsLayer = wiring.find((o) => o.metadata.name.endsWith('-tenants'))!;
      if (engine === 'flux') {
        expect(addons.spec.dependsOn).toEqual([{ name: tenantsLayer.metadata.name }]);
        expect(addons.spec.path).toBe(`./dist-manifests/${base.name}/addons`);
      } else {
        const wave = (o: AnyObject) => Number(o.metadata.annotations!['argocd.argoproj.io/sync-wave']);
        expect(wave(addons)).toBe(wave(tenantsLayer) + 1);
        expect(addons.spec.source.path).toBe(`dist-manifests/${base.name}/addons`);
      }
    },
  );
});

describe('retiring a tenant', () => {
  const retire = (text: string) => text.replace('  - name: ml\n', '  - name: ml\n    retired: true\n');

  it.each(ENVIRONMENTS)('%s: keeps its namespace and objects, never pruned, and drops its Spark artifacts', (env) => {
    const before = renderEnvironment(load(env));
    const after = renderEnvironment(load(env, retire));
    const own = (result: RenderResult) => result.objects.filter((o) => o.path.startsWith('tenants/ml/'));
    expect(own(after).map((o) => o.path)).toEqual(own(before).map((o) => o.path));
    for (const { object } of own(after)) {
      expect(object.metadata.annotations).toMatchObject({
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      });
    }
    expect([...before.files.keys()].filter((path) => path.startsWith('artifacts/tenants/ml/')).length).toBeGreaterThan(
      0,
    );
    expect([...after.files.keys()].filter((path) => path.startsWith('artifacts/tenants/ml/'))).toEqual([]);
    // Other tenants are untouched, and the retired one is still in the tenants kustomization.
    expect(after.files.get('tenants/data-eng/namespace-spark-data-eng.yaml')).toBe(
      before.files.get('tenants/data-eng/namespace-spark-data-eng.yaml'),
    );
    expect(after.files.get('tenants/kustomization.yaml')).toContain('- ml');
    expect(after.files.get('README.md')).toContain('| ml (retired) |');
  });

  it('is exposed on the config for the emr commands', () => {
    const config = load('dev', retire);
    expect(config.tenants.map((tenant) => [tenant.name, tenant.retired ?? false])).toEqual([
      ['app-dev', false],
      ['data-eng', false],
      ['ml', true],
    ]);
  });
});
