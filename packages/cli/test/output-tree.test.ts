import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTrees, readTree, writeTreeAtomically } from '../src/output/tree.js';

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
    // 'x' as a file and 'x/y.yaml' below it cannot both exist: the write fails after some files were staged.
    const next = new Map([['a-first.yaml', 'new\n'], ['x', 'file\n'], ['x/y.yaml', 'nested\n']]);
    expect(() => writeTreeAtomically(dir, next, compareTrees(next, readTree(dir)))).toThrow();
    expect(readTree(dir)).toEqual(new Map([['kustomization.yaml', 'old\n'], ['tenants/a.yaml', 'a\n']]));
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
