import { Type, type Static } from '@sinclair/typebox';

/** Cost allocation labels: key to value, checked for label and tag syntax by the cost rules (located per key). */
export const CostAllocationSchema = (description: string) =>
  Type.Record(
    Type.String(),
    Type.String({
      description:
        'a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    }),
    { description },
  );

export const EnvironmentCostAllocationSchema = CostAllocationSchema(
  'cost allocation labels of every tenant (e.g. cost-centre: "4711"), which a tenant\'s own costAllocation extends or overrides: on the tenant namespace, every driver, executor, job runner and notebook pod (EKS split cost allocation imports them as cost allocation tags) and as tags on its EMR virtual cluster, job template and job runs',
);
export const TenantCostAllocationSchema = CostAllocationSchema(
  "the tenant's cost allocation labels (e.g. team: data-eng), over the environment's costAllocation; emr-eks-gitops.io/tenant is always added",
);

export type CostAllocationConfig = Static<typeof EnvironmentCostAllocationSchema>;
