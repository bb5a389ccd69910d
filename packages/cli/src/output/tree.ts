import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A folder's files: relative path (with `/`) -> content. */
export type FileTree = ReadonlyMap<string, string>;

/** How a folder on disk differs from what it should hold. */
export interface TreeDiff {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  readonly unchanged: string[];
}

/** Reads every file below `dir` (none when it does not exist). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(join(dir, relativeDir), { withFileTypes: true })) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else files.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  if (existsSync(dir)) walk('');
  return files;
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

export function hasChanges(diff: TreeDiff): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length > 0;
}

/**
 * Makes `dir` hold exactly `files`, all or nothing. The new tree is built beside it (unchanged files hard-linked,
 * so their inode and mtime stay; changed files written), then swapped in with two renames. A failure before the
 * swap leaves `dir` as it was; a crash between the renames is repaired by the next call.
 */
export function writeTreeAtomically(dir: string, files: FileTree, diff: TreeDiff): void {
  recoverInterruptedSwap(dir);
  if (!hasChanges(diff)) return;
  const parent = dirname(dir);
  const base = dir.slice(parent.length + 1);
  const staging = join(parent, `.${base}.staging-${process.pid}`);
  const previous = join(parent, `.${base}.previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const unchanged = new Set(diff.unchanged);
    const made = new Set<string>(); // one mkdir per folder, not one per file
    for (const [path, content] of files) {
      const target = join(staging, path);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      if (unchanged.has(path)) linkOrCopy(join(dir, path), target, content);
      else writeFileSync(target, content);
    }
    mkdirSync(staging, { recursive: true });
    if (existsSync(dir)) renameSync(dir, previous);
    renameSync(staging, dir);
  } catch (error) {
    if (!existsSync(dir) && existsSync(previous)) renameSync(previous, dir);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

function linkOrCopy(source: string, target: string, content: string): void {
  try {
    linkSync(source, target);
  } catch {
    writeFileSync(target, content); // file systems without hard links
  }
}

/** A previous run died between its two renames: put the old tree back before doing anything. */
function recoverInterruptedSwap(dir: string): void {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const base = dir.slice(parent.length + 1);
  for (const entry of readdirSync(parent)) {
    const leftover = join(parent, entry);
    if (entry.startsWith(`.${base}.previous-`)) {
      if (existsSync(dir)) rmSync(leftover, { recursive: true, force: true });
      else renameSync(leftover, dir);
    } else if (entry.startsWith(`.${base}.staging-`)) {
      rmSync(leftover, { recursive: true, force: true });
    }
  }
}
