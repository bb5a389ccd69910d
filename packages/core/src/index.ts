// Public surface of @emr-eks-gitops/core: the builders and helpers other repos compose into their own charts.
export { ConfigurationError, requireThat } from './primitives/errors.js';
/** JSON-schema validators the build compiles once (ajv standalone code), compiled by ajv when the build's are absent or stale. */
export {
  compiledValidators,
  sourceAjv,
  validatorFingerprint,
  type ValidatorSource,
} from './primitives/compiled-validators.js';
export { LABELS, NAMESPACE_NAME_LABEL, PROJECT_NAME } from './primitives/labels.js';
/** Cost allocation labels: what EKS split cost allocation imports (50 per pod), their syntax, the job runner's properties. */
export {
  SPLIT_COST_LABEL_LIMIT,
  OTHERS_POD_LABELS,
  costLabelProblems,
  tenantCostLabels,
  costLabelOverflows,
  jobSubmitterLabelProperties,
  sharedCostLabels,
  type CostPodKind,
  type CostLabelProblem,
  type CostLabelOverflow,
} from './cost/cost-allocation.js';
/** The bill per tenant: the virtual-cluster CSV's columns and the Athena queries over CUR 2.0 that read it. */
export {
  VIRTUAL_CLUSTER_CSV_COLUMNS,
  CUR2_COST_SOURCES,
  COST_QUERY_PLACEHOLDERS,
  toCsv,
  tenantCostQuery,
  virtualClustersTableDdl,
  type VirtualClusterCsvRow,
  type TenantCostQueryProps,
} from './cost/cost-report.js';
/** EKS Pod Identity: EMR's job accounts, the one-statement trust policy, the association requests. */
export {
  POD_IDENTITY,
  releaseSupportsPodIdentity,
  emrJobServiceAccounts,
  podIdentityTrustPolicy,
  podIdentityAssociationRequest,
  type PodIdentityMode,
  type PodIdentityAssociationRequest,
  type PodIdentityBinding,
} from './identity/pod-identity.js';
export { DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN, assertDnsLabel, assertDnsSubdomain } from './primitives/names.js';
export {
  QUANTITY_PATTERN,
  isQuantity,
  parseQuantity,
  quantityString,
  type QuantityInput,
} from './primitives/quantity.js';
export { parseKubernetesVersion, isAtLeast, type KubernetesVersion } from './primitives/kubernetes-version.js';
export {
  TenantNamespace,
  RESERVED_NAMESPACES,
  type TenantNamespaceProps,
  type TenantQuota,
  type ContainerDefaults,
  type ContainerResources,
  type DefaultLimits,
  type PodSecurityProps,
  type PodSecurityLevel,
} from './tenant/tenant-namespace.js';
export {
  EmrContainersRbac,
  emrContainersRoleRules,
  EMR_CONTAINERS_NAME,
  type EmrContainersRbacProps,
} from './emr-access/emr-containers-rbac.js';
export type { PolicyRule } from './primitives/rbac.js';
/** Pods a Spark-driver account creates run as that account and only the images allowed (admission). */
export {
  DriverAccountPodPolicy,
  serviceAccountUsername,
  SERVICE_ACCOUNT_USERNAME_PREFIX,
  type DriverAccountPodPolicyProps,
} from './emr-access/driver-account-admission.js';
/** Documents that map IAM roles into the cluster: eksctl identity mappings, access entries. */
export {
  EMR_SERVICE_LINKED_ROLE_NAME,
  NODE_USERNAME,
  NODE_GROUPS,
  roleArn,
  emrIdentityMapping,
  nodeIdentityMapping,
  eksctlIdentityMappings,
  mapRolesEntries,
  nodeAccessEntryRequest,
  clusterAccessPolicyRequest,
  type IamIdentityMapping,
  type NodeAccessEntryType,
} from './emr-access/cluster-access.js';

