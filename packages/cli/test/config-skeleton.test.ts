import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editEnvironment, runCli, tempProject } from './support/project.js';

/**
 * An environment file with nothing in it gets one message listing what an environment needs, not a schema error per
 * missing key; an empty list gets a sentence in the project's words, not ajv's.
 */
const NEEDS =
  'an environment needs cluster (name, region, accountId, kubernetesVersion, oidcIssuer, emrAccess), ' +
  'capacity (nodeRole), spark (artifactsS3Uri) and tenants (a list of at least 1, each with name, ' +
  'namespace, quota, containerDefaults, executionRoleArn, releaseLabel); environments/schema.json describes every field';

async function renderWith(text: string) {
  const root = tempProject();
  writeFileSync(join(root, 'environments', 'dev.yaml'), text);
  const result = await runCli(root, ['render', '--env', 'dev']);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stderr;
}

describe('an empty or skeletal environment file', () => {
  it.each([
    ['an empty file', '', 'the file has no settings (it is empty or holds only comments)', '1:1'],
    [
      'only comments',
      '# yaml-language-server: $schema=./schema.json\n# the dev environment, to be written\n',
      'the file has no settings (it is empty or holds only comments)',
      '1:1',
    ],
    ['an empty mapping', '# to be written\n{}\n', 'the file is an empty mapping', '2:1'],
  ])('%s: one message with the keys it needs', async (_, text, what, position) => {
    const stderr = await renderWith(text);
    expect(stderr).toBe(
      `environments/dev.yaml:${position}: ${what}; ${NEEDS}\n1 problem found; nothing was written.\n`,
    );
  });

  it('a file with some keys still gets one located message per missing key', async () => {
    const stderr = await renderWith('cluster:\n  name: spark-platform-dev\n');
    expect(stderr).toContain('environments/dev.yaml:1:1: capacity: required field is missing');
    expect(stderr).not.toContain('an environment needs');
  });
});

describe('an empty list', () => {
  it("tenants: [] is answered in the project's words, at the list", async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) => `${text.slice(0, text.indexOf('\ntenants:'))}\ntenants: []\n`);
    const text = readFileSync(join(root, 'environments', 'dev.yaml'), 'utf8');
    const line = text.slice(0, text.indexOf('tenants: []')).split('\n').length;
    const result = await runCli(root, ['render', '--env', 'dev']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `environments/dev.yaml:${line}:10: tenants: at least one entry is needed, the list has none; ` +
        'expected The teams sharing the cluster, at least one\n1 problem found; nothing was written.\n',
    );
    expect(result.stderr).not.toMatch(/must NOT have fewer/);
  });

  it('any list with a minimum is worded the same way (capacity.controller.managedNodeGroups)', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) => text.replace('managedNodeGroups: [system]', 'managedNodeGroups: []'));
    const result = await runCli(root, ['render', '--env', 'dev']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^environments\/dev\.yaml:\d+:\d+: capacity\.controller\.managedNodeGroups: at least one entry is needed, the list has none; expected EKS managed node groups/m,
    );
  });
});
