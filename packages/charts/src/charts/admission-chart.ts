import type { Construct } from 'constructs';
import {
  configDiagnostic,
  DriverAccountPodPolicy,
  ExclusiveCapacityClassPolicy,
  JUPYTERHUB_HUB_SERVICE_ACCOUNT,
  JUPYTERHUB_NAMESPACE,
  emrSparkImage,
  serviceAccountUsername,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import { collectIssues, underField, type RenderIssue } from '../config/render-error.js';
import { ManifestChart } from './manifest-chart.js';
import type { TenantChart } from './tenant-chart.js';
import type { AdmissionSummary } from './summaries.js';

/** Per exclusive class: the tenants granted it and the namespaces of the tenants that are not. */
export function exclusiveClassScopes(
  config: ResolvedEnvironment,
): Array<{ index: number; name: string; granted: Array<{ tenant: string; namespace: string }>; checked: string[] }> {
  // A retired tenant's namespace still exists (never pruned): it is checked like any other.
  const tenants = config.tenants;
  return config.capacity.classes.flatMap((spec, index) => {
    if (!spec.exclusiveTo) return [];
    const granted = tenants
      .filter((tenant) => spec.exclusiveTo!.includes(tenant.name))
      .map((tenant) => ({ tenant: tenant.name, namespace: tenant.namespace }));
    const checked = tenants
      .filter((tenant) => !spec.exclusiveTo!.includes(tenant.name))
      .map((tenant) => tenant.namespace);
    return checked.length > 0 && granted.length > 0 ? [{ index, name: spec.name, granted, checked }] : [];
  });
}

/**
 * Admission policies of the platform layer: for each capacity class with `exclusiveTo`, a ValidatingAdmissionPolicy
 * and binding that refuse pods of the other tenants' namespaces that could reach the class's nodes (the rendered pod
 * templates never do; this covers the pod templates, node selectors and pods tenants write themselves).
 */
export class AdmissionChart extends ManifestChart {
  readonly policies: ExclusiveCapacityClassPolicy[] = [];
  readonly driverAccountPolicies: DriverAccountPodPolicy[] = [];
  /** Which policies the README says the platform layer holds. */
  readonly summary: AdmissionSummary;

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-admission', {
      folder: 'platform/admission',
      environment: config.name,
      configPath: ['capacity', 'classes'],
    });
    const scopes = exclusiveClassScopes(config);
    // Driver-account policies are added per tenant once the tenants are built (addDriverAccountPolicies), for these tenants.
    this.summary = {
      exclusiveClasses: scopes,
      driverAccountPolicies: config.tenants.some((tenant) => driverAccounts(tenant).length > 0),
    };
    for (const scope of scopes) {
      this.policies.push(
        underField(
          `[${scope.index}].exclusiveTo`,
          () =>
            new ExclusiveCapacityClassPolicy(this, `Exclusive-${scope.name}`, {
              capacityClass: scope.name,
              grantedTo: scope.granted,
              checkedNamespaces: scope.checked,
            }),
        ),
      );
    }
  }
}

/** The tenant's `sparkDriver` accounts: those that create pods (executors). */
export function driverAccounts(tenant: ResolvedTenant): string[] {
  return tenant.serviceAccounts.filter((account) => account.sparkDriver).map((account) => account.name);
}

/** spark-defaults properties that name the image of the executors a driver creates. */
const EXECUTOR_IMAGE_PROPERTIES = ['spark.kubernetes.container.image', 'spark.kubernetes.executor.container.image'];
// biome-ignore lint/suspicious/noExplicitAny: rendered objects read back as untyped JSON, walked by field name
type Json = Record<string, any>;

/**
 * The images the pods of a tenant's Spark-driver accounts may run, as the environment knows them: the notebook image
 * (JupyterHub's sessions run their executors on it), the EMR Spark image of each release the tenant's jobs use, the
 * executor image its spark-defaults name, and the init and sidecar containers of its rendered executor pod templates
 * (custom code). `unknown` says why an EMR image could not be named.
 * Served or not by JupyterHub, the notebook image is allowed: it is built FROM the tenants' EMR image.
 */
