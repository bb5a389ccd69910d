import {
  stringify,
  type ToStringOptions,
  type DocumentOptions,
  type SchemaOptions,
  type CreateNodeOptions,
} from 'yaml';

/** The `yaml` library's options for every generated file (see toYaml). */
export const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: '1.1',
  lineWidth: 0,
  aliasDuplicateObjects: false,
  sortMapEntries: false,
};

/**
 * The text `stringify(value, YAML_OPTIONS)` of the `yaml` library gives, for plain JSON data, without building a
 * YAML document first; `undefined` when the value holds anything else, for the caller to use the library.
 *
 * Only the layout of block collections is written here (`key: value`, `- item`, two-space indent, sequences
 * indented under their key, `{}` and `[]` for empty ones). Every scalar, key or value, is written by the library
 * itself, once per distinct scalar and position, and kept: quoting, YAML 1.1 look-alikes (`on`, `0777`, `1e3`),
 * escapes. A scalar the library writes over several lines (block scalars, long keys) or differently at different
 * indents (document markers) makes the whole value go to the library. The test `block-yaml.test.ts` compares the
 * two on every rendered object and on generated values.
 */
export function blockYaml(value: unknown, prefix = ''): string | undefined {
  // Pieces joined once (after `prefix`, e.g. a file's header): appending with `+=` would keep every file as a rope
  // of small strings (three times the memory of the flat text at 1,000 tenants, and garbage for the collector).
  const out: string[] = [prefix];
  try {
    if (Array.isArray(value) && value.length > 0) sequence(out, value, '', '');
    else if (isPlainObject(value) && hasKeys(value)) mapping(out, value, '', '');
    else return undefined;
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
  return out.join('');
}

/** Thrown inside the emitter when the value needs the library; never leaves blockYaml. */
const NOT_PLAIN = Symbol('not plain JSON for the fast path');

/** `first` replaces the indent of the first line (after `- ` of an enclosing sequence item). */
function mapping(out: string[], object: Record<string, unknown>, indent: string, first: string): void {
  let prefix = first;
  const inner = `${indent}  `;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const item = object[key];
    out.push(prefix, scalar(key, KEY), ':');
    prefix = indent;
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(' []\n');
      else {
        out.push('\n');
        sequence(out, item, inner, inner);
      }
    } else if (isPlainObject(item)) {
      if (!hasKeys(item)) out.push(' {}\n');
      else {
        out.push('\n');
        mapping(out, item, inner, inner);
      }
    } else {
      out.push(' ', scalar(item, VALUE), '\n');
    }
  }
}

function sequence(out: string[], items: readonly unknown[], indent: string, first: string): void {
  let prefix = first;
  const inner = `${indent}  `;
  for (const item of items) {
    out.push(prefix, '- ');
    prefix = indent;
    if (Array.isArray(item)) {
      if (item.length === 0) out.push('[]\n');
      else sequence(out, item, inner, '');
    } else if (isPlainObject(item)) {
      if (hasKeys(item)) mapping(out, item, inner, '');
      else out.push('{}\n');
    } else {
      out.push(scalar(item, ITEM), '\n');
    }
  }
}

type Position = typeof KEY | typeof VALUE | typeof ITEM;
const KEY = 0;
const VALUE = 1;
const ITEM = 2;

/** Scalars as the library writes them, per position; bounded so that a long-lived process does not grow. */
const written: [Map<unknown, string>, Map<unknown, string>, Map<unknown, string>] = [new Map(), new Map(), new Map()];
const CACHE_LIMIT = 50_000;

/** Letters first, then only characters that never need quotes: plain in every position and at every indent. */
const ALWAYS_PLAIN = /^[A-Za-z][A-Za-z0-9._/-]{0,200}$/;
/** ... except YAML 1.1's booleans and null, which kubectl would read as such. */
const YAML_11_WORDS = /^(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL)$/;
/** The library writes these differently at the top level and below it. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/m;

function scalar(value: unknown, position: Position): string {
  switch (typeof value) {
    case 'string':
      if (ALWAYS_PLAIN.test(value) && !YAML_11_WORDS.test(value)) return value;
      if (DOCUMENT_MARKER.test(value)) throw NOT_PLAIN;
      break;
    case 'number':
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
      if (Object.is(value, -0)) throw NOT_PLAIN; // a Map key cannot tell -0 from 0
      break;
    case 'boolean':
      break;
    default:
      if (value !== null) throw NOT_PLAIN; // undefined, bigint, symbol, function, Date, Map...
  }
  const cache = written[position];
  let text = cache.get(value);
  if (text === undefined) {
    text = libraryScalar(value, position);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, text);
  }
  return text;
}

/** The library's text for one scalar at `position`, cut out of a one-entry collection; NOT_PLAIN if not one line. */
function libraryScalar(value: unknown, position: Position): string {
  const [document, before, after] =
    position === KEY
      ? [{ [value as string]: 0 }, '', ': 0\n']
      : position === VALUE
        ? [{ k: value }, 'k: ', '\n']
        : [[value], '- ', '\n'];
  const text = stringify(document, YAML_OPTIONS);
  const inner = text.slice(before.length, text.length - after.length);
  if (!text.startsWith(before) || !text.endsWith(after) || inner.includes('\n')) throw NOT_PLAIN;
  return inner;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  return true;
}

function hasKeys(object: Record<string, unknown>): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}
