import type { ReadmeSummaries } from '../../charts/summaries.js';

// The environment README's "Outside Git" section (cluster-access.md.hbs): what an administrator does once per cluster
// on the AWS side, in order, each step naming the artifact it uses. Sources: EKS user guide (access entries, aws-auth
// ConfigMap, Auto Mode get started), Karpenter v1.14 getting started (node role mapping), EMR on EKS guide (cluster
// access, IRSA trust).

/** The section's data, from the plan ClusterAccessChart rendered its documents from; steps numbered as they apply. */
export function clusterAccessData(summaries: ReadmeSummaries) {
  const { environment, clusterAccess: access, capacity, delivery } = summaries;
  const fargate = summaries.tenants.some((tenant) => !tenant.retired && tenant.fargate);
  const steps = [
    'mode',
    'backend',
    ...(access.identityMappings ? ['mappings'] : []),
    ...(access.nodeAccessEntry ? ['node'] : []),
    ...(access.awsAuth ? [] : ['emr']),
    ...(fargate ? ['fargate'] : []),
    'trust',
    'sync',
    'register',
  ];
  return {
    ...environment,
    ...access,
    autoMode: capacity.autoMode !== undefined,
    controller: capacity.controller ?? {},
    accessEntries: access.nodeAccessEntry !== undefined,
    mapRoles: access.mapRoles
      .split('\n')
      .map((line) => `   ${line}`)
      .join('\n'),
    step: Object.fromEntries(steps.map((name, index) => [name, index + 1])),
    fargate,
    karpenterVersion: `v${access.karpenterVersion}`,
    // Without the add-on the controller's values are an artifact (CapacityChart); only read on self-managed Karpenter.
    controllerValues: capacity.controllerValues !== undefined,
    argocd: delivery.engine === 'argocd',
  };
}
