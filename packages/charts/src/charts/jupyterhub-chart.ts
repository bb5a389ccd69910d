import type { App } from 'cdk8s';
import {
  JUPYTERHUB_GENERATED_FIELDS, helmRelease, parseQuantity, requireThat, Gp3StorageClass, JUPYTERHUB_CHART, JupyterHubNamespace, JupyterHubSpawnerRbac,
  jupyterHubValues, jupyterHubValuesProblems, type JupyterHubAuth, type JupyterHubTenantProfile, type PodPlacement,
} from '@emr-eks-gitops/core';
import type { EnvironmentConfig, TenantConfig } from '../config/schema.js';
import type { JupyterHubConfig } from '../config/jupyterhub-schema.js';
import { helmDelivery } from './delivery-chart.js';
import { ManifestChart } from './manifest-chart.js';
import { collectIssues, type RenderIssue } from '../render/render-error.js';

/** Output folder of the add-on, below the addons layer. */
export const JUPYTERHUB_FOLDER = 'addons/jupyterhub';
export const JUPYTERHUB_DEFAULT_STORAGE_CLASS = 'jupyterhub-gp3';

/** A tenant as the add-on sees it: its config and its rendered spark-defaults. */
export interface JupyterHubTenant {
  readonly tenant: TenantConfig;
  readonly sparkProperties: Readonly<Record<string, string>> | undefined;
}

/** The tenants JupyterHub serves: not retired, with a `sparkDriver` ServiceAccount (the first one is the notebook's). */
export function jupyterHubProfiles(tenants: readonly JupyterHubTenant[], driverPlacement: PodPlacement): JupyterHubTenantProfile[] {
  return tenants.flatMap(({ tenant, sparkProperties }) => {
    const account = tenant.serviceAccounts?.find((entry) => entry.sparkDriver === true);
    if (tenant.retired || !account || !sparkProperties) return [];
    return [{
      tenant: tenant.name,
      namespace: tenant.namespace,
      serviceAccount: account.name,
      description: tenant.description,
      sparkProperties,
      nodeSelector: driverPlacement.nodeSelector,
      tolerations: driverPlacement.tolerations,
    }];
  });
}

function authOf(config: JupyterHubConfig['auth']): JupyterHubAuth {
  if (config.type === 'dummy') return { type: 'dummy' };
  // The semantic rules refuse an OAuth authenticator without these before rendering starts.
  const client = { clientId: config.clientId!, callbackUrl: config.callbackUrl!, clientSecret: config.clientSecret!, adminUsers: config.adminUsers };
  if (config.type === 'github') return { type: 'github', ...client, allowedOrganizations: config.allowedOrganizations! };
  return {
    type: 'oidc',
    ...client,
    authorizeUrl: config.authorizeUrl!,
    tokenUrl: config.tokenUrl!,
    userdataUrl: config.userdataUrl!,
    allowedGroups: config.allowedGroups!,
    scopes: config.scopes,
    usernameClaim: config.usernameClaim,
    groupsClaim: config.groupsClaim,
    adminGroups: config.adminGroups,
    loginService: config.loginService,
  };
}

/**
 * JupyterHub (`addons/jupyterhub/`): the namespace with Pod Security labels, the add-on's own encrypted gp3
 * StorageClass, and the Helm release (Flux HelmRepository + HelmRelease, or an Argo CD Application with a Helm
 * source) whose values were checked against the chart's values schema.
 */
export class JupyterHubChart extends ManifestChart {
  readonly values: Record<string, unknown>;

  constructor(scope: App, config: EnvironmentConfig, hub: JupyterHubConfig, profiles: readonly JupyterHubTenantProfile[]) {
    super(scope, 'addon-jupyterhub', { folder: JUPYTERHUB_FOLDER, environment: config.name, configPath: ['addons', 'jupyterhub'] });
    new JupyterHubNamespace(this, 'Namespace', { podSecurityVersion: `v${config.cluster.kubernetesVersion}` });
    const storageClass = new Gp3StorageClass(this, 'StorageClass', {
      name: hub.storageClass?.name ?? JUPYTERHUB_DEFAULT_STORAGE_CLASS,
      kmsKeyId: hub.storageClass?.kmsKeyId,
    });
    this.values = jupyterHubValues({
      auth: authOf(hub.auth),
      proxyServiceType: hub.proxyServiceType ?? 'ClusterIP',
      storageClassName: storageClass.name,
      hubDbSize: String(hub.hubDbSize ?? '1Gi'),
      userStorageSize: String(hub.userStorageSize),
      image: hub.image,
      resources: hub.resources,
      hubResources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      cullTimeoutSeconds: hub.cullTimeoutSeconds,
      profiles,
    });
    const delivery = config.delivery;
    requireThat(delivery !== undefined, '', 'is delivered as a Helm release by Flux or Argo CD: add a delivery section');
    helmRelease(this, 'Release', {
      chart: JUPYTERHUB_CHART, namespace: JUPYTERHUB_CHART.namespace, values: this.values, argoIgnoreDifferences: JUPYTERHUB_GENERATED_FIELDS,
    }, helmDelivery(config.name, delivery));
  }
}

