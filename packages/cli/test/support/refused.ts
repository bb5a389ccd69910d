import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readTree } from '../../src/output/tree.js';
import { editEnvironment, runCli, tempProject } from './project.js';

/**
 * `render` of a fresh project after `edit`: refused with exit 2, no stack trace, dist-manifests/ exactly as it was.
 * Returns the messages and the edited file (to locate values in).
 */
export async function refused(env: string, edit: (text: string) => string): Promise<{ stderr: string; file: string }> {
  const root = tempProject();
  expect((await runCli(root, ['render'])).exitCode).toBe(0);
  const before = readTree(join(root, 'dist-manifests'));
  editEnvironment(root, env, edit);
  const result = await runCli(root, ['render']);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).toContain('nothing was written');
  expect(readTree(join(root, 'dist-manifests'))).toEqual(before);
  return { stderr: result.stderr, file: readFileSync(join(root, 'environments', `${env}.yaml`), 'utf8') };
}

/** `line:column` of the first `snippet` at or after `after` in `text`. */
export function at(text: string, snippet: string, after = ''): string {
  const index = text.indexOf(snippet, after ? text.indexOf(after) : 0);
  if (index < 0) throw new Error(`${snippet} not found`);
  const lines = text.slice(0, index).split('\n');
  return `${lines.length}:${lines[lines.length - 1]!.length + 1}`;
}
