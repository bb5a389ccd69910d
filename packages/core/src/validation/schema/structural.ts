import { readFileSync } from 'node:fs';
import { asRecord, type Segment } from '../subject.js';

/** Where a kind's structural schema is: a file under `schemas/` and, for OpenAPI documents, the component key. */
export interface StructuralLocation {
  readonly file: string;
  readonly component?: string;
}

type Node = Readonly<Record<string, unknown>>;

/** A schema node with `$ref`, `allOf`, `anyOf` and `oneOf` folded in: what the walk needs at one level. */
interface Resolved {
  readonly properties: ReadonlyMap<string, Node>;
  /** Schema of map values, `true` for any value, undefined when extra keys are not allowed. */
  readonly additional: Node | true | undefined;
  readonly items: Node | undefined;
  /** `x-kubernetes-preserve-unknown-fields`, or an object schema with nothing to check against (free-form). */
  readonly open: boolean;
}

/** Reports a key the schema does not know, with the keys it does know at that level. */
export type UnknownFieldSink = (at: readonly Segment[], key: string, known: readonly string[]) => void;

const SCHEMA_ROOT = new URL('../../../schemas/', import.meta.url);
const documents = new Map<string, Node>();

/** A bundled schema document, parsed once per process on first use. */
function loadDocument(file: string): Node {
  let document = documents.get(file);
  if (!document) {
    document = JSON.parse(readFileSync(new URL(file, SCHEMA_ROOT), 'utf8')) as Node;
    documents.set(file, document);
  }
  return document;
}

/** The schema node of a bundled kind: the document itself, or one component of an OpenAPI document. */
export function structuralSchema(location: StructuralLocation): { document: Node; node: Node } {
  const document = loadDocument(location.file);
  if (!location.component) return { document, node: document };
  const node = asRecord(asRecord(asRecord(document.components)?.schemas)?.[location.component]);
  if (!node) throw new Error(`schema component ${location.component} is missing from schemas/${location.file}`);
  return { document, node };
}

const resolvedCache = new WeakMap<Node, Resolved>();

function resolve(node: Node, document: Node): Resolved {
  const cached = resolvedCache.get(node);
  if (cached) return cached;
  const properties = new Map<string, Node>();
  let additional: Node | true | undefined;
  let items: Node | undefined;
  let preserve = false;
  let objectWithoutShape = false;
  const visit = (current: Node, depth: number): void => {
    if (depth > 32) throw new Error('schema $ref chain too deep');
    if (current['x-kubernetes-preserve-unknown-fields'] === true) preserve = true;
    if (typeof current.$ref === 'string') visit(lookup(current.$ref, document), depth + 1);
    for (const [key, value] of Object.entries(asRecord(current.properties) ?? {})) {
      const child = asRecord(value);
      if (child && !properties.has(key)) properties.set(key, child);
    }
    if (current.additionalProperties === true) additional ??= true;
    else if (asRecord(current.additionalProperties)) additional = current.additionalProperties as Node;
    if (asRecord(current.items)) items ??= current.items as Node;
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      for (const member of Array.isArray(current[keyword]) ? (current[keyword] as unknown[]) : []) {
        const memberNode = asRecord(member);
        if (memberNode) visit(memberNode, depth + 1);
      }
    }
    if (current.type === 'object' && !current.properties && current.additionalProperties === undefined)
      objectWithoutShape = true;
  };
  visit(node, 0);
  const resolved: Resolved = {
    properties,
    additional,
    items,
    open: preserve || (objectWithoutShape && properties.size === 0 && additional === undefined),
  };
  resolvedCache.set(node, resolved);
  return resolved;
}

function lookup(ref: string, document: Node): Node {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let current: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    current = asRecord(current)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const node = asRecord(current);
  if (!node) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

/**
 * Walks `value` against a structural schema and reports every key the schema does not define. Kubernetes schemas
 * are not strict (the API server silently prunes unknown fields), so a misspelled field would otherwise pass and
 * then be missing in the cluster. Maps are followed through `additionalProperties`; preserve-unknown-fields stops.
 * The `at` a sink receives is only valid during the call (one path array is reused for the whole walk).
 */
export function walkUnknownFields(
  value: unknown,
  node: Node,
  document: Node,
  at: readonly Segment[],
  sink: UnknownFieldSink,
): void {
  walk(value, node, document, [...at], sink);
}

function walk(value: unknown, node: Node, document: Node, at: Segment[], sink: UnknownFieldSink): void {
  const schema = resolve(node, document);
  if (schema.open) return;
  if (Array.isArray(value)) {
    if (!schema.items) return;
    for (let index = 0; index < value.length; index++) {
      at.push(index);
      walk(value[index], schema.items, document, at, sink);
      at.pop();
    }
    return;
  }
  const object = asRecord(value);
  if (!object) return;
  for (const key of Object.keys(object)) {
    const property = schema.properties.get(key);
    const next = property ?? (schema.additional === true ? undefined : schema.additional);
    if (next) {
      at.push(key);
      walk(object[key], next, document, at, sink);
      at.pop();
    } else if (!property && schema.additional === undefined && schema.properties.size > 0) {
      sink(at, key, [...schema.properties.keys()]);
    }
  }
}

/** The known key closest to a misspelled one (case-insensitive equal, or at most 2 edits away), if any. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
