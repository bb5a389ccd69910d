import { Ajv, type ValidateFunction } from 'ajv';
import type { ModelClass } from './catalog.js';
import { structuralSchema } from './structural.js';

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
