import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledValidators, sourceAjv, validatorFingerprint, type ValidatorSource } from '../src/index.js';

// The mechanism alone, on a small source: the build's code is used when its fingerprint is the source's, and ajv
// compiles the source when the file is absent, stale or names no such validator. (charts' validators.test.ts holds
// every real source's build output to what ajv compiles.)

const standaloneCode = createRequire(import.meta.url)('ajv/dist/standalone').default as (
  ajv: unknown,
  exports: Record<string, string>,
) => string;

// Below the package, as a build's files are: their code requires ajv's runtime, which resolves from the package.
const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'emr-gitops-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schemas = {
  pod: {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string', maxLength: 5 }, size: { $ref: '#/definitions/Size' } },
    additionalProperties: false,
    definitions: { Size: { enum: ['small', 'large'] } },
  },
};

function source(file: string, edit: Partial<ValidatorSource<'pod' | 'size'>> = {}): ValidatorSource<'pod' | 'size'> {
  return {
    file: pathToFileURL(join(dir, file)),
    options: { allErrors: true, strict: true },
    schemas,
    exports: { pod: 'pod', size: 'pod#/definitions/Size' },
    ...edit,
  };
}

/** Writes what the build writes for `of`, under `file`, with the fingerprint given (the source's by default). */
function build(of: ValidatorSource, fingerprint = validatorFingerprint(of)): void {
  const code = standaloneCode(sourceAjv(of, { code: { source: true } }), of.exports);
  writeFileSync(of.file, `${code}\nexports.fingerprint = ${JSON.stringify(fingerprint)};\n`);
}

const requireBuilt = (of: ValidatorSource) => createRequire(import.meta.url)(fileURLToPath(of.file));

describe('validators compiled at build time', () => {
  it("are the build's when its fingerprint is the source's, each export under its name", () => {
    const built = source('fresh.validator.cjs');
    build(built);
    const validator = compiledValidators(built);
    expect(validator('pod')).toBe(requireBuilt(built).pod);
    expect(validator('size')).toBe(requireBuilt(built).size);
    expect(validator('pod')).toBe(validator('pod'));
    expect(validator('pod')({ name: 'toolong', size: 'huge', extra: 1 })).toBe(false);
    expect(
      validator('pod')
        .errors?.map((error) => error.keyword)
        .sort(),
    ).toEqual(['additionalProperties', 'enum', 'maxLength']);
    expect(validator('size')('large')).toBe(true);
  });

  it('are compiled by ajv when the build wrote them from other schemas, options or exports, or not at all', () => {
    const stale = source('stale.validator.cjs');
    build(stale, 'another source');
    const absent = source('absent.validator.cjs');
    const changed = source('changed.validator.cjs');
    build({ ...changed, options: { allErrors: false, strict: true } });
    // A file that does not load (a build interrupted while writing it) is no reason to fail either.
    const truncated = source('truncated.validator.cjs');
    writeFileSync(truncated.file, '"use strict";exports.pod = function validate10(data, {instancePath=""');
    expect(() => requireBuilt(truncated)).toThrow(SyntaxError);
    for (const of of [stale, absent, changed, truncated]) {
      const validate = compiledValidators(of)('pod');
      if (of === stale || of === changed) expect(validate).not.toBe(requireBuilt(of).pod);
      expect(validate({ name: 'toolong', size: 'huge' })).toBe(false);
      expect(validate.errors).toHaveLength(2); // allErrors, as the source states
    }
  });

  it('fingerprint the schemas, the options and the exports, and refuse options that are not plain data', () => {
    const base = validatorFingerprint(source('a.cjs'));
    expect(validatorFingerprint(source('elsewhere.cjs'))).toBe(base);
    expect(validatorFingerprint(source('a.cjs', { options: { allErrors: false } }))).not.toBe(base);
    expect(validatorFingerprint(source('a.cjs', { exports: { pod: 'pod', size: 'pod' } }))).not.toBe(base);
    expect(validatorFingerprint(source('a.cjs', { schemas: { pod: { type: 'object' } } }))).not.toBe(base);
    const withFormat = source('a.cjs', { options: { formats: { size: /^(small|large)$/ } } });
    expect(() => validatorFingerprint(withFormat)).toThrow(/ajv options of .*a\.cjs are not plain data/);
  });

  it('name a reference that holds no schema', () => {
    const missing = source('missing.validator.cjs', { exports: { pod: 'pod', size: 'pod#/definitions/Weight' } });
    expect(() => compiledValidators(missing)('size')).toThrow(
      /no schema at pod#\/definitions\/Weight for validator size/,
    );
  });
});
