import type { App } from 'cdk8s';
import {
  configDiagnostic, ConfigurationError, KARPENTER_CHART, KARPENTER_CRD_CHART, LABELS, NOTEBOOK_SERVER_LABEL, NVIDIA_DEVICE_PLUGIN_CHART, PROJECT_NAME, SPARK_HISTORY_UI_PORT, SparkHistoryServers, helmRelease,
  karpenterControllerHelmValues, nvidiaDevicePluginHelmValues, nvidiaDevicePluginPoolMisfit,
  type HelmDelivery, type NodePool, type NvidiaDevicePluginValues, type SparkCapacity,
} from '@emr-eks-gitops/core';
import type { KarpenterCapacity, ResolvedAddons, ResolvedEnvironment } from '../config/resolve.js';
import { addonPlacement } from './auto-mode-capacity.js';
import { tenantLocations } from '../config/tenant-locations.js';
import { helmDelivery } from './delivery-chart.js';
import { ManifestChart } from './manifest-chart.js';
import { PrometheusChart } from './prometheus-chart.js';
import { HISTORY_SERVER_NAMESPACE, historyServerName } from './history-server-names.js';
import { servesNotebooks } from './notebook-tenants.js';
import { YunikornChart, guaranteedCapacityIssues } from './yunikorn-addon.js';
import type { AddonSummary } from './summaries.js';

export { HISTORY_SERVER_NAMESPACE, historyServerName };
import { collectIssues, type RenderIssue } from '../config/render-error.js';

/**
 * The environment's add-ons (its `addons:` section), one chart each, in `addons/<name>/` (Karpenter's controller in
 * `karpenter/`, a delivery layer of its own between the CRDs and the platform). The delivery wiring picks up every
 * folder with content. Add-ons delivered as Helm releases need a `delivery:` section (the config refuses them without one).
 */
export function addonCharts(
  app: App, config: ResolvedEnvironment, issues: RenderIssue[], classes: ReadonlyMap<string, SparkCapacity> = new Map(),
): ManifestChart[] {
  const addons = config.addons;
  if (!addons) return [];
  const delivery = config.delivery ? helmDelivery(config.name, config.delivery) : undefined;
  // Each add-on on its own: a builder's refusal is located below its section (addons.<name>.<field>), and one refused
  // add-on does not hide another's problems.
  const add = (name: string, build: () => ManifestChart) => collectIssues(issues, ['addons', name], build);
  const karpenter = addons.karpenter;
  const capacity = config.capacity;
  const prometheus = addons.prometheus;
  const history = addons.historyServer;
  const logs = config.spark.logs.s3Uri;
  const devicePlugin = addons.nvidiaDevicePlugin;
  const yunikorn = addons.yunikorn;
  return [
    // Auto Mode runs its own Karpenter: the semantics rules refuse addons.karpenter there.
    karpenter && delivery && capacity.backend === 'karpenter'
      ? add('karpenter', () => new KarpenterControllerChart(app, config, capacity, karpenter, delivery)) : undefined,
    prometheus ? add('prometheus', () => new PrometheusChart(app, config, prometheus)) : undefined,
    history && logs && pushAll(issues, historyServerRoleIssues(config, history))
      ? add('historyServer', () => new HistoryServerChart(app, config, history)) : undefined,
    devicePlugin && delivery ? add('nvidiaDevicePlugin', () => new NvidiaDevicePluginChart(app, config, devicePlugin, classes, delivery)) : undefined,
    yunikorn && delivery && pushAll(issues, guaranteedCapacityIssues(config, classes)) ? add('yunikorn', () => new YunikornChart(app, config, delivery)) : undefined,
  ].filter((chart): chart is ManifestChart => chart !== undefined);
}

/** Adds `found` to `issues`; true when there were none. */
function pushAll(issues: RenderIssue[], found: readonly RenderIssue[]): boolean {
  issues.push(...found);
  return found.length === 0;
}

/**
 * Every active tenant's history server needs a role (its own or the shared one), and a role of its own must name a
 * tenant: a role under a name that is no tenant's (a typo) would leave the tenant meant on the shared role, or on none.
 */
type HistoryServerAddon = NonNullable<ResolvedAddons['historyServer']>;

