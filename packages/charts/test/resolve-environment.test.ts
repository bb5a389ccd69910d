import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SPARK_DEFAULT_JOB_SIZE } from '@emr-eks-gitops/core';
import {
  DRIVER_NODE_DEFAULTS,
  ENVIRONMENT_DEFAULTS,
  loadEnvironmentText,
  renderEnvironment,
  type ResolvedEnvironment,
} from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

/**
 * The resolved model: every default of the environment file applied once, at load. What the committed environments
 * resolve to, and for each default the schema declares (environments/schema.json, what editors show), that an
 * environment leaving the field out gets exactly that value.
 */

const load = (name: string) => loadEnvironmentText(environmentText(name), `environments/${name}.yaml`).environment;
/** An environment file with `edit` applied to its data (comments are not kept), loaded as the CLI loads it. */
function loadEdited(name: string, edit: (file: Record<string, any>) => void): ResolvedEnvironment {
  const file = parse(environmentText(name)) as Record<string, any>;
  edit(file);
  return loadEnvironmentText(stringify(file), `environments/${name}.yaml`).environment;
}

const committedSchema = JSON.parse(readFileSync(new URL('../../../environments/schema.json', import.meta.url), 'utf8'));

/** The `default` schema.json declares at a path of property names (`items` for a list's entries). */
function schemaDefault(path: readonly string[]): unknown {
  let node = committedSchema;
  for (const key of path) node = key === 'items' ? node.items : node.properties[key];
  expect(node, path.join('.')).toHaveProperty('default');
  return node.default;
}

/** Every path of schema.json that declares a default. */
function pathsWithDefault(node: any, path: string[] = []): string[] {
  const own = node && typeof node === 'object' && 'default' in node ? [path.join('.')] : [];
  const properties = Object.entries(node?.properties ?? {}).flatMap(([key, child]) =>
    pathsWithDefault(child, [...path, key]),
  );
  return [...own, ...properties, ...(node?.items ? pathsWithDefault(node.items, [...path, 'items']) : [])];
}

describe('the committed environments, resolved', () => {
  it('dev: the cluster, delivery and add-on settings it leaves out are the defaults', () => {
    const dev = load('dev');
    expect(dev.production).toBe(false);
    expect(dev.cluster).toMatchObject({ partition: 'aws', identity: 'irsa' });
    expect(dev.delivery).toMatchObject({
      engine: 'flux',
      interval: '1m',
      retryInterval: '1m',
      timeout: '5m',
      prune: true,
      selfHeal: true,
    });
    expect(dev.addons?.karpenter).toEqual({ namespace: 'kube-system', replicas: 2 });
    expect(dev.capacity.backend === 'karpenter' && dev.capacity.controller.namespace).toBe('kube-system');
    expect(dev.spark.logs.persistentAppUI).toBe(true);
    expect(dev.tenants.map((tenant) => [tenant.identity, tenant.retired])).toEqual(
      dev.tenants.map(() => ['irsa', false]),
    );
  });

  it("staging: Argo CD's destination, the YuniKorn queues and the Fargate tenant's profile are filled in", () => {
    const staging = load('staging');
    expect(staging.delivery?.engine === 'argocd' && staging.delivery.argocd).toEqual({
      namespace: 'argocd',
      project: 'default',
      destinationServer: 'https://kubernetes.default.svc',
    });
    expect(staging.delivery?.interval).toBe('5m');
    const queues = Object.fromEntries(
      staging.tenants.filter((t) => t.queue).map((t) => [t.name, [t.queue!.ordering, t.queue!.gangMinExecutors]]),
    );
    expect(queues).toMatchObject({ 'app-dev': ['fair', 2], 'data-eng': ['fifo', 4] });
    const reporting = staging.tenants.find((tenant) => tenant.name === 'reporting')!;
    expect(reporting.fargate).toEqual({
      profile: 'spark-reporting',
      podExecutionRoleArn: 'arn:aws:iam::310987654321:role/AmazonEKSFargatePodExecutionRole-spark-platform-staging',
      subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0b2c3d4e5f6071829'],
      securityGroupIds: ['sg-0f1e2d3c4b5a69788'],
    });
    expect(staging.addons?.jupyterhub).toMatchObject({
      proxyServiceType: 'LoadBalancer',
      tls: { loadBalancer: 'nlb', scheme: 'internal' },
    });
  });

  it("sandbox: Auto Mode as the back end, the cluster's Pod Identity on every tenant, no Karpenter controller in the model", () => {
    const sandbox = load('sandbox');
    expect(sandbox.capacity.backend).toBe('auto-mode');
    if (sandbox.capacity.backend !== 'auto-mode') return;
    expect(sandbox.capacity.autoMode).toEqual({ builtInNodePools: ['system'], addonNodePool: 'system' });
    expect(sandbox.capacity.driverNodes).toEqual({ expireAfter: '336h', terminationGracePeriod: '13h' });
    expect(sandbox.capacity).not.toHaveProperty('controller');
    expect(sandbox.capacity).not.toHaveProperty('amiAlias');
    expect(sandbox.tenants.every((tenant) => tenant.identity === 'pod-identity')).toBe(true);
  });

  it('prod: production as written, capacity settings kept', () => {
    const prod = load('prod');
    expect(prod.production).toBe(true);
    expect(prod.capacity).toMatchObject({ backend: 'karpenter', rootVolumeGiB: 100, nvmeInstanceStore: false });
  });

  it('keeps the compatibility name: LoadedEnvironment.config is the resolved environment', () => {
    const loaded = loadEnvironmentText(environmentText('dev'), 'environments/dev.yaml');
    expect(loaded.config).toBe(loaded.environment);
    expect(loaded.environment).toMatchObject({ name: 'dev', sourcePath: 'environments/dev.yaml' });
  });
});

