import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { EnvironmentSchema } from './schema.js';

// The environment schema's validator. ajv compiling it costs some 150 ms, in every process and worker thread that
// loads a file (a tenth of `render --check` on the committed environments), so the build compiles it once into
// JavaScript (scripts/compile-validators.mjs, ajv's standalone code) beside this module. That code is used only
// when it was generated from this very schema; otherwise (run from the TypeScript sources, or a stale build) ajv
// compiles the schema here, as it always did. Both are the same ajv with the same options: the same errors.

/** No `useDefaults`: validation and the semantics rules read the file as written; resolveEnvironment applies defaults. */
export const ENVIRONMENT_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

/** The build's standalone validator (CommonJS, as ajv writes it), in dist/ only. */
export const PRECOMPILED_VALIDATOR = new URL('./environment-validator.cjs', import.meta.url);

/** Fingerprint of the schema a validator was compiled from. */
export function environmentSchemaHash(): string {
  return createHash('sha256').update(JSON.stringify(EnvironmentSchema)).digest('hex');
}

interface PrecompiledValidator {
  readonly schemaHash: string;
  readonly validate: ValidateFunction;
}

/** The validator in `precompiled` if it was compiled from this schema, else one ajv compiles now. */
export function environmentValidator(precompiled: URL = PRECOMPILED_VALIDATOR): ValidateFunction {
  const file = fileURLToPath(precompiled);
  if (existsSync(file)) {
    const precompiled = createRequire(import.meta.url)(file) as PrecompiledValidator;
    if (precompiled.schemaHash === environmentSchemaHash()) return precompiled.validate;
  }
  return new Ajv(ENVIRONMENT_AJV_OPTIONS).compile(EnvironmentSchema);
}

export const validateEnvironment: ValidateFunction = environmentValidator();
