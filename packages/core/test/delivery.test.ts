import { readFileSync } from 'node:fs';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  ArgoApplication, FluxGitRepository, FluxHelmRelease, FluxKustomization, KARPENTER_CRD_CHART, validateObjects,
} from '../src/index.js';
import { configurationErrorOf, synthByName } from './helpers.js';

const validate = (chart: Chart) => validateObjects(
  Testing.synth(chart).map((object, index) => ({ path: `wiring/${index}.yaml`, object, applied: true })),
  { environment: 'test', production: true, kubernetesVersion: '1.31' },
);

describe('delivery builders', () => {
  it('Flux: GitRepository, Kustomizations with dependsOn and an OCI HelmRelease pass the Flux CRD schemas', () => {
    const chart = Testing.chart();
    const source = new FluxGitRepository(chart, 'Source', { name: 'repo', url: 'https://git.example.com/gitops.git', branch: 'main', interval: '1m' });
    new FluxKustomization(chart, 'Crds', { name: 'crds', sourceName: source.name, path: './crds', interval: '5m', retryInterval: '1m', timeout: '5m', prune: true, wait: true });
    new FluxKustomization(chart, 'Platform', { name: 'platform', sourceName: source.name, path: './platform', interval: '5m', retryInterval: '1m', timeout: '5m', prune: true, wait: true, dependsOn: ['crds'] });
    new FluxHelmRelease(chart, 'KarpenterCrd', { chart: KARPENTER_CRD_CHART, interval: '10m', timeout: '5m' });
    const objects = synthByName(chart);
    expect(objects['Kustomization/platform'].spec.dependsOn).toEqual([{ name: 'crds' }]);
    expect(objects['Kustomization/crds'].spec.dependsOn).toBeUndefined();
    expect(objects['OCIRepository/karpenter-crd'].spec).toMatchObject({ url: 'oci://public.ecr.aws/karpenter/karpenter-crd', ref: { tag: '1.14.1' } });
    expect(objects['HelmRelease/karpenter-crd'].spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'karpenter-crd' });
    expect(objects['HelmRelease/karpenter-crd'].metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('Argo CD: an Application from Git and one from the OCI chart pass the Application CRD schema', () => {
    const chart = Testing.chart();
    const common = { namespace: 'argocd', project: 'default', destinationServer: 'https://kubernetes.default.svc', prune: true, selfHeal: false, retry: { limit: 3, backoff: '30s', maxBackoff: '5m' } };
    new ArgoApplication(chart, 'Crds', { ...common, name: 'crds', source: { helm: KARPENTER_CRD_CHART }, syncWave: 1, syncOptions: ['ServerSideApply=true'], keepWhenRemovedFromGit: true });
    new ArgoApplication(chart, 'Platform', { ...common, name: 'platform', source: { git: { repoURL: 'https://git.example.com/gitops.git', targetRevision: 'main', path: 'platform' } }, syncWave: 2 });
    const objects = synthByName(chart);
    expect(objects['Application/crds'].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1', 'argocd.argoproj.io/sync-options': 'Prune=false' });
    expect(objects['Application/crds'].spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'kube-system' });
    expect(objects['Application/platform'].spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
    expect(objects['Application/platform'].metadata.finalizers).toBeUndefined();
    expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('refuses a chart version range, a non-OCI chart, a path outside the repository root and a bad duration', () => {
    const chart = Testing.chart();
    expect(configurationErrorOf(() => new FluxHelmRelease(chart, 'A', { chart: { ...KARPENTER_CRD_CHART, version: '1.x' }, interval: '5m', timeout: '5m' })).field).toBe('chart.version');
    expect(configurationErrorOf(() => new FluxHelmRelease(chart, 'B', { chart: { ...KARPENTER_CRD_CHART, url: 'https://charts.example.com' }, interval: '5m', timeout: '5m' })).field).toBe('chart.url');
    expect(configurationErrorOf(() => new FluxKustomization(chart, 'C', { name: 'c', sourceName: 's', path: 'platform', interval: '5m', retryInterval: '1m', timeout: '5m', prune: true, wait: true })).field).toBe('path');
    expect(configurationErrorOf(() => new FluxGitRepository(chart, 'D', { name: 'd', url: 'https://git.example.com/x.git', branch: 'main', interval: 'often' })).field).toBe('interval');
  });

  it('the pinned Karpenter CRD chart is the release the bundled NodePool and EC2NodeClass schemas come from', () => {
    const sources = readFileSync(new URL('../schemas/SOURCES.md', import.meta.url), 'utf8');
    for (const line of sources.split('\n').filter((l) => /nodepool_v1|ec2nodeclass_v1/.test(l))) {
      expect(line).toContain(`aws/karpenter-provider-aws v${KARPENTER_CRD_CHART.version}`);
    }
  });
});
