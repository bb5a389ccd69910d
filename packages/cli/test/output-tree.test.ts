import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareTrees, compareWithFolder, readTree } from '../src/output/tree.js';
import { recoverInterruptedWrite, writeTreeAtomically } from '../src/output/tree-write.js';

// renameSync as the writer sees it, so a test can make the Nth rename die the way a killed process would.
const crash = vi.hoisted(() => ({ afterRenames: Infinity, count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  return {
    ...original,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      if (crash.count++ >= crash.afterRenames) throw new Error(`interrupted before renaming ${String(from)}`);
      original.renameSync(from, to);
    },
  };
});
afterEach(() => {
  crash.afterRenames = Infinity;
  crash.count = 0;
});

function folderWith(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tree-')), 'dev');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('writeTreeAtomically', () => {
  it('a failure half-way leaves the previous tree intact and no staging folder behind', () => {
    const dir = folderWith({ 'kustomization.yaml': 'old\n', 'tenants/a.yaml': 'a\n' });
    // 'x' as a file and 'x/y.yaml' below it cannot both exist: the write is refused before anything is staged.
    const next = new Map([
      ['a-first.yaml', 'new\n'],
      ['x', 'file\n'],
      ['x/y.yaml', 'nested\n'],
    ]);
    expect(() => writeTreeAtomically(dir, next, compareTrees(next, readTree(dir)))).toThrow();
    expect(readTree(dir)).toEqual(
      new Map([
        ['kustomization.yaml', 'old\n'],
        ['tenants/a.yaml', 'a\n'],
      ]),
    );
    expect(readdirSync(join(dir, '..'))).toEqual(['dev']);
  });

  it('repairs a swap that was interrupted between its two renames', () => {
    const dir = folderWith({ 'a.yaml': 'a\n' });
    const parent = join(dir, '..');
    renameSync(dir, join(parent, '.dev.previous-4242'));
    expect(existsSync(dir)).toBe(false);

    const files = new Map([['a.yaml', 'a\n']]);
    writeTreeAtomically(dir, files, compareTrees(files, files));
    expect(readTree(dir)).toEqual(files);
    expect(readdirSync(parent)).toEqual(['dev']);
  });
});

const write = (dir: string, files: Map<string, string>) =>
  writeTreeAtomically(dir, files, compareTrees(files, readTree(dir)));
const inodeAndMtime = (file: string) => {
  const stat = statSync(file);
  return [stat.ino, stat.mtimeMs];
};

const OLD = {
  'kustomization.yaml': 'resources: [a, b]\n',
  'a/one.yaml': 'one\n',
  'a/two.yaml': 'two\n',
  'b/gone.yaml': 'gone\n',
  'c/keep.yaml': 'keep\n',
};
const NEW = new Map([
  ['kustomization.yaml', 'resources: [a, d]\n'],
  ['a/one.yaml', 'one\n'],
  ['a/two.yaml', 'TWO\n'],
  ['c/keep.yaml', 'keep\n'],
  ['d/new/added.yaml', 'added\n'],
]);

describe('writeTreeAtomically writes only what changed', () => {
  it('keeps the inode and mtime of unchanged files, replaces changed ones, removes removed files and their empty folders', () => {
    const dir = folderWith(OLD);
    const kept = ['a/one.yaml', 'c/keep.yaml'].map((path) => [path, inodeAndMtime(join(dir, path))] as const);
    const changedInode = statSync(join(dir, 'a/two.yaml')).ino;

    write(dir, NEW);

    expect(readTree(dir)).toEqual(NEW);
    for (const [path, before] of kept) expect(inodeAndMtime(join(dir, path)), path).toEqual(before);
    expect(statSync(join(dir, 'a/two.yaml')).ino, 'a changed file is a new file renamed into place').not.toBe(
      changedInode,
    );
    expect(readdirSync(dir).sort()).toEqual(['a', 'c', 'd', 'kustomization.yaml']);
    expect(readdirSync(join(dir, '..')), 'no staging folder or journal left').toEqual(['dev']);
  });

  it('a folder rendered for the first time is staged whole and renamed into place', () => {
    const parent = mkdtempSync(join(tmpdir(), 'tree-write-'));
    const dir = join(parent, 'dev');
    write(dir, NEW);
    expect(readTree(dir)).toEqual(NEW);
    expect(readdirSync(parent)).toEqual(['dev']);
  });
});

