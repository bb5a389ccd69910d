import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { LABELS } from '../../primitives/labels.js';
import { asList, asRecord, type Subject } from '../subject.js';

/** No `*` in a rendered Role or ClusterRole: wildcards grant whatever the API adds later, including secrets. */
export function rbacRules(subject: Subject): ObjectDiagnostic[] {
  if (!(subject.is('rbac.authorization.k8s.io', 'Role') || subject.is('rbac.authorization.k8s.io', 'ClusterRole')))
    return [];
  const findings: ObjectDiagnostic[] = [];
  asList(subject.object.rules).forEach((rule, index) => {
    for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
      if (asList(asRecord(rule)?.[field]).includes('*')) {
        findings.push(
          subject.finding(
            'rbac-wildcard',
            'error',
            ['rules', index, field],
            `"*" in ${field} grants every current and future ${field === 'verbs' ? 'verb' : field === 'resources' ? 'resource' : 'API group'}`,
            `list the ${field} the subject needs explicitly`,
          ),
        );
      }
    }
  });
  return findings;
}

/**
 * Every tenant namespace comes with what isolates it from its neighbours: quota, container defaults, a network
 * policy and an enforced Pod Security level. Missing pieces are errors: the namespace would be shared, not isolated.
 */
export function tenantIsolationRules(subjects: readonly Subject[]): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  // One pass over the objects, then a lookup per namespace: linear in the number of tenants, not quadratic.
  const present = new Set<string>();
  for (const s of subjects) if (s.namespace !== undefined) present.add(`${s.group}\0${s.kind}\0${s.namespace}`);
  const inNamespace = (namespace: string, kind: string, group = '') => present.has(`${group}\0${kind}\0${namespace}`);
  for (const ns of subjects.filter((s) => s.is('', 'Namespace') && s.labels[LABELS.tenant] !== undefined && s.name)) {
    const name = ns.name!;
    const missing = (what: string, hint: string) =>
      findings.push(
        ns.finding('tenant-isolation-missing', 'error', '', `tenant namespace ${name} has no ${what}`, hint),
      );
    if (!inNamespace(name, 'ResourceQuota'))
      missing('ResourceQuota', 'render a ResourceQuota in the namespace (TenantNamespace does)');
    if (!inNamespace(name, 'LimitRange'))
      missing('LimitRange', 'render a LimitRange with container defaults in the namespace (TenantNamespace does)');
    if (!inNamespace(name, 'NetworkPolicy', 'networking.k8s.io'))
      missing('NetworkPolicy', 'render at least a default-deny NetworkPolicy in the namespace');
    const enforce = ns.labels['pod-security.kubernetes.io/enforce'];
    if (!enforce) {
      findings.push(
        ns.finding(
          'tenant-isolation-missing',
          'error',
          ['metadata', 'labels'],
          `tenant namespace ${name} has no pod-security.kubernetes.io/enforce label`,
          'label the namespace with pod-security.kubernetes.io/enforce: baseline',
        ),
      );
    } else if (enforce === 'restricted') {
      // restricted needs runAsNonRoot, seccompProfile, allowPrivilegeEscalation: false and capabilities.drop ALL on the
      // pod or every container; EMR's pod templates may set none of them on the pod or the Spark container, and EMR
      // documents no such settings of its own, so its driver, executor and job-runner pods would be refused.
      findings.push(
        ns.finding(
          'tenant-pod-security-level',
          'error',
          ['metadata', 'labels', 'pod-security.kubernetes.io/enforce'],
          `tenant namespace ${name} enforces Pod Security restricted, which EMR's job-runner, driver and executor pods do not meet: a pod template may set no securityContext on the pod or the Spark container (EMR on EKS guide, "Pod template fields")`,
          "enforce baseline and warn and audit restricted (TenantNamespace's default)",
        ),
      );
    }
  }
  return findings;
}