// Karpenter v1: node classes, node pools, the Spark capacity layout, and the controller's Helm values.
/** Scheduling vocabulary (taints, tolerations, requirements, placements) and the check of a placement against a pool. */
export {
  placementProblems,
  podMisfit,
  poolNodeRequirements,
  tolerationFor,
  toleratesTaint,
  type Misfit,
  type PodPlacement,
  type PodSchedulingNeeds,
  type PoolSchedulingView,
  type Taint,
  type TaintEffect,
  type Toleration,
} from './scheduling/placement.js';
export { requirementsSatisfiable, type NodeRequirement, type RequirementOperator } from './scheduling/requirements.js';
export { CAPACITY_TYPE_LABEL, WELL_KNOWN_LABELS, type CapacityType } from './scheduling/well-known-labels.js';
/** Disruption budgets and no-disruption windows of a NodePool. */
export type {
  ConsolidationPolicy,
  DisruptionBudget,
  DisruptionReason,
  NoDisruptionWindow,
} from './karpenter/disruption.js';
/** An EC2NodeClass with a pinned AMI, IMDSv2, an encrypted gp3 root volume and tag-selected subnets/security groups. */
export {
  Ec2NodeClass,
  type Ec2NodeClassProps,
  type MetadataOptionsProps,
  type RootVolumeProps,
} from './karpenter/ec2-node-class.js';
/** A validated Karpenter NodePool. */
export {
  KARPENTER_DEFAULT_EXPIRE_AFTER,
  NodePool,
  type NodePoolLimits,
  type NodePoolProps,
} from './karpenter/node-pool.js';
export {
  EKS_AUTO_MODE_INSTANCE_LABELS,
  INSTANCE_LABEL_VOCABULARIES,
  KARPENTER_AWS_INSTANCE_LABELS,
  type InstanceLabelKeys,
} from './karpenter/instance-labels.js';
/** A NodePool's node class reference, and what SparkCapacity needs of a node class. */
export { NODE_CLASS_KINDS, type NodeClassReference, type SparkNodeClass } from './karpenter/node-class-ref.js';
/** An EKS Auto Mode NodeClass: node role, tag-selected subnets and security groups, the EBS data volume, tags. */
export { EksNodeClass, type EksNodeClassProps, type EphemeralStorageProps } from './karpenter/eks-node-class.js';
/** EKS Auto Mode: node lifetime, built-in pools, the cluster's compute config, add-on placement, network policy switch. */
export {
  AUTO_MODE_BUILT_IN_NODE_POOLS,
  AUTO_MODE_DEFAULT_EXPIRE_AFTER,
  AUTO_MODE_DEFAULT_TERMINATION_GRACE_PERIOD,
  AUTO_MODE_EBS_PROVISIONER,
  AUTO_MODE_MAX_NODE_LIFETIME,
  AUTO_MODE_MAX_PODS,
  AutoModeNetworkPolicyController,
  autoModeAddonPlacement,
  autoModeClusterConfig,
  type AutoModeAddonPlacement,
  type AutoModeBuiltInNodePool,
  type AutoModeClusterConfig,
  type AutoModeClusterConfigProps,
} from './karpenter/auto-mode.js';
/** The cluster IAM role policy that lets EKS Auto Mode put a NodeClass's user-defined tags on what it launches. */
export {
  AUTO_MODE_TAGGED_NODE_ACTIONS,
  autoModeTagPolicy,
  type IamPolicyDocument,
} from './karpenter/auto-mode-tag-policy.js';
/** Go durations as Kubernetes and Karpenter write them (`1h30m`), in seconds. */
export { goDurationSeconds } from './primitives/go-duration.js';
/** Instance selections of capacity classes (architecture, categories or families, generation, sizes) as requirements. */
export {
  effectiveInstanceSelection,
  emptySelectionProblem,
  gpuSelectionProblem,
  instanceSelectionRequirements,
  type EffectiveInstanceSelection,
  type InstanceSelection,
} from './karpenter/instance-selection.js';
/** Driver, spot executor and on-demand fallback executor pools, with the placements pods need to reach them. */
export {
  CAPACITY_CLASS_LABEL,
  EXECUTOR_LOCAL_DISK_LABEL,
  SPARK_WORKLOAD_LABEL,
  SparkCapacity,
  type DriverNodeLifetime,
  type ExecutorCapacity,
  type SparkGpu,
  type SparkCapacityLimits,
  type SparkCapacityProps,
  type SparkPlacements,
} from './karpenter/spark-capacity.js';
/** Admission policy that keeps tenants not granted an exclusive capacity class off its nodes. */
export {
  ExclusiveCapacityClassPolicy,
  VALIDATING_ADMISSION_POLICY_MINOR,
  selectsClassCel,
  toleratesClassTaintCel,
  type CapacityClassGrant,
  type ExclusiveCapacityClassPolicyProps,
} from './karpenter/capacity-class-admission.js';
/** Karpenter chart values that keep the controller off Karpenter-made nodes. */
export {
  KARPENTER_CLUSTER_NAMESPACE,
  karpenterControllerHelmValues,
  offKarpenterNodeAffinity,
  type OffKarpenterNodeAffinity,
  type KarpenterControllerValues,
  type KarpenterControllerValuesProps,
} from './karpenter/controller-values.js';

