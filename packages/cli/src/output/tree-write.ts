import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareWithFolder, hasChanges, type FileTree, type TreeDiff } from './tree.js';

/**
 * What a write will do to the folder, recorded beside it (`.<env>.journal`) once every new file is staged. Its
 * existence is the point of no return: from then on the write is completed, by this run or the next.
 */
interface Journal {
  /** The staging folder (a sibling of the environment's folder) holding the new files under their final paths. */
  readonly staging: string;
  /** Files moved from the staging folder into place. */
  readonly write: readonly string[];
  /** Files deleted (and the folders they leave empty). */
  readonly remove: readonly string[];
}

/**
 * Makes `dir` hold exactly `files`, touching only the files that differ: unchanged files keep their inode and
 * mtime, a one-tenant change writes a few files. All or nothing per environment, as far as a file system allows:
 * - the new and changed files are first written to a staging folder beside `dir`; a failure there leaves `dir`
 *   untouched (the staging folder is removed);
 * - then a journal naming every move and deletion is committed (written to a temporary name, renamed);
 * - then each file is renamed into place (a reader never sees a half-written file) and removed files go;
 * - a run interrupted after the journal leaves it behind, and the next write of that folder completes it first.
 * A folder that does not exist yet is staged whole and renamed into place at once.
 */
export function writeTreeAtomically(dir: string, files: FileTree, diff: TreeDiff): void {
  // A write completed from an earlier journal changes the folder: compare again.
  const current = recoverInterruptedWrite(dir) ? compareWithFolder(files, dir).diff : diff;
  if (!hasChanges(current)) return;
  assertFilesAndFoldersApart(files);
  const staging = join(dirname(dir), `.${basename(dir)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const fresh = !existsSync(dir);
  let journal: Journal;
  try {
    writeFiles(staging, fresh ? [...files.keys()] : [...current.added, ...current.changed], files);
    if (fresh) {
      renameSync(staging, dir);
      return;
    }
    journal = { staging: basename(staging), write: [...current.added, ...current.changed], remove: current.removed };
    commitJournal(dir, journal);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  applyJournal(dir, journal);
}

/**
 * Completes a write of `dir` that was interrupted after its journal was committed, and removes what an
 * interrupted write left before that point (its staging folder: `dir` was not touched yet). Also puts back a
 * folder that the earlier writer (which rebuilt the whole tree beside it and swapped the two) left moved aside.
 * True when `dir` changed.
 */
export function recoverInterruptedWrite(dir: string): boolean {
  const parent = dirname(dir);
  if (!existsSync(parent)) return false;
  const base = basename(dir);
  let changed = false;
  const journalPath = journalOf(dir);
  if (existsSync(journalPath)) {
    applyJournal(dir, readJournal(journalPath));
    changed = true;
  }
  for (const entry of readdirSync(parent)) {
    const leftover = join(parent, entry);
    if (entry.startsWith(`.${base}.previous-`) && !existsSync(dir)) {
      renameSync(leftover, dir);
      changed = true;
    } else if (
      [`.${base}.previous-`, `.${base}.staging-`, `.${base}.journal-`].some((prefix) => entry.startsWith(prefix))
    ) {
      rmSync(leftover, { recursive: true, force: true });
    }
  }
  return changed;
}

const journalOf = (dir: string) => join(dirname(dir), `.${basename(dir)}.journal`);

/** A file and a folder cannot share a path: refused before anything is written. */
function assertFilesAndFoldersApart(files: FileTree): void {
  for (const path of files.keys()) {
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (files.has(folder)) throw new Error(`cannot write ${path}: ${folder} is a file of the same tree`);
    }
  }
}

function writeFiles(root: string, paths: readonly string[], files: FileTree): void {
  mkdirSync(root, { recursive: true });
  const made = new Set<string>([root]); // one mkdir per folder, not one per file
  for (const path of paths) {
    const target = join(root, path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(target, files.get(path)!);
  }
}

function commitJournal(dir: string, journal: Journal): void {
  const temporary = `${journalOf(dir)}-${process.pid}`;
  try {
    writeFileSync(temporary, `${JSON.stringify(journal)}\n`);
    renameSync(temporary, journalOf(dir));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function readJournal(path: string): Journal {
  const journal = JSON.parse(readFileSync(path, 'utf8')) as Partial<Journal>;
  if (typeof journal.staging !== 'string' || !Array.isArray(journal.write) || !Array.isArray(journal.remove)) {
    throw new Error(`${path} is not a render journal (staging, write, remove); remove it and run render again`);
  }
  return journal as Journal;
}

/** Idempotent: a file already moved by an interrupted run is skipped, so the journal can be applied again. */
function applyJournal(dir: string, journal: Journal): void {
  const staging = join(dirname(dir), journal.staging);
  for (const path of journal.remove) rmSync(join(dir, path), { force: true });
  removeEmptyFolders(dir, journal.remove);
  const made = new Set<string>();
  for (const path of journal.write) {
    const target = join(dir, path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    try {
      renameSync(join(staging, path), target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  rmSync(journalOf(dir), { force: true });
  rmSync(staging, { recursive: true, force: true });
}

/** The folders (below `dir`) of the removed files that are now empty, deepest first (a retired tenant's folder goes). */
function removeEmptyFolders(dir: string, removed: readonly string[]): void {
  const folders = new Set<string>();
  for (const path of removed) {
    for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) folders.add(folder);
  }
  const deepestFirst = [...folders].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  for (const folder of deepestFirst) {
    try {
      rmdirSync(join(dir, folder));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
    }
  }
}
