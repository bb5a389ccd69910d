import { costLabelProblems } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';
import type { ConfigPath } from './source-map.js';

/**
 * Cost allocation labels go on pods and namespaces as labels and on EMR resources as tags: each key and value must be
 * valid as both (a bad label would fail the namespace's apply and, through the pod templates, every job), at the key.
 */
export function costAllocationProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const check = (labels: unknown, path: ConfigPath): Problem[] => {
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return [];
    return costLabelProblems(labels as Record<string, string>).map((problem) =>
      at(problem.rule, [...path, ...problem.location.path], problem.message),
    );
  };
  return [
    ...check(file?.costAllocation, ['costAllocation']),
    ...tenants.flatMap((tenant, index) => check(tenant.costAllocation, ['tenants', index, 'costAllocation'])),
  ];
}

/** The rules of this topic, run by semanticProblems. */
export const COST_ALLOCATION_RULES: ConfigRules = {
  topic: 'cost allocation labels',
  rules: ['cost-label-syntax', 'cost-label-reserved'],
  check: ({ file, tenants }, at) => costAllocationProblems(file, tenants, at),
};
