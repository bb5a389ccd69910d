import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferIO, repoEnvironment, runCli, tempProject } from './support/harness.js';

const PROVIDER = 'oidc.eks.ap-northeast-2.amazonaws.com/id/5E1C0F6B9A2D4C8E7F3B1A0D9C8E7F6A';

// app-dev gets a role with a path named like the vector; data-eng and ml share one role.
const environment = repoEnvironment('dev')
  .replace('role/emr-dev-app-dev-job-execution', 'role/teams/spark/emr-job-role')
  .replace('role/emr-dev-data-eng-job-execution', 'role/a')
  .replace('role/emr-dev-ml-job-execution', 'role/a');

let project: { root: string; cleanup: () => void };
beforeEach(() => {
  project = tempProject('dev', environment);
});
afterEach(() => project.cleanup());

const trustPolicy = (args: readonly string[] = []) =>
  runCli(['emr', 'trust-policy', '--env', 'dev', ...args], bufferIO(project.root));

/** The statement as awscli's TRUST_POLICY_STATEMENT_FORMAT writes it, through json.dumps(indent=2), nested one level. */
const awsCliStatement = (namespace: string, encodedRole: string) => `    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::210987654321:oidc-provider/${PROVIDER}"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringLike": {
          "${PROVIDER}:sub": "system:serviceaccount:${namespace}:emr-containers-sa-*-*-210987654321-${encodedRole}"
        }
      }
    }`;

describe('emr trust-policy', () => {
  it("prints each role's document as update-role-trust-policy --dry-run does, one statement per tenant", async () => {
    const result = await trustPolicy();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const documents = [
      `{\n  "Version": "2012-10-17",\n  "Statement": [\n${awsCliStatement('spark-app-dev', '31k61zpmb7mlsiqq1k5')}\n  ]\n}`,
      `{\n  "Version": "2012-10-17",\n  "Statement": [\n${awsCliStatement('spark-data-eng', '2p')},\n${awsCliStatement('spark-ml', '2p')}\n  ]\n}`,
    ];
    // IAM counts the policy without whitespace.
    const [size1, size2] = documents.map((document) => JSON.stringify(JSON.parse(document)).length);
    expect(result.stdout).toBe(
      `# arn:aws:iam::210987654321:role/teams/spark/emr-job-role (tenants: app-dev; ${size1}/2048 characters)\n${documents[0]}\n\n` +
        `# arn:aws:iam::210987654321:role/a (tenants: data-eng, ml; ${size2}/2048 characters)\n${documents[1]}\n`,
    );
  });

  it("gives machines JSON, and one tenant's statement with --tenant", async () => {
    const result = await trustPolicy(['--tenant', 'ml', '--output', 'json']);
    expect(result.code).toBe(0);
    const [policy, ...rest] = JSON.parse(result.stdout);
    expect(rest).toEqual([]);
    expect(policy).toMatchObject({
      roleArn: 'arn:aws:iam::210987654321:role/a',
      roleName: 'a',
      tenants: ['ml'],
      maxSize: 2048,
      warnings: [],
    });
    expect(policy.statements).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::210987654321:oidc-provider/${PROVIDER}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringLike: { [`${PROVIDER}:sub`]: 'system:serviceaccount:spark-ml:emr-containers-sa-*-*-210987654321-2p' },
        },
      },
    ]);
    expect(policy.size).toBe(JSON.stringify(policy.document).length);
  });

  it('warns on stderr about a role in another account, and refuses an unknown tenant', async () => {
    project.cleanup();
    project = tempProject(
      'dev',
      environment.replaceAll('arn:aws:iam::210987654321:role/a', 'arn:aws:iam::111111111111:role/a'),
    );
    const result = await trustPolicy(['--tenant', 'ml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: role a is in account 111111111111 but the cluster is in 210987654321/);
    const unknown = await trustPolicy(['--tenant', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown tenant "nobody"/);
  });
});
