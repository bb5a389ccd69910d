import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  JUPYTERHUB_CHART,
  PROMETHEUS_CHART,
  SPARK_HISTORY_UI_PORT,
  coalesceHelmValues,
  type ScrapeConfig,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { historyServerName } from '../src/charts/history-server-names.js';
import { scrape, selects, type Labels, type RunningPod } from './scrape-sim.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

/**
 * A notebook server is the Spark driver of its sessions (client mode), a pod Spark did not create: these tests build the
 * pod as KubeSpawner 7.0.0 builds it from the rendered values (spawner.py `_build_pod_labels`: the user name label,
 * `extra_labels` (the chart's singleuser.extraLabels with the profile's `kubespawner_override.extra_labels` merged in,
 * `_apply_overrides` merges dicts), the chart's common labels, the component) and read the rendered NetworkPolicies,
 * scrape configs and PodMonitors against it.
 */
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const jupyterHubDefaults = JSON.parse(
  readFileSync(
    new URL(`../../core/schemas/helm/jupyterhub/${JUPYTERHUB_CHART.version}/values.json`, import.meta.url),
    'utf8',
  ),
);

type AnyObject = { kind: string; metadata: { name: string; namespace?: string; labels?: Labels }; spec?: any };
const objectsOf = (result: RenderResult, kind: string) =>
  result.objects.filter((o) => o.object.kind === kind).map((o) => o.object as AnyObject);
function releaseValues(result: RenderResult, chart: string): any {
  const release = objectsOf(result, 'HelmRelease').find((o) => o.metadata.name === chart);
  if (release) return release.spec.values;
  return objectsOf(result, 'Application').find(
    (o) =>
      o.spec.source?.chart === chart || (chart === 'prometheus' && o.spec.source?.repoURL === PROMETHEUS_CHART.url),
  )!.spec.source.helm.valuesObject;
}

/** The notebook server pod of one profile, as KubeSpawner creates it. */
function notebookPod(result: RenderResult, slug: string, withProfileLabels = true): RunningPod {
  const values = coalesceHelmValues(jupyterHubDefaults, releaseValues(result, JUPYTERHUB_CHART.name)) as any;
  const override = (values.singleuser.profileList as any[]).find((p) => p.slug === slug)!.kubespawner_override;
  return {
    namespace: override.namespace,
    name: 'jupyter-alice',
    ip: '10.1.2.3',
    phase: 'Running',
    annotations: {},
    labels: {
      'hub.jupyter.org/username': 'alice',
      ...values.singleuser.extraLabels,
      ...(withProfileLabels ? override.extra_labels : {}),
      app: 'jupyterhub',
      heritage: 'jupyterhub',
      component: 'singleuser-server',
      'app.kubernetes.io/component': 'singleuser-server',
      'hub.jupyter.org/servername': '',
    },
    ports: override.extra_container_config.ports,
  };
}

/** Kubernetes sets this label on every namespace; the rendered Namespace objects carry it too where they exist. */
const namespaceLabels = (result: RenderResult, name: string): Labels => ({
  ...objectsOf(result, 'Namespace').find((n) => n.metadata.name === name)?.metadata.labels,
  'kubernetes.io/metadata.name': name,
});

interface Endpoint {
  namespace: string;
  labels: Labels;
  ports: { name: string; containerPort: number }[];
}
/**
 * NetworkPolicy semantics for one direction: `from` may reach `to` on `port` when every side that some policy isolates
 * has a policy selecting it whose rule admits the other side (peers: namespaceSelector and podSelector together, or a
 * podSelector alone for the policy's own namespace; no ports means every port, a named port the pod's).
 */
function allowed(result: RenderResult, from: Endpoint, to: Endpoint, port: number): boolean {
  const policies = objectsOf(result, 'NetworkPolicy');
  const side = (pod: Endpoint, other: Endpoint, type: 'Ingress' | 'Egress', portPod: Endpoint) => {
    const relevant = policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        p.spec.policyTypes.includes(type) &&
        selects(p.spec.podSelector, pod.labels),
    );
    if (relevant.length === 0) return true;
    return relevant.some((p) =>
      ((type === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: any) => {
        const peers = type === 'Ingress' ? rule.from : rule.to;
        const peerOk =
          !peers ||
          peers.some(
            (peer: any) =>
              !peer.ipBlock &&
              (peer.namespaceSelector
                ? selects(peer.namespaceSelector, namespaceLabels(result, other.namespace))
                : other.namespace === p.metadata.namespace) &&
              (peer.podSelector ? selects(peer.podSelector, other.labels) : true),
          );
        const portOk =
          !rule.ports?.length ||
          rule.ports.some(
            (entry: any) =>
              entry.port === port ||
              portPod.ports.some((named) => named.name === entry.port && named.containerPort === port),
          );
        return peerOk && portOk;
      }),
    );
  };
  return side(from, to, 'Egress', to) && side(to, from, 'Ingress', to);
}

const prometheusPod = (_result: RenderResult): Endpoint => ({
  namespace: PROMETHEUS_CHART.namespace,
  labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/component': 'server' },
  ports: [],
});

