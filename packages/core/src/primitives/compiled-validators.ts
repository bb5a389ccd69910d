import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type Options, type ValidateFunction } from 'ajv';

// JSON-schema validators compiled once, at build time. ajv compiling a schema costs tens to hundreds of milliseconds,
// in every process and worker thread that checks a document (some 300 ms of the 1.9 s `render --check` of the committed
// environments went to it), so the build writes each source's validators as JavaScript (ajv's standalone code,
// scripts/compile-validators.mjs) to its `file`, beside the module that uses it. That code is used only when it was
// compiled from the very schemas, options and exports the module states now (its fingerprint); otherwise (run from
// the TypeScript sources, or a stale build) ajv compiles them here, as it always did. Same ajv, same options: the
// same verdicts and the same errors.

/** Schemas and the validators to make of them: what a module validates with, in a form the build can compile. */
export interface ValidatorSource<Name extends string = string> {
  /** Where the build writes the compiled code: `new URL('./<name>.validator.cjs', import.meta.url)`. */
  readonly file: URL;
  /** ajv's options, plain data (they are part of the fingerprint). */
  readonly options: Options;
  /** The schemas, by the key a reference may name when the schema has no `$id` of its own. */
  readonly schemas: Readonly<Record<string, object>>;
  /** Each validator's schema reference: a key, an `$id`, or either with a `#/definitions/...` fragment. */
  readonly exports: Readonly<Record<Name, string>>;
}

/** What the build writes: the validators under their names, and the fingerprint of the source they came from. */
interface BuiltValidators {
  readonly fingerprint?: string;
  readonly [name: string]: ValidateFunction | string | undefined;
}

/** The ajv that compiles and whose runtime the build's code requires: its version is part of the fingerprint. */
const AJV_VERSION = (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version;

/**
 * Identifies a source's schemas, options and exports, and the ajv version: the build's code is used only for the same
 * fingerprint. Options must be plain data (a function or RegExp would not be told apart).
 */
export function validatorFingerprint(source: ValidatorSource): string {
  const { options, schemas, exports } = source;
  const text = JSON.stringify({ ajv: AJV_VERSION, options, schemas, exports });
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(options)), options))
    throw new Error(`ajv options of ${source.file.href} are not plain data: a build could not be told apart by them`);
  return createHash('sha256').update(text).digest('hex');
}

/** An ajv holding the source's schemas (the build passes `code: { source: true }` to write them out). */
export function sourceAjv(source: ValidatorSource, extra: Options = {}): Ajv {
  const ajv = new Ajv({ ...source.options, ...extra });
  for (const [key, schema] of Object.entries(source.schemas)) ajv.addSchema(schema, '$id' in schema ? undefined : key);
  return ajv;
}

/**
 * The source's validators, each made on first use: the build's when its fingerprint matches, else compiled by ajv.
 */
export function compiledValidators<Name extends string>(
  source: ValidatorSource<Name>,
): (name: Name) => ValidateFunction {
  const built = builtValidators(source);
  let ajv: Ajv | undefined;
  const made = new Map<Name, ValidateFunction>();
  return (name) => {
    let validate = made.get(name);
    if (!validate) {
      const fromBuild = built?.[name];
      if (typeof fromBuild === 'function') validate = fromBuild;
      else {
        ajv ??= sourceAjv(source);
        const compiled = ajv.getSchema(source.exports[name]);
        if (!compiled) throw new Error(`no schema at ${source.exports[name]} for validator ${name}`);
        validate = compiled;
      }
      made.set(name, validate);
    }
    return validate;
  };
}

/** The build's validators of the source, if they load and were compiled from it. */
function builtValidators(source: ValidatorSource): BuiltValidators | undefined {
  let built: BuiltValidators;
  try {
    built = createRequire(import.meta.url)(fileURLToPath(source.file)) as BuiltValidators;
  } catch {
    return undefined; // none built, a build interrupted while writing it, or a runtime it cannot find: ajv compiles
  }
  return built.fingerprint === validatorFingerprint(source) ? built : undefined;
}
