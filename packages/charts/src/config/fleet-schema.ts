import { Type, type Static, type TObject, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { CapacitySchema } from './capacity-schema.js';
import { EnvironmentNetworkSchema } from './tenant-access-schema.js';

// An environment spanning several EKS clusters (regions or shards): `clusters:` instead of `cluster:`. Each entry is
// a cluster as `cluster:` describes one, plus what differs there from the environment's sections (a region's
// interruption queue, controller role, VPC endpoints, certificate). Everything else is the environment's.

/**
 * The same schema with every object's fields optional, recursively: an override names only what differs. Arrays and
 * scalars are replaced whole, so their items keep their own schema.
 */
export function overrideOf<T extends TSchema>(schema: T): TUnsafe<Override<Static<T>>> {
  return Type.Unsafe<Override<Static<T>>>(optionalFields(schema));
}

/** A value's type with every object field optional, recursively; lists stay whole. */
export type Override<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Override<T[K]> } : T;

function optionalFields(schema: TSchema): TSchema {
  const node = schema as TSchema & {
    properties?: Record<string, TSchema>;
    required?: string[];
    items?: TSchema;
    anyOf?: TSchema[];
    oneOf?: TSchema[];
  };
  const copy: Record<string | symbol, unknown> = { ...node };
  delete copy.required;
  // A field an override leaves out is the environment's, never the schema's default (resolve.ts applies those once).
  delete copy.default;
  if (node.properties)
    copy.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, value]) => [key, optionalFields(value)]),
    );
  // A list is replaced whole: its entries keep their required fields; their defaults are declared in the environment's section.
  if (node.items) copy.items = withoutAnyDefault(node.items);
  if (node.anyOf) copy.anyOf = node.anyOf.map(optionalFields);
  if (node.oneOf) copy.oneOf = node.oneOf.map(optionalFields);
  return copy as unknown as TSchema;
}

/** The schema without a `default` anywhere in it. */
function withoutAnyDefault(schema: TSchema): TSchema {
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string | symbol, unknown> = { ...schema };
  delete copy.default;
  for (const [key, value] of Object.entries(copy)) {
    if (key === 'properties' && value && typeof value === 'object') {
      copy.properties = Object.fromEntries(
        Object.entries(value as Record<string, TSchema>).map(([name, field]) => [name, withoutAnyDefault(field)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object') {
      copy[key] = withoutAnyDefault(value as TSchema);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      copy[key] = value.map((entry) => withoutAnyDefault(entry as TSchema));
    }
  }
  return copy as unknown as TSchema;
}

/**
 * A cluster's own fields as `cluster:` declares them, without their `default`: `cluster:` declares each default once,
 * and each cluster's view is resolved with it (resolve.ts).
 */
export function withoutDefaults(properties: Record<string, TSchema>): Record<string, TSchema> {
  return Object.fromEntries(
    Object.entries(properties).map(([key, value]) => {
      const { default: _default, ...rest } = value as TSchema & { default?: unknown };
      return [key, rest as TSchema];
    }),
  );
}

/** The sections a cluster may override, merged field by field over the environment's. */
export const CLUSTER_OVERRIDE_SECTIONS = ['capacity', 'network', 'addons'] as const;
export type ClusterOverrideSection = (typeof CLUSTER_OVERRIDE_SECTIONS)[number];

/** What a cluster may set differently from the environment's sections (`addons`: the add-on list's section, environment/schema.ts). */
export const clusterOverrideSchemas = <Addons extends TObject>(addons: Addons) => ({
  capacity: Type.Optional(
    overrideOf(
      Type.Object(CapacitySchema.properties, {
        additionalProperties: false,
        description:
          "capacity settings of this cluster where they differ from the environment's capacity (e.g. controller.interruptionQueue and controller.roleArn of its region, smaller limits); objects are merged field by field, lists replaced",
      }),
    ),
  ),
  network: Type.Optional(
    overrideOf(
      Type.Object(EnvironmentNetworkSchema.properties, {
        additionalProperties: false,
        description:
          "network settings of this cluster where they differ (its VPC's interface endpoint subnets, its region's S3 prefix list CIDRs); merged like capacity",
      }),
    ),
  ),
  addons: Type.Optional(
    overrideOf(
      Type.Object(addons.properties, {
        additionalProperties: false,
        description:
          'add-on settings of this cluster where they differ (e.g. jupyterhub.tls.certificateArn: ACM certificates are regional); merged like capacity',
      }),
    ),
  ),
});

export const FLEET_CLUSTER_DESCRIPTION =
  'One EKS cluster of the environment: its name, region, account, OIDC issuer, version and EMR access as cluster: has them, and the capacity, network and add-on settings that differ there. It renders into dist-manifests/<env>/<name>/';

/** `tenants[].clusters`: where the tenant runs. */
export const TenantPlacementSchema = Type.Array(
  Type.String({ pattern: '^[0-9A-Za-z][A-Za-z0-9_-]*$', description: 'a name from clusters[].name' }),
  {
    minItems: 1,
    uniqueItems: true,
    description:
      'only with clusters: the clusters (clusters[].name) this tenant runs on: its namespace and virtual cluster exist on each (default: every cluster of the environment)',
  },
);

/** `delivery.argocd.progressiveSync`: the ApplicationSet's RollingSync, only when asked (a beta feature behind a flag). */
export const ProgressiveSyncSchema = Type.Object(
  {
    steps: Type.Array(
      Type.Array(Type.String({ pattern: '^[0-9A-Za-z][A-Za-z0-9_-]*$', description: 'a name from clusters[].name' }), {
        minItems: 1,
        uniqueItems: true,
      }),
      {
        minItems: 1,
        description:
          'clusters synced together, step by step: each step waits until every cluster of the step before is Healthy, e.g. [[spark-a], [spark-b, spark-c]]; every cluster in exactly one step',
      },
    ),
    maxUpdate: Type.Optional(
      Type.String({
        pattern: '^([1-9][0-9]*|[1-9][0-9]?%|100%)$',
        description: 'how many clusters of a step sync at once: a number or a percentage such as 50% (default all)',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "only for an environment with clusters: the ApplicationSet's RollingSync strategy (Argo CD progressive syncs, beta since 3.3; the ApplicationSet controller needs --enable-progressive-syncs, and it turns automated sync off on the Applications it generates, syncing them itself step by step)",
  },
);

export type ProgressiveSyncConfig = Static<typeof ProgressiveSyncSchema>;
