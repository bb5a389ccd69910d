import { Type, type Static, type TObject } from '@sinclair/typebox';
import { DnsLabel, Quantity, Resources, RoleArn, StringEnum, strictObject } from './schema-types.js';
import { CapacitySchema, SparkPlatformSchema, TenantSparkSchema } from './capacity-schema.js';
import { EnvironmentNetworkSchema, TenantNetworkSchema, TenantServiceAccountSchema } from './tenant-access-schema.js';
import { DeliverySchema } from './delivery-schema.js';
import { EnvironmentFargateSchema, TenantFargateSchema } from './fargate-schema.js';
import { TenantQueueSchema } from './yunikorn-schema.js';
import { EnvironmentCostAllocationSchema, TenantCostAllocationSchema } from './cost-schema.js';
import {
  FLEET_CLUSTER_DESCRIPTION,
  TenantPlacementSchema,
  clusterOverrideSchemas,
  withoutDefaults,
  type Override,
} from './fleet-schema.js';

// One schema is the source of the TypeScript type (Static<>), of ajv's validation and of environments/schema.json.
// Its `addons:` section is the add-ons' (addons/index.ts assembles it from the add-on list; environment/schema.ts the whole).

export const ClusterSchema = strictObject(
  {
    name: Type.String({
      pattern: '^[0-9A-Za-z][A-Za-z0-9_-]*$',
      minLength: 1,
      maxLength: 100,
      description:
        'EKS cluster name: letters, digits, "-" and "_", starting with a letter or digit, at most 100 characters',
    }),
    region: Type.String({
      pattern: '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$',
      description: 'AWS region of the cluster, e.g. ap-northeast-2',
    }),
    accountId: Type.String({
      pattern: '^[0-9]{12}$',
      description: 'AWS account id of the cluster: 12 digits, quoted (e.g. "123456789012") so YAML keeps leading zeros',
    }),
    partition: Type.Optional(
      StringEnum(['aws', 'aws-cn', 'aws-us-gov'], {
        default: 'aws',
        description: 'AWS partition: aws, aws-cn or aws-us-gov',
      }),
    ),
    kubernetesVersion: Type.String({
      pattern: '^1\\.[0-9]{2}$',
      description:
        'Kubernetes version of the cluster, quoted as "1.<minor>" (e.g. "1.30"; unquoted 1.30 is the number 1.3)',
    }),
    oidcIssuer: Type.String({
      pattern: '^https://oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/id/[0-9A-F]{8,40}$',
      description:
        'OIDC issuer URL of the cluster, as `aws eks describe-cluster` prints it: https://oidc.eks.<region>.amazonaws.com/id/<ID>',
    }),
    identity: Type.Optional(
      StringEnum(['irsa', 'pod-identity'], {
        default: 'irsa',
        description:
          'How pods get their IAM roles (job execution roles, notebook and History Server accounts): "irsa" (the service account annotation and a trust statement per cluster and namespace) or "pod-identity" (EKS Pod Identity associations, which emr apply manages, and one trust statement for pods.eks.amazonaws.com; EMR 7.3.0 or later, not on Fargate, the eks-pod-identity-agent add-on on self-managed capacity). Switching is this one line and emr apply',
      }),
    ),
    emrAccess: StringEnum(['aws-auth', 'access-entry'], {
      description:
        'How EMR on EKS gets into the cluster: "aws-auth" (this project renders the emr-containers Role and RoleBinding per tenant) or "access-entry" (EKS 1.23+ with authenticationMode API or API_AND_CONFIG_MAP; EMR creates its own access entry and RBAC)',
    }),
  },
  'The EKS cluster of this environment',
);

