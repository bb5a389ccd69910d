import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { compiledValidators, type ValidatorSource } from '../../primitives/compiled-validators.js';

const SCHEMA = new URL('../../../schemas/crds/eks.amazonaws.com/nodeclass_v1.json', import.meta.url);
let validator: ValidateFunction | undefined;

/** The vendored NodeClass CRD schema; the build compiles it (compiledValidators). */
export function eksNodeClassValidatorSource(): ValidatorSource<'nodeClass'> {
  return {
    file: new URL('./eks-node-class.validator.cjs', import.meta.url),
    // Kubernetes schemas use OpenAPI keywords (x-kubernetes-*, int64 formats) that strict mode would refuse.
    options: { strict: false, allErrors: true, validateFormats: false, logger: false },
    schemas: { nodeClass: JSON.parse(readFileSync(SCHEMA, 'utf8')) as object },
    exports: { nodeClass: 'nodeClass' },
  };
}

/**
 * EKS Auto Mode's NodeClass checked against the vendored CRD schema, in the shape of a kubernetes-models class (no
 * package models this CRD): `validate()` throws an object whose `errors` are ajv's.
 */
export class EksNodeClassModel {
  constructor(private readonly data: unknown) {}

  validate(): void {
    validator ??= compiledValidators(eksNodeClassValidatorSource())('nodeClass');
    if (!validator(this.data))
      throw Object.assign(new Error('NodeClass does not match its schema'), { errors: validator.errors ?? [] });
  }
}