export function historyServerRoleIssues(config: ResolvedEnvironment, addon: HistoryServerAddon): RenderIssue[] {
  const at = ['addons', 'historyServer'];
  const active = config.tenants.filter((tenant) => !tenant.retired).map((tenant) => tenant.name);
  // No active tenant: the builder refuses an add-on without servers.
  if (active.length === 0) return [];
  const own = addon.tenantRoleArns ?? {};
  // A retired tenant's role is left alone (its server is gone; removing the line is part of deleting the tenant).
  const known = config.tenants.map((tenant) => tenant.name);
  const issues: RenderIssue[] = Object.keys(own).filter((name) => !known.includes(name)).sort().map((name) => configDiagnostic('history-server-role', [...at, 'tenantRoleArns', name], `names no tenant (the tenants are ${known.join(', ')}): its role would serve no history server, and the tenant it was meant for falls back to the shared role or has none; name the role after one of the tenants`));
  const missing = addon.roleArn === undefined ? active.filter((name) => own[name] === undefined) : [];
  if (missing.length > 0) {
    issues.push(configDiagnostic('history-server-role', at, `the history server of ${missing.map((name) => `tenant ${name}`).join(', ')} has no IAM role and could not read its event logs; add tenantRoleArns.${missing[0]} (a role of the tenant's own, which reads only its event logs), or a roleArn shared by the servers without one`));
  }
  return issues;
}

/** Where Karpenter's controller is rendered: its own layer, after the CRDs and before the platform's NodePools. */
export const KARPENTER_CONTROLLER_FOLDER = 'karpenter';

/**
 * Karpenter's controller as a Helm release of the chart pinned with its CRDs (KARPENTER_CHART), with the values of
 * karpenterControllerHelmValues (cluster name, interruption queue, IRSA role, kept off Karpenter's own nodes).
 * The chart's `crds/` folder is skipped: the karpenter-crd release owns the CRDs (and upgrades them, which a chart's
 * `crds/` folder never is). Flux: the HelmRelease depends on karpenter-crd's. The karpenter chart ships no
 * values.schema.json at this version, so there is no chart schema to check the values against.
 */
export class KarpenterControllerChart extends ManifestChart {
  readonly values: ReturnType<typeof karpenterControllerHelmValues>;
  override readonly addonSummary: AddonSummary;

  constructor(scope: App, config: ResolvedEnvironment, capacity: KarpenterCapacity, addon: NonNullable<ResolvedAddons['karpenter']>, delivery: HelmDelivery) {
    super(scope, 'addon-karpenter', { folder: KARPENTER_CONTROLLER_FOLDER, environment: config.name, configPath: ['addons', 'karpenter'] });
    const { controller } = capacity;
    const { namespace } = addon;
    this.values = karpenterControllerHelmValues({
      clusterName: config.cluster.name,
      interruptionQueue: controller.interruptionQueue,
      controllerRoleArn: controller.roleArn,
      managedNodeGroups: controller.managedNodeGroups,
      replicas: addon.replicas,
    });
    helmRelease(this, 'Controller', {
      chart: KARPENTER_CHART,
      namespace,
      values: this.values as unknown as Record<string, unknown>,
      // The CRDs' release lives in flux-system beside this one; with Argo CD the sync waves order them.
      dependsOn: [KARPENTER_CRD_CHART.name],
      skipCrds: true,
      createNamespace: namespace !== 'kube-system',
    }, delivery);
    this.addonSummary = {
      name: 'karpenter', order: 1,
      rows: [{
        name: 'Karpenter controller', chart: `\`${KARPENTER_CHART.url}\` ${KARPENTER_CHART.version}`, namespace, folder: KARPENTER_CONTROLLER_FOLDER,
        reach: `no UI: \`kubectl logs -n ${namespace} deploy/karpenter\`; metrics on port 8080 of \`svc/karpenter\``,
      }],
      notes: [{
        section: 'addons', template: 'addons/karpenter', order: 3,
        data: {
          karpenterAddon: {
            namespace, replicas: addon.replicas ?? 2, application: `${PROJECT_NAME}-${config.name}-addon-karpenter`,
            nodeGroups: (controller.managedNodeGroups ?? []).map((group) => `\`${group}\``).join(', '),
          },
          controller: { interruptionQueue: controller.interruptionQueue, roleArn: controller.roleArn, managedNodeGroups: controller.managedNodeGroups },
        },
      }],
    };
  }
}


