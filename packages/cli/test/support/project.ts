import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/main.js';
import type { CliIO } from '../../src/io.js';

/** The repository root, for tests that read the committed environments and output. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A throwaway project: a copy of the repository's environments/ (and dist-manifests/ when asked). */
export function tempProject(options: { withOutput?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'emr-gitops-'));
  cpSync(join(REPO_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
  if (options.withOutput) cpSync(join(REPO_ROOT, 'dist-manifests'), join(root, 'dist-manifests'), { recursive: true });
  return root;
}

/** Rewrites one environment file of a temp project with `edit`. */
export function editEnvironment(root: string, env: string, edit: (text: string) => string): void {
  const file = join(root, 'environments', `${env}.yaml`);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit changed nothing in ${env}.yaml`);
  writeFileSync(file, after);
}

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd` with captured output. */
export async function runCli(cwd: string, argv: string[], overrides: Partial<CliIO> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (text) => { stdout += text; },
    err: (text) => { stderr += text; },
    isTTY: false,
    env: {},
    cwd,
    ...overrides,
  };
  const exitCode = await run(argv, io);
  return { exitCode, stdout, stderr };
}
