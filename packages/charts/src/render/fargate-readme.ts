import {
  FARGATE_POD_SECURITY_GROUP_RULES, formatFargateSize, type FargatePodSize, type FargateProfile, type PodSecurityGroupRule,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import { DEFAULT_CAPACITY_CLASS, DEFAULT_LOCAL_DISK_SIZE, executorScratchDisk, tenantCapacityClasses } from '../config/capacity-class-semantics.js';
import type { TenantChart } from '../charts/tenant-chart.js';

/** Which NodePools a tenant on nodes uses (its capacity classes, on either back end) and what that gives its jobs. */
function nodePoolsOf(config: ResolvedEnvironment, tenant: ResolvedTenant): string {
  const backEnd = config.capacity.backend === 'auto-mode' ? 'EKS Auto Mode NodePools' : 'Karpenter NodePools';
  const chosen = tenantCapacityClasses(tenant);
  const classes = chosen.driver === DEFAULT_CAPACITY_CLASS && chosen.executor === DEFAULT_CAPACITY_CLASS
    ? '' : ` (drivers: class \`${chosen.driver}\`, executors: class \`${chosen.executor}\`)`;
  const onDemandOnly = config.capacity.classes?.find((c) => c.name === chosen.executor)?.executorCapacity === 'on-demand';
  const disk = executorScratchDisk(config.capacity, tenant) === 'instance-store' ? 'NVMe' : 'EBS';
  return `${backEnd}${classes} | drivers and EMR's job runner on on-demand driver nodes, executors ${onDemandOnly ? 'on-demand' : 'spot first'}; ${disk} scratch space, no pod size limit beyond the instance types`;
}

const size = (pod: FargatePodSize) => (pod.fits ? formatFargateSize(pod) : 'does not fit');

/**
 * The README's account of where each tenant's pods run (Karpenter's pools or a Fargate profile, and why), and, when a
 * tenant runs on Fargate, its profiles, the commands that create them and what Fargate changes for those tenants.
 */
export function fargateSection(config: ResolvedEnvironment, tenants: readonly TenantChart[], profiles: readonly FargateProfile[]): string {
  const active = config.tenants.filter((tenant) => !tenant.retired);
  if (!active.some((tenant) => tenant.fargate) && profiles.length === 0) {
    // One back end for every tenant: a table would repeat the same row (disks and classes are in the tables above).
    const onDemandClasses = config.capacity.classes.some((spec) => spec.executorCapacity === 'on-demand');
    return ['', '', `Every tenant's pods run on the ${config.capacity.backend === 'auto-mode' ? 'EKS Auto Mode' : 'Karpenter'} NodePools above: drivers and EMR's job runner (the`,
      `\`emr-job-submitter\` classification) on on-demand driver nodes, executors spot first with on-demand fallback${onDemandClasses ? '' : ';'}`,
      `${onDemandClasses ? '(on-demand only on the classes that say so); ' : ''}no pod size limit beyond the instance types.`].join('\n');
  }
  const rows = active.map((tenant) => (tenant.fargate
    ? `| ${tenant.name} | Fargate profile \`${profiles.find((p) => p.selectors.some((s) => s.namespace === tenant.namespace))?.name}\` | every pod of \`${tenant.namespace}\` (EMR's job runner, drivers, executors) in its own micro-VM: no nodes to run or pay for between jobs, on-demand only, scratch space on the pod's ephemeral storage |`
    : `| ${tenant.name} | ${nodePoolsOf(config, tenant)} |`));
  const lines = ['', '', '### Capacity back end of each tenant', '', '| tenant | pods run on | why |', '|---|---|---|', ...rows];
  if (profiles.length === 0) return lines.join('\n');
  const base = `dist-manifests/${config.name}/artifacts/platform/fargate`;
  lines.push(
    '', '### Fargate profiles (create them outside Git, before the tenant\'s first job)',
    'A Fargate profile is an EKS resource, not a Kubernetes object: no controller applies it. Create each one before its',
    'tenant\'s virtual cluster runs a job (a pod created while no profile selects its namespace is scheduled on EC2 nodes, or stays',
    'Pending), with the AWS CLI or eksctl:',
    '', '```sh',
    ...profiles.map((p) => `aws eks create-fargate-profile --cli-input-json file://${base}/profiles/${p.name}.json`),
    `# or, all of them: eksctl create fargateprofile -f ${base}/eksctl-cluster-config.yaml`,
    '```', '',
    'Profiles are immutable: to change one, create it under a new name (`fargate.profile`), then delete the old one',
    '(`aws eks delete-fargate-profile --cluster-name ' + config.cluster.name + ' --fargate-profile-name <old>`). The pod templates label',
    'every Spark pod with `eks.amazonaws.com/fargate-profile`, so no other profile can take them.',
    '', '| profile | namespaces | pod execution role | private subnets |', '|---|---|---|---|',
    ...profiles.map((p) => {
      const request = p.createRequest();
      return `| \`${p.name}\` | ${p.selectors.map((s) => `\`${s.namespace}\``).join(', ')} | \`${request.podExecutionRoleArn}\` | ${request.subnets.map((s) => `\`${s}\``).join(', ')} |`;
    }),
    '', 'Fargate sizes of one job of each tenant\'s size (requests summed as Fargate sums them, EMR\'s logging container and',
    'the 256 MB for Fargate\'s kubelet included, rounded up to a valid combination): the quota counts the requests, Fargate',
    'bills the rounded size.',
    '', '| tenant | job runner | driver | each executor | scratch space per driver and executor |', '|---|---|---|---|---|',
    ...active.filter((t) => t.fargate).map((tenant) => {
      const sizes = tenants.find((chart) => chart.folder === `tenants/${tenant.name}`)?.fargateSizes;
      return `| ${tenant.name} | ${sizes ? size(sizes.jobRunner) : '-'} | ${sizes ? size(sizes.driver) : '-'} | ${sizes ? size(sizes.executor) : '-'} | ${tenant.spark.localDiskSize ?? DEFAULT_LOCAL_DISK_SIZE.fargate} ephemeral storage |`;
    }),
    '', 'What Fargate changes for these tenants:',
    '- **Network isolation.** NetworkPolicies are not enforced on Fargate pods (neither the VPC CNI\'s network policy agent nor',
    '  Calico runs there): the tenant\'s NetworkPolicies are rendered but only bind its pods if they ever run on EC2 nodes, and',
    '  restricted egress is refused for Fargate tenants. With `fargate.securityGroupIds` the namespace holds a `SecurityGroupPolicy`',
    '  (`pod-security-groups`, applied by EKS\'s VPC resource controller to pods created after it) that gives every pod those',
    '  groups instead of the cluster security group, also for the kubelet in the pod\'s micro-VM. Without it the pods share the',
    '  cluster security group with every node and pod.',
    ...active.flatMap(({ name, fargate }) => (fargate ? [`  - ${name}: ${fargate.securityGroupIds ? fargate.securityGroupIds.map((id) => `\`${id}\``).join(', ') : 'the cluster security group (no isolation from other tenants\' pods)'}`] : [])),
    ...securityGroupRules(config, active.flatMap((t) => t.fargate?.securityGroupIds ?? [])),
    '- **Reaching AWS.** The pods sit in private subnets without public IPs: S3, STS, ECR, CloudWatch Logs and EMR must be reachable',
    '  through a NAT gateway or VPC endpoints. The pod execution role (with `AmazonEKSFargatePodExecutionRolePolicy`) pulls the EMR',
    '  Spark image from EMR\'s ECR account; the job execution role is still the tenant\'s IRSA role.',
    '- **No spot, no nodes.** Executors run on-demand; no `emr-job-submitter` node selector is rendered (the profile takes the job',
    '  runner like every pod of the namespace); Karpenter\'s pool limits, expiry and disruption do not apply.',
    '- **Storage.** No EBS or generic ephemeral volumes (no dynamic provisioning, no CSI node plugins), no hostPath, no privileged',
    '  containers, no DaemonSets: validation refuses them in these namespaces. Notebooks (JupyterHub keeps their home on EBS) run',
    '  in tenants on nodes.',
  );
  return lines.join('\n');
}

/**
 * The rules the tenants' pod security groups (and the cluster security group) need, as AWS CLI commands: without the
 * kubelet's 10250 from the cluster security group, kubectl logs, exec and port-forward fail on these pods.
 */
function securityGroupRules(config: ResolvedEnvironment, groups: readonly string[]): string[] {
  const own = [...new Set(groups)].sort();
  if (own.length === 0) return [];
  const peer = (rule: PodSecurityGroupRule, group: string) => (rule.peer === 'anywhere' ? 'IpRanges=[{CidrIp=0.0.0.0/0}]'
    : `UserIdGroupPairs=[{GroupId=${rule.peer === 'cluster' ? '$CLUSTER_SG' : group}}]`);
  const command = (rule: PodSecurityGroupRule, group: string, other: string) => {
    const ports = rule.port === undefined ? '' : `,FromPort=${rule.port},ToPort=${rule.port}`;
    return `aws ec2 authorize-security-group-${rule.direction} --group-id ${group} --ip-permissions "IpProtocol=${rule.protocol}${ports},${peer(rule, other)}"  # ${rule.why}`;
  };
  const commands = own.flatMap((group) => FARGATE_POD_SECURITY_GROUP_RULES.map((rule) => (rule.on === 'pods'
    ? command(rule, group, group)
    : command({ ...rule, peer: 'pods' }, '$CLUSTER_SG', group))));
  return [
    '  The groups need these rules (EKS user guide, "Security groups for Pods": with Fargate they must let the control plane',
    '  reach the pods; the API server reaches the kubelet on 10250 for `kubectl logs`, `exec` and `port-forward`), and the',
    '  cluster security group must admit them for the API server and CoreDNS:',
    '', '```sh',
    `CLUSTER_SG=$(aws eks describe-cluster --name ${config.cluster.name} --region ${config.cluster.region} --query cluster.resourcesVpcConfig.clusterSecurityGroupId --output text)`,
    ...commands,
    '```',
  ];
}