// Spark on EMR: pod templates and the spark-defaults that reference them.
/** Driver and executor pod template documents, and the check EMR's pod template rules. */
export {
  checkSparkPodTemplate,
  EXECUTORS_METRICS_PATH_ANNOTATION,
  SPARK_APP_SELECTOR_LABEL,
  SPARK_CONTAINER_NAMES,
  SPARK_PROMETHEUS_PATHS,
  SPARK_UI_PORT,
  SESSION_EXECUTOR_TEMPLATE_FILE,
  SparkPodTemplates,
  type SparkCustomCode,
  type SparkPodTemplatesProps,
  type SparkRole,
} from './spark/pod-templates.js';
/** The traits a JupyterHub profile's kubespawner_override may set (KubeSpawner 7.0.0), as data with its source. */
export { KUBESPAWNER_TRAITS } from './addons/kubespawner-traits.js';
/** The classifications and keys EMR on EKS reads in applicationConfiguration, as data with their sources. */
export {
  classificationContractViolations,
  EMR_CLASSIFICATION_CONTRACT,
  type ClassificationContractViolation,
} from './spark/emr-classification-contract.js';
/** Karpenter's do-not-disrupt annotation, for the pods whose loss costs a job or a live session. */
export { DO_NOT_DISRUPT_ANNOTATION, doNotDisruptAnnotations } from './spark/disruption-protection.js';
/** What EMR on EKS accepts in a pod template (fields, Spark container names, /mnt), as data with its source. */
export {
  EMR_POD_TEMPLATE_CONTRACT,
  podTemplateContractViolations,
  type PodTemplateContractViolation,
} from './spark/emr-pod-template-contract.js';
/** Scratch disk choices for spark.local.dir. */
export { SPARK_LOCAL_DIR_VOLUME, type SparkLocalDisk } from './spark/local-disk.js';
/** A tenant's default job size and the pod resources Spark derives from it. */
export {
  jobSizeProperties,
  requireSparkPodSize,
  sparkContainerResources,
  sparkMemoryMiB,
  SPARK_DEFAULT_JOB_SIZE,
  SPARK_MIN_MEMORY_OVERHEAD_MIB,
  type SparkContainerResources,
  type SparkJobSize,
  type SparkMemory,
  type SparkPodSize,
} from './spark/job-size.js';
/** EMR job configuration beside spark-defaults: the job runner's placement and where job logs go. */
export {
  emrMonitoringConfiguration,
  jobStartTimeoutClassification,
  jobSubmitterClassification,
  EMR_DEFAULT_JOB_START_TIMEOUT_SECONDS,
  type EmrClassification,
  type EmrMonitoringConfiguration,
  type EmrMonitoringProps,
} from './spark/emr-job-configuration.js';
/** StartJobRun and CreateJobTemplate request documents of a tenant, from its configuration overrides. */
export {
  EMR_RESOURCE_TAGS,
  JOB_TEMPLATE_PARAMETERS,
  START_JOB_RUN_PLACEHOLDERS,
  jobTemplateHash,
  jobTemplateRequest,
  startJobRunRequest,
  type CreateJobTemplateDocument,
  type EmrConfiguration,
  type EmrConfigurationOverrides,
  type EmrJobDocumentsProps,
  type JobTemplateData,
  type SparkSubmitJobDriver,
  type StartJobRunDocument,
  type TemplateParameterConfiguration,
} from './spark/emr-job-documents.js';
/** EMR on EKS's Spark images per release and region, and the RAPIDS Accelerator variant of a release. */
export {
  EMR_ON_EKS_IMAGE_ACCOUNTS,
  EMR_RAPIDS_MIN_RELEASE,
  EMR_RAPIDS_RELEASE_DATES,
  emrRapidsRelease,
  emrSparkImage,
  type EmrRapidsRelease,
  type EmrSparkImage,
} from './spark/emr-images.js';
/** The spark-defaults classification matching the pod templates and capacity. */
export { sparkDefaults, type SparkDefaultsClassification, type SparkDefaultsProps } from './spark/spark-defaults.js';

