import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** A folder's files: relative path (with `/`) -> content. */
export type FileTree = ReadonlyMap<string, string>;

/** How a folder on disk differs from what it should hold. */
export interface TreeDiff {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  readonly unchanged: string[];
}

/** Relative paths (with `/`) of every file below `dir`, in directory order (none when it does not exist). */
export function listTree(dir: string): string[] {
  const paths: string[] = [];
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(join(dir, relativeDir), { withFileTypes: true })) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else paths.push(path);
    }
  };
  if (existsSync(dir)) walk('');
  return paths;
}

/** Reads every file below `dir` (none when it does not exist). */
export function readTree(dir: string): Map<string, string> {
  return new Map(listTree(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

export function compareTrees(expected: FileTree, actual: FileTree): TreeDiff {
  const diff: TreeDiff = { added: [], changed: [], removed: [], unchanged: [] };
  for (const [path, content] of expected) {
    const current = actual.get(path);
    if (current === undefined) diff.added.push(path);
    else if (current === content) diff.unchanged.push(path);
    else diff.changed.push(path);
  }
  for (const path of actual.keys()) if (!expected.has(path)) diff.removed.push(path);
  diff.removed.sort();
  return diff;
}

/** How a folder compares with what it should hold, and the text on disk of the files that differ (changed or removed). */
export interface FolderComparison {
  readonly diff: TreeDiff;
  readonly differing: FileTree;
}

/**
 * compareTrees(expected, readTree(dir)) without holding the folder in memory: a file whose size differs from the
 * expected bytes is changed without comparing its content; one of the same size is read into a reused buffer and
 * compared byte for byte. Only the files that differ are decoded and kept (for the drift report and `diff`).
 */
export function compareWithFolder(expected: FileTree, dir: string): FolderComparison {
  const onDisk = new Set(listTree(dir));
  const diff: TreeDiff = { added: [], changed: [], removed: [], unchanged: [] };
  const differing = new Map<string, string>();
  const bytes = new ByteScratch();
  for (const [path, content] of expected) {
    if (!onDisk.has(path)) {
      diff.added.push(path);
      continue;
    }
    const file = join(dir, path);
    if (bytes.fileEquals(file, content)) {
      diff.unchanged.push(path);
    } else {
      diff.changed.push(path);
      differing.set(path, readFileSync(file, 'utf8'));
    }
  }
  for (const path of onDisk) {
    if (expected.has(path)) continue;
    diff.removed.push(path);
    differing.set(path, readFileSync(join(dir, path), 'utf8'));
  }
  diff.removed.sort();
  return { diff, differing };
}

export function hasChanges(diff: TreeDiff): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length > 0;
}

/** Two buffers reused for every file of a comparison: the expected text encoded, and the file read. */
class ByteScratch {
  private expected = Buffer.allocUnsafe(1 << 16);
  private actual = Buffer.allocUnsafe(1 << 16);

  /** True when the file holds exactly `content` (UTF-8); reads it only when its size is that of `content`. */
  fileEquals(file: string, content: string): boolean {
    if (this.expected.length < content.length * 3) this.expected = Buffer.allocUnsafe(content.length * 3);
    const length = this.expected.write(content);
    const fd = openSync(file, 'r');
    try {
      if (fstatSync(fd).size !== length) return false;
      if (this.actual.length < length + 1) this.actual = Buffer.allocUnsafe(length + 1);
      let read = 0;
      // One byte more than expected: a file that grew since fstat is not equal.
      while (read <= length) {
        const n = readSync(fd, this.actual, read, length + 1 - read, null);
        if (n === 0) break;
        read += n;
      }
      return read === length && this.expected.compare(this.actual, 0, length, 0, length) === 0;
    } finally {
      closeSync(fd);
    }
  }
}