/** The hub's right to spawn servers in one tenant namespace (`addons/jupyterhub/tenant-<tenant>/`, namespaced to the tenant). */
export class JupyterHubTenantRbacChart extends ManifestChart {
  constructor(scope: App, config: EnvironmentConfig, profile: JupyterHubTenantProfile) {
    super(scope, `addon-jupyterhub-tenant-${profile.tenant}`, {
      folder: `${JUPYTERHUB_FOLDER}/tenant-${profile.tenant}`, environment: config.name, configPath: ['addons', 'jupyterhub'],
    });
    new JupyterHubSpawnerRbac(this, 'Spawner', { namespace: profile.namespace });
  }
}

/** KubeSpawner sizes (`8G`) are binary multiples: the same amount as a Kubernetes `8Gi`. */
const kubeSpawnerBytes = (size: string) => parseQuantity(size.replace(/^([0-9]+)([KMGT])$/, '$1$2i'));

/** A notebook server is a container of the tenant namespace: its limits must pass the tenant's LimitRange max. */
function limitRangeIssues(hub: JupyterHubConfig, tenants: readonly JupyterHubTenant[], profiles: readonly JupyterHubTenantProfile[]): RenderIssue[] {
  const issues: RenderIssue[] = [];
  for (const profile of profiles) {
    const max = tenants.find(({ tenant }) => tenant.name === profile.tenant)?.tenant.containerDefaults.max;
    if (!max) continue;
    if (hub.resources.cpu.limit > parseQuantity(max.cpu)) {
      issues.push({ configPath: ['addons', 'jupyterhub', 'resources', 'cpu', 'limit'], message: `the notebook server's CPU limit ${hub.resources.cpu.limit} is above the LimitRange max.cpu ${max.cpu} of tenant ${profile.tenant}, which refuses the pod` });
    }
    if (kubeSpawnerBytes(hub.resources.memory.limit) > parseQuantity(max.memory)) {
      issues.push({ configPath: ['addons', 'jupyterhub', 'resources', 'memory', 'limit'], message: `the notebook server's memory limit ${hub.resources.memory.limit} is above the LimitRange max.memory ${max.memory} of tenant ${profile.tenant}, which refuses the pod` });
    }
  }
  return issues;
}

/**
 * The JupyterHub add-on's charts, or none when it is off. Builder refusals and values the chart's own schema refuses
 * are pushed to `issues`, located at `addons.jupyterhub`.
 */
export function jupyterHubCharts(
  app: App, config: EnvironmentConfig, tenants: readonly JupyterHubTenant[], driverPlacement: PodPlacement, issues: RenderIssue[],
): ManifestChart[] {
  const hub = config.addons?.jupyterhub;
  if (!hub) return [];
  const at = ['addons', 'jupyterhub'];
  const profiles = jupyterHubProfiles(tenants, driverPlacement);
  issues.push(...limitRangeIssues(hub, tenants, profiles));
  const chart = collectIssues(issues, at, () => new JupyterHubChart(app, config, hub, profiles));
  if (!chart) return [];
  if (profiles.length === 0) {
    chart.warnings.push({ configPath: at, message: 'serves no tenant: no tenant has a serviceAccounts entry with sparkDriver: true, so the hub has no Spark profile and spawns servers in its own namespace' });
  }
  issues.push(...jupyterHubValuesProblems(chart.values).map((message) => ({ configPath: at, message: `rendered Helm values: ${message}` })));
  const rbac = profiles.map((profile) => collectIssues(issues, at, () => new JupyterHubTenantRbacChart(app, config, profile)));
  return [chart, ...rbac.filter((entry): entry is JupyterHubTenantRbacChart => entry !== undefined)];
}
