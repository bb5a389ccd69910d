import type { ValidateFunction } from 'ajv';
import { compiledValidators, type ValidatorSource } from '../../primitives/compiled-validators.js';
import { structuralSchema } from './structural.js';

/** The CRDs under `schemas/` that crdModel validates: the build compiles each (crdModelValidatorSource). */
export const CRD_MODEL_FILES = ['crds/vpcresources.k8s.aws/securitygrouppolicy_v1beta1.json'] as const;
export type CrdModelFile = (typeof CRD_MODEL_FILES)[number];

/** A CRD's structural schema as crdModel checks objects against it. */
export function crdModelValidatorSource(file: CrdModelFile): ValidatorSource<'crd'> {
  return {
    file: new URL(
      `./crd-${file.replace(/^crds\/|\.json$/g, '').replace(/[^A-Za-z0-9.]+/g, '-')}.validator.cjs`,
      import.meta.url,
    ),
    options: { strict: false, allErrors: true },
    schemas: { crd: structuralSchema({ file }).document },
    exports: { crd: 'crd' },
  };
}

/** A kubernetes-models class: its `validate()` throws an ajv-style ValidationError listing every violation. */
export type ModelClass = new (data: never) => { validate(): void };

/**
 * A validator class, shaped like kubernetes-models' classes, for a CRD whose JSON Schema is bundled under `schemas/`
 * but that no kubernetes-models package covers: `validate()` throws an error carrying ajv's errors.
 */
export function crdModel(file: CrdModelFile): ModelClass {
  let validate: ValidateFunction | undefined;
  return class {
    constructor(private readonly data: unknown) {}

    validate(): void {
      validate ??= compiledValidators(crdModelValidatorSource(file))('crd');
      if (!validate(this.data)) throw Object.assign(new Error(`${file}: invalid`), { errors: validate.errors ?? [] });
    }
  };
}
