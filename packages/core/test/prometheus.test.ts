import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  ArgoApplication,
  FluxHelmRelease,
  HelmValuesError,
  PROMETHEUS_CHART,
  PrometheusServer,
  SparkPodMonitors,
  sparkScrapeConfigs,
  type PrometheusServerProps,
} from '../src/index.js';
import { configurationErrorOf, validationFindings } from './helpers.js';

const tenants = [
  { name: 'analytics', namespace: 'spark-analytics' },
  { name: 'ml', namespace: 'spark-ml' },
];
const props: PrometheusServerProps = {
  scrape: { tenants },
  storageSize: '20Gi',
  retention: '7d',
  service: { type: 'NodePort', port: 80, nodePort: 30006 },
  resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '2Gi' } },
};
const build = (overrides: Partial<PrometheusServerProps>) =>
  new PrometheusServer(new Chart(new App(), 'p'), 'prometheus', { ...props, ...overrides });

describe('PrometheusServer', () => {
  it("refuses values its pinned chart's schema refuses as a HelmValuesError (rule helm-values), naming the value", () => {
    // A JavaScript caller's boolean as a string reaches the chart's values unchecked by the props: helm install would refuse it.
    const error = configurationErrorOf(() => build({ lifecycleApi: 'yes' as unknown as boolean }));
    expect(error).toBeInstanceOf(HelmValuesError);
    expect(error.message).toBe(
      `values: the prometheus chart ${PROMETHEUS_CHART.version} refuses its values: /configmapReload/prometheus/enabled must be boolean`,
    );
  });

  it('renders the monitoring namespace and its own encrypted gp3 StorageClass, valid, and values for the pinned chart', () => {
    const chart = new Chart(new App(), 'p');
    const server = new PrometheusServer(chart, 'prometheus', { ...props, managedNodeGroups: ['system'] });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Namespace/monitoring',
      'StorageClass/prometheus-gp3',
    ]);
    expect(validationFindings(Testing.synth(chart))).toEqual([]);
    expect(server.chart).toEqual(PROMETHEUS_CHART);
    const values = server.values as any;
    expect(values.server.persistentVolume).toEqual({
      enabled: true,
      size: '20Gi',
      storageClass: 'prometheus-gp3',
      accessModes: ['ReadWriteOnce'],
    });
    expect(
      values.server.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
        .matchExpressions,
    ).toEqual([
      { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
      { key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['system'] },
    ]);
  });

  it('the lifecycle API only when asked: otherwise no flag, no reloader calling it, and Prometheus reloads its file itself', () => {
    const off = build({}).values as any;
    expect(off.server.extraFlags).toEqual(['enable-feature=auto-reload-config', 'config.auto-reload-interval=30s']);
    expect(off.configmapReload.prometheus.enabled).toBe(false);
    const on = build({ lifecycleApi: true }).values as any;
    expect(on.server.extraFlags).toEqual(['web.enable-lifecycle']);
    expect(on.configmapReload.prometheus.enabled).toBe(true);
  });

  it('a PodMonitor for the notebook servers of a tenant with notebookDrivers, selecting the client-mode driver label', () => {
    const chart = new Chart(new App(), 'm');
    new SparkPodMonitors(chart, 'm', { tenants: [{ ...tenants[0]!, notebookDrivers: true }, tenants[1]!] });
    const monitors = Testing.synth(chart);
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual([
      'karpenter',
      'spark-analytics',
      'spark-analytics-notebooks',
      'spark-ml',
    ]);
    const notebooks = monitors.find((m) => m.metadata.name === 'spark-analytics-notebooks')!;
    expect(notebooks.spec.selector).toEqual({ matchLabels: { 'emr-eks-gitops.io/spark-client-driver': 'true' } });
    expect(validationFindings(monitors)).toEqual([]);
  });

  it('refuses what the chart or Kubernetes would refuse, naming the field', () => {
    expect(configurationErrorOf(() => build({ service: { type: 'ClusterIP', port: 80, nodePort: 30006 } })).field).toBe(
      'service.nodePort',
    );
    expect(configurationErrorOf(() => build({ service: { type: 'NodePort', port: 80, nodePort: 8080 } })).field).toBe(
      'service.nodePort',
    );
    expect(configurationErrorOf(() => build({ retention: '7 days' })).field).toBe('retention');
    expect(configurationErrorOf(() => build({ retentionSize: '10GiB' })).field).toBe('retentionSize');
    expect(configurationErrorOf(() => build({ storageSize: 'big' })).field).toBe('storageSize');
    expect(configurationErrorOf(() => build({ scrape: { tenants: [] } })).field).toBe('tenants');
    expect(
      configurationErrorOf(() =>
        build({ scrape: { tenants: [tenants[0]!, { name: 'other', namespace: 'spark-analytics' }] } }),
      ).field,
    ).toBe('tenants[1].namespace');
  });
});

