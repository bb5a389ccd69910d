import { createTwoFilesPatch } from 'diff';
import type { FileTree, TreeDiff } from './tree.js';

const MAX_DIFF_LINES_PER_FILE = 40;

/** A short unified diff per drifted file, for a CI log: what is committed vs what the environment renders to. */
export function driftReport(folder: string, expected: FileTree, actual: FileTree, diff: TreeDiff): string {
  const sections: string[] = [];
  for (const path of [...diff.changed, ...diff.added, ...diff.removed].sort()) {
    const label = `${folder}/${path}`;
    const patch = createTwoFilesPatch(
      `a/${label}`, `b/${label}`, actual.get(path) ?? '', expected.get(path) ?? '',
      diff.added.includes(path) ? '(missing, should exist)' : '(committed)',
      diff.removed.includes(path) ? '(stale, should be removed)' : '(rendered)',
      { context: 2 },
    );
    const lines = patch.split('\n').filter((line) => !line.startsWith('====='));
    const shown = lines.slice(0, MAX_DIFF_LINES_PER_FILE);
    if (lines.length > shown.length) shown.push(`... ${lines.length - shown.length} more diff lines`);
    sections.push(shown.join('\n').trimEnd());
  }
  return `${sections.join('\n')}\n`;
}
