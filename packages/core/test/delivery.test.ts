import { readFileSync } from 'node:fs';
import { type Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  ArgoApplication,
  FluxGitRepository,
  FluxHelmRelease,
  FluxKustomization,
  KARPENTER_CHART,
  KARPENTER_CRD_CHART,
  helmRelease,
  validateObjects,
  type HelmDelivery,
} from '../src/index.js';
import { configurationErrorOf, synthByName } from './helpers.js';

const validate = (chart: Chart) =>
  validateObjects(
    Testing.synth(chart).map((object, index) => ({ path: `wiring/${index}.yaml`, object, applied: true })),
    { environment: 'test', production: true, kubernetesVersion: '1.31' },
  );

describe('delivery builders', () => {
  it('Flux: GitRepository, Kustomizations with dependsOn and an OCI HelmRelease pass the Flux CRD schemas', () => {
    const chart = Testing.chart();
    const source = new FluxGitRepository(chart, 'Source', {
      name: 'repo',
      url: 'https://git.example.com/gitops.git',
      branch: 'main',
      interval: '1m',
    });
    new FluxKustomization(chart, 'Crds', {
      name: 'crds',
      sourceName: source.name,
      path: './crds',
      interval: '5m',
      retryInterval: '1m',
      timeout: '5m',
      prune: true,
      wait: true,
    });
    new FluxKustomization(chart, 'Platform', {
      name: 'platform',
      sourceName: source.name,
      path: './platform',
      interval: '5m',
      retryInterval: '1m',
      timeout: '5m',
      prune: true,
      wait: true,
      dependsOn: ['crds'],
    });
    new FluxHelmRelease(chart, 'KarpenterCrd', { chart: KARPENTER_CRD_CHART, interval: '10m', timeout: '5m' });
    const objects = synthByName(chart);
    expect(objects['Kustomization/platform'].spec.dependsOn).toEqual([{ name: 'crds' }]);
    expect(objects['Kustomization/crds'].spec.dependsOn).toBeUndefined();
    expect(objects['OCIRepository/karpenter-crd'].spec).toMatchObject({
      url: 'oci://public.ecr.aws/karpenter/karpenter-crd',
      ref: { tag: '1.14.1' },
    });
    expect(objects['HelmRelease/karpenter-crd'].spec.chartRef).toEqual({
      kind: 'OCIRepository',
      name: 'karpenter-crd',
    });
    expect(objects['HelmRelease/karpenter-crd'].metadata.annotations).toEqual({
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('Argo CD: an Application from Git and one from the OCI chart pass the Application CRD schema', () => {
    const chart = Testing.chart();
    const common = {
      namespace: 'argocd',
      project: 'default',
      destinationServer: 'https://kubernetes.default.svc',
      prune: true,
      selfHeal: false,
      retry: { limit: 3, backoff: '30s', maxBackoff: '5m' },
    };
    new ArgoApplication(chart, 'Crds', {
      ...common,
      name: 'crds',
      source: { helm: KARPENTER_CRD_CHART },
      syncWave: 1,
      syncOptions: ['ServerSideApply=true'],
      keepWhenRemovedFromGit: true,
    });
    new ArgoApplication(chart, 'Platform', {
      ...common,
      name: 'platform',
      source: { git: { repoURL: 'https://git.example.com/gitops.git', targetRevision: 'main', path: 'platform' } },
      syncWave: 2,
    });
    const objects = synthByName(chart);
    expect(objects['Application/crds'].metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
    expect(objects['Application/crds'].metadata.finalizers).toBeUndefined();
    expect(objects['Application/crds'].spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
      namespace: 'kube-system',
    });
    expect(objects['Application/platform'].spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
    // Removed from Git, it takes what it applied with it (cascading delete through the resources finalizer).
    expect(objects['Application/platform'].metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(
      () =>
        new ArgoApplication(chart, 'Both', {
          ...common,
          name: 'both',
          source: { helm: KARPENTER_CRD_CHART },
          keepWhenRemovedFromGit: true,
          cascadeDelete: true,
        }),
    ).toThrow('cascadeDelete: cannot go with keepWhenRemovedFromGit');
  });

  it('refuses a chart version range, a chart neither oci:// nor https://, a path outside the repository root and a bad duration', () => {
    const chart = Testing.chart();
    expect(
      configurationErrorOf(
        () =>
          new FluxHelmRelease(chart, 'A', {
            chart: { ...KARPENTER_CRD_CHART, version: '1.x' },
            interval: '5m',
            timeout: '5m',
          }),
      ).field,
    ).toBe('chart.version');
    expect(
      configurationErrorOf(
        () =>
          new FluxHelmRelease(chart, 'B', {
            chart: { ...KARPENTER_CRD_CHART, url: 'http://charts.example.com' },
            interval: '5m',
            timeout: '5m',
          }),
      ).field,
    ).toBe('chart.url');
    expect(
      configurationErrorOf(
        () =>
          new FluxHelmRelease(chart, 'B2', {
            chart: KARPENTER_CHART,
            releaseName: 'Karpenter',
            interval: '5m',
            timeout: '5m',
          }),
      ).field,
    ).toBe('releaseName');
    expect(
      configurationErrorOf(
        () =>
          new ArgoApplication(chart, 'B3', {
            name: 'x',
            namespace: 'argocd',
            project: 'default',
            destinationServer: 'https://kubernetes.default.svc',
            prune: true,
            selfHeal: true,
            retry: { limit: 1, backoff: '1m', maxBackoff: '5m' },
            source: { helm: { ...KARPENTER_CHART, version: '>=1.0.0' } },
          }),
      ).field,
    ).toBe('source.helm.version');
    expect(
      configurationErrorOf(
        () =>
          new FluxKustomization(chart, 'C', {
            name: 'c',
            sourceName: 's',
            path: 'platform',
            interval: '5m',
            retryInterval: '1m',
            timeout: '5m',
            prune: true,
            wait: true,
          }),
      ).field,
    ).toBe('path');
    expect(
      configurationErrorOf(
        () =>
          new FluxGitRepository(chart, 'D', {
            name: 'd',
            url: 'https://git.example.com/x.git',
            branch: 'main',
            interval: 'often',
          }),
      ).field,
    ).toBe('interval');
  });

  describe('helmRelease: one release, either engine', () => {
    const values = { replicas: 2, settings: { clusterName: 'c' } };
    const HTTPS_CHART = {
      name: 'kube-prometheus-stack',
      url: 'https://prometheus-community.github.io/helm-charts',
      version: '79.1.0',
      namespace: 'monitoring',
    };
    const argo: HelmDelivery = {
      engine: 'argocd',
      applicationNamePrefix: 'env-addon-',
      namespace: 'argocd',
      project: 'default',
      destinationServer: 'https://kubernetes.default.svc',
      prune: true,
      selfHeal: true,
      retry: { limit: 5, backoff: '2m', maxBackoff: '10m' },
    };

    it('Flux, OCI chart: OCIRepository + HelmRelease v2 with remediation, dependsOn, CRDs skipped and the values', () => {
      const chart = Testing.chart();
      helmRelease(
        chart,
        'K',
        {
          chart: KARPENTER_CHART,
          namespace: 'karpenter',
          values,
          dependsOn: ['karpenter-crd'],
          skipCrds: true,
          createNamespace: true,
        },
        { engine: 'flux', interval: '5m', timeout: '10m' },
      );
      const objects = synthByName(chart);
      expect(Object.keys(objects).sort()).toEqual(['HelmRelease/karpenter', 'OCIRepository/karpenter']);
      const spec = objects['HelmRelease/karpenter'].spec;
      expect(spec).toMatchObject({
        chartRef: { kind: 'OCIRepository', name: 'karpenter' },
        dependsOn: [{ name: 'karpenter-crd' }],
        releaseName: 'karpenter',
        targetNamespace: 'karpenter',
        storageNamespace: 'karpenter',
        values,
        install: { crds: 'Skip', createNamespace: true, remediation: { retries: 3 } },
        upgrade: { crds: 'Skip', remediation: { retries: 3, remediateLastFailure: true, strategy: 'rollback' } },
      });
      expect(objects['OCIRepository/karpenter'].spec.ref).toEqual({ tag: KARPENTER_CRD_CHART.version });
      // An add-on is uninstalled when it leaves Git (only CRDs are kept).
      expect(objects['HelmRelease/karpenter'].metadata.annotations).toBeUndefined();
      expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
    });

    it('Flux, HTTPS chart: HelmRepository + HelmRelease with chart.spec pinned to the version', () => {
      const chart = Testing.chart();
      helmRelease(
        chart,
        'P',
        { chart: HTTPS_CHART, releaseName: 'prometheus', namespace: 'monitoring', values },
        { engine: 'flux', interval: '5m', timeout: '10m' },
      );
      const objects = synthByName(chart);
      expect(objects['HelmRepository/prometheus'].spec).toEqual({ interval: '5m', url: HTTPS_CHART.url });
      expect(objects['HelmRelease/prometheus'].spec.chart).toEqual({
        spec: {
          chart: 'kube-prometheus-stack',
          version: '79.1.0',
          sourceRef: { kind: 'HelmRepository', name: 'prometheus' },
          interval: '5m',
        },
      });
      expect(objects['HelmRelease/prometheus'].spec.install.crds).toBe('CreateReplace');
      expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
    });

    it('Argo CD: an Application with the chart as Helm source and the same values as valuesObject (OCI and HTTPS)', () => {
      const chart = Testing.chart();
      helmRelease(
        chart,
        'K',
        { chart: KARPENTER_CHART, namespace: 'kube-system', values, dependsOn: ['karpenter-crd'], skipCrds: true },
        argo,
      );
      helmRelease(
        chart,
        'P',
        { chart: HTTPS_CHART, releaseName: 'prometheus', namespace: 'monitoring', values, createNamespace: true },
        argo,
      );
      const objects = synthByName(chart);
      expect(objects['Application/env-addon-karpenter'].spec.source).toEqual({
        repoURL: KARPENTER_CHART.url,
        targetRevision: '1.14.1',
        path: '.',
        helm: { releaseName: 'karpenter', skipCrds: true, valuesObject: values },
      });
      expect(objects['Application/env-addon-karpenter'].spec.destination).toEqual({
        server: 'https://kubernetes.default.svc',
        namespace: 'kube-system',
      });
      expect(objects['Application/env-addon-prometheus'].spec.source).toEqual({
        repoURL: HTTPS_CHART.url,
        chart: 'kube-prometheus-stack',
        targetRevision: '79.1.0',
        helm: { releaseName: 'prometheus', valuesObject: values },
      });
      expect(objects['Application/env-addon-prometheus'].spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
      expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
    });
  });

  it('the pinned Karpenter CRD chart is the release the bundled NodePool and EC2NodeClass schemas come from', () => {
    const sources = readFileSync(new URL('../schemas/SOURCES.md', import.meta.url), 'utf8');
    for (const line of sources.split('\n').filter((l) => /nodepool_v1|ec2nodeclass_v1/.test(l))) {
      expect(line).toContain(`aws/karpenter-provider-aws v${KARPENTER_CRD_CHART.version}`);
    }
  });
});

describe('Karpenter controller chart', () => {
  it("is pinned to the CRD chart's version", () => {
    expect(KARPENTER_CHART).toMatchObject({
      url: 'oci://public.ecr.aws/karpenter/karpenter',
      version: KARPENTER_CRD_CHART.version,
    });
  });
});
