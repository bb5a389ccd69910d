/** Label and annotation keys this project puts on what it renders. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  partOf: 'app.kubernetes.io/part-of',
  tenant: 'emr-eks-gitops.io/tenant',
  environment: 'emr-eks-gitops.io/environment',
} as const;

/** Kubernetes' own label on every namespace, its name: what a namespaceSelector matches one namespace by. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Value of `app.kubernetes.io/managed-by` and `app.kubernetes.io/part-of` on every rendered object. */
export const PROJECT_NAME = 'emr-eks-gitops';
