import { VALIDATING_ADMISSION_POLICY_MINOR, isAtLeast, parseKubernetesVersion } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';

/**
 * A `sparkDriver` account may create pods, and RBAC lets a pod creator name any account of the namespace (Kubernetes
 * "RBAC good practices", workload creation): only the ValidatingAdmissionPolicy of platform/admission/ holds its pods
 * to its own account and the tenant's images. That API (admissionregistration.k8s.io/v1) is served from 1.30; on
 * 1.29 it is beta behind a feature gate EKS does not turn on, so the account would lend the job execution role
 * (EMR's emr-containers-sa-* accounts) to every notebook user. Refused there, at each such account.
 */
export function driverAccountProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const version = file?.cluster?.kubernetesVersion;
  if (
    typeof version !== 'string' ||
    !/^1\.\d+$/.test(version) ||
    isAtLeast(parseKubernetesVersion(version), 1, VALIDATING_ADMISSION_POLICY_MINOR)
  )
    return [];
  return tenants.flatMap((tenant, index) =>
    (Array.isArray(tenant.serviceAccounts) ? tenant.serviceAccounts : []).flatMap((account, j) =>
      account?.sparkDriver === true
        ? [
            at(
              'driver-account-admission',
              ['tenants', index, 'serviceAccounts', j, 'sparkDriver'],
              `a sparkDriver account may create pods, and RBAC lets it name any service account of the namespace in them, EMR's emr-containers-sa-* accounts (the job execution role) included; the ValidatingAdmissionPolicy that holds its pods to its own account and the tenant's images (admissionregistration.k8s.io/v1) is served from Kubernetes 1.${VALIDATING_ADMISSION_POLICY_MINOR}, and on ${version} it is a beta API behind a feature gate EKS does not turn on; upgrade cluster.kubernetesVersion to 1.${VALIDATING_ADMISSION_POLICY_MINOR} or later, or remove sparkDriver (no notebooks for this tenant)`,
            ),
          ]
        : [],
    ),
  );
}

/** The rules of this topic, run by semanticProblems. */
export const DRIVER_ACCOUNT_RULES: ConfigRules = {
  topic: 'notebook driver accounts',
  rules: ['driver-account-admission'],
  check: ({ file, tenants }, at) => driverAccountProblems(file, tenants, at),
};
