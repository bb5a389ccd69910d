import { compiledValidators, type ValidatorSource } from '@emr-eks-gitops/core';
import type { ValidateFunction } from 'ajv';
import { EnvironmentSchema } from './schema.js';

/**
 * The environment schema's validator, compiled at build time (core's compiledValidators). No `useDefaults`: validation
 * and the semantics rules read the file as written; resolveEnvironment applies defaults.
 */
export const ENVIRONMENT_VALIDATOR: ValidatorSource<'environment'> = {
  file: new URL('./environment.validator.cjs', import.meta.url),
  options: { allErrors: true, verbose: true, strict: true, allowUnionTypes: true },
  schemas: { environment: EnvironmentSchema },
  exports: { environment: EnvironmentSchema.$id ?? 'environment' },
};

export const validateEnvironment: ValidateFunction = compiledValidators(ENVIRONMENT_VALIDATOR)('environment');