describe('an interrupted write', () => {
  it('before its journal is committed leaves the old tree; the staging folder it leaves is removed by the next run', () => {
    const dir = folderWith(OLD);
    crash.afterRenames = 0; // the journal's rename is the first
    expect(() => write(dir, NEW)).toThrow(/interrupted/);
    expect(readTree(dir)).toEqual(readTree(folderWith(OLD)));
    expect(readdirSync(join(dir, '..'))).toEqual(['dev']);

    // A process killed at that point cannot clean up: its staging folder and temporary journal stay.
    const parent = join(dir, '..');
    mkdirSync(join(parent, '.dev.staging-999/a'), { recursive: true });
    writeFileSync(join(parent, '.dev.staging-999/a/two.yaml'), 'half\n');
    writeFileSync(join(parent, '.dev.journal-999'), '{"stag');
    crash.afterRenames = Infinity;
    expect(recoverInterruptedWrite(dir), 'the folder itself was not touched').toBe(false);
    expect(readdirSync(parent)).toEqual(['dev']);
    expect(readTree(dir)).toEqual(readTree(folderWith(OLD)));
  });

  it('after its journal is committed is completed by the next run, which then writes its own changes', () => {
    const dir = folderWith(OLD);
    crash.afterRenames = 2; // the journal, then one of the three new or changed files moved into place
    expect(() => write(dir, NEW)).toThrow(/interrupted/);
    const parent = join(dir, '..');
    expect(readdirSync(parent).sort()).toEqual(['.dev.journal', `.dev.staging-${process.pid}`, 'dev']);
    const mixed = compareTrees(NEW, readTree(dir));
    expect(mixed.added.length + mixed.changed.length, 'the folder is half written').toBe(2);

    crash.afterRenames = Infinity;
    const next = new Map([...NEW, ['c/keep.yaml', 'kept, changed later\n']]);
    write(dir, next);
    expect(readTree(dir)).toEqual(next);
    expect(readdirSync(parent)).toEqual(['dev']);
  });

  it('is completed by recoverInterruptedWrite alone (render does that before comparing), and applying twice is harmless', () => {
    const dir = folderWith(OLD);
    crash.afterRenames = 1; // only the journal
    expect(() => write(dir, NEW)).toThrow(/interrupted/);
    crash.afterRenames = Infinity;
    expect(recoverInterruptedWrite(dir)).toBe(true);
    expect(readTree(dir)).toEqual(NEW);
    expect(recoverInterruptedWrite(dir)).toBe(false);
    expect(readdirSync(join(dir, '..'))).toEqual(['dev']);
  });
});

describe('compareWithFolder', () => {
  it("gives compareTrees' answer and keeps the committed text of only the files that differ", () => {
    const dir = folderWith({
      'same.yaml': 'héllo\n',
      'same-size.yaml': 'abc\n',
      'bytes.yaml': 'hello\n',
      'longer.yaml': 'x\n',
      'stale.yaml': 'old\n',
    });
    const expected = new Map([
      ['bytes.yaml', 'héllo\n'], // as many characters as on disk, one byte more
      ['longer.yaml', 'xx\n'],
      ['new.yaml', 'new\n'],
      ['same-size.yaml', 'abd\n'],
      ['same.yaml', 'héllo\n'],
    ]);
    const { diff, differing } = compareWithFolder(expected, dir);
    expect(diff).toEqual(compareTrees(expected, readTree(dir)));
    expect(diff.unchanged).toEqual(['same.yaml']);
    expect(differing).toEqual(
      new Map([
        ['bytes.yaml', 'hello\n'],
        ['longer.yaml', 'x\n'],
        ['same-size.yaml', 'abc\n'],
        ['stale.yaml', 'old\n'],
      ]),
    );
  });

  it('reads a file whose size differs from the rendered bytes only to report it, never to compare it', () => {
    const dir = folderWith({ 'big.yaml': 'x'.repeat(200_000), 'equal.yaml': 'y'.repeat(100_000) });
    const reads = vi.spyOn(fs, 'readFileSync');
    const { diff } = compareWithFolder(
      new Map([
        ['big.yaml', 'x'.repeat(200_001)],
        ['equal.yaml', 'y'.repeat(100_000)],
      ]),
      dir,
    );
    expect(diff.changed).toEqual(['big.yaml']);
    expect(diff.unchanged).toEqual(['equal.yaml']);
    expect(reads.mock.calls.map(([file]) => String(file))).toEqual([join(dir, 'big.yaml')]);
    reads.mockRestore();
  });
});
