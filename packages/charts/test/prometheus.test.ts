import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  KARPENTER_METRICS,
  PROMETHEUS_CHART,
  PROMETHEUS_CHART_DEFAULT_SCRAPE_JOBS,
  SPARK_POD_FACTS,
  helmValuesProblems,
  validateObjects,
  vendoredHelmValuesUrl,
  type ScrapeConfig,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderError, type RenderResult } from '../src/index.js';
import { relabel, scrape, selects, type Labels, type RunningPod } from './scrape-sim.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

type AnyObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Labels };
  spec?: any;
};
const objectsOf = (result: RenderResult, kind: string) =>
  result.objects.filter((o) => o.object.kind === kind).map((o) => o.object as AnyObject);

/** The chart values as delivered: a Flux HelmRelease's `values` or an Argo CD Application's `valuesObject`. */
function releaseValues(result: RenderResult): any {
  const release = objectsOf(result, 'HelmRelease').find((o) => o.metadata.name === PROMETHEUS_CHART.name);
  if (release) return release.spec.values;
  const application = objectsOf(result, 'Application').find((o) => o.spec.source.repoURL === PROMETHEUS_CHART.url);
  return application?.spec.source.helm.valuesObject;
}
const scrapeJobs = (values: any): ScrapeConfig[] =>
  Object.entries(values.scrapeConfigs as Record<string, any>)
    .filter(([, job]) => job.enabled !== false)
    .map(([name, job]) => ({ job_name: name, ...job }));

/** Spark's driver pod of one job: the rendered template's annotations, Spark's labels and its three ports. */
function driverPod(result: RenderResult, tenant: { name: string; namespace: string }, ip: string): RunningPod {
  const template = result.objects.find((o) => o.path === `artifacts/tenants/${tenant.name}/pod-templates/driver.yaml`)!
    .object as AnyObject;
  return {
    namespace: tenant.namespace,
    name: `spark-abc-driver`,
    ip,
    phase: 'Running',
    labels: {
      ...template.metadata.labels,
      [SPARK_POD_FACTS.roleLabel]: 'driver',
      [SPARK_POD_FACTS.appIdLabel]: 'spark-0123abcd',
      'spark-app-name': 'etl',
      'emr-containers.amazonaws.com/resource.type': 'job.run',
    },
    annotations: { ...template.metadata.annotations },
    // Spark's BasicDriverFeatureStep: driver-rpc-port 7078, blockmanager 7079, spark-ui 4040.
    ports: [
      { name: 'driver-rpc-port', containerPort: 7078 },
      { name: 'blockmanager', containerPort: 7079 },
      { name: SPARK_POD_FACTS.uiPortName, containerPort: SPARK_POD_FACTS.uiPort },
    ],
  };
}
const executorPod = (tenant: { namespace: string }, ip: string): RunningPod => ({
  namespace: tenant.namespace,
  name: 'spark-abc-exec-1',
  ip,
  phase: 'Running',
  labels: { [SPARK_POD_FACTS.roleLabel]: 'executor', [SPARK_POD_FACTS.appIdLabel]: 'spark-0123abcd' },
  annotations: {},
  ports: [{ name: 'blockmanager', containerPort: 7079 }],
});

