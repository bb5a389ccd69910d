import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, EmrContainersRbac, emrContainersRoleRules } from '../src/index.js';

// The Role from the AWS guide "Enable cluster access for Amazon EMR on EKS", written out by hand here so that a
// change to the builder cannot silently change both the code and the expectation.
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
const NO_DELETECOLLECTION = [
  'get',
  'list',
  'watch',
  'describe',
  'create',
  'edit',
  'delete',
  'annotate',
  'patch',
  'label',
];
const documentedRules = (ingressGroups: string[]) => [
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
  {
    apiGroups: [''],
    resources: ['serviceaccounts', 'services', 'configmaps', 'events', 'pods', 'pods/log'],
    verbs: FULL,
  },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'patch', 'delete', 'watch'] },
  { apiGroups: ['apps'], resources: ['statefulsets', 'deployments'], verbs: NO_DELETECOLLECTION },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: NO_DELETECOLLECTION },
  { apiGroups: ingressGroups, resources: ['ingresses'], verbs: NO_DELETECOLLECTION },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: FULL },
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: FULL },
];

function render(kubernetesVersion: string) {
  const chart = new Chart(new App(), 'test');
  new EmrContainersRbac(chart, 'rbac', { namespace: 'spark-ml', kubernetesVersion });
  return chart.toJson() as Array<Record<string, any>>;
}

describe('EmrContainersRbac', () => {
  it('EKS 1.29: exactly the documented rules, ingresses under extensions and networking.k8s.io', () => {
    const [role] = render('1.29');
    expect(role).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'emr-containers', namespace: 'spark-ml' },
    });
    expect(role!.rules).toEqual(documentedRules(['extensions', 'networking.k8s.io']));
  });

  it('EKS 1.21: exactly the documented rules, ingresses under extensions only', () => {
    expect(render('1.21')[0]!.rules).toEqual(documentedRules(['extensions']));
    expect(emrContainersRoleRules('1.22').find((r) => r.resources.includes('ingresses'))!.apiGroups).toEqual([
      'extensions',
      'networking.k8s.io',
    ]);
  });

  it("binds the Role to the emr-containers user that aws-auth maps EMR's service-linked role to", () => {
    const [, binding] = render('1.30');
    expect(binding).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'emr-containers', namespace: 'spark-ml' },
      subjects: [{ kind: 'User', name: 'emr-containers', apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: 'emr-containers', apiGroup: 'rbac.authorization.k8s.io' },
    });
  });

  it('never grants wildcards', () => {
    for (const rule of emrContainersRoleRules('1.31')) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
    }
  });

  it('refuses a version it cannot read', () => {
    expect(() => render('1.3x')).toThrow(ConfigurationError);
    expect(() => render('v1.30')).toThrow(/kubernetesVersion: "v1.30" is not a Kubernetes version/);
  });
});