describe.each(['dev', 'staging', 'prod'] as const)(
  'notebook servers of %s are Spark drivers that Prometheus scrapes',
  (env) => {
    const result = renderEnvironment(load(env));
    const pod = notebookPod(result, 'app-dev');
    const jobs = Object.entries(releaseValues(result, 'prometheus').scrapeConfigs as Record<string, any>)
      .filter(([, job]) => job.enabled !== false)
      .map(([name, job]) => ({ job_name: name, ...job }) as ScrapeConfig);
    const job = (name: string) => jobs.find((j) => j.job_name === name)!;

    it('the scrape configs keep the server on its spark-ui port, at both PrometheusServlet paths, as a driver of its tenant', () => {
      for (const [name, path] of [
        ['spark-driver', '/metrics/driver/prometheus/'],
        ['spark-executors', '/metrics/executors/prometheus/'],
      ] as const) {
        const targets = scrape(job(name), [pod]);
        expect(
          targets.map((t) => [t.address, t.path]),
          name,
        ).toEqual([['10.1.2.3:4040', path]]);
        expect(targets[0]!.series).toMatchObject({ tenant: 'app-dev', namespace: pod.namespace, spark_role: 'driver' });
      }
      // Without the profile's label nothing would keep it: Spark labels only the pods it creates.
      expect(scrape(job('spark-driver'), [notebookPod(result, 'app-dev', false)])).toEqual([]);
    });

    it("the NetworkPolicies let Prometheus reach that port, which the tenant's own scrape policy (spark-role pods) does not", () => {
      expect(allowed(result, prometheusPod(result), pod, 4040)).toBe(true);
      const own = objectsOf(result, 'NetworkPolicy').find(
        (p) => p.metadata.namespace === pod.namespace && p.metadata.name === 'allow-monitoring-scrape',
      )!;
      expect(selects(own.spec.podSelector, pod.labels)).toBe(false);
      // Nothing else of the server is opened to monitoring.
      expect(allowed(result, prometheusPod(result), pod, 8888)).toBe(false);
    });
  },
);

describe.each(['staging', 'prod'] as const)("notebook servers of %s reach their tenant's History Server", (env) => {
  // data-eng has restricted egress in prod: serve it notebooks too, so its own policies are put to the test.
  const result = renderEnvironment(
    load(env, (text) =>
      env === 'prod'
        ? text.replace(
            '    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution',
            '    serviceAccounts:\n      - { name: notebook-spark, roleArn: "arn:aws:iam::410987654321:role/emr-prod-data-eng-notebook", sparkDriver: true }\n    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution',
          )
        : text,
    ),
  );
  const tenants = env === 'prod' ? ['app-dev', 'data-eng'] : ['app-dev'];
  const server = (tenant: string): Endpoint => {
    const deployment = objectsOf(result, 'Deployment').find((d) => d.metadata.name === historyServerName(tenant))!;
    return {
      namespace: deployment.metadata.namespace!,
      labels: deployment.spec.template.metadata.labels,
      ports: deployment.spec.template.spec.containers[0].ports,
    };
  };

  it.each(tenants)("%s: its servers open its history server's UI port, through both namespaces' policies", (tenant) => {
    const pod = notebookPod(result, tenant);
    expect(allowed(result, pod, server(tenant), SPARK_HISTORY_UI_PORT)).toBe(true);
    // The Service sends that port to the pod's port.
    const service = objectsOf(result, 'Service').find((s) => s.metadata.name === historyServerName(tenant))!;
    expect(service.spec.ports[0].port).toBe(SPARK_HISTORY_UI_PORT);
  });

  it.each(tenants)("%s: no other tenant's history server, and nothing of the tenant's Spark jobs", (tenant) => {
    const pod = notebookPod(result, tenant);
    for (const other of ['app-dev', 'data-eng', 'ml'].filter((name) => name !== tenant))
      expect(allowed(result, pod, server(other), SPARK_HISTORY_UI_PORT), other).toBe(false);
    const driver: Endpoint = {
      namespace: pod.namespace,
      labels: { 'spark-role': 'driver', 'spark-app-selector': 'spark-1' },
      ports: [],
    };
    expect(allowed(result, driver, server(tenant), SPARK_HISTORY_UI_PORT)).toBe(false);
  });
});

describe('notebook servers with prometheus-operator (mode operator)', () => {
  const result = renderEnvironment(load('dev', (t) => t.replace('    mode: server\n', '    mode: operator\n')));
  const pod = notebookPod(result, 'app-dev');

  it('a PodMonitor of the tenant selects the server on its spark-ui port, labelled as a driver of its tenant', () => {
    const monitors = objectsOf(result, 'PodMonitor').filter(
      (m) => m.spec.namespaceSelector?.matchNames?.includes(pod.namespace) && selects(m.spec.selector, pod.labels),
    );
    expect(monitors.map((m) => m.metadata.name)).toEqual(['spark-app-dev-notebooks']);
    for (const endpoint of monitors[0]!.spec.podMetricsEndpoints) {
      expect(pod.ports.find((p) => p.name === endpoint.port)!.containerPort).toBe(4040);
      expect(endpoint.relabelings).toContainEqual({ action: 'replace', targetLabel: 'tenant', replacement: 'app-dev' });
      expect(endpoint.relabelings.at(-1)).toEqual({
        action: 'replace',
        targetLabel: 'spark_role',
        replacement: 'driver',
      });
    }
    expect(allowed(result, prometheusPod(result), pod, 4040)).toBe(true);
  });
});
