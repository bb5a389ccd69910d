import { createTwoFilesPatch, diffLines } from 'diff';
import type { FileTree, TreeDiff } from './tree.js';

const MAX_DIFF_LINES_PER_FILE = 40;

export interface FilePatchOptions {
  /** Header after the old (committed) file's name, e.g. `(committed)`. */
  readonly oldHeader: string;
  /** Header after the new (rendered) file's name, e.g. `(rendered)`. */
  readonly newHeader: string;
  /** Lines of context around each change. @default 3 */
  readonly context?: number;
  /** Cut the patch after this many lines, saying how many were left out. @default no limit */
  readonly maxLines?: number;
}

/**
 * The unified diff of one file, `a/<label>` (what is committed, '' when absent) to `b/<label>` (what renders, ''
 * when render removes it), without the `=====` separator line, ending without a newline.
 */
export function filePatch(
  label: string,
  committed: string | undefined,
  rendered: string | undefined,
  options: FilePatchOptions,
): string {
  const patch = createTwoFilesPatch(
    `a/${label}`,
    `b/${label}`,
    committed ?? '',
    rendered ?? '',
    options.oldHeader,
    options.newHeader,
    { context: options.context ?? 3 },
  );
  const lines = patch.split('\n').filter((line) => !line.startsWith('====='));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (options.maxLines === undefined || lines.length <= options.maxLines) return lines.join('\n');
  const shown = lines.slice(0, options.maxLines);
  shown.push(`... ${lines.length - shown.length} more diff lines`);
  return shown.join('\n');
}

/** Lines a change adds and removes, as `git diff --stat` counts them. */
export function lineChanges(
  committed: string | undefined,
  rendered: string | undefined,
): { insertions: number; deletions: number } {
  let insertions = 0;
  let deletions = 0;
  for (const part of diffLines(committed ?? '', rendered ?? '')) {
    if (part.added) insertions += part.count;
    else if (part.removed) deletions += part.count;
  }
  return { insertions, deletions };
}

/** A short unified diff per drifted file, for a CI log: what is committed vs what the environment renders to. */
export function driftReport(folder: string, expected: FileTree, actual: FileTree, diff: TreeDiff): string {
  const sections: string[] = [];
  for (const path of [...diff.changed, ...diff.added, ...diff.removed].sort()) {
    sections.push(
      filePatch(`${folder}/${path}`, actual.get(path), expected.get(path), {
        oldHeader: diff.added.includes(path) ? '(missing, should exist)' : '(committed)',
        newHeader: diff.removed.includes(path) ? '(stale, should be removed)' : '(rendered)',
        context: 2,
        maxLines: MAX_DIFF_LINES_PER_FILE,
      }),
    );
  }
  return `${sections.join('\n')}\n`;
}
