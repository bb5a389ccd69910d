import { releaseSupportsPodIdentity, type PodIdentityMode } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';

/** A tenant's identity: its own, else the cluster's, else IRSA. */
export function identityOf(
  file: Pick<Partial<EnvironmentFile>, 'cluster'> | null,
  tenant: Partial<TenantConfig>,
): PodIdentityMode {
  return tenant.identity ?? file?.cluster?.identity ?? 'irsa';
}

/** The environment uses Pod Identity somewhere (a tenant's or the cluster's setting): the agent and associations matter. */
export function usesPodIdentity(
  file: Pick<Partial<EnvironmentFile>, 'cluster'> & { readonly tenants?: readonly Partial<TenantConfig>[] },
): boolean {
  return (
    file.cluster?.identity === 'pod-identity' ||
    (file.tenants ?? []).some((tenant) => tenant.identity === 'pod-identity')
  );
}

/**
 * Pod Identity where EMR or EKS cannot honour it: a release before emr-7.3.0 (EMR on EKS guide, "Option 1: Enable
 * EKS Pod Identity on the EKS Cluster") would run the job without credentials, and Fargate runs no Pod Identity agent
 * (EKS user guide, Pod Identity considerations). Located at the setting that chose Pod Identity's victim.
 */
export function identityProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  return tenants.flatMap((tenant, index): Problem[] => {
    if (identityOf(file, tenant) !== 'pod-identity') return [];
    const fix =
      tenant.identity === 'pod-identity'
        ? 'set identity: irsa on the tenant'
        : 'set identity: irsa on the tenant (it keeps IRSA while the others use Pod Identity)';
    const problems: Problem[] = [];
    if (typeof tenant.releaseLabel === 'string' && !releaseSupportsPodIdentity(tenant.releaseLabel)) {
      problems.push(
        at(
          'pod-identity-release',
          ['tenants', index, 'releaseLabel'],
          `${tenant.releaseLabel} runs jobs without EKS Pod Identity credentials: EMR on EKS supports Pod Identity from emr-7.3.0 (StartJobRun); use emr-7.3.0 or later, or ${fix}`,
        ),
      );
    }
    if (tenant.fargate !== undefined) {
      problems.push(
        at(
          'pod-identity-fargate',
          ['tenants', index, 'fargate'],
          `EKS Pod Identity does not reach pods on Fargate (its agent runs on EC2 nodes), so this tenant's jobs would get no credentials; ${fix}`,
        ),
      );
    }
    return problems;
  });
}

/** The rules of this topic, run by semanticProblems. */
export const IDENTITY_RULES: ConfigRules = {
  topic: 'Pod Identity',
  rules: ['pod-identity-release', 'pod-identity-fargate'],
  check: ({ file, tenants }, at) => identityProblems(file, tenants, at),
};
