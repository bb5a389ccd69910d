import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { requireObjectName, requireQualifiedName } from '../primitives/kubernetes-names.js';
import { NAMESPACE_NAME_LABEL } from '../primitives/labels.js';
import { CAPACITY_CLASS_LABEL } from './spark-capacity.js';
import { podAdmissionPolicy } from '../primitives/pod-admission-policy.js';

export { VALIDATING_ADMISSION_POLICY_MINOR } from '../primitives/pod-admission-policy.js';

/** A tenant an exclusive class is reserved for. */
export interface CapacityClassGrant {
  readonly tenant: string;
  readonly namespace: string;
}

export interface ExclusiveCapacityClassPolicyProps {
  /** The class name: the value of the pools' label and `NoSchedule` taint. */
  readonly capacityClass: string;
  /** The tenants the class is exclusive to (named in the messages; their namespaces are never checked). */
  readonly grantedTo: readonly CapacityClassGrant[];
  /** The namespaces whose pods may not reach the class: the tenants not granted it. Must not be empty. */
  readonly checkedNamespaces: readonly string[];
  /** Key of the class label and taint. @default 'emr-eks-gitops.io/capacity-class' */
  readonly labelKey?: string;
  /** Name of the policy and of its binding. @default `emr-eks-gitops-capacity-class-<capacityClass>` */
  readonly name?: string;
}

const cel = (text: string) => JSON.stringify(text);

/**
 * CEL: `pod` (`object` or `oldObject`) tolerates the class's `key=value:NoSchedule` taint, with the API server's
 * toleration semantics: an empty effect matches every effect, an empty operator means Equal, and an Exists toleration
 * with an empty key tolerates every taint.
 */
export function toleratesClassTaintCel(pod: string, key: string, value: string): string {
  return (
    `has(${pod}.spec.tolerations) && ${pod}.spec.tolerations.exists(t, ` +
    `(!has(t.effect) || t.effect == "" || t.effect == "NoSchedule") && ` +
    `(has(t.operator) && t.operator == "Exists" ? (!has(t.key) || t.key == "" || t.key == ${cel(key)}) ` +
    `: (has(t.key) && t.key == ${cel(key)} && has(t.value) && t.value == ${cel(value)})))`
  );
}