/**
 * Spark History Servers, one per active tenant, each reading only that tenant's event logs
 * (`<spark.logs.s3Uri>/<tenant>/spark-events/`, the `spark.eventLog.dir` its jobs write): Spark's history server reads
 * one directory and not its sub-folders, and one server per tenant keeps each tenant's applications apart. Each
 * reads with a read-only IAM role (IRSA): the tenant's own (`tenantRoleArns`, least privilege) or the shared `roleArn`. They
 * run where Karpenter's controller runs (capacity.controller.managedNodeGroups, never on a Karpenter node); on EKS Auto
 * Mode, on the built-in pool capacity.autoMode.addonNodePool.
 */
export class HistoryServerChart extends ManifestChart {
  override readonly addonSummary: AddonSummary;

  constructor(scope: App, config: ResolvedEnvironment, addon: HistoryServerAddon) {
    super(scope, 'addon-spark-history', { folder: 'addons/spark-history', environment: config.name, configPath: ['addons', 'historyServer'] });
    this.addonSummary = historyServerSummary(config, addon);
    new SparkHistoryServers(this, 'HistoryServers', {
      namespace: HISTORY_SERVER_NAMESPACE,
      image: addon.image,
      roleArn: addon.roleArn,
      identity: config.cluster.identity,
      allowIngressFromNamespaces: addon.allowIngressFromNamespaces,
      resources: addon.resources,
      ...addonPlacement(config),
      servers: config.tenants.filter((tenant) => !tenant.retired).map((tenant) => ({
        name: historyServerName(tenant.name),
        // Built only with spark.logs.s3Uri (addonCharts), so every tenant has an event log directory.
        logDirectory: tenantLocations(config, tenant).eventLogDir!,
        labels: { [LABELS.tenant]: tenant.name },
        roleArn: addon.tenantRoleArns?.[tenant.name],
        // The tenant's notebook servers (Spark drivers of their sessions) read their own applications' history.
        uiClients: servesNotebooks(config, tenant) ? [{ namespace: tenant.namespace, podLabels: { [NOTEBOOK_SERVER_LABEL.key]: NOTEBOOK_SERVER_LABEL.value } }] : undefined,
      })),
    });
  }
}

/** The servers, their logs and roles, and who may open their UIs, as the README's add-on notes list them. */
function historyServerSummary(config: ResolvedEnvironment, history: HistoryServerAddon): AddonSummary {
  const activeTenants = config.tenants.filter((tenant) => !tenant.retired);
  const ingress = history.allowIngressFromNamespaces ?? [];
  const rows = activeTenants.map((tenant) => {
    const own = history.tenantRoleArns?.[tenant.name];
    return {
      tenant: tenant.name, server: historyServerName(tenant.name), logDirectory: tenantLocations(config, tenant).eventLogDir,
      roleArn: own ?? history.roleArn, shared: own === undefined, serviceAccount: own === undefined ? 'spark-history-server' : historyServerName(tenant.name),
    };
  });
  const shared = activeTenants.filter((tenant) => history.tenantRoleArns?.[tenant.name] === undefined).map((tenant) => tenant.name);
  const historyServer = {
    namespace: HISTORY_SERVER_NAMESPACE,
    image: history.image,
    port: SPARK_HISTORY_UI_PORT,
    nodeGroups: (config.capacity.backend === 'karpenter' ? config.capacity.controller.managedNodeGroups ?? [] : []).map((group) => `\`${group}\``).join(', ') || 'any non-Karpenter node',
    ingress: [
      ...(ingress.length > 0 ? [`the namespaces ${ingress.map((n) => `\`${n}\``).join(', ')}`] : []),
      ...(activeTenants.some((tenant) => servesNotebooks(config, tenant)) ? ['each tenant\'s notebook servers (to that tenant\'s server only)'] : []),
    ].join(' and ') || 'no namespace',
    rows,
    sharedTenants: shared.length === 0 || !history.tenantRoleArns ? '' : `Tenant(s) ${shared.join(', ')}`,
  };
  return {
    name: 'historyServer', order: 4,
    rows: [{
      name: 'Spark History Server',
      chart: 'none: Deployment, Service, ServiceAccount and NetworkPolicies rendered here',
      namespace: HISTORY_SERVER_NAMESPACE,
      folder: 'addons/spark-history',
      reach: `\`kubectl port-forward -n ${HISTORY_SERVER_NAMESPACE} svc/${rows[0]?.server ?? 'spark-history-<tenant>'} ${SPARK_HISTORY_UI_PORT}\` (one Service per tenant: \`svc/spark-history-<tenant>\`), then http://localhost:${SPARK_HISTORY_UI_PORT}`,
    }],
    notes: [{ section: 'addons', template: 'addons/spark-history', order: 4, data: { historyServer } }],
  };
}

