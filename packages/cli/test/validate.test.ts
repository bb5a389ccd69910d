import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../src/output/tree.js';
import { REPO_ROOT, editEnvironment, runCli, tempProject } from './support/project.js';

/** A kubeconform-style schema directory whose Namespace schema demands a label the renderer does not set. */
function strictNamespaceSchemas(root: string): string {
  const dir = join(root, 'schemas');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'namespace-v1.json'),
    JSON.stringify({
      type: 'object',
      required: ['metadata'],
      properties: {
        metadata: {
          type: 'object',
          required: ['labels'],
          properties: { labels: { type: 'object', required: ['cost-center'] } },
        },
      },
    }),
  );
  return 'schemas';
}

describe('emr-gitops validate', () => {
  it('the committed environments pass every rule', async () => {
    const result = await runCli(REPO_ROOT, ['validate']);
    // One risk dev accepts knowingly: Prometheus on the seed's NodePort, with the security-group rule named.
    expect(result.stderr).toMatch(
      /^warning: environments\/dev\.yaml:\d+:\d+: addons\.prometheus\.server\.service\.nodePort: [^\n]*\[prometheus-node-port\]\n$/,
    );
    expect(result.stdout).toMatch(/^dev, global, prod, sandbox, staging: no errors, 1 warning \(\d+ objects\)$/m);
    // Which official OpenAPI each environment was checked against: its cluster's minor (global: each cluster's).
    expect(result.stdout.split('\n').filter((line) => line.includes('schemas'))).toEqual([
      'dev: Kubernetes 1.31 schemas',
      'global/spark-global-seoul: Kubernetes 1.31 schemas',
      'global/spark-global-tokyo: Kubernetes 1.32 schemas',
      'prod: Kubernetes 1.30 schemas',
      'sandbox: Kubernetes 1.33 schemas',
      'staging: Kubernetes 1.31 schemas',
    ]);
    expect(result.exitCode).toBe(0);
  });

  it('--output json gives machines the findings with CI annotations', async () => {
    const root = tempProject();
    const schemaDir = strictNamespaceSchemas(root);
    const result = await runCli(root, ['validate', '--env', 'dev', '--output', 'json', '--schema-dir', schemaDir]);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.environments).toEqual(['dev']);
    expect(report.kubernetesSchemas).toEqual({ dev: '1.31' });
    expect(report.errors).toBe(5); // the three tenant namespaces, jupyterhub's and monitoring's lack the label
    expect(report.findings.find((f: { path: string }) => f.path.startsWith('tenants/'))).toMatchObject({
      rule: 'schema',
      severity: 'error',
      environment: 'dev',
      path: 'tenants/app-dev/namespace-spark-app-dev.yaml',
      annotation: {
        path: 'dist-manifests/dev/tenants/app-dev/namespace-spark-app-dev.yaml',
        annotation_level: 'failure',
      },
    });
  });

  it('checks each environment against the schemas of its own Kubernetes version', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) => text.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: "1.33"'));
    const result = await runCli(root, ['validate', '--env', 'dev', '--env', 'prod', '--output', 'json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).kubernetesSchemas).toEqual({ dev: '1.33', prod: '1.30' });
  });

  it("warns, at the quota's line, when executors could never use the whole quota: their pools are limited to less", async () => {
    const root = tempProject();
    // dev's executor pools may launch 400 + 100 cores; 900 cores of quota can never be used.
    editEnvironment(root, 'dev', (text) =>
      text.replace(
        'quota: { cpu: 32, memory: 256Gi, pods: 100, storage: 800Gi }',
        'quota: { cpu: 900, memory: 256Gi, pods: 100, storage: 30Ti }',
      ),
    );
    const result = await runCli(root, ['validate', '--env', 'dev']);
    expect(result.exitCode).toBe(0); // a warning, not an error
    expect(result.stderr).toMatch(
      /^warning: environments\/dev\.yaml:\d+:\d+: tenants\[2\]\.quota\.cpu: quota\.cpu 900 leaves 897\.4 cores for executors .* may launch only 500 cores in all.*\[quota-exceeds-capacity\]$/m,
    );
  });
});

describe('emr-gitops render refuses output that breaks a rule', () => {
  it('prints the findings, exits 1 and writes nothing', async () => {
    const root = tempProject();
    expect((await runCli(root, ['render'])).exitCode).toBe(0);
    const before = readTree(join(root, 'dist-manifests'));
    editEnvironment(root, 'dev', (text) => text.replace('pods: 60,', 'pods: 70,'));

    const result = await runCli(root, ['render', '--schema-dir', strictNamespaceSchemas(root)]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'error: dev tenants/app-dev/namespace-spark-app-dev.yaml Namespace/spark-app-dev metadata.labels',
    );
    expect(result.stderr).toContain('nothing was written');
    expect(readTree(join(root, 'dist-manifests'))).toEqual(before);
  });

  it("prints the renderer's warnings, such as a shared job role whose trust policy passes IAM's size limit", async () => {
    const root = tempProject();
    // Five tenants sharing one role with a long name (EMR's service account pattern holds it in base36) need five
    // statements: more than 2048 characters of trust policy, while its permissions policy (about 1,500 characters per
    // tenant) stays under IAM's 10,240, which more tenants would pass (iam-policy-size refuses that).
    const role = 'emr-staging-job-execution-role-shared-by-all-teams-of-cluster';
    editEnvironment(root, 'staging', (text) => {
      const tenants = Array.from(
        { length: 5 },
        (_, i) => `  - name: team-${i}
    namespace: spark-team-${i}
    quota: { cpu: 4, memory: 32Gi, pods: 20, storage: 300Gi }
    containerDefaults:
      default: { memory: 4Gi }
      defaultRequest: { cpu: 500m, memory: 2Gi }
    executionRoleArn: arn:aws:iam::310987654321:role/${role}
    releaseLabel: emr-7.5.0-latest
    spark: { maxJobDuration: 4h }
`,
      ).join('');
      // No queues among them: YuniKorn would have none to schedule (yunikorn-addon), so it goes too.
      return `${text.slice(0, text.indexOf('tenants:\n')).replace(/^ {2}yunikorn: \{\}.*\n/m, '')}tenants:\n${tenants}`;
    });
    const result = await runCli(root, ['render', '--env', 'staging']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^warning: environments/staging\\.yaml:\\d+:\\d+: tenants\\[0\\]\\.executionRoleArn: the trust policy of role ${role} is \\d+ characters, over IAM's limit of 2048`,
        'm',
      ),
    );
    // Their permissions merge: each of the four others is told so.
    expect(
      result.stderr.match(
        new RegExp(
          `^warning: .*: tenants\\[[1-4]\\]\\.executionRoleArn: role ${role} is also the job execution role of tenant team-0: .*\\[iam-role-shared\\]$`,
          'gm',
        ),
      ),
    ).toHaveLength(4);
  });
});