/** CEL: `pod` asks for the class's nodes by nodeSelector or by a required node affinity term `key In [.., value, ..]`. */
export function selectsClassCel(pod: string, key: string, value: string): string {
  const required = `${pod}.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
  return (
    `(has(${pod}.spec.nodeSelector) && ${cel(key)} in ${pod}.spec.nodeSelector && ${pod}.spec.nodeSelector[${cel(key)}] == ${cel(value)}) || ` +
    `(has(${pod}.spec.affinity) && has(${pod}.spec.affinity.nodeAffinity) && has(${required}) && ` +
    `${required}.nodeSelectorTerms.exists(term, has(term.matchExpressions) && term.matchExpressions.exists(e, ` +
    `e.key == ${cel(key)} && e.operator == "In" && has(e.values) && ${cel(value)} in e.values)))`
  );
}

/**
 * Keeps the pods of tenants not granted an exclusive capacity class off its nodes, at admission: a
 * `ValidatingAdmissionPolicy` (`admissionregistration.k8s.io/v1`, Kubernetes 1.30+) and its binding, which deny
 * CREATE and UPDATE of a Pod in `checkedNamespaces` that tolerates the class taint or selects the class label, and
 * the CREATE of a Pod with `spec.nodeName` (binding a pod by name skips the scheduler and with it the taint).
 * Pod templates a tenant submits, `spark.kubernetes.*.node.selector.*` and pods created directly all end as Pods, so
 * this is the one place that sees them all. Updates may keep what the pod already had (a pod admitted before the
 * policy existed can still be labelled or finalized), but not add it. `failurePolicy: Fail` and
 * `validationActions: [Deny]`: a policy that cannot be evaluated refuses the pod instead of letting it through.
 * Namespaces outside `checkedNamespaces` (system, add-ons such as a GPU device plugin's DaemonSet, the granted
 * tenants) are not matched by the binding.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { ExclusiveCapacityClassPolicy } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'admission');
 * new ExclusiveCapacityClassPolicy(chart, 'gpu', {
 *   capacityClass: 'gpu',
 *   grantedTo: [{ tenant: 'ml', namespace: 'spark-ml' }],
 *   checkedNamespaces: ['spark-data-eng', 'spark-app-dev'],
 * });
 * ```
 */
export class ExclusiveCapacityClassPolicy extends Construct {
  readonly name: string;
  readonly policy: ApiObject;
  readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: ExclusiveCapacityClassPolicyProps) {
    super(scope, id);
    const key = props.labelKey ?? CAPACITY_CLASS_LABEL;
    const value = props.capacityClass;
    this.name = props.name ?? `emr-eks-gitops-capacity-class-${value}`;
    requireQualifiedName(key, 'labelKey');
    requireObjectName(this.name, 'name');
    requireThat(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 63,
      'capacityClass',
      `"${value}" is not a label value of lower-case letters, digits and dashes`,
    );
    requireThat(
      props.grantedTo.length > 0,
      'grantedTo',
      'must name at least one tenant: a class exclusive to nobody is a class nobody may use',
    );
    requireThat(
      props.checkedNamespaces.length > 0,
      'checkedNamespaces',
      'must list at least one namespace: a binding without namespaces would match every namespace',
    );
    const granted = props.grantedTo.map((grant) => grant.namespace);
    const overlap = props.checkedNamespaces.filter((namespace) => granted.includes(namespace));
    requireThat(
      overlap.length === 0,
      'checkedNamespaces',
      `${overlap.join(', ')} is granted the class and cannot be checked against it`,
    );

    const owners = props.grantedTo.map((grant) => `${grant.tenant} (namespace ${grant.namespace})`).join(', ');
    const reserved = `capacity class ${value} is exclusive to ${owners}`;
    const taint = `${key}=${value}:NoSchedule`;
    ({ policy: this.policy, binding: this.binding } = podAdmissionPolicy(this, this.name, {
      variables: [
        { name: 'tolerates', expression: toleratesClassTaintCel('object', key, value) },
        { name: 'selects', expression: selectsClassCel('object', key, value) },
        // On CREATE oldObject is null: `&&` stops at the operation before it is read.
        {
          name: 'toleratedBefore',
          expression: `request.operation == "UPDATE" && (${toleratesClassTaintCel('oldObject', key, value)})`,
        },
        {
          name: 'selectedBefore',
          expression: `request.operation == "UPDATE" && (${selectsClassCel('oldObject', key, value)})`,
        },
      ],
      validations: [
        {
          expression: '!variables.tolerates || variables.toleratedBefore',
          reason: 'Forbidden',
          message: `${reserved}: pods of this namespace may not tolerate its taint ${taint} (a toleration of that key and value, an Exists toleration of that key, or an Exists toleration without a key, which tolerates every taint); remove the toleration`,
        },
        {
          expression: '!variables.selects || variables.selectedBefore',
          reason: 'Forbidden',
          message: `${reserved}: pods of this namespace may not select its nodes (nodeSelector ${key}: ${value} or a required node affinity ${key} In [${value}]); select a class granted to this tenant`,
        },
        {
          expression: 'request.operation != "CREATE" || !has(object.spec.nodeName) || object.spec.nodeName == ""',
          reason: 'Forbidden',
          message: `${reserved}: pods of this namespace may not set spec.nodeName, which skips the scheduler and the class taint; leave placement to the scheduler`,
        },
      ],
      matchResources: {
        namespaceSelector: {
          matchExpressions: [
            { key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...props.checkedNamespaces].sort() },
          ],
        },
      },
    }));
  }
}
