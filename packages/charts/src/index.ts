// Public surface of @emr-eks-gitops/charts: the environment config format and renderEnvironment().
export {
  ClusterSchema,
  TenantSchema,
  type EnvironmentFile,
  type ClusterConfig,
  type TenantConfig,
  type AddonsConfig,
  type FleetClusterConfig,
} from './config/schema.js';
export { EnvironmentSchema, environmentSchemaJson } from './environment/schema.js';
export { ENVIRONMENT_DEFAULTS, resolveEnvironment } from './environment/resolve.js';
export {
  schemaDefault,
  DRIVER_NODE_DEFAULTS,
  type ResolvedEnvironment,
  type ResolvedCluster,
  type ResolvedCapacity,
  type KarpenterCapacity,
  type AutoModeCapacity,
  type KarpenterController,
  type DriverNodes,
  type ResolvedSparkPlatform,
  type ResolvedDelivery,
  type FluxDelivery,
  type ArgoCdDelivery,
  type ResolvedAddons,
  type ResolvedTenant,
  type ResolvedServiceAccount,
  type ResolvedTenantFargate,
  type ResolvedTenantQueue,
  type EnvironmentOrigin,
  type DeepReadonly,
  type EnvironmentConfig,
  type FleetPlacement,
} from './config/resolve.js';
export type { ResolvedJupyterHub } from './addons/jupyterhub/resolve.js';
export type { ResolvedPrometheus } from './addons/prometheus/resolve.js';
export { DeliverySchema, type DeliveryConfig } from './config/delivery-schema.js';
export { loadEnvironmentText, type LoadedEnvironment } from './environment/load.js';
/** Tenants defined once (environments/tenants/<tenant>.yaml), composed into the environments they are placed in. */
export {
  TENANT_FILES_FOLDER,
  parseTenantFiles,
  composeTenant,
  placedTenants,
  tenantFileName,
  writtenTenants,
  type TenantFile,
  type TenantFileText,
} from './config/tenant-files.js';
export { mergePatch } from './config/merge-patch.js';
export {
  ENVIRONMENT_OWNED_FIELDS,
  splitEnvironmentOwned,
  mergePatchBetween,
  joinTrees,
} from './config/environment-owned.js';
export { tenantFileSchemaJson } from './config/tenant-file-schema.js';
export { inlineTenantFiles } from './config/inline-tenants.js';
export { promotionOrder, type PromotionOrderReport } from './environment/promotion-order.js';
/** The capacity classes a tenant's drivers and executors run on, and those its jobs may ask for. */
export { tenantCapacityClasses } from './config/capacity-class-semantics.js';
export { EnvironmentFileError, formatProblem, type Problem } from './config/problems.js';
export {
  SourceMap,
  formatConfigPath,
  type ConfigPath,
  type ConfigSource,
  type SourceLocation,
  type SourcePosition,
} from './config/source-map.js';
export { ManifestChart, type ManifestChartProps } from './charts/manifest-chart.js';
export { TenantChart } from './charts/tenant-chart.js';
export {
  DELIVERY_FOLDERS,
  DELIVERY_LAYERS,
  deliveryCharts,
  wiredLayers,
  type DeliveryLayerName,
  type WiredLayer,
} from './charts/delivery-chart.js';
export { renderEnvironment, type RenderResult, type RenderedObject, type KubernetesObject } from './render/render.js';
/** Environments spanning several EKS clusters: the per-cluster views they render as, and what the rules check together. */
export { clusterViews, outputRoot, type ClusterView } from './config/cluster-views.js';
export { clusterRenderResult, validationUnits } from './render/render-fleet.js';
export type { RenderedCluster } from './render/render-result.js';
export { executionRoleTrustInput, type ClusterTenants } from './config/role-trust.js';
export { RenderError, type RenderIssue } from './config/render-error.js';
export { generatedHeader, toYaml } from './render/serialize.js';
/** The permissions policy of every IAM role an environment names (what `artifacts/iam/` holds), for put-role-policy or a policy simulator. */
export {
  rolePolicyDocuments,
  managedPolicyAttachments,
  IAM_ARTIFACTS_FOLDER,
  ROLE_POLICY_NAME,
  type RolePolicy,
  type RolePurpose,
  type ManagedPolicyAttachment,
} from './charts/role-policies.js';
export { tenantLocations, type TenantLocations } from './config/tenant-locations.js';
export { identityOf } from './config/identity.js';
/** The add-ons: one module each (schema, rules, charts, delivery, README rows, images), and the one list of them. */
export {
  ADDON_MODULES,
  AddonsSchema,
  addonImages,
  type AddonKey,
  type AddonModule,
  type AddonReadme,
  type AddonReadmeRow,
} from './addons/index.js';
