import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvironmentSchema } from '../src/index.js';
import {
  ENVIRONMENT_AJV_OPTIONS,
  environmentSchemaHash,
  environmentValidator,
} from '../src/environment/validate-environment.js';
import { committedEnvironmentText } from './committed-environments.js';

/**
 * The build compiles the environment schema's validator into JavaScript (scripts/compile-validators.mjs), so that
 * loading a file does not compile it in every process. It must be the validator ajv would compile: same verdicts,
 * same errors (the messages users read are made from them), and it must never be used for another schema.
 */

const built = new URL('../dist/environment/environment-validator.cjs', import.meta.url);
const precompiled = createRequire(import.meta.url)(built.pathname) as {
  readonly schemaHash: string;
  readonly validate: ValidateFunction;
};
const compiled = new Ajv(ENVIRONMENT_AJV_OPTIONS).compile(EnvironmentSchema);

/** Committed environments and broken variants of them: each kind of schema error the loader phrases. */
function samples(): { readonly name: string; readonly value: unknown }[] {
  const environments = ['dev', 'staging', 'prod', 'sandbox', 'global'].map((name) => ({
    name,
    value: parse(committedEnvironmentText(name)),
  }));
  const broken = (name: string, edit: (file: any) => void) => {
    const value = parse(committedEnvironmentText('staging'));
    edit(value);
    return { name, value };
  };
  return [
    ...environments,
    broken('wrong type', (f) => {
      f.tenants[0].quota.cpu = 'many';
    }),
    broken('unknown property', (f) => {
      f.tenants[0].spark.jobsize = {};
    }),
    broken('enum', (f) => {
      f.capacity.backend = 'fargate';
    }),
    broken('required', (f) => {
      delete f.spark;
    }),
    broken('pattern', (f) => {
      f.tenants[0].namespace = 'Spark_Data';
    }),
    broken('several at once', (f) => {
      f.cluster.region = 7;
      f.tenants[1].executionRoleArn = 'role';
      f.delivery = { engine: 'helm' };
    }),
  ];
}

const asData = (errors: unknown) => JSON.parse(JSON.stringify(errors ?? null));

describe("the environment schema's validator compiled at build time", () => {
  it('is in the build and carries the fingerprint of the schema the charts package exports', () => {
    expect(precompiled.schemaHash).toBe(environmentSchemaHash());
    expect(environmentValidator(built)).toBe(precompiled.validate);
  });

  it('gives the verdicts and errors ajv gives compiling the schema, on valid and broken environments', () => {
    const cases = samples();
    expect(cases.filter(({ value }) => !compiled(value)).length).toBe(6);
    for (const { name, value } of cases) {
      const verdict = compiled(value);
      expect(precompiled.validate(value), name).toBe(verdict);
      // As data (the loader reads the errors' fields; TypeBox's symbol keys on the schemas are not in the build's copy).
      expect(asData(precompiled.validate.errors), name).toEqual(asData(compiled.errors));
    }
  });

  it('is not used when it was compiled from another schema: ajv compiles this one instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emr-gitops-validator-'));
    try {
      const stale = join(dir, 'environment-validator.cjs');
      writeFileSync(stale, 'exports.validate = () => true;\nexports.schemaHash = "another schema";\n');
      const validate = environmentValidator(pathToFileURL(stale));
      expect(validate({ tenants: 'none' })).toBe(false);
      expect(environmentValidator(pathToFileURL(join(dir, 'absent.cjs')))({ tenants: 'none' })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
