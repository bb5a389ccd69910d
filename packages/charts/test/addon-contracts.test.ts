import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  AWS_LOAD_BALANCER_CONTROLLER,
  CHART_VALUES_KEYS_BEYOND_DEFAULTS,
  JUPYTERHUB_CHART,
  JUPYTERHUB_PROXY_PUBLIC,
  PROMETHEUS_AUTO_RELOAD,
  PROMETHEUS_CHART,
  coalesceHelmValues,
  jupyterHubValuesProblems,
  valuesKeysBeyondDefaults,
  vendoredHelmValuesUrl,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type EnvironmentConfig, type RenderResult } from '../src/index.js';
import { karpenterCapacity } from './karpenter-capacity.js';
import { Subject } from '../../core/src/validation/subject.js';
import { misfit, readPlacement, readPool } from '../../core/src/validation/capacity/placement.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

const ENVIRONMENTS = ['dev', 'staging', 'prod', 'sandbox'] as const;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

type AnyObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
};
const objectsOf = (result: RenderResult, kind: string) =>
  result.objects.filter((o) => o.object.kind === kind).map((o) => o.object as AnyObject);

/** The release values of a chart as delivered: a Flux HelmRelease's `values` or an Argo CD Application's `valuesObject`. */
function releaseValues(result: RenderResult, chart: string): any {
  const release = objectsOf(result, 'HelmRelease').find((o) => o.metadata.name === chart);
  if (release) return release.spec.values;
  return objectsOf(result, 'Application').find(
    (o) =>
      o.spec.source?.chart === chart || (o.spec.source?.repoURL === PROMETHEUS_CHART.url && chart === 'prometheus'),
  )?.spec.source.helm.valuesObject;
}

const jupyterHubDefaults = JSON.parse(
  readFileSync(
    new URL(`../../core/schemas/helm/jupyterhub/${JUPYTERHUB_CHART.version}/values.json`, import.meta.url),
    'utf8',
  ),
);
const prometheusDefaults = parse(readFileSync(vendoredHelmValuesUrl(PROMETHEUS_CHART), 'utf8'));

/** Every environment as committed, and staging and prod with the other load balancer: each TLS variant renders. */
const variants: [string, EnvironmentConfig][] = [
  ...ENVIRONMENTS.map((name): [string, EnvironmentConfig] => [name, load(name)]),
  [
    'staging with alb',
    load('staging', (t) =>
      t
        .replace('    proxyServiceType: LoadBalancer', '    proxyServiceType: ClusterIP')
        .replace('loadBalancer: nlb', 'loadBalancer: alb'),
    ),
  ],
  [
    'prod with nlb',
    load('prod', (t) =>
      t
        .replace('loadBalancer: alb', 'loadBalancer: nlb')
        .replace('      scheme: internal', '      scheme: internet-facing'),
    ),
  ],
];
const rendered = variants.map(([name, config]) => ({ name, config, result: renderEnvironment(config) }));