// Storage and scheduling.
/** An encrypted gp3 EBS StorageClass binding on first consumer. */
export {
  DEFAULT_GP3_STORAGE_CLASS_NAME,
  Gp3StorageClass,
  type EbsCsiProvisioner,
  type Gp3StorageClassProps,
} from './storage/gp3-storage-class.js';
/** PriorityClasses ranking Spark drivers above executors. */
export {
  DEFAULT_SPARK_PRIORITY_CLASS_NAMES,
  SparkPriorityClasses,
  type SparkPriorityClassesProps,
} from './spark/spark-priority-classes.js';

// Tenant isolation: network policies and service accounts of a tenant namespace.
/** Default-deny NetworkPolicies with the allowances Spark, Prometheus, DNS and the chosen egress need. */
export {
  resolveTenantNetworkPolicies,
  TENANT_NETWORK_POLICY_NAMES,
  TenantNetworkPolicies,
  type AllowAllEgress,
  type ResolvedRestrictedEgress,
  type ResolvedTenantNetworkPolicies,
  type RestrictedEgress,
  type TenantEgress,
  type TenantNetworkPoliciesProps,
} from './tenant/tenant-network-policies.js';
/** Ports and protocols as NetworkPolicies take them. */
export {
  NETWORK_PROTOCOLS,
  type NetworkPort,
  type NetworkProtocol,
  type ResolvedNetworkPort,
} from './primitives/network.js';
/** Service accounts outside EMR's per-job ones, optionally bound to IAM roles through IRSA. */
export {
  EMR_JOB_SERVICE_ACCOUNT_PREFIX,
  IRSA_ANNOTATIONS,
  TenantServiceAccounts,
  type TenantServiceAccount,
  type TenantServiceAccountsProps,
} from './tenant/tenant-service-accounts.js';
/** The Role a service account needs to run a Spark driver (a notebook's session) in its namespace. */
export {
  SPARK_DRIVER_ROLE_NAME,
  SparkDriverRbac,
  sparkDriverRoleRules,
  type SparkDriverRbacProps,
} from './tenant/spark-driver-rbac.js';
// EKS Fargate: profiles (as AWS CLI and eksctl documents), Fargate's pod sizing, and placements of tenants it runs.
/** A Fargate profile rendered for `aws eks create-fargate-profile` and eksctl; how EKS matches pods to it. */
export {
  FARGATE_PROFILE_LABEL,
  FARGATE_PROFILE_LIMITS,
  FargateProfile,
  eksctlFargateClusterConfig,
  type CreateFargateProfileRequest,
  type EksctlFargateProfile,
  type FargateProfileProps,
  type FargateProfileSelector,
} from './fargate/fargate-profile.js';
/** Fargate's vCPU / memory combinations and how it rounds a pod's requests up to one. */
export {
  FARGATE_CONFIGURATIONS,
  FARGATE_EPHEMERAL_STORAGE_GIB,
  FARGATE_KUBERNETES_OVERHEAD_MIB,
  FARGATE_MAX_EPHEMERAL_REQUEST_GIB,
  FARGATE_MAX_POD,
  fargatePodSize,
  fargateProvisionedStorageGiB,
  formatFargateSize,
  type FargatePodRequest,
  type FargatePodSize,
} from './fargate/fargate-sizing.js';
/** Security groups for every pod of a namespace (a SecurityGroupPolicy): network isolation where NetworkPolicies do not reach. */
export {
  FARGATE_POD_SECURITY_GROUP_RULES,
  POD_SECURITY_GROUPS_MAX,
  PodSecurityGroups,
  type PodSecurityGroupRule,
  type PodSecurityGroupsProps,
} from './fargate/security-group-policy.js';
/** Spark placements for pods a Fargate profile runs: no NodePool, selector or toleration. */
export { fargateSparkPlacements } from './fargate/fargate-placements.js';
/** Run-time rules of a Fargate tenant, and the Fargate size of each pod of its jobs. */
export {
  fargateJobSizes,
  fargateTenantProblems,
  type FargateJobSizes,
  type FargateTenantRuntime,
} from './validation/runtime/fargate-tenant-rules.js';
export { FARGATE_NAMESPACE_ANNOTATION } from './validation/capacity/fargate-pod-rules.js';
export { validateObjects } from './validation/validate.js';
export {
  awsRequestProblems,
  jsonPathOf,
  type AwsRequestProblem,
  type AwsRequestShape,
} from './validation/aws/request-documents.js';
/** Run-time rules of a tenant: what admission, the scheduler, Karpenter, Spark and EMR do with a job of its size. */
export { sparkTenantProblems } from './validation/runtime/spark-tenant-rules.js';
export type {
  AwsServiceReach,
  RuntimePool,
  RuntimeProblem,
  SparkTenantRuntime,
} from './validation/runtime/tenant-runtime.js';
export {
  effectiveLimitRange,
  formatCores,
  formatMiB,
  jobFootprint,
  EMR_LOGGING_CONTAINER_MEMORY_MIB,
  JOB_RUNNER_LOGGING_CONTAINER,
  type EffectiveLimitRange,
  type JobFootprint,
  type PodFootprint,
} from './validation/runtime/pod-footprint.js';
/** Kubernetes minors whose official OpenAPI v3 is bundled: the versions validateObjects can check against. */
export {
  SUPPORTED_KUBERNETES_VERSIONS,
  isSupportedKubernetesVersion,
  kubernetesSchemaProblem,
  type SupportedKubernetesVersion,
} from './validation/schema/catalog.js';
/** One Diagnostic type and one RULES catalog for every rule: config, run-time, render and rendered-object rules. */
export * from './diagnostics/index.js';
/** A diagnostic about a rendered object (what validateObjects returns). */
export type { ObjectDiagnostic as Finding } from './diagnostics/index.js';
/** Every rule id is a key of RULES: the run-time and Fargate rules' ids too. */
export type { RuleId as RuntimeRuleId, RuleId as FargateRuleId } from './diagnostics/index.js';
export { formatFieldPath, type ValidationInput, type ValidationContext } from './validation/subject.js';
export {
  base36RoleName,
  parseRoleArn,
  oidcProviderOf,
  emrTrustPolicyStatement,
  trustPolicyDocument,
  trustPolicySize,
  emrRoleTrustPolicy,
  IAM_TRUST_POLICY_DEFAULT_MAX_SIZE,
  type IamRoleArn,
  type TrustPolicyStatement,
  type TrustPolicyDocument,
  type EmrTrustStatementProps,
  type RoleTrustInput,
  type RoleTrustPolicy,
  type ClusterTrustInput,
} from './emr-access/trust-policy.js';
/** IAM permissions policies: documents, PutRolePolicy's shapes and size limit, S3/CloudWatch Logs grants, Karpenter's controller policy. */
export {
  policyDocument,
  orderedStatement,
  policySize,
  putRolePolicyProblems,
  leastPrivilegeProblems,
  IAM_ROLE_INLINE_POLICIES_MAX_SIZE,
  PUT_ROLE_POLICY_SHAPES,
  type PolicyCondition,
  type PolicyDocument,
  type PolicyStatement,
  type PutRolePolicyRequest,
} from './iam/policy-document.js';
export {
  dataAccessStatements,
  s3Location,
  sidPart,
  S3_ACCESS_ACTIONS,
  type ArnContext,
  type DataAccess,
  type S3Access,
  type S3Grant,
} from './iam/data-access.js';
export {
  karpenterControllerStatements,
  karpenterNodeRoleManagedPolicyArns,
  KARPENTER_IAM_SOURCE_VERSION,
  KARPENTER_UNSCOPED_ACTIONS,
  type KarpenterControllerPolicyProps,
} from './iam/karpenter-controller-policy.js';
/** An offline EC2 instance-type catalog, the labels of each type (Karpenter's and EKS Auto Mode's) and the allocatable models. */
export {
  AUTO_MODE_ALLOCATABLE_OPTIONS,
  INSTANCE_TYPES,
  INSTANCE_TYPE_LABEL_KEYS,
  DEFAULT_DAEMONSET_OVERHEAD,
  instanceType,
  instanceTypeLabels,
  instanceTypesMatching,
  allocatable,
  smallestFittingType,
  largestAllocatable,
  type InstanceType,
  type CpuManufacturer,
  type NodeResources,
  type AllocatableOptions,
} from './karpenter/instance-types.js';

