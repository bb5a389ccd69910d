import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Subject } from '../subject.js';

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The file names kubeconform would look up for a kind, most specific first. */
export function schemaFileNames(subject: Subject): string[] {
  const kind = subject.kind.toLowerCase();
  const version = subject.version.toLowerCase();
  const group = subject.group.toLowerCase();
  if (group === '') return [`${kind}-${version}.json`];
  // `{kind}-{group}-{version}` is openapi2jsonschema's FILENAME_FORMAT for CRDs; kubeconform's built-in layout
  // (yannh/kubernetes-json-schema) keeps only the group's first label, e.g. `role-rbac-v1.json`.
  return [...new Set([`${kind}-${group}-${version}.json`, `${kind}-${group.split('.')[0]}-${version}.json`])];
}

export type DirSchema =
  | { readonly file: string; readonly validate: ValidateFunction }
  | { readonly file: string; readonly error: string };

interface DirCache {
  readonly ajv: Ajv;
  readonly byFile: Map<string, DirSchema | null>;
}
const dirs = new Map<string, DirCache>();

function newAjv(): Ajv {
  // Kubernetes schemas use OpenAPI keywords and formats that are not JSON Schema: strict mode would refuse them.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  for (const format of ['int-or-string', 'int32', 'int64', 'byte', 'quantity', 'double', 'float'])
    ajv.addFormat(format, true);
  return ajv;
}

/** The user's schema for this kind, compiled once per process; null when the folder has none for it. */
export function dirSchema(schemaDir: string, subject: Subject): DirSchema | null {
  const dir = resolve(schemaDir);
  let cache = dirs.get(dir);
  if (!cache) dirs.set(dir, (cache = { ajv: newAjv(), byFile: new Map() }));
  for (const name of schemaFileNames(subject)) {
    const file = join(dir, name);
    if (cache.byFile.has(file)) {
      const known = cache.byFile.get(file);
      if (known) return known;
      continue;
    }
    if (!existsSync(file)) {
      cache.byFile.set(file, null);
      continue;
    }
    let entry: DirSchema;
    try {
      entry = { file, validate: cache.ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object) };
    } catch (error) {
      entry = { file, error: error instanceof Error ? error.message : String(error) };
    }
    cache.byFile.set(file, entry);
    return entry;
  }
  return null;
}
