import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../src/output/tree.js';
import { editEnvironment, runCli, tempProject } from './support/project.js';

/**
 * Each way an environment file can be wrong: the message names file, line, column, field and what is allowed;
 * the exit code is 2; there is no stack trace; and dist-manifests/ is exactly as it was.
 */
async function renderBroken(edit: (text: string) => string, env = 'dev') {
  const root = tempProject();
  lastEdited = join(root, 'environments', `${env}.yaml`);
  expect((await runCli(root, ['render'])).exitCode).toBe(0);
  const before = readTree(join(root, 'dist-manifests'));
  editEnvironment(root, env, edit);
  const result = await runCli(root, ['render']);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.stderr).toContain('nothing was written');
  expect(readTree(join(root, 'dist-manifests'))).toEqual(before);
  return result.stderr;
}

let lastEdited = '';

/** `line:column` (1-based) of the `occurrence`-th `snippet` in the file the last test edited: where an editor shows it. */
function at(snippet: string, occurrence = 1): string {
  const text = readFileSync(lastEdited, 'utf8');
  let index = -1;
  for (let i = 0; i < occurrence; i++) index = text.indexOf(snippet, index + 1);
  if (index < 0) throw new Error(`${snippet} not in ${lastEdited}`);
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe('bad environment files', () => {
  it('YAML syntax error', async () => {
    const stderr = await renderBroken((text) =>
      text.replace('  region: ap-northeast-2', '  region: ap-northeast-2: seoul'),
    );
    expect(stderr).toMatch(
      new RegExp(`^environments/dev\\.yaml:${at('  region:').split(':')[0]}:\\d+: YAML syntax error: `, 'm'),
    );
  });

  it('unknown field, with the allowed fields and a suggestion', async () => {
    const stderr = await renderBroken((text) => text.replace('  region: ap-northeast-2', '  regoin: ap-northeast-2'));
    expect(stderr).toContain(
      `environments/dev.yaml:${at('regoin')}: cluster.regoin: unknown field (did you mean "region"?); allowed fields here: name, region, accountId`,
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at('cluster:')}: cluster.region: required field is missing: AWS region of the cluster, e.g. ap-northeast-2`,
    );
  });

  it('wrong type', async () => {
    const stderr = await renderBroken((text) => text.replace('pods: 60,', 'pods: sixty,'));
    expect(stderr).toContain(
      `environments/dev.yaml:${at('sixty')}: tenants[0].quota.pods: must be an integer, got "sixty"`,
    );
  });

  it('an unquoted Kubernetes version is caught as a number, with how to write it', async () => {
    const stderr = await renderBroken((text) => text.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: 1.31'));
    expect(stderr).toContain(
      `environments/dev.yaml:${at('1.31')}: cluster.kubernetesVersion: must be a string, got number 1.31; expected Kubernetes version of the cluster, quoted as "1.<minor>"`,
    );
  });

  it('a namespace that is not a DNS-1123 label', async () => {
    const stderr = await renderBroken((text) => text.replace('namespace: spark-ml', 'namespace: Spark_ML'));
    expect(stderr).toContain(
      `environments/dev.yaml:${at('Spark_ML')}: tenants[2].namespace: "Spark_ML" is not valid; expected Kubernetes namespace of the tenant: a DNS-1123 label`,
    );
  });

  it('a name longer than 63 characters', async () => {
    const long = `ml-${'x'.repeat(61)}`;
    const stderr = await renderBroken((text) => text.replace('- name: ml\n', `- name: ${long}\n`));
    expect(stderr).toContain(
      `environments/dev.yaml:${at(long)}: tenants[2].name: "${long}" is not valid; expected tenant name`,
    );
  });

  it('duplicate tenant and duplicate namespace point at the second occurrence', async () => {
    const stderr = await renderBroken((text) =>
      text.replace('- name: ml\n    namespace: spark-ml', '- name: data-eng\n    namespace: spark-app-dev'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at('data-eng\n    namespace: spark-app-dev')}: tenants[2].name: "data-eng" is already the name of tenants[1]; each tenant needs its own name`,
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at('spark-app-dev\n    description: Machine')}: tenants[2].namespace: "spark-app-dev" is already the namespace of tenants[0]; each tenant needs its own namespace`,
    );
  });

  it('an invalid ARN', async () => {
    const stderr = await renderBroken((text) =>
      text.replace('arn:aws:iam::210987654321:role/emr-dev-ml-job-execution', 'arn:aws:iam::2109876:role/emr-dev-ml'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at('arn:aws:iam::2109876:')}: tenants[2].executionRoleArn: "arn:aws:iam::2109876:role/emr-dev-ml" is not valid; expected IAM role EMR jobs of this tenant run as: arn:<partition>:iam::<account>:role/<name>`,
    );
  });

  it('a value a builder refuses is located too (request above its limit)', async () => {
    const stderr = await renderBroken((text) =>
      text.replace('defaultRequest: { cpu: 250m, memory: 512Mi }', 'defaultRequest: { cpu: 250m, memory: 6Gi }'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at('6Gi')}: tenants[0].containerDefaults.defaultRequest.memory: 6Gi is more than the default limit 2Gi; a request must not exceed its limit`,
    );
  });

  it('reports every problem of every file at once, sorted by position', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) =>
      text.replace('pods: 60,', 'pods: -1,').replace('releaseLabel: emr-7.5.0-latest', 'releaseLabel: 7.5'),
    );
    editEnvironment(root, 'prod', (text) => text.replace('emrAccess: aws-auth', 'emrAccess: configmap'));
    const result = await runCli(root, ['render']);
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split('\n');
    lastEdited = join(root, 'environments', 'dev.yaml');
    const [pods, release] = [at('-1,'), at('7.5\n')];
    lastEdited = join(root, 'environments', 'prod.yaml');
    expect(lines).toEqual([
      `environments/dev.yaml:${pods}: tenants[0].quota.pods: must be >= 1; expected how many pods may exist at once: a whole number from 1`,
      `environments/dev.yaml:${release}: tenants[0].releaseLabel: must be a string, got number 7.5; expected EMR release label of the tenant's jobs, e.g. emr-7.2.0-latest or emr-6.15.0-20240105`,
      `environments/prod.yaml:${at('configmap')}: cluster.emrAccess: "configmap" is not allowed; allowed: aws-auth, access-entry`,
      '3 problems found; nothing was written.',
    ]);
    expect(result.stdout).toBe('');
  });

  it('a Kubernetes version without bundled schemas is refused, naming the supported ones', async () => {
    const stderr = await renderBroken((text) => text.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: "1.27"'));
    expect(stderr).toContain(
      `environments/dev.yaml:${at('"1.27"')}: cluster.kubernetesVersion: "1.27" has no bundled Kubernetes schemas; supported: 1.29, 1.30, 1.31, 1.32, 1.33`,
    );
    const validate = await runCli(join(lastEdited, '..', '..'), ['validate', '--env', 'dev']);
    expect(validate.exitCode).toBe(2);
    expect(validate.stderr).toContain(
      `environments/dev.yaml:${at('"1.27"')}: cluster.kubernetesVersion: "1.27" has no bundled Kubernetes schemas`,
    );
  });

  it('access-entry on a cluster older than 1.23 is refused', async () => {
    const stderr = await renderBroken((text) => text.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: "1.22"'));
    expect(stderr).toContain(
      `environments/dev.yaml:${at('access-entry')}: cluster.emrAccess: access-entry needs EKS 1.23 or later, the cluster is 1.22; use aws-auth`,
    );
  });

  it('a capacity class rule found while rendering is located at the class in the file, exit 2', async () => {
    const stderr = await renderBroken((text) => text.replace('categories: [g]', 'categories: [m]'), 'prod');
    expect(stderr).toContain(
      `environments/prod.yaml:${at('[m]')}: capacity.classes[2].categories: GPU class gpu selects only instance types without GPUs (m5, m5a, m5ad, m5d, m6a, m6i, ...): the GPU pools, which require a GPU, can launch nothing and every executor stays Pending; select GPU families such as g5, g6, g6e (categories [g]) [capacity-class-gpu]`,
    );
  });

  it('an environment file that is a folder is named with exit 2 and no stack trace, nothing written', async () => {
    const root = tempProject();
    const { mkdirSync, renameSync } = await import('node:fs');
    renameSync(join(root, 'environments', 'sandbox.yaml'), join(root, 'environments', 'sandbox.yaml.bak'));
    mkdirSync(join(root, 'environments', 'sandbox.yaml'));
    const before = readTree(join(root, 'dist-manifests'));
    const result = await runCli(root, ['render', '--env', 'sandbox']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('error: environments/sandbox.yaml is a folder, not a file\n');
    expect(readTree(join(root, 'dist-manifests'))).toEqual(before);
  });
});
