import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineTenantFiles, type TenantFileText } from '@emr-eks-gitops/charts';
import { run } from '../../src/main.js';
import type { CliIO } from '../../src/io.js';

/** The repository root, for tests that read the committed environments and output. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The repository's tenant files (environments/tenants/*.yaml). */
export function repoTenantFiles(): TenantFileText[] {
  const dir = join(REPO_ROOT, 'environments', 'tenants');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ path: `environments/tenants/${file}`, text: readFileSync(join(dir, file), 'utf8') }));
}

/** A committed environment as one self-contained file: its tenant files' tenants written into its tenants: list. */
export function repoEnvironmentText(name: string): string {
  return inlineTenantFiles(
    readFileSync(join(REPO_ROOT, 'environments', `${name}.yaml`), 'utf8'),
    `environments/${name}.yaml`,
    repoTenantFiles(),
  );
}

/**
 * A throwaway project: a copy of the repository's environments/ (and dist-manifests/ when asked). By default each
 * environment is one self-contained file (tenants written in, for tests that edit a tenant's lines); with
 * `tenantFiles` the layout is the repository's own (environments/tenants/).
 */
export function tempProject(options: { withOutput?: boolean; tenantFiles?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'emr-gitops-'));
  cpSync(join(REPO_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
  if (!options.tenantFiles) {
    rmSync(join(root, 'environments', 'tenants'), { recursive: true });
    for (const file of readdirSync(join(REPO_ROOT, 'environments')).filter((name) => name.endsWith('.yaml'))) {
      writeFileSync(join(root, 'environments', file), repoEnvironmentText(file.replace(/\.yaml$/, '')));
    }
  }
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
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    isTTY: false,
    env: {},
    cwd,
    ...overrides,
  };
  const exitCode = await run(argv, io);
  return { exitCode, stdout, stderr };
}