export function driverAccountImages(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
  rendered: TenantChart | undefined,
): { images: string[]; unknown: string[] } {
  const images = new Set<string>();
  const unknown = new Set<string>();
  const hub = config.addons?.jupyterhub;
  if (hub) images.add(`${hub.image.name}:${hub.image.tag}`);
  const addRelease = (releaseLabel: string) => {
    const emr = emrSparkImage(config.cluster.region, releaseLabel, config.cluster.partition);
    if ('image' in emr) images.add(emr.image);
    else unknown.add(emr.unknown);
  };
  // A retired tenant renders no artifacts, but its accounts stay: its release's image still applies.
  addRelease(tenant.releaseLabel);
  for (const artifact of rendered?.artifacts ?? []) {
    const value = artifact.value as Json;
    if (artifact.path.endsWith('pod-templates/executor.yaml')) {
      for (const list of ['initContainers', 'containers']) {
        for (const container of value.spec?.[list] ?? [])
          if (typeof container.image === 'string') images.add(container.image);
      }
    } else if (artifact.path.endsWith('configuration-overrides.json')) {
      const defaults = (value.applicationConfiguration as Json[]).find(
        (entry) => entry.classification === 'spark-defaults',
      );
      for (const key of EXECUTOR_IMAGE_PROPERTIES)
        if (defaults?.properties?.[key]) images.add(defaults.properties[key]);
    } else if (artifact.path.endsWith('start-job-run.json')) {
      addRelease(value.releaseLabel); // a GPU class's jobs run the release's RAPIDS variant
    }
  }
  return { images: [...images].sort(), unknown: [...unknown] };
}

/**
 * For each tenant with `sparkDriver` accounts, the policy that holds the pods they create to their own account and
 * the tenant's images (see DriverAccountPodPolicy). Retired tenants too: their accounts and Role stay in the cluster.
 * Issues: a tenant whose images cannot be named (its accounts could create no pod), at its first driver account.
 */
export function addDriverAccountPolicies(
  chart: AdmissionChart,
  config: ResolvedEnvironment,
  tenants: readonly TenantChart[],
): RenderIssue[] {
  const issues: RenderIssue[] = [];
  config.tenants.forEach((tenant, index) => {
    const accounts = driverAccounts(tenant);
    if (accounts.length === 0) return;
    const first = tenant.serviceAccounts.findIndex((account) => account.sparkDriver);
    const at = ['tenants', index, 'serviceAccounts', first, 'sparkDriver'];
    const rendered = tenants.find((entry) => entry.folder === `tenants/${tenant.name}`);
    const { images, unknown } = driverAccountImages(config, tenant, rendered);
    if (images.length === 0) {
      issues.push(
        configDiagnostic(
          'driver-account-admission',
          at,
          `the pods this account creates may run only the tenant's images (held at admission), and none is known: ${unknown.join('; ')}; or name the executors' image in the tenant's spark.extraProperties (spark.kubernetes.container.image)`,
        ),
      );
      return;
    }
    const policy = collectIssues(
      issues,
      at,
      () =>
        new DriverAccountPodPolicy(chart, `DriverPods-${tenant.name}`, {
          namespace: tenant.namespace,
          serviceAccounts: accounts,
          allowedImages: images,
          // The hub spawns the notebook servers as these accounts (kubespawner_override.service_account).
          spawners: config.addons?.jupyterhub
            ? [serviceAccountUsername(JUPYTERHUB_NAMESPACE, JUPYTERHUB_HUB_SERVICE_ACCOUNT)]
            : [],
        }),
    );
    if (policy) chart.driverAccountPolicies.push(policy);
  });
  return issues;
}
