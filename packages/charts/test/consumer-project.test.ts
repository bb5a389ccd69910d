import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The libraries as another repository gets them: `pnpm pack` of core and charts, installed with plain npm into a
 * fresh project outside the workspace next to the peers (cdk8s, constructs) and TypeScript, at the workspace's
 * versions. The program in consumer-project/ builds its own chart and renders an environment of its own; it must
 * type-check without skipLibCheck under moduleResolution node16 and bundler, and run on this Node.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./consumer-project/', import.meta.url));
const LIBRARIES = ['core', 'charts'] as const;

interface Ran {
  readonly status: number | null;
  readonly output: string;
}

/** npm and pnpm settings of the workspace's own run must not leak into the consumer's npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm|pnpm)_/i.test(key)) env[key] = value;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function run(command: string, args: readonly string[], cwd: string): Ran {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** pnpm as the workspace runs it (the pnpm that started `pnpm test`), else from the PATH. */
function pnpm(args: readonly string[], cwd: string): Ran {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(execPath) && /\.c?js$/.test(execPath)
    ? run(process.execPath, [execPath, ...args], cwd)
    : run('pnpm', args, cwd);
}

/** The version the workspace installed of a package, as seen from packages/charts (its peers are dev dependencies there). */
function workspaceVersion(name: string): string {
  for (const from of ['packages/charts', '.']) {
    const manifest = join(repoRoot, from, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${name} is not installed in the workspace; run pnpm install`);
}

const ok = (ran: Ran, what: string) => expect(ran.status, `${what} failed:\n${ran.output}`).toBe(0);

describe('a consumer project installs the packed libraries with npm', () => {
  let dir = '';
  let install: Ran;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'emr-eks-gitops-consumer-'));
    const packs = join(dir, 'packs');
    for (const library of LIBRARIES) {
      const packageDir = join(repoRoot, 'packages', library);
      if (!existsSync(join(packageDir, 'dist', 'index.js')))
        throw new Error(`packages/${library}/dist is missing: run pnpm build first`);
      ok(pnpm(['pack', '--pack-destination', packs], packageDir), `pnpm pack of ${library}`);
    }
    const tarballs = readdirSync(packs)
      .filter((file) => file.endsWith('.tgz'))
      .sort()
      .map((file) => join(packs, file));
    expect(tarballs).toHaveLength(LIBRARIES.length);

    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
    );
    for (const file of ['main.ts', 'tsconfig.node16.json', 'tsconfig.bundler.json'])
      copyFileSync(join(fixture, file), join(project, file));
    install = run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=warn',
        ...tarballs,
        ...['cdk8s', 'constructs', 'typescript', '@types/node'].map((name) => `${name}@${workspaceVersion(name)}`),
      ],
      project,
    );
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const project = () => join(dir, 'project');
  const tsc = (config: string) =>
    run(process.execPath, [join(project(), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], project());

  it('npm installs them without an engine warning, with one copy of the peers, README and LICENSE included', () => {
    ok(install, 'npm install');
    expect(install.output).not.toMatch(/EBADENGINE/);
    for (const library of LIBRARIES) {
      const installed = join(project(), 'node_modules', '@emr-eks-gitops', library);
      for (const file of ['README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'])
        expect(existsSync(join(installed, file)), `${library}/${file}`).toBe(true);
      for (const peer of ['cdk8s', 'constructs'])
        expect(existsSync(join(installed, 'node_modules', peer)), `${library} has its own ${peer}`).toBe(false);
    }
    expect(existsSync(join(project(), 'node_modules', '@emr-eks-gitops', 'core', 'schemas', 'crds'))).toBe(true);
  });

  it.each(['tsconfig.node16.json', 'tsconfig.bundler.json'])(
    'type-checks with %s (no skipLibCheck)',
    (config) => {
      ok(install, 'npm install');
      ok(tsc(config), `tsc -p ${config}`);
    },
    120_000,
  );

  it('runs on node: its own chart from the builders, and an environment of its own rendered and validated', () => {
    ok(install, 'npm install');
    // The node16 type-check above emits dist/; compile here only when this test runs alone.
    if (!existsSync(join(project(), 'dist', 'main.js'))) ok(tsc('tsconfig.node16.json'), 'tsc -p tsconfig.node16.json');
    const ran = run(process.execPath, ['dist/main.js'], project());
    ok(ran, 'node dist/main.js');
    expect(ran.output.trim().split('\n')).toEqual([
      'chart: LimitRange/container-defaults Namespace/spark-analytics ResourceQuota/tenant-quota Role/emr-containers RoleBinding/emr-containers',
      expect.stringMatching(/^environment: consumer \d+ files, 0 errors$/),
      'quota: true',
    ]);
  }, 120_000);
});
