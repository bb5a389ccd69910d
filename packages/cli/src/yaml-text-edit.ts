import { Document, isMap, isScalar, isSeq, parseDocument, stringify, type Pair, type YAMLMap } from 'yaml';
import { isDeepStrictEqual } from 'node:util';

// Edits of hand-written YAML that keep every line they do not change as it was written: its comments, their
// alignment, flow or block style. (The Document API keeps comments but re-spaces them, which would fill a review
// with lines nobody changed.)

type Path = readonly (string | number)[];
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * `text` with the mapping at `path` made equal to `next`: changed scalars rewritten in place (their comments kept),
 * removed keys' lines deleted, new keys added after the mapping's last line, a value that changes shape (or a flow
 * mapping) rewritten as flow YAML. The mapping at `path` must exist (an empty or null value is filled in).
 */
export function replaceMapping(text: string, path: Path, next: Readonly<Record<string, unknown>>): string {
  const document = parseDocument(text, { keepSourceTokens: false });
  const node = document.getIn(path, true);
  const edits: Edit[] = [];
  if (isMap(node) && !node.flow && node.items.length > 0) {
    editBlockMap(text, node, next, edits);
  } else {
    const pair = parentPair(document, path);
    if (!pair) throw new Error(`no mapping at ${path.join('.')}`);
    edits.push(replaceValue(text, pair, next));
  }
  return edits
    .sort((a, b) => b.start - a.start)
    .reduce((result, edit) => `${result.slice(0, edit.start)}${edit.text}${result.slice(edit.end)}`, text);
}

function editBlockMap(text: string, map: YAMLMap, next: Readonly<Record<string, unknown>>, edits: Edit[]): void {
  const indent = columnOf(text, (map.items[0]!.key as { range: number[] }).range[0]!);
  const existing = new Set<string>();
  for (const pair of map.items as Pair[]) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    existing.add(key);
    const old = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
    if (isDeepStrictEqual(old, next[key])) continue;
    if (!(key in next) || (isRecord(next[key]) && Object.keys(next[key]).length === 0)) {
      // an empty mapping says nothing
      edits.push({ start: lineStart(text, keyStart(pair)), end: lineEnd(text, valueEnd(text, pair)) + 1, text: '' });
    } else if (
      isScalar(pair.value) &&
      pair.value.range &&
      isScalarValue(next[key]) &&
      pair.value.range[1] > pair.value.range[0]
    ) {
      edits.push({ start: pair.value.range[0], end: pair.value.range[1], text: scalarText(next[key]) });
    } else if (isMap(pair.value) && !pair.value.flow && pair.value.items.length > 0 && isRecord(next[key])) {
      editBlockMap(text, pair.value, next[key], edits);
    } else {
      edits.push(replaceValue(text, pair, next[key]));
    }
  }
  const added = Object.keys(next).filter((key) => !existing.has(key));
  if (added.length === 0) return;
  const last = map.items[map.items.length - 1] as Pair;
  const at = lineEnd(text, valueEnd(text, last));
  const block = stringify(Object.fromEntries(added.map((key) => [key, next[key]])), { lineWidth: 0 }).trimEnd();
  edits.push({
    start: at,
    end: at,
    text: `\n${block
      .split('\n')
      .map((line) => `${' '.repeat(indent)}${line}`)
      .join('\n')}`,
  });
}

/** The pair's value (from the colon after its key to the end of its last line) rewritten as `: <flow YAML>`. */
function replaceValue(text: string, pair: Pair, value: unknown): Edit {
  const keyEnd = (pair.key as { range: number[] }).range[1]!;
  const colon = text.indexOf(':', keyEnd);
  const hasValue = pair.value !== null && (pair.value as { range?: number[] }).range !== undefined;
  const end = hasValue ? lineEnd(text, valueEnd(text, pair)) : lineEnd(text, colon);
  return { start: colon, end, text: `: ${flowText(value)}` };
}

function flowText(value: unknown): string {
  const document = new Document(value);
  if (isMap(document.contents) || isSeq(document.contents)) document.contents.flow = true;
  return document.toString({ lineWidth: 0 }).trimEnd();
}

function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function isScalarValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parentPair(document: Document.Parsed, path: Path): Pair | undefined {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  return (parent.items as Pair[]).find(
    (pair) => isScalar(pair.key) && String(pair.key.value) === String(path[path.length - 1]),
  );
}

function keyStart(pair: Pair): number {
  return (pair.key as { range: number[] }).range[0]!;
}

/** The last character of the pair's value (trailing spaces and newlines of a block value left out). */
function valueEnd(text: string, pair: Pair): number {
  const range = (pair.value as { range?: number[] } | null)?.range ?? (pair.key as { range: number[] }).range;
  let at = range[1]!;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  return Math.max(0, at - 1);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}