/** Per schema default: where schema.json declares it, the file to leave it out of, and where the model holds it. */
const DEFAULT_CASES: ReadonlyArray<{
  readonly key: keyof typeof ENVIRONMENT_DEFAULTS;
  readonly schemaPath: readonly string[];
  readonly environment: string;
  readonly leaveOut: (file: Record<string, any>) => void;
  readonly resolved: (environment: ResolvedEnvironment) => unknown;
}> = [
  {
    key: 'production',
    schemaPath: ['production'],
    environment: 'prod',
    leaveOut: (f) => {
      delete f.production;
    },
    resolved: (e) => e.production,
  },
  {
    key: 'partition',
    schemaPath: ['cluster', 'partition'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.cluster.partition;
    },
    resolved: (e) => e.cluster.partition,
  },
  {
    key: 'identity',
    schemaPath: ['cluster', 'identity'],
    environment: 'sandbox',
    leaveOut: (f) => {
      delete f.cluster.identity;
    },
    resolved: (e) => e.cluster.identity,
  },
  {
    key: 'backend',
    schemaPath: ['capacity', 'backend'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.capacity.backend;
    },
    resolved: (e) => e.capacity.backend,
  },
  {
    key: 'rootVolumeGiB',
    schemaPath: ['capacity', 'rootVolumeGiB'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.capacity.rootVolumeGiB;
    },
    resolved: (e) => e.capacity.rootVolumeGiB,
  },
  {
    key: 'nvmeInstanceStore',
    schemaPath: ['capacity', 'nvmeInstanceStore'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.capacity.nvmeInstanceStore;
    },
    resolved: (e) => e.capacity.nvmeInstanceStore,
  },
  {
    key: 'builtInNodePools',
    schemaPath: ['capacity', 'autoMode', 'builtInNodePools'],
    environment: 'sandbox',
    leaveOut: (f) => {
      delete f.capacity.autoMode;
    },
    resolved: (e) => (e.capacity.backend === 'auto-mode' ? e.capacity.autoMode.builtInNodePools : 'not auto-mode'),
  },
  {
    key: 'addonNodePool',
    schemaPath: ['capacity', 'autoMode', 'addonNodePool'],
    environment: 'sandbox',
    leaveOut: (f) => {
      delete f.capacity.autoMode;
    },
    resolved: (e) => (e.capacity.backend === 'auto-mode' ? e.capacity.autoMode.addonNodePool : 'not auto-mode'),
  },
  {
    key: 'persistentAppUI',
    schemaPath: ['spark', 'logs', 'persistentAppUI'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.spark.logs.persistentAppUI;
    },
    resolved: (e) => e.spark.logs.persistentAppUI,
  },
  {
    key: 'interval',
    schemaPath: ['delivery', 'interval'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.delivery.interval;
    },
    resolved: (e) => e.delivery?.interval,
  },
  {
    key: 'retryInterval',
    schemaPath: ['delivery', 'retryInterval'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.delivery.retryInterval;
    },
    resolved: (e) => e.delivery?.retryInterval,
  },
  {
    key: 'timeout',
    schemaPath: ['delivery', 'timeout'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.delivery.timeout;
    },
    resolved: (e) => e.delivery?.timeout,
  },
  {
    key: 'prune',
    schemaPath: ['delivery', 'prune'],
    environment: 'prod',
    leaveOut: (f) => {
      delete f.delivery.prune;
    },
    resolved: (e) => e.delivery?.prune,
  },
  {
    key: 'selfHeal',
    schemaPath: ['delivery', 'selfHeal'],
    environment: 'staging',
    leaveOut: (f) => {
      delete f.delivery.selfHeal;
    },
    resolved: (e) => e.delivery?.selfHeal,
  },
  {
    key: 'argocdNamespace',
    schemaPath: ['delivery', 'argocd', 'namespace'],
    environment: 'staging',
    leaveOut: (f) => {
      delete f.delivery.argocd;
    },
    resolved: (e) => (e.delivery?.engine === 'argocd' ? e.delivery.argocd.namespace : 'not argocd'),
  },
  {
    key: 'argocdProject',
    schemaPath: ['delivery', 'argocd', 'project'],
    environment: 'staging',
    leaveOut: (f) => {
      delete f.delivery.argocd;
    },
    resolved: (e) => (e.delivery?.engine === 'argocd' ? e.delivery.argocd.project : 'not argocd'),
  },
  {
    key: 'argocdDestinationServer',
    schemaPath: ['delivery', 'argocd', 'destinationServer'],
    environment: 'staging',
    leaveOut: (f) => {
      delete f.delivery.argocd;
    },
    resolved: (e) => (e.delivery?.engine === 'argocd' ? e.delivery.argocd.destinationServer : 'not argocd'),
  },
  {
    key: 'karpenterNamespace',
    schemaPath: ['addons', 'karpenter', 'namespace'],
    environment: 'dev',
    leaveOut: (f) => {
      f.addons.karpenter = {};
    },
    resolved: (e) => e.addons?.karpenter?.namespace,
  },
  {
    key: 'karpenterReplicas',
    schemaPath: ['addons', 'karpenter', 'replicas'],
    environment: 'dev',
    leaveOut: (f) => {
      f.addons.karpenter = {};
    },
    resolved: (e) => e.addons?.karpenter?.replicas,
  },
  {
    key: 'hubDbSize',
    schemaPath: ['addons', 'jupyterhub', 'hubDbSize'],
    environment: 'prod',
    leaveOut: (f) => {
      delete f.addons.jupyterhub.hubDbSize;
    },
    resolved: (e) => e.addons?.jupyterhub?.hubDbSize,
  },
  {
    key: 'tlsScheme',
    schemaPath: ['addons', 'jupyterhub', 'tls', 'scheme'],
    environment: 'prod',
    leaveOut: (f) => {
      delete f.addons.jupyterhub.tls.scheme;
    },
    resolved: (e) => e.addons?.jupyterhub?.tls?.scheme,
  },
  {
    key: 'lifecycleApi',
    schemaPath: ['addons', 'prometheus', 'server', 'lifecycleApi'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.addons.prometheus.server.lifecycleApi;
    },
    resolved: (e) => e.addons?.prometheus?.server?.lifecycleApi,
  },
  {
    key: 'gpuResource',
    schemaPath: ['capacity', 'classes', 'items', 'gpu', 'resource'],
    environment: 'prod',
    leaveOut: (f) => {
      delete f.capacity.classes[2].gpu.resource;
    },
    resolved: (e) => e.capacity.classes[2]?.gpu?.resource,
  },
  {
    key: 'gpuPerExecutor',
    schemaPath: ['capacity', 'classes', 'items', 'gpu', 'perExecutor'],
    environment: 'prod',
    leaveOut: (f) => {
      delete f.capacity.classes[2].gpu.perExecutor;
    },
    resolved: (e) => e.capacity.classes[2]?.gpu?.perExecutor,
  },
  {
    key: 'retired',
    schemaPath: ['tenants', 'items', 'retired'],
    environment: 'dev',
    leaveOut: (f) => {
      delete f.tenants[0].retired;
    },
    resolved: (e) => e.tenants[0]?.retired,
  },
  {
    key: 'queueOrdering',
    schemaPath: ['tenants', 'items', 'queue', 'ordering'],
    environment: 'staging',
    leaveOut: (f) => {
      delete f.tenants[0].queue.ordering;
    },
    resolved: (e) => e.tenants[0]?.queue?.ordering,
  },
  {
    key: 'gangMinExecutors',
    schemaPath: ['tenants', 'items', 'queue', 'gangMinExecutors'],
    environment: 'staging',
    leaveOut: (f) => {
      delete f.tenants[0].queue.gangMinExecutors;
    },
    resolved: (e) => e.tenants[0]?.queue?.gangMinExecutors,
  },
];

