import { FARGATE_MAX_EPHEMERAL_REQUEST_GIB, FARGATE_PROFILE_LIMITS } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { EnvironmentFargateConfig } from './fargate-schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';
import type { ConfigPath } from './source-map.js';

/** The Fargate profile name of a tenant that runs on Fargate. */
export function fargateProfileName(tenant: Pick<TenantConfig, 'name' | 'fargate'>): string {
  return tenant.fargate?.profile ?? `spark-${tenant.name}`;
}

/**
 * What a Fargate tenant cannot have: no role or subnets for its profile, a profile shared past 5 selectors or with
 * other settings, scratch space on EBS or NVMe, NetworkPolicy-restricted egress (not enforced on Fargate pods), and
 * notebooks (their home volume is an EBS PVC). Reads the file defensively, like semanticProblems.
 */
export function fargateProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const problems: Problem[] = [];
  const defaults = isObject(file?.fargate) ? (file.fargate as Partial<EnvironmentFargateConfig>) : {};
  const hub = isObject(file?.addons) && isObject(file.addons.jupyterhub);
  const profiles = new Map<string, { index: number; role?: string; subnets: string; count: number }>();
  tenants.forEach((tenant, index) => {
    if (!isObject(tenant.fargate) || typeof tenant.name !== 'string') return;
    const own: ConfigPath = ['tenants', index];
    const fargate = tenant.fargate;
    const role = fargate.podExecutionRoleArn ?? defaults.podExecutionRoleArn;
    const subnets = fargate.subnets ?? defaults.subnets;
    if (role === undefined) {
      problems.push(
        at(
          'fargate-profile',
          [...own, 'fargate'],
          "needs a pod execution role for its Fargate profile: set podExecutionRoleArn here or in the environment's fargate section",
        ),
      );
    }
    if (subnets === undefined) {
      problems.push(
        at(
          'fargate-profile',
          [...own, 'fargate'],
          "needs the private subnets of its Fargate profile: set subnets here or in the environment's fargate section",
        ),
      );
    }
    const name = fargateProfileName(tenant as TenantConfig);
    if (name.startsWith('eks-')) {
      problems.push(
        at(
          'fargate-profile',
          [...own, 'fargate', ...(fargate.profile !== undefined ? ['profile'] : [])],
          `profile name "${name}" starts with "eks-", which EKS keeps for its own profiles; choose another name`,
        ),
      );
    }
    const subnetKey = Array.isArray(subnets) ? [...subnets].sort().join(',') : '';
    const shared = profiles.get(name);
    if (!shared) {
      profiles.set(name, { index, role, subnets: subnetKey, count: 1 });
    } else {
      shared.count += 1;
      const where: ConfigPath = [...own, 'fargate', ...(fargate.profile !== undefined ? ['profile'] : [])];
      if (shared.count > FARGATE_PROFILE_LIMITS.selectors) {
        problems.push(
          at(
            'fargate-profile-selectors',
            where,
            `profile "${name}" would select ${shared.count} namespaces, and a Fargate profile has at most ${FARGATE_PROFILE_LIMITS.selectors} selectors: EKS refuses the profile; give this tenant a profile of its own (another fargate.profile)`,
          ),
        );
      }
      if (shared.role !== role || shared.subnets !== subnetKey) {
        problems.push(
          at(
            'fargate-profile',
            where,
            `profile "${name}" is shared with tenants[${shared.index}], which gives it another pod execution role or other subnets: one profile has one role and one set of subnets; use the same settings or another profile name`,
          ),
        );
      }
    }
    // A retired tenant renders no pod templates and gets no notebooks: only its profile still matters.
    if (tenant.retired === true) return;
    const spark = isObject(tenant.spark) ? tenant.spark : {};
    if (spark.localDisk === 'ebs') {
      problems.push(
        at(
          'fargate-unsupported',
          [...own, 'spark', 'localDisk'],
          `an EBS scratch volume per pod is a generic ephemeral volume (a PVC provisioned dynamically by the EBS CSI driver, whose node plugin is a DaemonSet), and Fargate has neither dynamic provisioning nor DaemonSets: every pod stays Pending; leave localDisk out (scratch space is the pod's ephemeral storage, spark.localDiskSize up to ${FARGATE_MAX_EPHEMERAL_REQUEST_GIB}Gi)`,
        ),
      );
    } else if (spark.localDisk === 'instance-store') {
      problems.push(
        at(
          'fargate-unsupported',
          [...own, 'spark', 'localDisk'],
          `instance-store scratch space is the NVMe disk of a Karpenter node, and a Fargate pod has no instance store: leave localDisk out (scratch space is the pod's ephemeral storage, spark.localDiskSize up to ${FARGATE_MAX_EPHEMERAL_REQUEST_GIB}Gi)`,
        ),
      );
    }
    if (spark.capacityClasses !== undefined) {
      problems.push(
        at(
          'fargate-unsupported',
          [...own, 'spark', 'capacityClasses'],
          'capacity classes are Karpenter NodePools, and the Fargate profile takes every pod of this namespace: no pod would reach a class; leave capacityClasses out, or run the tenant on Karpenter',
        ),
      );
    }
    if (spark.singleZone !== undefined) {
      problems.push(
        at(
          'fargate-unsupported',
          [...own, 'spark', 'singleZone'],
          "a Fargate pod runs in the Availability Zone of the profile subnet Fargate picks for it, and this pod affinity to the driver is written for Karpenter's nodes; to keep a Fargate tenant's jobs in one zone, give its profile (fargate.subnets) subnets of one zone and leave singleZone out",
        ),
      );
    }
    const egress =
      isObject(tenant.network) && isObject(tenant.network.egress)
        ? (tenant.network.egress as { mode?: unknown })
        : undefined;
    if (egress?.mode === 'restricted') {
      problems.push(
        at(
          'fargate-network-policy',
          [...own, 'network', 'egress', 'mode'],
          "restricted egress is a NetworkPolicy, and NetworkPolicies are not enforced on Fargate pods (neither the VPC CNI's network policy agent nor Calico runs on Fargate): the restriction would not hold; use allow-all and restrict egress with the outbound rules of the cluster security group the Fargate pods use, or run the tenant on Karpenter",
        ),
      );
    }
    if (hub && Array.isArray(tenant.serviceAccounts)) {
      tenant.serviceAccounts.forEach((account, accountIndex) => {
        if (isObject(account) && account.sparkDriver === true) {
          problems.push(
            at(
              'fargate-unsupported',
              [...own, 'serviceAccounts', accountIndex, 'sparkDriver'],
              "JupyterHub starts this tenant's notebook servers in its namespace with a home volume on EBS (a PVC), which Fargate cannot mount: the notebook stays Pending; serve notebooks from a tenant on Karpenter, or set sparkDriver: false",
            ),
          );
        }
      });
    }
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rules of this topic, run by semanticProblems. */
export const FARGATE_RULES: ConfigRules = {
  topic: 'Fargate',
  rules: ['fargate-profile', 'fargate-profile-selectors', 'fargate-unsupported', 'fargate-network-policy'],
  check: ({ file, tenants }, at) => fargateProblems(file, tenants, at),
};
