// Public surface of @emr-eks-gitops/core: the builders and helpers other repos compose into their own charts.
export { ConfigurationError, requireThat } from './errors.js';
export { LABELS, PROJECT_NAME } from './labels.js';
export { DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN, assertDnsLabel, assertDnsSubdomain } from './names.js';
export { QUANTITY_PATTERN, isQuantity, parseQuantity, quantityString, type QuantityInput } from './quantity.js';
export { parseKubernetesVersion, isAtLeast, type KubernetesVersion } from './kubernetes-version.js';
export {
  TenantNamespace, RESERVED_NAMESPACES,
  type TenantNamespaceProps, type TenantQuota, type ContainerDefaults, type ContainerResources,
  type PodSecurityProps, type PodSecurityLevel,
} from './tenant/tenant-namespace.js';
export {
  EmrContainersRbac, emrContainersRoleRules, EMR_CONTAINERS_NAME,
  type EmrContainersRbacProps, type PolicyRule,
} from './emr-access/emr-containers-rbac.js';
export {
  base36RoleName, parseRoleArn, oidcProviderOf, emrTrustPolicyStatement, trustPolicyDocument, trustPolicySize,
  emrRoleTrustPolicy, IAM_TRUST_POLICY_DEFAULT_MAX_SIZE,
  type IamRoleArn, type TrustPolicyStatement, type TrustPolicyDocument, type EmrTrustStatementProps,
  type RoleTrustInput, type RoleTrustPolicy,
} from './emr-access/trust-policy.js';
