import { Document, isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { isPlainObject, mergePatch } from './merge-patch.js';
import {
  composeTenant,
  parseTenantFiles,
  placedTenants,
  type TenantFile,
  type TenantFileText,
} from './tenant-files.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

// The composed view of an environment as one self-contained file: its tenant files' tenants written into its own
// `tenants:` list, each line (and its comment) copied from the file that holds the value. For reading an environment
// whole, and for programs that take one file's text (loadEnvironmentText without tenant files).

/** The order fields of a tenant are written in (the order of the committed environment files); others follow. */
const TENANT_FIELD_ORDER = [
  'name',
  'namespace',
  'description',
  'costAllocation',
  'quota',
  'containerDefaults',
  'network',
  'serviceAccounts',
  'executionRoleArn',
  'releaseLabel',
  'identity',
  'queue',
  'fargate',
  'spark',
  'promotion',
  'retired',
];

/**
 * The environment file's text with the tenants of the tenant files placed in it appended to its `tenants:` list
 * (created at the end of the file when it has none). The rest of the file is kept byte for byte. Loading the result
 * alone gives the same config as loading the file with its tenant files.
 */
export function inlineTenantFiles(text: string, sourcePath: string, tenantFiles: readonly TenantFileText[]): string {
  const environment = sourcePath.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  const placed = placedTenants(environment, parseTenantFiles(tenantFiles));
  if (placed.length === 0) return text;
  const file = parseYamlSource(text, sourcePath);
  const tenants = file.document.get('tenants', true);
  if (tenants === undefined) {
    const entries = placed.map((tenant) => tenantEntry(tenant, environment, 2)).join('\n');
    return `${text}${text.endsWith('\n') ? '' : '\n'}\ntenants:\n${entries}`;
  }
  if (isSeq(tenants) && !tenants.flow && tenants.items.length > 0 && tenants.range) {
    const first = tenants.items[0] as YAMLMap;
    const indent = columnOf(text, first.range![0]) - 2;
    const end = lineEnd(text, trimmedEnd(text, tenants.range[1]));
    const entries = placed.map((tenant) => tenantEntry(tenant, environment, indent)).join('\n');
    return `${text.slice(0, end)}\n\n${entries}${text.slice(end + 1)}`;
  }
  // `tenants: []` or a flow list: written anew (the flow entries' comments cannot be kept apart from their lines).
  const document = file.document.clone();
  const own = isPlainObject(file.value) && Array.isArray(file.value.tenants) ? file.value.tenants : [];
  document.set('tenants', document.createNode([...own, ...placed.map((tenant) => composeTenant(tenant, environment))]));
  return document.toString({ lineWidth: 0 });
}

/** `- name: <tenant>` and its composed fields, at `indent` (the column of the dash). */
function tenantEntry(tenant: TenantFile, environment: string, indent: number): string {
  const override = tenant.source.document.getIn(['environments', environment], true);
  const base = tenant.source.document.get('base', true);
  const lines = [
    `${' '.repeat(indent)}- name: ${tenant.name}`,
    ...mergedLines(
      isMap(base) ? base : undefined,
      isMap(override) ? override : undefined,
      indent + 2,
      tenant.source,
      TENANT_FIELD_ORDER,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The lines of a mapping merged as JSON Merge Patch merges it: a pair from one side is copied with its comments; a
 * block mapping on both sides is merged key by key below the base's key line; flow mappings on both sides are written
 * anew from the merged value.
 */
function mergedLines(
  base: YAMLMap | undefined,
  override: YAMLMap | undefined,
  indent: number,
  source: YamlSource,
  order?: readonly string[],
): string[] {
  const keys = orderedKeys([...pairs(base).keys(), ...pairs(override).keys()], order);
  const lines: string[] = [];
  for (const key of keys) {
    const fromBase = pairs(base).get(key);
    const fromOverride = pairs(override).get(key);
    if (fromOverride && isScalar(fromOverride.value) && fromOverride.value.value === null) continue; // removed
    if (!fromOverride || !fromBase || !isMap(fromOverride.value) || !isMap(fromBase.value)) {
      lines.push(...pairLines(source.text, (fromOverride ?? fromBase)!, indent));
    } else if (!fromOverride.value.flow && !fromBase.value.flow) {
      lines.push(...keyLine(source.text, fromBase, indent));
      lines.push(...mergedLines(fromBase.value, fromOverride.value, indent + 2, source));
    } else {
      const merged = mergePatch(fromBase.value.toJSON(), fromOverride.value.toJSON());
      const flow = new Document(merged);
      if (isMap(flow.contents)) flow.contents.flow = true;
      lines.push(`${' '.repeat(indent)}${key}: ${flow.toString({ lineWidth: 0 }).trimEnd()}`);
    }
  }
  return lines;
}

function orderedKeys(keys: readonly string[], order?: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  if (!order) return unique;
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return unique
    .map((key, index) => ({ key, index }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.index - b.index)
    .map(({ key }) => key);
}

function pairs(map: YAMLMap | undefined): Map<string, Pair> {
  const byKey = new Map<string, Pair>();
  for (const pair of map?.items ?? []) if (isScalar(pair.key)) byKey.set(String(pair.key.value), pair as Pair);
  return byKey;
}

/** A pair's lines as written (comment lines just above it, its value, the comment ending its last line), re-indented. */
function pairLines(text: string, pair: Pair, indent: number): string[] {
  const keyStart = (pair.key as { range: [number, number, number] }).range[0];
  const valueEnd =
    (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ??
    (pair.key as { range: [number, number, number] }).range[1];
  return reindent(
    text,
    commentStart(text, lineStart(text, keyStart)),
    lineEnd(text, trimmedEnd(text, valueEnd)),
    columnOf(text, keyStart),
    indent,
  );
}

/** The key line of a block mapping (with the comment lines above it and the comment ending it), re-indented. */
function keyLine(text: string, pair: Pair, indent: number): string[] {
  const keyStart = (pair.key as { range: [number, number, number] }).range[0];
  return reindent(
    text,
    commentStart(text, lineStart(text, keyStart)),
    lineEnd(text, keyStart),
    columnOf(text, keyStart),
    indent,
  );
}

function reindent(text: string, start: number, end: number, from: number, to: number): string[] {
  return text
    .slice(start, end)
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return '';
      const own = line.length - line.trimStart().length;
      return `${' '.repeat(Math.max(0, to + own - from))}${line.trimStart()}`;
    });
}

/** The start of the comment-only lines right above `start` (a line's start), or `start`. */
function commentStart(text: string, start: number): number {
  let at = start;
  while (at > 0) {
    const previous = lineStart(text, at - 1);
    if (!text.slice(previous, at).trim().startsWith('#')) break;
    at = previous;
  }
  return at;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the newline ending the line of `offset` (or the text's end). */
function lineEnd(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at;
}

/** `offset` moved back over trailing whitespace, to the last character of the value. */
function trimmedEnd(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  return Math.max(0, at - 1);
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}
