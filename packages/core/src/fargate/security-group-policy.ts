import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { requireObjectName } from '../primitives/kubernetes-names.js';

/** At most this many security groups go on one pod's network interface (the CRD's limit). */
export const POD_SECURITY_GROUPS_MAX = 5;

export interface PodSecurityGroupsProps {
  /** Namespace whose pods get the groups (every pod of it). */
  readonly namespace: string;
  /** EC2 security group ids, 1 to 5: they replace the cluster security group on the pods' network interfaces. */
  readonly securityGroupIds: readonly string[];
  /** Object name. @default 'pod-security-groups' */
  readonly name?: string;
}

const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

/** One security group rule a Fargate tenant's pods need: on their groups (`pods`) or on the cluster security group. */
export interface PodSecurityGroupRule {
  readonly on: 'pods' | 'cluster';
  readonly direction: 'ingress' | 'egress';
  /** `-1`: every protocol and port. */
  readonly protocol: 'tcp' | 'udp' | '-1';
  readonly port?: number;
  /** The other side: the cluster security group, the pods' own groups, or any address (0.0.0.0/0). */
  readonly peer: 'pods' | 'cluster' | 'anywhere';
  readonly why: string;
}

/**
 * What the groups of a SecurityGroupPolicy must allow when its pods run on Fargate, where the groups replace the
 * cluster security group on the micro-VM that also runs the pod's kubelet. Source: EKS user guide, "Security groups
 * for Pods" (awsdocs/amazon-eks-user-guide latest/ug/networking/eks-networking-add-ons.adoc: with Fargate the groups
 * "must have rules that allow the Pods to communicate with the Kubernetes control plane"; CoreDNS on TCP and UDP 53;
 * the pods they talk to) and "Restricting cluster traffic" (latest/ug/networking/sec-group-reqs.adoc: 443, 10250 and
 * 53 between the cluster security group and its nodes). Without the 10250 rule `kubectl logs`, `exec` and
 * `port-forward` time out: the API server cannot reach the kubelet. The cluster security group's own default rule
 * admits only itself, so it needs the pods' groups as a source for 443 and 53.
 */
export const FARGATE_POD_SECURITY_GROUP_RULES: readonly PodSecurityGroupRule[] = [
  {
    on: 'pods',
    direction: 'ingress',
    protocol: 'tcp',
    port: 10250,
    peer: 'cluster',
    why: 'the API server reaches the kubelet (kubectl logs, exec, port-forward)',
  },
  {
    on: 'pods',
    direction: 'ingress',
    protocol: 'tcp',
    port: 4040,
    peer: 'cluster',
    why: "Prometheus on the nodes scrapes the Spark UI's metrics",
  },
  {
    on: 'pods',
    direction: 'ingress',
    protocol: '-1',
    peer: 'pods',
    why: 'the driver and its executors reach each other (block manager, shuffle, RPC)',
  },
  {
    on: 'pods',
    direction: 'egress',
    protocol: '-1',
    peer: 'pods',
    why: 'the driver and its executors reach each other',
  },
  {
    on: 'pods',
    direction: 'egress',
    protocol: 'tcp',
    port: 443,
    peer: 'anywhere',
    why: 'the API server, and S3, STS, ECR, CloudWatch Logs and EMR (through a NAT gateway or VPC endpoints)',
  },
  { on: 'pods', direction: 'egress', protocol: 'tcp', port: 53, peer: 'cluster', why: 'CoreDNS' },
  { on: 'pods', direction: 'egress', protocol: 'udp', port: 53, peer: 'cluster', why: 'CoreDNS' },
  {
    on: 'cluster',
    direction: 'ingress',
    protocol: 'tcp',
    port: 443,
    peer: 'pods',
    why: "the API server admits the pods' kubelet and driver",
  },
  { on: 'cluster', direction: 'ingress', protocol: 'tcp', port: 53, peer: 'pods', why: 'CoreDNS answers the pods' },
  { on: 'cluster', direction: 'ingress', protocol: 'udp', port: 53, peer: 'pods', why: 'CoreDNS answers the pods' },
];

/**
 * A `vpcresources.k8s.aws/v1beta1` SecurityGroupPolicy giving every pod of a namespace its own EC2 security groups:
 * the network isolation of pods Kubernetes NetworkPolicies do not reach (EKS Fargate pods). EKS's VPC resource controller
 * applies it to pods created after it, so it is delivered with the namespace, before any job.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { PodSecurityGroups } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'reporting');
 * new PodSecurityGroups(chart, 'sg', { namespace: 'spark-reporting', securityGroupIds: ['sg-0123456789abcdef0'] });
 * ```
 */
export class PodSecurityGroups extends Construct {
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PodSecurityGroupsProps) {
    super(scope, id);
    const name = props.name ?? 'pod-security-groups';
    requireObjectName(name, 'name');
    requireObjectName(props.namespace, 'namespace');
    requireThat(
      props.securityGroupIds.length >= 1 && props.securityGroupIds.length <= POD_SECURITY_GROUPS_MAX,
      'securityGroupIds',
      `a pod takes 1 to ${POD_SECURITY_GROUPS_MAX} security groups, got ${props.securityGroupIds.length}`,
    );
    props.securityGroupIds.forEach((id, i) => {
      requireThat(
        SECURITY_GROUP_ID.test(id),
        `securityGroupIds[${i}]`,
        `"${id}" must be a security group id, sg-<8 or 17 hex digits>`,
      );
    });
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name, namespace: props.namespace },
      // An empty pod selector selects every pod of the namespace: the job runner, drivers and executors.
      spec: { podSelector: {}, securityGroups: { groupIds: [...props.securityGroupIds] } },
    });
  }
}
