import type { PodSecurityGroupRule } from '@emr-eks-gitops/core';
import type { ReadmeSummaries, TenantSummary } from '../../charts/summaries.js';
import { renderInline } from './templates.js';

/**
 * The README's account of where each tenant's pods run (the NodePools or a Fargate profile, and why), and, when a
 * tenant runs on Fargate, its profiles, the commands that create them and what Fargate changes for those tenants.
 */
export function capacityBackEndSection(summaries: ReadmeSummaries): string {
  const { capacity, environment } = summaries;
  const active = summaries.tenants.filter((tenant) => !tenant.retired);
  const profiles = summaries.fargate?.profiles ?? [];
  const backEndName = capacity.autoMode ? 'EKS Auto Mode' : 'Karpenter';
  const fargateTenants = active
    .filter((tenant) => tenant.fargate)
    .map((tenant) => ({ ...tenant, sizes: fargateSizes(tenant) }));
  return renderInline('capacity-back-ends', {
    ...environment,
    // One back end for every tenant: a table would repeat the same row (disks and classes are in the tables above).
    perTenant: fargateTenants.length > 0 || profiles.length > 0,
    backEndName,
    onDemandClasses: capacity.classes.some((spec) => spec.executorCapacity === 'on-demand'),
    rows: active.map((tenant) => ({
      ...tenant,
      fargate: tenant.fargate !== undefined,
      profile: profiles.find((profile) => profile.namespaces.includes(tenant.namespace))?.name,
      backEnd: backEndName,
      namedClasses: !tenant.classes.defaultOnly,
      disk: tenant.scratchDisk.kind === 'instance-store' ? 'NVMe' : 'EBS',
    })),
    profiles,
    base: `dist-manifests/${environment.name}/artifacts/platform/fargate`,
    fargateTenants,
    securityGroupCommands: securityGroupCommands(
      summaries.fargate?.securityGroupRules ?? [],
      fargateTenants.flatMap((tenant) => tenant.fargate?.securityGroupIds ?? []),
    ),
  });
}

/** A Fargate tenant's pod sizes as the table prints them: '-' when they were not computed, 'does not fit' per pod. */
function fargateSizes(tenant: TenantSummary) {
  const sizes = tenant.fargate?.sizes;
  const size = (pod: string | undefined) => (sizes ? (pod ?? 'does not fit') : '-');
  return { jobRunner: size(sizes?.jobRunner), driver: size(sizes?.driver), executor: size(sizes?.executor) };
}

/**
 * The rules the tenants' pod security groups (and the cluster security group) need, as AWS CLI commands: without the
 * kubelet's 10250 from the cluster security group, kubectl logs, exec and port-forward fail on these pods.
 */
function securityGroupCommands(rules: readonly PodSecurityGroupRule[], groups: readonly string[]): string[] {
  const peer = (rule: PodSecurityGroupRule, group: string) =>
    rule.peer === 'anywhere'
      ? 'IpRanges=[{CidrIp=0.0.0.0/0}]'
      : `UserIdGroupPairs=[{GroupId=${rule.peer === 'cluster' ? '$CLUSTER_SG' : group}}]`;
  const command = (rule: PodSecurityGroupRule, group: string, other: string) => {
    const ports = rule.port === undefined ? '' : `,FromPort=${rule.port},ToPort=${rule.port}`;
    return `aws ec2 authorize-security-group-${rule.direction} --group-id ${group} --ip-permissions "IpProtocol=${rule.protocol}${ports},${peer(rule, other)}"  # ${rule.why}`;
  };
  return [...new Set(groups)]
    .sort()
    .flatMap((group) =>
      rules.map((rule) =>
        rule.on === 'pods' ? command(rule, group, group) : command({ ...rule, peer: 'pods' }, '$CLUSTER_SG', group),
      ),
    );
}