// GitOps delivery: how the rendered layers (and pinned Helm charts such as Karpenter's CRDs) reach a cluster.
/** Pinned OCI Helm charts and the annotations that keep an object when it leaves Git. */
export {
  ARGOCD_PRUNE_DISABLED,
  FLUX_PRUNE_DISABLED,
  KARPENTER_CHART,
  KARPENTER_CRD_CHART,
  isOciChart,
  type HelmChartSource,
  type OciHelmChart,
} from './delivery/helm-chart.js';
/** Flux: a GitRepository, a Kustomization per layer, an OCI chart as OCIRepository + HelmRelease. */
export {
  FLUX_NAMESPACE,
  FluxGitRepository,
  FluxHelmRelease,
  FluxKustomization,
  type FluxGitRepositoryProps,
  type FluxHelmReleaseProps,
  type FluxKustomizationProps,
} from './delivery/flux.js';
/** Argo CD: an automated Application from a Git folder or a pinned OCI Helm chart. */
export {
  ArgoApplicationSet,
  type ArgoApplicationSetProps,
  type ApplicationSetElement,
  type RollingSyncStep,
} from './delivery/argo-application-set.js';
export {
  ARGOCD_RESOURCES_FINALIZER,
  ArgoApplication,
  type ArgoApplicationProps,
  type ArgoIgnoreDifference,
  type ArgoSource,
} from './delivery/argo-cd.js';

