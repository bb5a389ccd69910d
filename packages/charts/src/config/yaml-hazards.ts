import { isAlias, isCollection, visit, type Document, type LineCounter } from 'yaml';
import type { SourcePosition } from './source-map.js';

/**
 * Inputs the YAML library accepts, or answers with an exception, that an environment file must refuse with a located
 * message instead: characters YAML does not allow, alias bombs and nesting too deep to parse.
 */

/** `yaml`'s cap on alias expansion (its `maxAliasCount` option; the library's default). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Characters outside YAML 1.2.2's printable set (§5.1 "Character Set": tab, line feed, carriage return, x20-x7E, x85,
 * xA0-xD7FF, xE000-xFFFD, x10000-x10FFFF). The `yaml` library reads them into values without a word.
 */
const UNPRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The first unprintable character on each line that has one, with its code point. */
export function unprintableCharacters(
  text: string,
  lines: LineCounter,
): { position: SourcePosition; codePoint: string }[] {
  const found = new Map<number, { position: SourcePosition; codePoint: string }>();
  for (const match of text.matchAll(UNPRINTABLE)) {
    const { line, col } = lines.linePos(match.index);
    if (found.has(line)) continue;
    const codePoint = `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    found.set(line, { position: { line, column: col }, codePoint });
  }
  return [...found.values()];
}

/**
 * Where an alias bomb shows: the first alias whose anchor holds aliases itself (each level multiplies the expansion),
 * or else the first alias.
 */
export function aliasBombPosition(document: Document, lines: LineCounter): SourcePosition {
  let first: number | undefined;
  let nested: number | undefined;
  visit(document, {
    Alias(_, alias) {
      const offset = alias.range?.[0] ?? 0;
      first ??= offset;
      const target = alias.resolve(document);
      if (nested === undefined && isCollection(target) && holdsAlias(target)) nested = offset;
    },
  });
  const { line, col } = lines.linePos(nested ?? first ?? 0);
  return { line, column: col };
}

function holdsAlias(node: unknown): boolean {
  let found = false;
  visit(node as Parameters<typeof visit>[0], {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found || isAlias(node);
}

/** `yaml` reports a parser that ran out of stack as "Maximum call stack size exceeded": say what that means here. */
export function parserMessage(message: string): string {
  return /Maximum call stack size exceeded/.test(message)
    ? 'the YAML nests too deeply to parse (an environment file needs a few levels, not hundreds)'
    : message;
}