describe('sparkScrapeConfigs', () => {
  it('gives every tenant namespace its tenant, and drops targets of no tenant', () => {
    const [driver] = sparkScrapeConfigs({ tenants });
    const tenantRules = driver!.relabel_configs.filter((rule) => rule.target_label === 'tenant');
    expect(tenantRules.map((rule) => [rule.regex, rule.replacement])).toEqual([
      ['spark-analytics', 'analytics'],
      ['spark-ml', 'ml'],
    ]);
    expect(driver!.relabel_configs).toContainEqual({ source_labels: ['tenant'], regex: '.+', action: 'keep' });
  });
});

describe('SparkPodMonitors', () => {
  it('one PodMonitor per tenant and one for Karpenter, in monitoring, valid against the prometheus-operator schema', () => {
    const chart = new Chart(new App(), 'm');
    new SparkPodMonitors(chart, 'spark', { tenants, labels: { release: 'kube-prometheus-stack' } });
    expect(Testing.synth(chart).map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'monitoring/spark-analytics',
      'monitoring/spark-ml',
      'monitoring/karpenter',
    ]);
    expect(validationFindings(Testing.synth(chart))).toEqual([]);
  });

  it('a PodMonitor with a field the CRD does not know is caught (the check is not vacuous)', () => {
    const chart = new Chart(new App(), 'm');
    new SparkPodMonitors(chart, 'spark', { tenants });
    const [first, ...rest] = Testing.synth(chart);
    const broken = { ...first, spec: { ...first.spec, podMetricsEndpoint: [] } };
    expect(validationFindings([broken, ...rest]).join('\n')).toContain('podMetricsEndpoint');
  });
});

describe('Helm delivery of the release values', () => {
  it('Flux: values and dependsOn on the HelmRelease; Argo CD: the same values as valuesObject; all valid', () => {
    const chart = new Chart(new App(), 'd');
    const server = new PrometheusServer(chart, 'prometheus', props);
    new FluxHelmRelease(chart, 'flux', {
      chart: server.chart,
      values: server.values,
      dependsOn: ['karpenter'],
      interval: '5m',
      timeout: '10m',
      keepWhenRemovedFromGit: false,
    });
    new ArgoApplication(chart, 'argo', {
      name: 'prometheus',
      namespace: 'argocd',
      project: 'default',
      source: { helm: server.chart, values: server.values },
      destinationServer: 'https://kubernetes.default.svc',
      prune: true,
      selfHeal: true,
      retry: { limit: 5, backoff: '1m', maxBackoff: '5m' },
    });
    const objects = Testing.synth(chart);
    expect(validationFindings(objects)).toEqual([]);
    const release = objects.find((o) => o.kind === 'HelmRelease')!;
    expect(release.spec.dependsOn).toEqual([{ name: 'karpenter' }]);
    expect(release.spec.values).toEqual(server.values);
    expect(release.metadata.annotations).toBeUndefined();
    const application = objects.find((o) => o.kind === 'Application')!;
    expect(application.spec.source).toMatchObject({
      repoURL: PROMETHEUS_CHART.url,
      targetRevision: PROMETHEUS_CHART.version,
      helm: { releaseName: 'prometheus', valuesObject: server.values },
    });
    expect(application.spec.destination.namespace).toBe('monitoring');
  });
});
