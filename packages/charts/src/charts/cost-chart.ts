import type { App } from 'cdk8s';
import { LABELS, SPLIT_COST_LABEL_LIMIT, tenantCostQuery, virtualClustersTableDdl } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { ManifestChart } from './manifest-chart.js';
import type { CostSummary } from './summaries.js';

/** Where the cost artifacts go, below `artifacts/`. */
export const COST_ARTIFACTS_FOLDER = 'cost';
export const COST_ARTIFACT_FILES = {
  query: 'tenant-cost-per-day.sql',
  virtualClusters: 'virtual-clusters-table.sql',
} as const;

/**
 * `artifacts/cost/`: the Athena queries that give each tenant's cost per day from a CUR 2.0 export (split cost
 * allocation by namespace, EMR on EKS charges by virtual cluster), and the table over `emr list --output csv` they
 * join. Every tenant is listed, retired ones too: their last days still cost money.
 */
export class CostChart extends ManifestChart {
  /** The queries and the labels that say whose a cost is, for the README's "Cost per tenant". */
  readonly summary: CostSummary = {
    folder: COST_ARTIFACTS_FOLDER,
    files: COST_ARTIFACT_FILES,
    environmentLabel: LABELS.environment,
    tenantLabel: LABELS.tenant,
    splitCostLabelLimit: SPLIT_COST_LABEL_LIMIT,
  };

  constructor(scope: App, config: ResolvedEnvironment) {
    super(scope, 'cost', { folder: COST_ARTIFACTS_FOLDER, environment: config.name, configPath: [] });
    const tenants = config.tenants.map((tenant) => ({ name: tenant.name, namespace: tenant.namespace }));
    this.addArtifact({
      path: COST_ARTIFACT_FILES.query,
      format: 'text',
      kubernetesObject: false,
      value: tenantCostQuery({ environment: config.name, eksCluster: config.cluster.name, tenants }),
    });
    this.addArtifact({
      path: COST_ARTIFACT_FILES.virtualClusters,
      format: 'text',
      kubernetesObject: false,
      value: virtualClustersTableDdl(),
    });
  }
}
