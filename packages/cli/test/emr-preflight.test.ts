import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAccount } from './support/fake-account.js';
import { bufferIO, runCli, useFakeEmr } from './support/harness.js';
import { putRenderedIam, renderedRolePolicies } from './support/rendered-iam.js';

const ACCOUNT = '210987654321';
const ISSUER = 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/5E1C0F6B9A2D4C8E7F3B1A0D9C8E7F6A';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.slice('https://'.length)}`;
const EMR_ROLE = `arn:aws:iam::${ACCOUNT}:role/AWSServiceRoleForAmazonEMRContainers`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/KarpenterNodeRole-spark-platform-dev`;
const LOGS = 'spark-platform-dev-logs-210987654321';
const ML_ROLE = `arn:aws:iam::${ACCOUNT}:role/emr-dev-ml-job-execution`;
const PUT_ML =
  'aws iam put-role-policy --role-name emr-dev-ml-job-execution --policy-name emr-eks-gitops --policy-document file://dist-manifests/dev/artifacts/iam/emr-dev-ml-job-execution.json';

const { fixture, emr } = useFakeEmr();
let account: FakeAccount;

beforeEach(async () => {
  account = await new FakeAccount().start();
  for (const service of ['IAM', 'STS', 'EKS', 'SQS']) vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, account.url);
});
afterEach(() => account.stop());

type Check = { area: string; subject: string; status: string; detail: string; fix?: string };
async function preflight(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string; checks: Check[] }> {
  const result = await emr(['preflight', '--output', 'json', ...args]);
  return { ...result, checks: result.stdout ? (JSON.parse(result.stdout) as { checks: Check[] }).checks : [] };
}

/** An account holding everything dev needs: what `emr apply` writes, and what a person sets up once (the rendered IAM documents put as they are). */
async function completeAccount(): Promise<void> {
  expect((await emr(['apply'])).code).toBe(0);
  const trust = await runCli(['emr', 'trust-policy', '--env', 'dev', '--output', 'json'], bufferIO(fixture.root));
  for (const policy of JSON.parse(trust.stdout) as { roleName: string; document: FakeAccountRoleTrust }[]) {
    account.roles.set(policy.roleName, { trust: policy.document });
  }
  putRenderedIam(account, 'dev');
  account.oidcProviders.set(PROVIDER, ['sts.amazonaws.com']);
  account.clusters.set('spark-platform-dev', {
    issuer: ISSUER,
    authenticationMode: 'API_AND_CONFIG_MAP',
    accessEntries: new Map([
      [EMR_ROLE, 'STANDARD'],
      [NODE_ROLE, 'EC2_LINUX'],
    ]),
    fargateProfiles: new Map(),
  });
  account.queues.add('spark-platform-dev-karpenter');
}
type FakeAccountRoleTrust = { Version: string; Statement: unknown[] };

describe('emr preflight', () => {
  it('passes on an account holding everything, reading only', async () => {
    await completeAccount();
    const writes = fixture.s3.calls('PutObject');
    const result = await preflight();
    expect(result.stderr).toBe('');
    expect(result.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(result.code).toBe(0);
    const areas = new Set(result.checks.map((check) => check.area));
    expect([...areas].sort()).toEqual([
      'account',
      'artifact',
      'eks cluster',
      'emr access',
      'iam oidc provider',
      'interruption queue',
      'managed policies',
      'node role access',
      'oidc issuer',
      'permissions',
      's3 bucket',
      's3 prefix',
      'trust policy',
    ]);
    // A row per rendered document, the Karpenter controller's (conditions on tags, regions, passed roles) included.
    const permissions = result.checks.filter((check) => check.area === 'permissions');
    expect(permissions.map((check) => check.subject.split('/').pop()).sort()).toEqual(
      [...renderedRolePolicies('dev').keys()].sort(),
    );
    expect(result.checks).toContainEqual({
      area: 'permissions',
      subject: `arn:aws:iam::${ACCOUNT}:role/emr-dev-app-dev-notebook`,
      status: 'ok',
      detail:
        'notebook account notebook-spark of tenant app-dev: allowed all of artifacts/iam/emr-dev-app-dev-notebook.json',
    });
    expect(result.checks).toContainEqual({
      area: 'managed policies',
      subject: NODE_ROLE,
      status: 'ok',
      detail:
        'node role of the instances Karpenter launches (capacity.nodeRole): AmazonEKS_CNI_Policy, AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryPullOnly, AmazonSSMManagedInstanceCore attached',
    });
    // The ListBucket statements are simulated with the s3:prefix their condition needs, sent as ContextEntries.
    const listing = account.requests
      .filter(
        (request) =>
          request.operation === 'SimulatePrincipalPolicy' &&
          request.detail.PolicySourceArn === ML_ROLE &&
          request.detail['ActionNames.member.1'] === 's3:ListBucket',
      )
      .map((request) => request.detail);
    expect(
      listing.map((detail) => [
        detail['ResourceArns.member.1'],
        detail['ContextEntries.member.1.ContextKeyName'],
        detail['ContextEntries.member.1.ContextKeyType'],
        detail['ContextEntries.member.1.ContextKeyValues.member.1'],
      ]),
    ).toEqual([
      [
        'arn:aws:s3:::spark-platform-dev-artifacts-210987654321',
        's3:prefix',
        'string',
        'emr-eks-gitops/tenants/ml/emr-gitops-preflight-probe',
      ],
      [`arn:aws:s3:::${LOGS}`, 's3:prefix', 'string', 'ml/emr-gitops-preflight-probe'],
    ]);
    expect(fixture.s3.calls('PutObject')).toBe(writes);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(3);

    const table = await emr(['preflight']);
    expect(table.stdout).toMatch(/^AREA\s+SUBJECT\s+STATUS\s+DETAIL$/m);
    expect(table.stdout).toMatch(/\d+ ok, 0 missing, 0 could not check, 0 skipped\.\n$/);
  });

  it('reports each missing piece of an empty account with its fix, exit 1', async () => {
    const result = await preflight();
    expect(result.code).toBe(1);
    const find = (area: string, subject?: string) =>
      result.checks.find((check) => check.area === area && (subject === undefined || check.subject === subject));
    expect(find('artifact')).toMatchObject({
      status: 'missing',
      detail: 'not uploaded: jobs using it fail at submission',
      fix: 'emr-gitops emr apply --env dev',
    });
    expect(find('s3 prefix', `s3://${LOGS}/ml/spark-events/`)).toMatchObject({
      status: 'missing',
      fix: 'emr-gitops emr apply --env dev',
    });
    expect(find('eks cluster')).toMatchObject({
      status: 'missing',
      detail: 'no EKS cluster spark-platform-dev in ap-northeast-2',
    });
    expect(find('iam oidc provider')).toEqual({
      area: 'iam oidc provider',
      subject: PROVIDER,
      status: 'missing',
      detail: "no IAM OIDC provider for the cluster's issuer: no job role can be assumed",
      fix: 'eksctl utils associate-iam-oidc-provider --cluster spark-platform-dev --region ap-northeast-2 --approve',
    });
    expect(find('trust policy', `arn:aws:iam::${ACCOUNT}:role/emr-dev-ml-job-execution`)).toMatchObject({
      status: 'missing',
      detail: 'the job execution role of ml does not exist',
    });
    expect(find('permissions', ML_ROLE)).toEqual({
      area: 'permissions',
      subject: ML_ROLE,
      status: 'missing',
      detail: 'job execution role of tenant ml: the role does not exist',
      fix: `create the role, then: ${PUT_ML}`,
    });
    expect(find('managed policies', NODE_ROLE)).toMatchObject({
      status: 'missing',
      detail: 'node role of the instances Karpenter launches (capacity.nodeRole): the role does not exist',
    });
    expect(find('interruption queue')).toMatchObject({
      status: 'missing',
      detail: 'no such SQS queue: Karpenter cannot learn of spot interruptions',
    });
    // Without a described cluster, access entries cannot be judged: said so, never passed.
    expect(find('emr access')).toMatchObject({ status: 'could not check' });
    expect(
      result.checks.some((check) => check.status === 'ok' && check.area !== 's3 bucket' && check.area !== 'account'),
    ).toBe(false);
  });

  it('names a denied permission, a missing trust statement, a wrong issuer and absent access entries', async () => {
    await completeAccount();
    // ml's role lacks the statement letting EMR upload its job logs and may list another prefix of the logs bucket than
    // its own; the node role lacks one managed policy.
    const ml = account.roles.get('emr-dev-ml-job-execution')!;
    ml.policies = ml.policies!.map((policy) => ({
      Statement: policy.Statement.filter((statement) => statement.Sid !== 'JobMlUploadObjects').map((statement) =>
        statement.Sid === 'JobMlListBucket2'
          ? { ...statement, Condition: { StringLike: { 's3:prefix': ['app-dev/*'] } } }
          : statement,
      ),
    }));
    account.roles.get('KarpenterNodeRole-spark-platform-dev')!.attached = [
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
    ];
    account.roles.get('emr-dev-data-eng-job-execution')!.trust.Statement = [];
    account.clusters.get('spark-platform-dev')!.issuer =
      'https://oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000';
    account.clusters.get('spark-platform-dev')!.accessEntries.clear();
    const result = await preflight();
    expect(result.code).toBe(1);
    const problems = result.checks.filter((check) => check.status !== 'ok');
    expect(problems).toContainEqual({
      area: 'permissions',
      subject: ML_ROLE,
      status: 'missing',
      detail:
        `job execution role of tenant ml: missing: s3:GetObject on arn:aws:s3:::${LOGS}/ml/* [JobMlUploadObjects]; s3:PutObject on arn:aws:s3:::${LOGS}/ml/* [JobMlUploadObjects]; ` +
        `s3:ListBucket on arn:aws:s3:::${LOGS} [JobMlListBucket2]`,
      fix: PUT_ML,
    });
    expect(problems).toContainEqual({
      area: 'managed policies',
      subject: NODE_ROLE,
      status: 'missing',
      detail:
        'node role of the instances Karpenter launches (capacity.nodeRole): not attached: arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      fix: 'aws iam attach-role-policy --role-name KarpenterNodeRole-spark-platform-dev --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        area: 'trust policy',
        subject: `arn:aws:iam::${ACCOUNT}:role/emr-dev-data-eng-job-execution`,
        detail: 'no statement letting EMR jobs of spark-data-eng assume the role',
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ area: 'oidc issuer', status: 'missing' }));
    expect(problems).toContainEqual(
      expect.objectContaining({ area: 'emr access', subject: EMR_ROLE, status: 'missing' }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        area: 'node role access',
        subject: NODE_ROLE,
        status: 'missing',
        fix: `aws eks create-access-entry --cluster-name spark-platform-dev --principal-arn ${NODE_ROLE} --type EC2_LINUX`,
      }),
    );
    expect(problems.filter((check) => check.area === 'permissions' || check.area === 'managed policies')).toHaveLength(
      2,
    );
  });

  it('reports a check it cannot make (access denied, unreachable, throttled past the retries) as "could not check", never a pass or a stack trace', async () => {
    await completeAccount();
    account.inject({
      operation: 'SimulatePrincipalPolicy',
      kind: 'error',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform iam:SimulatePrincipalPolicy',
      times: 100,
    });
    account.inject({ operation: 'GetQueueUrl', kind: 'unreachable', times: 100 });
    account.inject({ operation: 'GetCallerIdentity', kind: 'throttle', times: 100 });
    const result = await preflight('--max-attempts', '2');
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const permissions = result.checks.filter((check) => check.area === 'permissions');
    expect(permissions.length).toBeGreaterThan(0);
    expect(permissions.every((check) => check.status === 'could not check')).toBe(true);
    expect(permissions[0]!.detail).toBe(
      'the identity you run as lacks iam:SimulatePrincipalPolicy: AccessDenied: not authorized to perform iam:SimulatePrincipalPolicy',
    );
    expect(result.checks.find((check) => check.area === 'interruption queue')).toMatchObject({
      status: 'could not check',
      detail: expect.stringMatching(/^the service did not answer \(network, region or AWS_ENDPOINT_URL_\*\)/),
    });
    expect(result.checks.find((check) => check.area === 'account')).toMatchObject({ status: 'could not check' });
    expect(result.checks.filter((check) => check.area === 'trust policy').every((check) => check.status === 'ok')).toBe(
      true,
    );
  });
});