export const TenantSchema = strictObject(
  {
    name: DnsLabel(
      'tenant name, also the EMR virtual cluster name: a DNS-1123 label (lowercase letters, digits, "-"; at most 63 characters)',
    ),
    namespace: DnsLabel(
      'Kubernetes namespace of the tenant: a DNS-1123 label (lowercase letters, digits, "-"; at most 63 characters)',
    ),
    description: Type.Optional(
      Type.String({ maxLength: 256, description: 'what the team does, for people reading the output' }),
    ),
    quota: strictObject(
      {
        cpu: Quantity('total CPU requests of the namespace: a Kubernetes quantity such as 64 or "64"'),
        memory: Quantity('total memory requests and limits of the namespace: a Kubernetes quantity such as "256Gi"'),
        pods: Type.Integer({
          minimum: 1,
          maximum: 100000,
          description: 'how many pods may exist at once: a whole number from 1',
        }),
        storage: Quantity(
          'total storage of the namespace\'s PersistentVolumeClaims: a Kubernetes quantity such as "1Ti"',
        ),
      },
      'ResourceQuota of the tenant namespace',
    ),
    containerDefaults: strictObject(
      {
        default: strictObject(
          {
            cpu: Type.Optional(
              Quantity(
                'CPU limit of a container that sets none; leave it out in Spark namespaces (Spark sets no CPU limit, so this one would cap every driver and executor): Kubernetes then uses max.cpu',
              ),
            ),
            memory: Quantity(
              'memory limit of a container that sets none (EMR\'s logging and the custom-code containers): a Kubernetes quantity such as "4Gi"',
            ),
          },
          'limits of a container that sets none',
        ),
        defaultRequest: Resources('requests of a container that sets none'),
        max: Type.Optional(Resources('limits one container may set at most')),
      },
      'LimitRange of the tenant namespace',
    ),
    executionRoleArn: RoleArn('IAM role EMR jobs of this tenant run as'),
    releaseLabel: Type.String({
      pattern: '^emr-[0-9]+\\.[0-9]+\\.[0-9]+(-java[0-9]+)?-(latest|[0-9]{8})$',
      description: "EMR release label of the tenant's jobs, e.g. emr-7.2.0-latest or emr-6.15.0-20240105",
    }),
    network: Type.Optional(TenantNetworkSchema),
    serviceAccounts: Type.Optional(
      Type.Array(TenantServiceAccountSchema, { description: 'ServiceAccounts to create in the tenant namespace' }),
    ),
    spark: Type.Optional(TenantSparkSchema),
    fargate: Type.Optional(TenantFargateSchema),
    queue: Type.Optional(TenantQueueSchema),
    costAllocation: Type.Optional(TenantCostAllocationSchema),
    identity: Type.Optional(
      StringEnum(['irsa', 'pod-identity'], {
        description:
          "this tenant's identity where it differs from cluster.identity, e.g. irsa for a Fargate tenant (Pod Identity does not reach Fargate) or for a release before emr-7.3.0",
      }),
    ),
    clusters: Type.Optional(TenantPlacementSchema),
    promotion: Type.Optional(
      strictObject(
        {
          hotfix: Type.String({
            minLength: 1,
            maxLength: 256,
            description:
              'why this tenant may run a release label or image the environment before this one (promotion.from) never rendered, e.g. "INC-1234: CVE fix, straight to prod"; the promotion-order rule then warns instead of refusing',
          }),
        },
        "how this tenant's release was promoted, where it skips the environment before this one",
      ),
    ),
    retired: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'true: the first step of removing the tenant. Its namespace and objects stay rendered but are never pruned by Flux or Argo CD, its Spark artifacts are no longer rendered, and emr plan shows its virtual cluster for deletion (emr destroy --tenant); remove the entry in a later commit',
      }),
    ),
  },
  'A team: one namespace, registered with EMR as one virtual cluster',
);

export const ProductionSchema = Type.Boolean({
  default: false,
  description:
    'true for a production environment: validation also refuses dummy notebook authentication and @latest AMIs',
});

/** `clusters[]`: a cluster as `cluster:` describes one, and what differs there from the environment's sections (the add-ons' too). */
export const fleetClusterSchema = <Addons extends TObject>(addons: Addons) =>
  Type.Object(
    {
      ...(withoutDefaults(ClusterSchema.properties) as typeof ClusterSchema.properties),
      ...clusterOverrideSchemas(addons),
    },
    { additionalProperties: false, description: FLEET_CLUSTER_DESCRIPTION },
  );

/** The environment file's schema around its `addons:` section, which the add-on list gives (environment/schema.ts). */
export const environmentSchema = <Addons extends TObject>(addons: Addons) =>
  Type.Object(
    {
      production: Type.Optional(ProductionSchema),
      promotion: Type.Optional(
        strictObject(
          {
            from: DnsLabel(
              "the environment before this one in the promotion chain (e.g. staging for prod): what this environment's tenants run must have been rendered there first (the promotion-order rule), and `emr-gitops promote --from` it carries tenants here",
            ),
          },
          "where this environment's releases come from",
        ),
      ),
      cluster: Type.Optional(ClusterSchema),
      clusters: Type.Optional(
        Type.Array(fleetClusterSchema(addons), {
          minItems: 2,
          description:
            'instead of cluster: the EKS clusters of an environment that spans several (regions or shards), each rendered into dist-manifests/<env>/<name>/ with its own wiring and capacity; tenants choose theirs with tenants[].clusters',
        }),
      ),
      capacity: CapacitySchema,
      spark: SparkPlatformSchema,
      network: Type.Optional(EnvironmentNetworkSchema),
      fargate: Type.Optional(EnvironmentFargateSchema),
      delivery: Type.Optional(DeliverySchema),
      addons: Type.Optional(addons),
      costAllocation: Type.Optional(EnvironmentCostAllocationSchema),
      // At least one after composition: written here, or placed here by environments/tenants/<tenant>.yaml.
      tenants: Type.Array(TenantSchema, { minItems: 1, description: 'The teams sharing the cluster, at least one' }),
    },
    {
      $id: 'https://emr-eks-gitops.dev/schema/environment.json',
      title: 'emr-eks-gitops environment',
      description:
        'One environment (EKS cluster) of the Spark platform. The file name (without .yaml) is the environment name.',
      additionalProperties: false,
    },
  );

/**
 * The `addons:` section as written. Each add-on's schema file adds its key to this interface (`declare module`), so
 * the type knows every add-on while this layer imports none of them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: each add-on adds its key by declaration merging, so this must stay an interface
export interface AddonsConfig {}

/** The environment file as written (optional fields may be missing). */
export type EnvironmentFile = Omit<
  Static<ReturnType<typeof environmentSchema<TObject<Record<never, never>>>>>,
  'addons'
> & { addons?: AddonsConfig };
export type ClusterConfig = Static<typeof ClusterSchema>;
export type TenantConfig = Static<typeof TenantSchema>;
/** `clusters[]` as written: a cluster, and its overrides of the environment's sections (its add-ons' as the add-ons type them). */
export type FleetClusterConfig = Omit<
  Static<ReturnType<typeof fleetClusterSchema<TObject<Record<never, never>>>>>,
  'addons'
> & { addons?: Override<AddonsConfig> };
