import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMA = new URL('../../../schemas/crds/eks.amazonaws.com/nodeclass_v1.json', import.meta.url);
let validator: ValidateFunction | undefined;

/**
 * EKS Auto Mode's NodeClass checked against the vendored CRD schema, in the shape of a kubernetes-models class (no
 * package models this CRD): `validate()` throws an object whose `errors` are ajv's.
 */
export class EksNodeClassModel {
  constructor(private readonly data: unknown) {}

  validate(): void {
    // Kubernetes schemas use OpenAPI keywords (x-kubernetes-*, int64 formats) that strict mode would refuse.
    validator ??= new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false }).compile(
      JSON.parse(readFileSync(SCHEMA, 'utf8')) as object,
    );
    if (!validator(this.data))
      throw Object.assign(new Error('NodeClass does not match its schema'), { errors: validator.errors ?? [] });
  }
}
