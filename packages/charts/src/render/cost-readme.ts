import { LABELS, SPLIT_COST_LABEL_LIMIT, tenantCostLabels } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { classCostTags, hasOwnNodeClasses } from '../config/capacity-class-semantics.js';
import { COST_ARTIFACTS_FOLDER, COST_ARTIFACT_FILES } from '../charts/cost-chart.js';

/** The environment README's "Cost per tenant" section: which labels and tags say whose a cost is, and how to sum them. */
export function costSection(config: ResolvedEnvironment): string {
  const rows = config.tenants.map((tenant) => {
    const labels = Object.entries(tenantCostLabels(config.costAllocation, tenant)).map(([key, value]) => `\`${key}=${value}\``).join(', ');
    return `| ${tenant.name} | \`${tenant.namespace}\` | ${labels} |`;
  });
  const folder = `artifacts/${COST_ARTIFACTS_FOLDER}`;
  const tagged = config.capacity.classes.filter((spec) => hasOwnNodeClasses(config, spec)).map((spec) => {
    const tags = Object.entries(classCostTags(config, spec)).map(([key, value]) => `\`${key}=${value}\``).join(', ');
    return `| \`${spec.name}\` | ${spec.exclusiveTo!.join(', ')} | ${tags} |`;
  });
  const nodes = tagged.length === 0
    ? `No capacity class here is exclusive to tenants that share a cost label, so the EC2 instances and volumes of every
Spark node carry only \`${LABELS.environment}=${config.name}\`; each tenant's share of them is its pods' split cost.`
    : `The EC2 instances and EBS volumes of the capacity classes below, exclusive to tenants, carry as AWS tags (their own
node classes' \`spec.tags\`) the cost labels all those tenants share, so a class's whole node cost, idle capacity
included, is theirs (activate the keys as cost allocation tags too). Every other Spark node (the default pools and the classes open to every tenant) carries
only \`${LABELS.environment}=${config.name}\`; each tenant's share of those is its pods' split cost.

| capacity class | tenants | tags of its instances and volumes |
|---|---|---|
${tagged.join('\n')}`;
  return `## Cost per tenant
Each tenant's cost labels (\`costAllocation\` of the environment, the tenant's own over them, and \`${LABELS.tenant}\`) are on
its namespace and on every pod it pays for: drivers and executors (pod templates), EMR's job runner
(\`jobsubmitter.label.*\` of the \`emr-job-submitter\` classification) and notebook servers (\`extra_labels\` of its profile).
EKS split cost allocation imports a pod's labels as cost allocation tags, the first ${SPLIT_COST_LABEL_LIMIT} in alphabetical order
(\`render\` refuses more, counting Spark's, EMR's and JupyterHub's own); activate the keys under Billing, Cost allocation
tags. The same labels are tags of its EMR virtual cluster (\`emr apply\`), job template and job runs.

| tenant | namespace | cost labels |
|---|---|---|
${rows.join('\n')}

${nodes}

To charge each tenant per day, with a CUR 2.0 export (Data Exports) that includes resource IDs and split cost allocation
data, queried in Athena:

1. \`emr-gitops emr list --env ${config.name} --output csv > virtual-clusters.csv\`, upload it, and create its table with
   [\`${folder}/${COST_ARTIFACT_FILES.virtualClusters}\`](${folder}/${COST_ARTIFACT_FILES.virtualClusters}) (again after a tenant is added).
2. Run [\`${folder}/${COST_ARTIFACT_FILES.query}\`](${folder}/${COST_ARTIFACT_FILES.query}): per day and tenant, the pods' split
   cost (\`split_line_item_split_cost\`, by namespace), their share of idle node capacity (\`split_line_item_unused_cost\`),
   EMR on EKS's own charge (product family \`EMR Containers\`, by the virtual cluster in \`line_item_resource_id\`) and the total.
`;
}
