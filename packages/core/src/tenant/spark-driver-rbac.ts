import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import type { PolicyRule } from '../primitives/rbac.js';
import { assertDnsSubdomain } from '../primitives/names.js';
import { assertTenantNamespaceName } from './tenant-namespace.js';

/** Name of the Role (and RoleBinding) that lets a service account run a Spark driver in its namespace. */
export const SPARK_DRIVER_ROLE_NAME = 'spark-driver';

/**
 * What a Spark driver does in its own namespace (Spark on Kubernetes, KubernetesClusterSchedulerBackend and
 * ExecutorPodsAllocator): creates, watches and deletes its executor pods (and labels them when decommissioning), the
 * headless service and ConfigMaps it makes for them, and the PVCs of `...claimName=OnDemand` volumes. Nothing else,
 * no other namespace: the rules are a Role's, bound in the tenant namespace only.
 */
export function sparkDriverRoleRules(): PolicyRule[] {
  const manage = ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'];
  return [
    { apiGroups: [''], resources: ['pods'], verbs: [...manage, 'patch'] },
    { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'services'], verbs: manage },
  ];
}

export interface SparkDriverRbacProps {
  /** The tenant namespace the drivers run in. */
  readonly namespace: string;
  /** Service accounts of pods that run Spark drivers themselves (a notebook in client mode); at least one. */
  readonly serviceAccounts: readonly string[];
}

/**
 * The `spark-driver` Role and a RoleBinding granting it to the tenant's driver-capable service accounts. EMR's own
 * job runs do not need it (EMR creates their accounts and RBAC); a notebook's Spark session does, or its first
 * executor is refused with 403.
 */
export class SparkDriverRbac extends Construct {
  readonly role: k8s.KubeRole;
  readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: SparkDriverRbacProps) {
    super(scope, id);
    const subject = `SparkDriverRbac ${props.namespace}`;
    assertTenantNamespaceName(props.namespace, 'namespace', subject);
    requireThat(props.serviceAccounts.length > 0, 'serviceAccounts', 'must name at least one service account', subject);
    props.serviceAccounts.forEach((name, i) => {
      assertDnsSubdomain(name, `serviceAccounts[${i}]`, subject);
    });

    this.role = new k8s.KubeRole(this, 'Role', {
      metadata: { name: SPARK_DRIVER_ROLE_NAME, namespace: props.namespace },
      rules: sparkDriverRoleRules().map((rule) => ({
        apiGroups: [...rule.apiGroups],
        resources: [...rule.resources],
        verbs: [...rule.verbs],
      })),
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: SPARK_DRIVER_ROLE_NAME, namespace: props.namespace },
      subjects: [...props.serviceAccounts]
        .sort()
        .map((name) => ({ kind: 'ServiceAccount', name, namespace: props.namespace })),
      roleRef: { kind: 'Role', name: SPARK_DRIVER_ROLE_NAME, apiGroup: 'rbac.authorization.k8s.io' },
    });
  }
}