describe.each(rendered)('JupyterHub TLS in $name', ({ config, result }) => {
  const hub = config.addons?.jupyterhub;
  const values = hub ? releaseValues(result, 'jupyterhub') : undefined;
  const tls = hub?.tls;

  it('an https:// callback comes with TLS; without TLS, proxy-public has no load balancer annotations and there is no Ingress', () => {
    if (!hub) return;
    if (hub.auth.callbackUrl) expect(tls).toBeDefined();
    if (tls) return;
    expect(values.proxy.service.annotations).toBeUndefined();
    expect(values.ingress).toBeUndefined();
    expect(values.proxy.https).toBeUndefined();
  });

  it('writes only annotations the AWS Load Balancer Controller documents, each with a value it accepts', () => {
    if (!tls) return;
    const check = (annotations: Record<string, string>, contract: Record<string, RegExp>) => {
      for (const [key, value] of Object.entries(annotations)) {
        expect(Object.keys(contract), `${key} (${AWS_LOAD_BALANCER_CONTROLLER.source})`).toContain(key);
        expect(value, key).toMatch(contract[key]!);
      }
    };
    if (tls.loadBalancer === 'nlb') check(values.proxy.service.annotations, AWS_LOAD_BALANCER_CONTROLLER.service);
    else check(values.ingress.annotations, AWS_LOAD_BALANCER_CONTROLLER.ingress);
  });

  it("terminates TLS with the environment's certificate for the callback's host, and serves the hub over plain HTTP nowhere", () => {
    if (!tls || !hub) return;
    const host = new URL(hub.auth.callbackUrl!).hostname;
    const [, , , region, account] = tls.certificateArn.split(':');
    expect([region, account]).toEqual([config.cluster.region, config.cluster.accountId]);
    // Coalesced as Helm does, so the chart's defaults count too.
    const merged = coalesceHelmValues(jupyterHubDefaults, values) as any;
    expect(jupyterHubValuesProblems(values)).toEqual([]);
    if (tls.loadBalancer === 'nlb') {
      const annotations = merged.proxy.service.annotations;
      expect(merged.proxy.service.type).toBe('LoadBalancer');
      expect(annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-cert']).toBe(tls.certificateArn);
      expect(annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe(tls.scheme ?? 'internal');
      // The TLS listener is the chart's https port, which exists only with https enabled and offload sends to http.
      expect(merged.proxy.https).toMatchObject({ enabled: true, type: 'offload' });
      expect(annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-ports']).toBe(
        String(JUPYTERHUB_PROXY_PUBLIC.httpsPort),
      );
      // No port 80 on the NLB: it would forward the login in plain TCP.
      expect(merged.proxy.service.disableHttpPort).toBe(true);
      expect(merged.ingress.enabled).toBe(false);
    } else {
      const ingress = merged.ingress;
      expect(ingress).toMatchObject({
        enabled: true,
        ingressClassName: AWS_LOAD_BALANCER_CONTROLLER.ingressClassName,
        hosts: [host],
        pathType: 'Prefix',
      });
      const annotations = ingress.annotations;
      expect(annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(tls.certificateArn);
      expect(annotations['alb.ingress.kubernetes.io/scheme']).toBe(tls.scheme ?? 'internal');
      // HTTP only redirects, to a listener that exists; targets are pod IPs, so proxy-public needs no node port.
      const listeners = JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports']) as Record<string, number>[];
      expect(listeners).toContainEqual({ HTTPS: Number(annotations['alb.ingress.kubernetes.io/ssl-redirect']) });
      expect(annotations['alb.ingress.kubernetes.io/target-type']).toBe('ip');
      expect(merged.proxy.service.type).toBe('ClusterIP');
      expect(merged.proxy.https.enabled).toBe(false);
      // The proxy redirects /, which ALB's default check (200) would count unhealthy; the hub answers /hub/health.
      expect(annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe(
        `${merged.hub.baseUrl.replace(/\/$/, '')}/hub/health`,
      );
    }
  });
});

describe.each(rendered.filter(({ config }) => config.addons?.jupyterhub && config.capacity.backend !== 'auto-mode'))(
  'JupyterHub placement in $name',
  ({ name, config, result }) => {
    it('the hub and the proxy run only on the managed node groups, on no Karpenter pool', () => {
      const values = releaseValues(result, 'jupyterhub');
      const merged = coalesceHelmValues(jupyterHubDefaults, values) as any;
      // The chart's own core affinity is off, so the pod spec gets exactly one affinity (from extraPodSpec).
      expect(merged.scheduling.corePods.nodeAffinity.matchNodePurpose).toBe('ignore');
      const pools = result.objects
        .filter((o) => o.applied && o.object.kind === 'NodePool')
        .map((o) => readPool(new Subject(o, name)));
      expect(pools.length).toBeGreaterThanOrEqual(3);
      for (const [pod, spec] of [
        ['hub', merged.hub.extraPodSpec],
        ['proxy', merged.proxy.chp.extraPodSpec],
      ] as const) {
        const object = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: pod, namespace: 'jupyterhub' },
          spec: { ...spec, tolerations: [{ operator: 'Exists' }], containers: [] },
        };
        const placement = readPlacement(
          new Subject({ path: `addons/jupyterhub/${pod}`, object, applied: true }, name),
        )!;
        for (const pool of pools) expect(misfit(placement, pool), `${pod} on ${pool.name}`).toBeDefined();
        expect(
          spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
            .matchExpressions,
        ).toContainEqual({
          key: 'eks.amazonaws.com/nodegroup',
          operator: 'In',
          values: karpenterCapacity(config).controller.managedNodeGroups,
        });
      }
    });
  },
);

describe.each(rendered)('chart values keys in $name', ({ config, result }) => {
  it('every key written to the jupyterhub and prometheus charts is one of their defaults or a key their templates read', () => {
    if (config.addons?.jupyterhub) {
      expect(
        valuesKeysBeyondDefaults(
          releaseValues(result, 'jupyterhub'),
          jupyterHubDefaults,
          Object.keys(CHART_VALUES_KEYS_BEYOND_DEFAULTS.jupyterhub.keys),
        ),
      ).toEqual([]);
    }
    if (config.addons?.prometheus?.mode === 'server' && config.delivery) {
      expect(
        valuesKeysBeyondDefaults(
          releaseValues(result, 'prometheus'),
          prometheusDefaults,
          Object.keys(CHART_VALUES_KEYS_BEYOND_DEFAULTS.prometheus.keys),
        ),
      ).toEqual([]);
    }
  });
});

describe('chart values keys: the contract', () => {
  it('a key the chart does not read is found, at any depth; below an open key anything goes', () => {
    const values = {
      server: { retention: '7d', retentionn: '7d', service: { type: 'NodePort', nodePort: 30006 } },
      scrapeConfigs: { spark: { job_name: 'spark' } },
    };
    expect(
      valuesKeysBeyondDefaults(
        values,
        prometheusDefaults,
        Object.keys(CHART_VALUES_KEYS_BEYOND_DEFAULTS.prometheus.keys),
      ),
    ).toEqual(['server.retentionn']);
    expect(
      valuesKeysBeyondDefaults({ hub: { extraPodSpec: { affinity: {} }, confg: {} } }, jupyterHubDefaults, []),
    ).toEqual(['hub.confg']);
  });

  it('lists only keys beyond the defaults, each with where the chart reads it', () => {
    const at = (defaults: any, dotted: string) =>
      dotted.split('.').reduce((node, key) => (node && typeof node === 'object' ? node[key] : undefined), defaults);
    for (const [chart, defaults] of [
      ['jupyterhub', jupyterHubDefaults],
      ['prometheus', prometheusDefaults],
    ] as const) {
      for (const [key, where] of Object.entries(CHART_VALUES_KEYS_BEYOND_DEFAULTS[chart].keys)) {
        const fallback = at(defaults, key);
        // Either missing from the defaults or a non-empty map the project writes keys of its own below.
        expect(
          fallback === undefined || (typeof fallback === 'object' && Object.keys(fallback).length > 0),
          `${chart} ${key}`,
        ).toBe(true);
        expect(where.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('Prometheus lifecycle API', () => {
  const flagsOf = (config: EnvironmentConfig) => {
    const values = releaseValues(renderEnvironment(config), 'prometheus');
    return coalesceHelmValues(prometheusDefaults, values) as any;
  };

  it('is off unless asked: no --web.enable-lifecycle, no reloader calling it, and Prometheus re-reads its configuration itself', () => {
    // The chart's own default turns it on: the rendered list replaces it.
    expect(prometheusDefaults.server.extraFlags).toContain(PROMETHEUS_AUTO_RELOAD.lifecycleFlag);
    // Every committed environment that installs the chart (server mode; sandbox shows prometheus-operator mode).
    const servers = ENVIRONMENTS.filter((name) => load(name).addons?.prometheus?.mode === 'server');
    expect(servers.length).toBeGreaterThanOrEqual(3);
    for (const name of servers) {
      const merged = flagsOf(load(name));
      expect(merged.server.extraFlags, name).toEqual([...PROMETHEUS_AUTO_RELOAD.flags]);
      expect(merged.configmapReload.prometheus.enabled, name).toBe(false);
    }
  });

  it("lifecycleApi: true serves it, with the chart's config reloader", () => {
    const merged = flagsOf(
      load('dev', (t) => t.replace('      storageSize: 20Gi', '      lifecycleApi: true\n      storageSize: 20Gi')),
    );
    expect(merged.server.extraFlags).toEqual([PROMETHEUS_AUTO_RELOAD.lifecycleFlag]);
    expect(merged.configmapReload.prometheus.enabled).toBe(true);
  });
});
