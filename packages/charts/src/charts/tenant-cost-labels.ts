import {
  configDiagnostic,
  costLabelOverflows,
  SPLIT_COST_LABEL_LIMIT,
  type CostPodKind,
  type SparkPodTemplates,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import type { ConfigPath } from '../config/source-map.js';
import type { RenderIssue } from '../config/render-error.js';
import { servesNotebooks } from './notebook-tenants.js';

const POD_NAMES: Readonly<Record<CostPodKind, string>> = {
  driver: 'a driver',
  executor: 'an executor',
  jobRunner: 'the EMR job runner',
  notebook: 'a notebook server',
};

/**
 * The rule `cost-label-limit`: every pod of the tenant, with the labels Spark, EMR or JupyterHub add to the ones
 * rendered here (its pod templates' as rendered, the job runner's and the notebook server's cost labels), within what
 * split cost allocation imports. Located at the cost labels that add to it.
 */
export function costLabelIssues(
  config: ResolvedEnvironment,
  tenant: ResolvedTenant,
  index: number,
  costLabels: Readonly<Record<string, string>>,
  templates: SparkPodTemplates,
): RenderIssue[] {
  const keysOf = (labels: Readonly<Record<string, string>> | undefined) => Object.keys(labels ?? {});
  const overflows = costLabelOverflows({
    driver: keysOf(templates.driver.metadata?.labels),
    executor: keysOf(templates.executor.metadata?.labels),
    jobRunner: keysOf(costLabels),
    ...(servesNotebooks(config, tenant) ? { notebook: keysOf(costLabels) } : {}),
  });
  const configPath: ConfigPath = tenant.costAllocation
    ? ['tenants', index, 'costAllocation']
    : config.costAllocation
      ? ['costAllocation']
      : ['tenants', index];
  return overflows.map((overflow) =>
    configDiagnostic(
      'cost-label-limit',
      configPath,
      `${POD_NAMES[overflow.pod]} of tenant ${tenant.name} would carry ${overflow.count} labels, and EKS split cost allocation imports only the first ${SPLIT_COST_LABEL_LIMIT} in alphabetical order as cost allocation tags: ${overflow.dropped.length > 0 ? `${overflow.dropped.join(', ')} would never reach the bill` : 'labels of Spark, EMR or JupyterHub would be dropped'}; remove ${overflow.count - SPLIT_COST_LABEL_LIMIT} cost label(s)`,
    ),
  );
}
