import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/project.js';

const cliPackage = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const bin = fileURLToPath(new URL('../bin/emr-gitops.js', import.meta.url));

describe('emr-gitops --version', () => {
  it.each(['--version', '-V'])('%s prints the cli package version and exits 0', async (flag) => {
    const result = await runCli(process.cwd(), [flag]);
    expect(result).toEqual({ exitCode: 0, stdout: `${cliPackage.version}\n`, stderr: '' });
  });

  it('the installed binary answers the same (from dist/, which pnpm test builds first)', () => {
    if (!existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url))))
      throw new Error('packages/cli/dist is missing: run pnpm build first');
    const ran = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect({ status: ran.status, stdout: ran.stdout, stderr: ran.stderr }).toEqual({
      status: 0,
      stdout: `${cliPackage.version}\n`,
      stderr: '',
    });
  });

  it('is listed in the help', async () => {
    const result = await runCli(process.cwd(), ['--help']);
    expect(result.stdout).toMatch(/-V, --version\s+print the version of emr-gitops/);
  });
});
