import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../errors.js';
import { requireObjectName } from '../validation/kubernetes-names.js';

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
    requireThat(props.securityGroupIds.length >= 1 && props.securityGroupIds.length <= POD_SECURITY_GROUPS_MAX, 'securityGroupIds',
      `a pod takes 1 to ${POD_SECURITY_GROUPS_MAX} security groups, got ${props.securityGroupIds.length}`);
    props.securityGroupIds.forEach((id, i) => requireThat(SECURITY_GROUP_ID.test(id), `securityGroupIds[${i}]`, `"${id}" must be a security group id, sg-<8 or 17 hex digits>`));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name, namespace: props.namespace },
      // An empty pod selector selects every pod of the namespace: the job runner, drivers and executors.
      spec: { podSelector: {}, securityGroups: { groupIds: [...props.securityGroupIds] } },
    });
  }
}