describe('each default the schema declares is what the model holds when the file leaves the field out', () => {
  it.each(DEFAULT_CASES.map((entry) => [entry.schemaPath.join('.'), entry] as const))('%s', (_, entry) => {
    const declared = schemaDefault(entry.schemaPath);
    expect(ENVIRONMENT_DEFAULTS[entry.key]).toEqual(declared);
    expect(entry.resolved(loadEdited(entry.environment, entry.leaveOut))).toEqual(declared);
  });

  it('every default in schema.json has its case above (a new default cannot go unresolved)', () => {
    expect(pathsWithDefault(committedSchema).sort()).toEqual(
      DEFAULT_CASES.map((entry) => entry.schemaPath.join('.')).sort(),
    );
    expect(Object.keys(ENVIRONMENT_DEFAULTS).sort()).toEqual(DEFAULT_CASES.map((entry) => entry.key).sort());
  });
});

describe('defaults that depend on other settings', () => {
  it("driver nodes expire per back end: Karpenter's 720h, Auto Mode's 336h with its 24h drain bound, as the NodePools say", () => {
    const karpenter = loadEdited('dev', (f) => {
      delete f.capacity.driverNodes;
    });
    expect(karpenter.capacity.driverNodes).toEqual(DRIVER_NODE_DEFAULTS.karpenter);
    const autoMode = loadEdited('sandbox', (f) => {
      delete f.capacity.driverNodes;
    });
    expect(autoMode.capacity.driverNodes).toEqual({ expireAfter: '336h', terminationGracePeriod: '24h' });
    for (const environment of [karpenter, autoMode]) {
      const pool = renderEnvironment(environment)
        .objects.map(({ object }) => object as any)
        .find((object) => object.kind === 'NodePool' && object.metadata.name === 'spark-driver');
      expect(pool.spec.template.spec.expireAfter).toBe(environment.capacity.driverNodes.expireAfter);
    }
  });

  it("a GPU class's taint key is its own, else its resource's name, as its NodePools taint the nodes", () => {
    const own = loadEdited('prod', (f) => {
      f.capacity.classes[2].gpu = { resource: 'nvidia.com/gpu', taintKey: 'gpu-node' };
    });
    expect(own.capacity.classes[2]?.gpu).toEqual({ resource: 'nvidia.com/gpu', perExecutor: 1, taintKey: 'gpu-node' });
    const prod = load('prod');
    expect(prod.capacity.classes[2]?.gpu?.taintKey).toBe('nvidia.com/gpu');
    const pool = renderEnvironment(prod)
      .objects.map(({ object }) => object as any)
      .find((object) => object.kind === 'NodePool' && object.metadata.name === 'spark-gpu-executor-on-demand');
    expect(pool.spec.template.spec.taints).toContainEqual({ key: 'nvidia.com/gpu', effect: 'NoSchedule' });
  });

  it("a tenant's job size is its own, else Spark's own (1 core and 1g each), as its spark-defaults say", () => {
    const unsized = loadEdited('dev', (f) => {
      delete f.tenants[0].spark.jobSize;
      f.tenants[0].quota.storage = '1Ti'; // smaller pods: more of them, each with its scratch volume
    });
    expect(unsized.tenants[0]?.spark.jobSize).toEqual(SPARK_DEFAULT_JOB_SIZE);
    const written = parse(environmentText('dev')).tenants[0].spark.jobSize;
    expect(written).toBeDefined();
    expect(load('dev').tenants[0]?.spark.jobSize).toEqual(written);
    const overrides = renderEnvironment(unsized).files.get(
      `artifacts/tenants/${unsized.tenants[0]?.name}/configuration-overrides.json`,
    );
    const properties = JSON.parse(overrides ?? '{}').applicationConfiguration[0].properties;
    expect(properties).toMatchObject({
      'spark.driver.cores': '1',
      'spark.driver.memory': '1g',
      'spark.executor.cores': '1',
      'spark.executor.memory': '1g',
    });
  });

  it("a tenant's identity is its own, else the cluster's", () => {
    const mixed = loadEdited('sandbox', (f) => {
      f.tenants[1].identity = 'irsa';
    });
    expect(mixed.tenants.map((tenant) => tenant.identity)).toEqual(['pod-identity', 'irsa']);
  });

  it("JupyterHub's proxy Service follows its TLS load balancer unless set: LoadBalancer for an NLB, ClusterIP for an ALB", () => {
    const nlb = loadEdited('staging', (f) => {
      delete f.addons.jupyterhub.proxyServiceType;
    });
    expect(nlb.addons?.jupyterhub?.proxyServiceType).toBe('LoadBalancer');
    const alb = loadEdited('staging', (f) => {
      delete f.addons.jupyterhub.proxyServiceType;
      f.addons.jupyterhub.tls.loadBalancer = 'alb';
    });
    expect(alb.addons?.jupyterhub?.proxyServiceType).toBe('ClusterIP');
  });
});