// Add-ons delivered as Helm releases.
/** JupyterHub: the pinned chart, its values, the hub's spawner RBAC in tenant namespaces, the chart's values schema. */
export {
  JUPYTERHUB_CHART,
  JUPYTERHUB_GENERATED_FIELDS,
  JUPYTERHUB_HUB_SERVICE_ACCOUNT,
  JUPYTERHUB_NAMESPACE,
  JUPYTERHUB_SPAWNER_ROLE_NAME,
  EMR_IMAGE_USER,
  JUPYTERHUB_HUB_API_PORT,
  JUPYTERHUB_HUB_SERVICE,
  NOTEBOOK_SERVER_LABEL,
  NOTEBOOK_SERVER_PORT,
  NOTEBOOK_SPARK_PORTS,
  JupyterHubNamespace,
  coalesceHelmValues,
  jupyterHubValues,
  jupyterHubValuesProblems,
  type JupyterHubNamespaceProps,
  type JupyterHubTenantProfile,
  type JupyterHubValuesProps,
} from './addons/jupyterhub.js';
/** JupyterHub's authenticators: dummy, GitHub OAuth, any OpenID Connect provider. */
export {
  JUPYTERHUB_OIDC_DEFAULTS,
  type JupyterHubAuth,
  type JupyterHubClientSecretRef,
  type JupyterHubOidcAuth,
} from './addons/jupyterhub-auth.js';
/** JupyterHub in a tenant namespace: the hub's right to spawn servers there, and the servers' NetworkPolicies. */
export {
  JupyterHubNotebookNetworkPolicies,
  JupyterHubSpawnerRbac,
  jupyterHubSpawnerRoleRules,
  type JupyterHubNotebookNetworkPoliciesProps,
  type JupyterHubSpawnerRbacProps,
} from './addons/jupyterhub-tenant.js';
/** JupyterHub behind TLS: the AWS Load Balancer Controller's annotations (NLB or ALB) with an ACM certificate. */
export {
  AWS_LOAD_BALANCER_CONTROLLER,
  JUPYTERHUB_PROXY_PUBLIC,
  TLS_PROXY_SERVICE_TYPE,
  jupyterHubTlsValues,
  type JupyterHubTls,
} from './addons/jupyterhub-tls.js';
/** The values keys written beyond each chart's defaults, with where the chart reads them. */
export { CHART_VALUES_KEYS_BEYOND_DEFAULTS, valuesKeysBeyondDefaults } from './addons/chart-values-keys.js';
/** Add-ons: one Helm release for either engine. */
export { helmRelease, type HelmDelivery, type HelmReleaseProps } from './addons/helm-release.js';
/** Add-ons: Spark History Servers reading the tenants' event logs from S3 (no chart). */
export {
  SPARK_HISTORY_SERVER_DEFAULTS,
  SPARK_HISTORY_UI_PORT,
  SparkHistoryServers,
  sparkHistoryServerSelector,
  type SparkHistoryServerInstance,
  type SparkHistoryServersProps,
} from './addons/spark-history-server.js';
// Add-ons: Prometheus (the prometheus-community chart's values, or PodMonitors for prometheus-operator).
/** What Prometheus scrapes on the Spark platform, and the facts of Spark's pods the scrape relies on. */
export {
  CLIENT_MODE_DRIVER_LABEL,
  KARPENTER_METRICS,
  KUBE_STATE_METRICS,
  SPARK_POD_FACTS,
  TENANT_SERIES_LABEL,
  kubeStateMetricsScrapeConfig,
  metaLabel,
  sparkScrapeConfigs,
  type RelabelConfig,
  type ScrapeConfig,
  type ScrapedTenant,
  type SparkScrapeTargetsProps,
} from './addons/prometheus-targets.js';
/** The Prometheus server: namespace, StorageClass and the pinned chart's values. */
export {
  PROMETHEUS_AUTO_RELOAD,
  PROMETHEUS_CHART,
  PROMETHEUS_CHART_DEFAULT_SCRAPE_JOBS,
  PROMETHEUS_IMAGES,
  PrometheusServer,
  type PrometheusServerProps,
  type PrometheusServiceType,
} from './addons/prometheus-server.js';
/** PodMonitors per tenant and for Karpenter, for prometheus-operator. */
export { SparkPodMonitors, type SparkPodMonitorsProps } from './addons/prometheus-pod-monitors.js';
/** Remote write to Amazon Managed Service for Prometheus (SigV4, IRSA) and its writer's IAM policy. */
export { ampRemoteWrite, type AmpRemoteWrite } from './addons/prometheus-remote-write.js';
/** Observability: Spark's metric names, the series catalog, alert rules and Grafana dashboards. */
export {
  SPARK_DRIVER_SERIES,
  SPARK_EXECUTOR_SERIES,
  SPARK_METRICS_NAMESPACE,
  sparkDriverMetric,
} from './observability/spark-metrics.js';
export {
  KARPENTER_SERIES,
  KUBE_STATE_LABELS_ALLOWLIST,
  KUBE_STATE_SERIES,
  SERIES_JOBS,
  seriesOf,
} from './observability/series.js';
export {
  platformAlertGroups,
  type AlertGroup,
  type AlertRule,
  type PlatformAlertsProps,
} from './observability/alert-rules.js';
export {
  grafanaDashboardJson,
  platformDashboards,
  type Dashboard,
  type DashboardPanel,
} from './observability/dashboards.js';
export {
  GRAFANA_DASHBOARD_LABEL,
  PlatformObservability,
  type PlatformObservabilityProps,
} from './observability/platform-observability.js';
/** Release values checked against a chart's own values schema, vendored at the pinned version. */
/** NVIDIA's device plugin on the GPU capacity classes' nodes (self-managed Karpenter; Auto Mode has its own). */
export {
  NVIDIA_DEVICE_PLUGIN_CHART,
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NVIDIA_GPU_RESOURCE,
  nvidiaDevicePluginHelmValues,
  nvidiaDevicePluginPoolMisfit,
  type NvidiaDevicePluginProps,
  type NvidiaDevicePluginValues,
} from './addons/nvidia-device-plugin.js';
export {
  HelmValuesError,
  helmValuesProblems,
  vendoredHelmValuesUrl,
  type HelmValuesProblem,
} from './addons/helm-values.js';
export {
  YUNIKORN_CHART,
  YUNIKORN_IMAGES,
  YUNIKORN_SCHEDULER_NAME,
  yunikornHelmValues,
  type YunikornProps,
  type YunikornValues,
} from './yunikorn/yunikorn-chart.js';
export {
  YUNIKORN_TENANTS_QUEUE,
  tenantQueueName,
  yunikornConfigProblems,
  yunikornQueueConfig,
  type TenantQueue,
  type YunikornOrdering,
  type YunikornQueue,
  type YunikornSchedulerConfig,
} from './yunikorn/queue-config.js';
export {
  SPARK_TASK_GROUP_NAMES,
  YUNIKORN_QUEUE_LABEL,
  YUNIKORN_TASK_GROUPS_ANNOTATION,
  YUNIKORN_TASK_GROUP_NAME_ANNOTATION,
  sparkTaskGroups,
  type GangPodSize,
  type YunikornTaskGroup,
} from './yunikorn/task-groups.js';
