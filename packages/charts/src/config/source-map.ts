import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { formatConfigPath, type ConfigPath, type SourcePoint, type SourcePosition } from '@emr-eks-gitops/core';

export { formatConfigPath, type ConfigPath, type SourcePosition };

/** A place in one of the files an environment is composed from (`file` as the user knows it, e.g. `environments/tenants/ml.yaml`). */
export type SourceLocation = SourcePoint;

/** Answers where a config path is written: one file, or an environment composed from several. */
export interface ConfigSource {
  locate(path: ConfigPath, at?: 'value' | 'key'): SourceLocation;
}

/** Maps config paths back to line and column in the YAML source, for error messages. */
export class SourceMap {
  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * Where the value at `path` is written. A missing path resolves to the nearest existing ancestor, so a "missing
   * field" error points at the object that lacks it. With `at: 'key'`, a path ending in a map key points at the key.
   */
  locate(path: ConfigPath, at: 'value' | 'key' = 'value'): SourcePosition {
    const { offset } = this.walk(path, at);
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** How many leading segments of `path` this document holds (0: none; `path.length`: all of it). */
  depth(path: ConfigPath): number {
    return this.walk(path, 'value').resolved;
  }

  private walk(path: ConfigPath, at: 'value' | 'key'): { offset: number; resolved: number } {
    let node: unknown = this.document.contents;
    let offset = rangeStart(node) ?? 0;
    let resolved = 0;
    for (const segment of path) {
      node = this.resolve(node);
      if (isMap(node) && typeof segment === 'string') {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
      resolved++;
    }
    if (at === 'value' && resolved === path.length) offset = rangeStart(this.resolve(node)) ?? offset;
    return { offset, resolved };
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.document) : node;
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
