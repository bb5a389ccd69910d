import type { App } from 'cdk8s';
import {
  EMR_RESOURCE_TAGS,
  POD_IDENTITY,
  PROJECT_NAME,
  emrJobServiceAccounts,
  podIdentityAssociationRequest,
  tenantCostLabels,
  type PodIdentityBinding,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { HISTORY_SERVER_NAMESPACE, historyServerName } from './history-server-names.js';
import { ManifestChart } from './manifest-chart.js';
import type { PodIdentitySummary } from './summaries.js';

/** Where the Pod Identity documents go, below `artifacts/`. */
export const POD_IDENTITY_FOLDER = 'platform/pod-identity';
/** The shared History Server account (SparkHistoryServers.serviceAccountName) for servers without a role of their own. */
const SHARED_HISTORY_ACCOUNT = 'spark-history-server';

/**
 * Every service account that needs an IAM role under Pod Identity: EMR's three job accounts per tenant (client, driver,
 * executor, as `aws emr-containers create-role-associations` names them), the tenant's accounts with a roleArn
 * (notebooks) and the History Server accounts. Tenants on IRSA have none; retired tenants keep theirs (their jobs may
 * still run) until their entry is removed.
 */
export function podIdentityBindings(config: ResolvedEnvironment): PodIdentityBinding[] {
  const bindings: PodIdentityBinding[] = [];
  for (const tenant of config.tenants) {
    if (tenant.identity !== 'pod-identity') continue;
    for (const serviceAccount of emrJobServiceAccounts(tenant.executionRoleArn)) {
      bindings.push({
        namespace: tenant.namespace,
        serviceAccount,
        roleArn: tenant.executionRoleArn,
        purpose: 'emr-job',
        tenant: tenant.name,
      });
    }
    for (const account of tenant.serviceAccounts) {
      if (account.roleArn)
        bindings.push({
          namespace: tenant.namespace,
          serviceAccount: account.name,
          roleArn: account.roleArn,
          purpose: 'notebook',
          tenant: tenant.name,
        });
    }
  }
  const history = config.addons?.historyServer;
  if (history && config.spark.logs.s3Uri && config.cluster.identity === 'pod-identity') {
    for (const tenant of config.tenants.filter((t) => !t.retired)) {
      const own = history.tenantRoleArns?.[tenant.name];
      const roleArn = own ?? history.roleArn;
      if (!roleArn) continue; // history-server-role refuses this before rendering
      const serviceAccount = own ? historyServerName(tenant.name) : SHARED_HISTORY_ACCOUNT;
      if (bindings.some((b) => b.namespace === HISTORY_SERVER_NAMESPACE && b.serviceAccount === serviceAccount))
        continue;
      bindings.push({
        namespace: HISTORY_SERVER_NAMESPACE,
        serviceAccount,
        roleArn,
        purpose: 'history-server',
        tenant: tenant.name,
      });
    }
  }
  return bindings;
}

/** The tags of a binding's association: managed, environment, tenant, and the tenant's cost labels. */
export function podIdentityTags(config: ResolvedEnvironment, binding: PodIdentityBinding): Record<string, string> {
  const tenant = config.tenants.find((t) => t.name === binding.tenant)!;
  return {
    ...tenantCostLabels(config.costAllocation, tenant),
    [EMR_RESOURCE_TAGS.managedBy]: PROJECT_NAME,
    [EMR_RESOURCE_TAGS.environment]: config.name,
  };
}

/** The path of a binding's request below the chart folder: one file per service account. */
export const associationPath = (binding: Pick<PodIdentityBinding, 'namespace' | 'serviceAccount'>) =>
  `associations/${binding.namespace}/${binding.serviceAccount}.json`;

/**
 * `artifacts/platform/pod-identity/`: a CreatePodIdentityAssociation request per account (`aws eks
 * create-pod-identity-association --cli-input-json file://...`; `emr apply` creates, keeps or replaces them), and on
 * self-managed capacity the `eks-pod-identity-agent` add-on request (`aws eks create-addon --cli-input-json`): EKS Auto
 * Mode runs the agent itself.
 */
export class PodIdentityChart extends ManifestChart {
  readonly bindings: readonly PodIdentityBinding[];
  /** The associations and the agent add-on request, as the README's "EKS Pod Identity" section lists them. */
  readonly summary: PodIdentitySummary;

  constructor(scope: App, config: ResolvedEnvironment) {
    super(scope, 'pod-identity', {
      folder: POD_IDENTITY_FOLDER,
      environment: config.name,
      configPath: ['cluster', 'identity'],
    });
    this.bindings = podIdentityBindings(config);
    const agentAddonFile =
      this.bindings.length > 0 && config.capacity.backend !== 'auto-mode'
        ? `${POD_IDENTITY.agentAddonName}-addon.json`
        : undefined;
    this.summary = {
      bindings: this.bindings.map((binding) => ({ ...binding, path: associationPath(binding) })),
      folder: POD_IDENTITY_FOLDER,
      agentAddonFile,
      servicePrincipal: POD_IDENTITY.servicePrincipal,
      trustActions: POD_IDENTITY.trustActions,
    };
    for (const binding of this.summary.bindings) {
      this.addArtifact({
        path: binding.path,
        format: 'json',
        kubernetesObject: false,
        value: podIdentityAssociationRequest(config.cluster.name, binding, podIdentityTags(config, binding)),
      });
    }
    if (agentAddonFile) {
      this.addArtifact({
        path: agentAddonFile,
        format: 'json',
        kubernetesObject: false,
        value: {
          clusterName: config.cluster.name,
          addonName: POD_IDENTITY.agentAddonName,
          resolveConflicts: 'OVERWRITE',
        },
      });
    }
  }
}
