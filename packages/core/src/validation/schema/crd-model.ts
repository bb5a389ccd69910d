import { Ajv, type ValidateFunction } from 'ajv';
import { structuralSchema } from './structural.js';

/** A kubernetes-models class: its `validate()` throws an ajv-style ValidationError listing every violation. */
export type ModelClass = new (data: never) => { validate(): void };

/**
 * A validator class, shaped like kubernetes-models' classes, for a CRD whose JSON Schema is bundled under `schemas/`
 * but that no kubernetes-models package covers: `validate()` throws an error carrying ajv's errors.
 */
export function crdModel(file: string): ModelClass {
  let validate: ValidateFunction | undefined;
  return class {
    constructor(private readonly data: unknown) {}

    validate(): void {
      validate ??= new Ajv({ strict: false, allErrors: true }).compile(structuralSchema({ file }).document);
      if (!validate(this.data)) throw Object.assign(new Error(`${file}: invalid`), { errors: validate.errors ?? [] });
    }
  };
}
