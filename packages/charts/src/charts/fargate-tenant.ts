import {
  configDiagnostic,
  FARGATE_NAMESPACE_ANNOTATION,
  FARGATE_PROFILE_LABEL,
  FargateProfile,
  PodSecurityGroups,
  fargateSparkPlacements,
  type SparkCapacity,
  type TenantNamespace,
} from '@emr-eks-gitops/core';
import type { Construct } from 'constructs';
import type { ResolvedEnvironment, ResolvedTenant, ResolvedTenantFargate } from '../config/resolve.js';
import type { RenderIssue } from '../config/render-error.js';
import { DEFAULT_CAPACITY_CLASS } from '../config/capacity-class-semantics.js';
import { fargateScratchDisk, type ClassPlacement } from './tenant-capacity.js';

/**
 * Where a Fargate tenant's jobs run: no pools (the profile takes every pod of the namespace), scratch space on the pod's
 * ephemeral storage, the profile's label on both pods. The default class stands in as driver and executor class only
 * for what the run-time rules read of them; Fargate tenants choose no capacity class (fargate-semantics.ts).
 */
export function fargateClassPlacement(
  classes: ReadonlyMap<string, SparkCapacity>,
  tenant: ResolvedTenant,
  fargate: ResolvedTenantFargate,
): ClassPlacement {
  const defaultClass = classes.get(DEFAULT_CAPACITY_CLASS)!;
  const profile = fargate.profile;
  return {
    driverClass: DEFAULT_CAPACITY_CLASS,
    executorClass: DEFAULT_CAPACITY_CLASS,
    driver: defaultClass,
    executor: defaultClass,
    placements: fargateSparkPlacements(defaultClass.executorIdleTimeout),
    localDisk: fargateScratchDisk(tenant),
    gpuProperties: {},
    fargateProfile: profile,
    // Names the profile, so a second profile selecting the namespace cannot take the pods (EKS matches this one only).
    podLabels: { [FARGATE_PROFILE_LABEL]: profile },
  };
}

/**
 * What a Fargate tenant's namespace holds besides the usual: the annotation naming its profile (for people and for the
 * validation of pods in it) and, with securityGroupIds, the SecurityGroupPolicy that isolates its pods. Returns the
 * warning for a tenant without one: NetworkPolicies do not bind Fargate pods.
 */
export function addFargateTenantObjects(
  scope: Construct,
  namespace: TenantNamespace,
  tenant: ResolvedTenant,
  fargate: ResolvedTenantFargate,
  index: number,
): RenderIssue[] {
  namespace.namespaceObject.metadata.addAnnotation(FARGATE_NAMESPACE_ANNOTATION, fargate.profile);
  const securityGroupIds = fargate.securityGroupIds;
  if (securityGroupIds) {
    new PodSecurityGroups(scope, 'PodSecurityGroups', { namespace: tenant.namespace, securityGroupIds });
    return [];
  }
  return [
    configDiagnostic(
      'fargate-network-isolation',
      ['tenants', index, 'fargate'],
      `the tenant's NetworkPolicies are not enforced on its Fargate pods (neither the VPC CNI's network policy agent nor Calico runs on Fargate), so they share the cluster security group with every node and pod; set fargate.securityGroupIds to isolate them`,
    ),
  ];
}

/**
 * The environment's Fargate profiles: one per profile name, selecting the namespaces of the tenants that
 * name it, in the order of the environment file. Settings were checked by the config semantics (one role and one set of
 * subnets per profile, at most 5 selectors); the builder checks them again.
 */
export function fargateProfiles(config: ResolvedEnvironment): FargateProfile[] {
  const groups = new Map<string, { readonly fargate: ResolvedTenantFargate; readonly namespaces: string[] }>();
  for (const tenant of config.tenants) {
    // A retired tenant's namespace stays, with jobs that may still run: its profile stays too.
    if (!tenant.fargate) continue;
    const group = groups.get(tenant.fargate.profile);
    if (group) group.namespaces.push(tenant.namespace);
    else groups.set(tenant.fargate.profile, { fargate: tenant.fargate, namespaces: [tenant.namespace] });
  }
  // The first tenant naming a profile gives its role and subnets (the semantics rules refuse a profile whose tenants differ).
  return [...groups].map(([name, { fargate, namespaces }]) => {
    return new FargateProfile({
      name,
      clusterName: config.cluster.name,
      podExecutionRoleArn: fargate.podExecutionRoleArn,
      subnets: [...fargate.subnets],
      selectors: namespaces.map((namespace) => ({ namespace })),
      tags: { 'emr-eks-gitops.io/environment': config.name },
    });
  });
}