describe.each(ENVIRONMENTS)('Prometheus add-on of %s', (env) => {
  const config = load(env);
  const result = renderEnvironment(config);
  const values = releaseValues(result);
  const jobs = scrapeJobs(values);
  const job = (name: string) => jobs.find((j) => j.job_name === name)!;
  const tenants = config.tenants.filter((t) => !t.retired);
  const addonObjects = result.objects.filter((o) => o.path.startsWith('addons/prometheus/'));

  it('renders the namespace, StorageClass, release and dashboards into addons/prometheus/, every object valid', () => {
    const dashboards = addonObjects.filter((o) => o.object.kind === 'ConfigMap').length;
    expect(dashboards).toBeGreaterThanOrEqual(3);
    expect(
      addonObjects
        .map((o) => o.object.kind)
        .filter((kind) => kind !== 'ConfigMap')
        .sort(),
    ).toEqual(
      config.delivery!.engine === 'flux'
        ? ['HelmRelease', 'Namespace', 'OCIRepository', 'StorageClass']
        : ['Application', 'Namespace', 'StorageClass'],
    );
    const findings = validateObjects(addonObjects, {
      environment: env,
      production: config.production ?? false,
      kubernetesVersion: config.cluster.kubernetesVersion,
    });
    expect(findings).toEqual([]);
    const storageClass = addonObjects.find((o) => o.object.kind === 'StorageClass')!.object as any;
    expect(storageClass.parameters).toMatchObject({ type: 'gp3', encrypted: 'true' });
    expect(values.server.persistentVolume).toMatchObject({ enabled: true, storageClass: storageClass.metadata.name });
  });

  it("the release values pass the chart's own values schema at the pinned version", () => {
    expect(helmValuesProblems(PROMETHEUS_CHART, values)).toEqual([]);
  });

  it("pins the images the chart runs at its version: the server at the chart's appVersion, the reloader at its default", () => {
    const defaults = parse(readFileSync(vendoredHelmValuesUrl(PROMETHEUS_CHART), 'utf8'));
    expect(values.server.image).toEqual({ repository: defaults.server.image.repository, tag: 'v3.14.0' });
    expect(values.configmapReload.prometheus.image).toEqual({
      repository: defaults.configmapReload.prometheus.image.repository,
      tag: defaults.configmapReload.prometheus.image.tag,
    });
  });

  it('turns off every default scrape job of the chart but its own, and its sub-charts but kube-state-metrics', () => {
    const defaults = parse(readFileSync(vendoredHelmValuesUrl(PROMETHEUS_CHART), 'utf8'));
    expect(Object.keys(defaults.scrapeConfigs).sort()).toEqual([...PROMETHEUS_CHART_DEFAULT_SCRAPE_JOBS].sort());
    for (const name of Object.keys(defaults.scrapeConfigs)) {
      expect(values.scrapeConfigs[name]?.enabled ?? true, name).toBe(name === 'prometheus');
    }
    for (const sub of ['alertmanager', 'prometheus-node-exporter', 'prometheus-pushgateway'])
      expect(values[sub].enabled).toBe(false);
    // kube-state-metrics is scraped by its own job (the chart's kubernetes-service-endpoints is off), on the server's nodes.
    expect(values['kube-state-metrics']).toMatchObject({ enabled: true, affinity: values.server.affinity });
    expect(job('kube-state-metrics')).toBeDefined();
  });

  it("scrapes each tenant's driver on its spark-ui port at both PrometheusServlet paths, every series with the tenant", () => {
    tenants.forEach((tenant, index) => {
      const driver = driverPod(result, tenant, `10.0.${index}.10`);
      const executor = executorPod(tenant, `10.0.${index}.11`);
      const driverTargets = scrape(job('spark-driver'), [driver, executor]);
      const executorTargets = scrape(job('spark-executors'), [driver, executor]);
      expect(driverTargets.map((t) => [t.address, t.path])).toEqual([
        [`10.0.${index}.10:4040`, '/metrics/driver/prometheus/'],
      ]);
      expect(executorTargets.map((t) => [t.address, t.path])).toEqual([
        [`10.0.${index}.10:4040`, '/metrics/executors/prometheus/'],
      ]);
      for (const target of [...driverTargets, ...executorTargets]) {
        expect(target.series).toMatchObject({
          tenant: tenant.name,
          namespace: tenant.namespace,
          spark_role: 'driver',
          spark_app_id: 'spark-0123abcd',
          spark_app_name: 'etl',
        });
      }
      // The scrape agrees with what the driver's pod template announces.
      expect(driver.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(SPARK_POD_FACTS.uiPort),
        'prometheus.io/path': job('spark-driver').metrics_path,
        'emr-eks-gitops.io/prometheus-executors-path': job('spark-executors').metrics_path,
      });
    });
  });

  it("scrapes kube-state-metrics' http port only, and gives each series about a tenant namespace its tenant", () => {
    const ksm = job('kube-state-metrics');
    const target = (port: string) => ({
      __address__: '10.0.9.9:8080',
      __metrics_path__: ksm.metrics_path,
      __meta_kubernetes_service_label_app_kubernetes_io_name: 'kube-state-metrics',
      __meta_kubernetes_endpointslice_port_name: port,
    });
    expect(relabel(target('http'), ksm.relabel_configs)).toBeDefined();
    expect(relabel(target('metrics'), ksm.relabel_configs)).toBeUndefined();
    for (const tenant of tenants) {
      expect(relabel({ namespace: tenant.namespace, pod: 'p' }, ksm.metric_relabel_configs!)).toEqual({
        namespace: tenant.namespace,
        pod: 'p',
        tenant: tenant.name,
      });
    }
    expect(relabel({ namespace: 'kube-system', pod: 'p' }, ksm.metric_relabel_configs!)).toEqual({
      namespace: 'kube-system',
      pod: 'p',
    });
  });

  it('scrapes nothing outside the tenant namespaces, and no pod that is not running', () => {
    const stranger = { ...driverPod(result, tenants[0]!, '10.9.0.1'), namespace: 'default' };
    const finished = { ...driverPod(result, tenants[0]!, '10.9.0.2'), phase: 'Succeeded' };
    expect(scrape(job('spark-driver'), [stranger, finished])).toEqual([]);
    const labelled = new Set(
      jobs
        .filter((j) => j.job_name.startsWith('spark-'))
        .flatMap((j) => j.kubernetes_sd_configs.flatMap((sd) => sd.namespaces.names)),
    );
    expect([...labelled].sort()).toEqual(tenants.map((t) => t.namespace).sort());
  });

  it("scrapes Karpenter's Service on http-metrics at /metrics", () => {
    const karpenter = job('karpenter');
    expect(karpenter.kubernetes_sd_configs[0]).toEqual({
      role: 'endpointslice',
      namespaces: { names: ['kube-system'] },
    });
    const endpoint = (service: string, port: string) => ({
      __address__: '10.1.0.5:8080',
      __metrics_path__: karpenter.metrics_path,
      __meta_kubernetes_service_name: service,
      __meta_kubernetes_endpointslice_port_name: port,
    });
    expect(
      relabel(endpoint(KARPENTER_METRICS.serviceName, KARPENTER_METRICS.portName), karpenter.relabel_configs)
        ?.__metrics_path__,
    ).toBe('/metrics');
    expect(relabel(endpoint('kube-dns', 'metrics'), karpenter.relabel_configs)).toBeUndefined();
    expect(
      relabel(endpoint(KARPENTER_METRICS.serviceName, 'webhook-metrics'), karpenter.relabel_configs),
    ).toBeUndefined();
  });

  it("each tenant's allow-monitoring-scrape NetworkPolicy admits the Prometheus namespace to the scraped port of the driver", () => {
    const namespace = objectsOf(result, 'Namespace').find((o) => o.metadata.name === PROMETHEUS_CHART.namespace)!;
    expect(namespace.metadata.labels).toMatchObject({
      'kubernetes.io/metadata.name': 'monitoring',
      'pod-security.kubernetes.io/enforce': 'baseline',
    });
    tenants.forEach((tenant) => {
      const policy = objectsOf(result, 'NetworkPolicy').find(
        (o) => o.metadata.namespace === tenant.namespace && o.metadata.name === 'allow-monitoring-scrape',
      )!;
      const driver = driverPod(result, tenant, '10.0.0.1');
      expect(selects(policy.spec.podSelector, driver.labels)).toBe(true);
      const rule = policy.spec.ingress.find((r: any) =>
        r.from.some((peer: any) => !peer.podSelector && selects(peer.namespaceSelector, namespace.metadata.labels!)),
      );
      expect(rule, tenant.name).toBeDefined();
      const scraped = scrape(job('spark-driver'), [driver]).map((t) => Number(t.address.split(':')[1]));
      expect(scraped).toHaveLength(1);
      expect(rule.ports.map((p: any) => p.port)).toContain(scraped[0]);
    });
  });

  it('keeps the server off the Spark pools, with restricted security contexts', () => {
    const terms = values.server.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toHaveLength(1);
    expect(terms[0].matchExpressions).toContainEqual({ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' });
    expect(values.server.tolerations).toBeUndefined();
    expect(values.server.containerSecurityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.server.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.server.resources.requests.memory).toBeDefined();
    expect(values.server.resources.limits.memory).toBeDefined();
  });

  it('lists the add-on in the environment README with its chart, version and how to reach it', () => {
    const readme = result.files.get('README.md')!;
    expect(readme).toContain('## Add-ons');
    expect(readme).toContain(
      `| Prometheus | \`${PROMETHEUS_CHART.url}\` ${PROMETHEUS_CHART.version} | \`monitoring\` | \`addons/prometheus/\` |`,
    );
    expect(readme).toContain(
      values.server.service.type === 'NodePort'
        ? `:${values.server.service.nodePort}`
        : 'port-forward svc/prometheus-server',
    );
  });
});

describe('Prometheus across environments', () => {
  const values = Object.fromEntries(ENVIRONMENTS.map((env) => [env, releaseValues(renderEnvironment(load(env)))]));
  const gi = (quantity: string) => Number(quantity.replace(/Gi$/, ''));
  const days = (retention: string) => Number(retention.replace(/d$/, ''));

  it("differs where the environments differ: dev small and on the seed's NodePort, prod larger and longer", () => {
    expect(values.dev.server.service).toEqual({ type: 'NodePort', servicePort: 80, nodePort: 30006 });
    expect(values.prod.server.service.type).toBe('ClusterIP');
    expect(gi(values.dev.server.persistentVolume.size)).toBeLessThan(gi(values.staging.server.persistentVolume.size));
    expect(gi(values.staging.server.persistentVolume.size)).toBeLessThan(gi(values.prod.server.persistentVolume.size));
    expect(days(values.dev.server.retention)).toBeLessThan(days(values.prod.server.retention));
  });

  it('Argo CD gets the same values as Flux', () => {
    const argo = renderEnvironment(
      load('dev', (t) => t.replace('engine: flux', 'engine: argocd').replace(/\n {2}interval: 1m[^\n]*/, '')),
    );
    const application = objectsOf(argo, 'Application').find((o) => o.spec.source.repoURL === PROMETHEUS_CHART.url)!;
    expect(application.spec.source).toMatchObject({
      targetRevision: PROMETHEUS_CHART.version,
      helm: { releaseName: 'prometheus' },
    });
    expect(application.spec.destination.namespace).toBe('monitoring');
    expect(application.spec.source.helm.valuesObject).toEqual(values.dev);
  });

  it("the chart's schema refuses values it does not accept", () => {
    expect(
      helmValuesProblems(PROMETHEUS_CHART, { ...values.dev, server: { ...values.dev.server, retention: 15 } }),
    ).toEqual([{ path: '/server/retention', message: 'must be string' }]);
  });

  it('no rendered file holds a secret', () => {
    for (const env of ENVIRONMENTS) {
      const result = renderEnvironment(load(env));
      expect(objectsOf(result, 'Secret')).toEqual([]);
      const findings = validateObjects(result.objects, {
        environment: env,
        production: false,
        kubernetesVersion: load(env).cluster.kubernetesVersion,
      });
      expect(findings.filter((f) => f.rule === 'secret-value')).toEqual([]);
    }
  });
});

describe('Prometheus with prometheus-operator (mode operator)', () => {
  const config = load('dev', (t) =>
    t.replace(
      '    mode: server\n',
      '    mode: operator\n    operator: { podMonitorLabels: { release: kube-prometheus-stack } }\n',
    ),
  );
  const result = renderEnvironment(config);
  const monitors = objectsOf(result, 'PodMonitor');

  it('renders one PodMonitor per tenant and one for Karpenter, no chart, all valid', () => {
    // dev's app-dev serves notebooks: its servers (client-mode drivers) get a PodMonitor of their own.
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(
      ['karpenter', ...config.tenants.map((t) => `spark-${t.name}`), 'spark-app-dev-notebooks'].sort(),
    );
    expect(objectsOf(result, 'HelmRelease').map((o) => o.metadata.name)).not.toContain('prometheus');
    const addonObjects = result.objects.filter((o) => o.path.startsWith('addons/prometheus/'));
    expect(
      validateObjects(addonObjects, {
        environment: 'dev',
        production: false,
        kubernetesVersion: config.cluster.kubernetesVersion,
      }),
    ).toEqual([]);
    for (const monitor of monitors)
      expect(monitor.metadata).toMatchObject({ namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
  });

  it("each tenant's PodMonitor selects its drivers on spark-ui at both paths and labels every series with the tenant", () => {
    for (const tenant of config.tenants) {
      const monitor = monitors.find((m) => m.metadata.name === `spark-${tenant.name}`)!;
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [tenant.namespace] });
      const driver = driverPod(result, tenant, '10.0.0.1');
      expect(selects(monitor.spec.selector, driver.labels)).toBe(true);
      expect(selects(monitor.spec.selector, executorPod(tenant, '10.0.0.2').labels)).toBe(false);
      const ports = new Set(driver.ports.map((p) => p.name));
      expect(monitor.spec.podMetricsEndpoints.map((e: any) => e.path)).toEqual([
        '/metrics/driver/prometheus/',
        '/metrics/executors/prometheus/',
      ]);
      for (const endpoint of monitor.spec.podMetricsEndpoints) {
        expect(ports.has(endpoint.port)).toBe(true);
        expect(driver.ports.find((p) => p.name === endpoint.port)!.containerPort).toBe(4040);
        expect(endpoint.relabelings).toContainEqual({
          action: 'replace',
          targetLabel: 'tenant',
          replacement: tenant.name,
        });
      }
    }
    const karpenter = monitors.find((m) => m.metadata.name === 'karpenter')!;
    expect(karpenter.spec).toMatchObject({
      namespaceSelector: { matchNames: ['kube-system'] },
      podMetricsEndpoints: [{ port: 'http-metrics', path: '/metrics' }],
    });
  });
});

describe('Prometheus config errors', () => {
  const issuesOf = (render: () => unknown) => {
    try {
      render();
    } catch (error) {
      return (error as RenderError).issues.map(issueText);
    }
    throw new Error('expected a RenderError');
  };

  it('mode server needs its settings; the refusal points at its config path', () => {
    const withoutServer = load('dev', (t) => t.replace(/ {4}server:\n( {6}[^\n]*\n)+/, ''));
    expect(issuesOf(() => renderEnvironment(withoutServer))).toEqual([
      {
        configPath: ['addons', 'prometheus', 'server'],
        message: expect.stringContaining('is required with mode server'),
      },
    ]);
  });

  it('without a delivery: section the values are an artifact for helm install, and the README says how', () => {
    const withDelivery = renderEnvironment(load('dev'));
    // Without delivery, the other Helm add-ons (Karpenter's controller, JupyterHub) are refused: leave them out too.
    const withoutDelivery = load('dev', (t) =>
      t
        .replace(/\ndelivery:[^\n]*\n( {2}[^\n]*\n)+/, '\n')
        .replace(/\n {2}karpenter:[^\n]*\n/, '\n')
        .replace(/\n {2}jupyterhub:[^\n]*\n(?: {4,}[^\n]*\n)+/, '\n'),
    );
    expect(withoutDelivery.delivery).toBeUndefined();
    const result = renderEnvironment(withoutDelivery);
    expect(parse(result.files.get('artifacts/addons/prometheus/values.yaml')!)).toEqual(releaseValues(withDelivery));
    expect(
      result.objects
        .filter((o) => o.applied && o.path.startsWith('addons/prometheus/') && o.object.kind !== 'ConfigMap')
        .map((o) => o.object.kind)
        .sort(),
    ).toEqual(['Namespace', 'StorageClass']);
    expect(result.files.get('README.md')).toContain('-f dist-manifests/dev/artifacts/addons/prometheus/values.yaml');
  });

  it('a retention size Prometheus does not read is refused by the environment schema', () => {
    expect(() => load('dev', (t) => t.replace('retention: 7d', 'retention: 7d\n      retentionSize: 10GiB'))).toThrow(
      /retentionSize/,
    );
  });
});