/** Where NVIDIA's device plugin release is rendered. */
export const NVIDIA_DEVICE_PLUGIN_FOLDER = 'addons/nvidia-device-plugin';

/**
 * NVIDIA's device plugin (NVIDIA_DEVICE_PLUGIN_CHART) in kube-system, on the nodes of the GPU capacity classes' executor
 * pools only, tolerating exactly their taints (nvidiaDevicePluginHelmValues). Built from the same pools the GPU
 * executors' pod templates target, and checked against every pool of the environment: the plugin must fit each GPU
 * pool (or its nodes never advertise the GPUs) and no other (where it would only waste a slot, or fail without a GPU).
 * The config refuses it on EKS Auto Mode (gpu-semantics.ts), whose nodes run their own.
 */
export class NvidiaDevicePluginChart extends ManifestChart {
  readonly values: NvidiaDevicePluginValues;
  override readonly addonSummary: AddonSummary = {
    name: 'nvidiaDevicePlugin', order: 5,
    rows: [{
      name: 'NVIDIA device plugin',
      chart: `\`${NVIDIA_DEVICE_PLUGIN_CHART.name}\` ${NVIDIA_DEVICE_PLUGIN_CHART.version} from ${NVIDIA_DEVICE_PLUGIN_CHART.url}`,
      namespace: NVIDIA_DEVICE_PLUGIN_CHART.namespace,
      folder: NVIDIA_DEVICE_PLUGIN_FOLDER,
      reach: 'no UI: runs on the GPU classes\' nodes only (see Capacity classes); each such node advertises `nvidia.com/gpu` (`kubectl describe node`)',
    }],
    notes: [],
  };

  constructor(scope: App, config: ResolvedEnvironment, addon: NonNullable<ResolvedAddons['nvidiaDevicePlugin']>, classes: ReadonlyMap<string, SparkCapacity>, delivery: HelmDelivery) {
    super(scope, 'addon-nvidia-device-plugin', { folder: NVIDIA_DEVICE_PLUGIN_FOLDER, environment: config.name, configPath: ['addons', 'nvidiaDevicePlugin'] });
    const { gpu, other } = gpuPools(classes);
    this.values = nvidiaDevicePluginHelmValues({ gpuPools: gpu, resources: addon.resources });
    const wrong = [
      ...gpu.flatMap((pool) => { const why = nvidiaDevicePluginPoolMisfit(this.values, pool); return why ? [why] : []; }),
      ...other.filter((pool) => nvidiaDevicePluginPoolMisfit(this.values, pool) === undefined).map((pool) => `would also run on pool ${pool.name}, which has no GPUs`),
    ];
    // A guard against future edits of the builder or the pools: the values come from these very pools.
    if (wrong.length > 0) throw new ConfigurationError('nvidiaDevicePlugin', `the plugin's placement disagrees with the pools: ${wrong.join('; ')}`);
    helmRelease(this, 'Release', {
      chart: NVIDIA_DEVICE_PLUGIN_CHART,
      namespace: NVIDIA_DEVICE_PLUGIN_CHART.namespace,
      values: this.values as unknown as Record<string, unknown>,
    }, delivery);
  }
}

/** The executor pools of the GPU classes (their executors request a device), and every other pool. */
export function gpuPools(classes: ReadonlyMap<string, SparkCapacity>): { gpu: NodePool[]; other: NodePool[] } {
  const gpu = new Set<NodePool>();
  for (const capacity of classes.values()) {
    for (const placement of [capacity.executorPlacement, capacity.nvmeExecutorPlacement]) {
      if (placement?.extendedResources !== undefined) capacity.poolsOf(placement).forEach((pool) => gpu.add(pool));
    }
  }
  const all = [...classes.values()].flatMap((capacity) => capacity.pools);
  return { gpu: all.filter((pool) => gpu.has(pool)), other: all.filter((pool) => !gpu.has(pool)) };
}
