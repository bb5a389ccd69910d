import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { assertDnsLabel } from '../primitives/names.js';
import { isAtLeast, parseKubernetesVersion } from '../primitives/kubernetes-version.js';
import type { PolicyRule } from '../primitives/rbac.js';

/** Name of the Role, the RoleBinding and the Kubernetes user that EMR on EKS acts as (aws-auth mode). */
export const EMR_CONTAINERS_NAME = 'emr-containers';

// The verb lists are copied from the AWS guide ("Enable cluster access for Amazon EMR on EKS"), including the
// verbs Kubernetes ignores (describe, edit, annotate, label): EMR's documentation is the contract.
const FULL = [
  'get',
  'list',
  'watch',
  'describe',
  'create',
  'edit',
  'delete',
  'deletecollection',
  'annotate',
  'patch',
  'label',
];
const WITHOUT_DELETECOLLECTION = FULL.filter((verb) => verb !== 'deletecollection');

/**
 * The rules of the `emr-containers` Role, exactly as the AWS guide lists them for the cluster's version:
 * EKS 1.22 and later list ingresses under `extensions` and `networking.k8s.io`, 1.21 and earlier under `extensions` only.
 */
export function emrContainersRoleRules(kubernetesVersion: string): PolicyRule[] {
  const version = parseKubernetesVersion(kubernetesVersion);
  const ingressGroups = isAtLeast(version, 1, 22) ? ['extensions', 'networking.k8s.io'] : ['extensions'];
  return [
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
    {
      apiGroups: [''],
      resources: ['serviceaccounts', 'services', 'configmaps', 'events', 'pods', 'pods/log'],
      verbs: FULL,
    },
    { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'patch', 'delete', 'watch'] },
    { apiGroups: ['apps'], resources: ['statefulsets', 'deployments'], verbs: WITHOUT_DELETECOLLECTION },
    { apiGroups: ['batch'], resources: ['jobs'], verbs: WITHOUT_DELETECOLLECTION },
    { apiGroups: ingressGroups, resources: ['ingresses'], verbs: WITHOUT_DELETECOLLECTION },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: FULL },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: FULL },
  ];
}

export interface EmrContainersRbacProps {
  /** The tenant namespace EMR runs jobs in. */
  readonly namespace: string;
  /** The cluster's Kubernetes version, `"1.<minor>"`; decides the ingress rule's API groups. */
  readonly kubernetesVersion: string;
}

/**
 * aws-auth mode: the namespaced `emr-containers` Role and the RoleBinding that grants it to the `emr-containers`
 * user, which `kube-system/aws-auth` maps to the AWSServiceRoleForAmazonEMRContainers service-linked role.
 * In access-entry mode EMR creates these itself: do not use this construct then.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { EmrContainersRbac } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'analytics');
 * new EmrContainersRbac(chart, 'emr', { namespace: 'spark-analytics', kubernetesVersion: '1.31' });
 * // chart.toJson(): Role and RoleBinding emr-containers in spark-analytics
 * ```
 */
export class EmrContainersRbac extends Construct {
  readonly role: k8s.KubeRole;
  readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: EmrContainersRbacProps) {
    super(scope, id);
    assertDnsLabel(props.namespace, 'namespace', 'EmrContainersRbac');
    const rules = emrContainersRoleRules(props.kubernetesVersion);

    this.role = new k8s.KubeRole(this, 'Role', {
      metadata: { name: EMR_CONTAINERS_NAME, namespace: props.namespace },
      rules: rules.map((rule) => ({
        apiGroups: [...rule.apiGroups],
        resources: [...rule.resources],
        verbs: [...rule.verbs],
      })),
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: EMR_CONTAINERS_NAME, namespace: props.namespace },
      subjects: [{ kind: 'User', name: EMR_CONTAINERS_NAME, apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: EMR_CONTAINERS_NAME, apiGroup: 'rbac.authorization.k8s.io' },
    });
  }
}
