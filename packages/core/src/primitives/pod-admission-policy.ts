import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** The Kubernetes minor from which `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy is GA and served by default. */
export const VALIDATING_ADMISSION_POLICY_MINOR = 30;

/** What differs between the project's Pod admission policies. */
export interface PodAdmissionPolicyParts {
  readonly matchConditions?: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly validations: ReadonlyArray<{
    readonly expression: string;
    readonly reason: 'Forbidden';
    readonly message: string;
  }>;
  /** The binding's `matchResources`. @default every namespace */
  readonly matchResources?: Record<string, unknown>;
}

/**
 * A `ValidatingAdmissionPolicy` (`admissionregistration.k8s.io/v1`, Kubernetes 1.30+) over CREATE and UPDATE of Pods,
 * and its binding of the same name. `failurePolicy: Fail` and `validationActions: [Deny]`: a policy that cannot be
 * evaluated refuses the pod instead of letting it through.
 */
export function podAdmissionPolicy(
  scope: Construct,
  name: string,
  parts: PodAdmissionPolicyParts,
): { policy: ApiObject; binding: ApiObject } {
  const policy = new ApiObject(scope, 'Policy', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
        ],
      },
      ...(parts.matchConditions ? { matchConditions: parts.matchConditions } : {}),
      variables: parts.variables,
      validations: parts.validations,
    },
  });
  const binding = new ApiObject(scope, 'Binding', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: {
      policyName: name,
      validationActions: ['Deny'],
      ...(parts.matchResources ? { matchResources: parts.matchResources } : {}),
    },
  });
  return { policy, binding };
}
