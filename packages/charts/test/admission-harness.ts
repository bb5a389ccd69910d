import { expect } from 'vitest';
import { evaluate } from '@marcbachmann/cel-js';
import type { RenderResult } from '../src/index.js';

type Obj = Record<string, any>;
export type Operation = 'CREATE' | 'UPDATE';

/** Who sends the request when a test does not say: a cluster administrator, whom no rendered policy singles out. */
export const ADMIN = 'kubernetes-admin';

/**
 * What the API server does with a Pod request and the rendered policies: a binding matches by its namespaceSelector
 * (the matchExpressions this project renders; none: every namespace), the policy by its resource rules, then its
 * matchConditions (which see `request` and `object`, no variables); variables, then validations, are CEL evaluated
 * against `object`, `oldObject` (null on CREATE) and `request` (operation, namespace, userInfo.username). An
 * evaluation error is a denial (failurePolicy Fail). Returns the messages of the failed validations, [] when admitted.
 */
export function admit(
  result: RenderResult,
  namespace: string,
  pod: Obj,
  operation: Operation = 'CREATE',
  oldPod: Obj | null = null,
  username = ADMIN,
): string[] {
  const objects = result.objects.map((o) => o.object as Obj);
  const denials: string[] = [];
  for (const binding of objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding')) {
    const policy = objects.find(
      (o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === binding.spec.policyName,
    )!;
    expect(binding.spec.validationActions).toEqual(['Deny']);
    expect(policy.spec.failurePolicy).toBe('Fail');
    const selector = binding.spec.matchResources?.namespaceSelector;
    if (selector) expect(Object.keys(selector)).toEqual(['matchExpressions']);
    const selected = (selector?.matchExpressions ?? []).every((e: Obj) => {
      expect([e.key, e.operator]).toEqual(['kubernetes.io/metadata.name', 'In']);
      return e.values.includes(namespace);
    });
    const rules = policy.spec.matchConstraints.resourceRules as Obj[];
    const matched = rules.some(
      (r) =>
        r.apiGroups.includes('') &&
        r.apiVersions.includes('v1') &&
        r.resources.includes('pods') &&
        r.operations.includes(operation),
    );
    if (!selected || !matched) continue;
    const context: Obj = {
      object: pod,
      oldObject: oldPod,
      request: { operation, namespace, userInfo: { username } },
      variables: {},
    };
    try {
      if (
        !(policy.spec.matchConditions ?? []).every(
          (condition: Obj) =>
            evaluate(condition.expression, { object: pod, oldObject: oldPod, request: context.request }) === true,
        )
      )
        continue;
      for (const variable of policy.spec.variables ?? [])
        context.variables[variable.name] = evaluate(variable.expression, context);
      for (const validation of policy.spec.validations) {
        if (evaluate(validation.expression, context) !== true) denials.push(validation.message);
      }
    } catch (error) {
      denials.push(`${policy.metadata.name}: evaluation error ${(error as Error).message}`);
    }
  }
  return denials;
}
