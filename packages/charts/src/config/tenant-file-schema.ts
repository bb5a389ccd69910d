import { TenantSchema } from './schema.js';

type JsonSchema = { [key: string]: unknown };

/**
 * The JSON Schema of a tenant file for editors, as written to environments/tenants/schema.json. `base` holds tenant
 * settings (any of them: the loader checks each environment's composition in full), each `environments.<env>` a JSON
 * Merge Patch over it, where `null` removes a setting.
 */
export function tenantFileSchemaJson(): string {
  const tenant = JSON.parse(JSON.stringify(TenantSchema)) as JsonSchema;
  const properties = { ...(tenant.properties as Record<string, JsonSchema>) };
  delete properties.name;
  const settings = { ...tenant, properties };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://emr-eks-gitops.dev/schema/tenant.json',
    title: 'emr-eks-gitops tenant',
    description:
      'One tenant defined once (environments/tenants/<tenant>.yaml; the file name is the tenant name): base is what it is everywhere, environments lists the environments it is placed in, each with what differs there (JSON Merge Patch, RFC 7386: mappings merge key by key, null removes a key, lists and scalars replace).',
    type: 'object',
    additionalProperties: false,
    required: ['base', 'environments'],
    properties: {
      base: {
        ...patchSchema(settings, false),
        description: "the tenant's settings in every environment it is placed in",
      },
      environments: {
        type: 'object',
        minProperties: 1,
        description:
          'the environments the tenant is placed in (environments/<env>.yaml), each with its overrides ({} for none)',
        additionalProperties: { anyOf: [patchSchema(settings, true), { type: 'null' }] },
      },
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** `schema` with no field required at any depth of mappings (a patch names only what it changes); with `nulls`, any field may be null. */
function patchSchema(schema: JsonSchema, nulls: boolean): JsonSchema {
  if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null) return schema;
  const { required: _required, ...rest } = schema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties as Record<string, JsonSchema>).map(([key, value]) => {
      const patched = patchSchema(value, nulls);
      return [key, nulls ? { anyOf: [patched, { type: 'null' }] } : patched];
    }),
  );
  return { ...rest, properties };
}
