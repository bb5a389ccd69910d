import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAccount } from './support/fake-account.js';
import { FakeEmr } from './support/fake-emr.js';
import { FakeS3 } from './support/fake-s3.js';
import { bufferIO, repoEnvironment, runCli, stubAwsEnvironment, tempProject } from './support/harness.js';

// sandbox uses EKS Pod Identity: emr apply manages one association per account that needs a role (EMR's three job
// accounts per tenant, explore's notebook account), against a local EKS under faults.

const CLUSTER = 'spark-platform-sandbox';
let project: { root: string; cleanup: () => void };
let s3: FakeS3;
let account: FakeAccount;
let emr: FakeEmr;

beforeEach(async () => {
  project = tempProject('sandbox', repoEnvironment('sandbox'));
  stubAwsEnvironment(project.root);
  s3 = await new FakeS3().start();
  for (const bucket of ['spark-platform-sandbox-artifacts-510987654321', 'spark-platform-sandbox-logs-510987654321'])
    s3.bucket(bucket);
  account = await new FakeAccount().start();
  account.account = '510987654321';
  account.clusters.set(CLUSTER, {
    issuer: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/7D2E4F6A8B0C1D3E5F7A9B1C3D5E7F90',
    authenticationMode: 'API',
    accessEntries: new Map(),
    fargateProfiles: new Map(),
  });
  emr = await new FakeEmr().start();
  vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.url);
  for (const service of ['IAM', 'STS', 'EKS', 'SQS']) vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, account.url);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([s3.stop(), account.stop(), emr.stop()]);
  project.cleanup();
});

const cli = (...args: string[]) =>
  runCli(['emr', ...args, '--env', 'sandbox', '--endpoint-url', emr.url, '--output', 'json'], bufferIO(project.root));
const associations = () => [...(account.clusters.get(CLUSTER)!.podIdentityAssociations ?? new Map()).values()];
const keys = () =>
  associations()
    .map((a) => `${a.namespace}/${a.serviceAccount}=${a.roleArn.replace(/^.*role\//, '')}`)
    .sort();
type Row = { status: string; namespace: string; serviceAccount: string };

describe('emr apply, plan and destroy manage the Pod Identity associations of sandbox', () => {
  it('creates each association once, tagged; a second apply keeps them; plan shows them', async () => {
    const first = await cli('apply');
    expect(first.code, first.stderr).toBe(0);
    const rows = JSON.parse(first.stdout).podIdentityAssociations as Row[];
    expect(rows.map((r) => r.status)).toEqual(Array(7).fill('created'));
    expect(keys()).toHaveLength(7);
    expect(keys().filter((k) => k.startsWith('spark-explore/'))).toEqual([
      expect.stringMatching(
        /^spark-explore\/emr-containers-sa-spark-client-510987654321-[0-9a-z]+=emr-sandbox-explore-job-execution$/,
      ),
      expect.stringMatching(
        /^spark-explore\/emr-containers-sa-spark-driver-510987654321-[0-9a-z]+=emr-sandbox-explore-job-execution$/,
      ),
      expect.stringMatching(
        /^spark-explore\/emr-containers-sa-spark-executor-510987654321-[0-9a-z]+=emr-sandbox-explore-job-execution$/,
      ),
      'spark-explore/notebook-spark=emr-sandbox-explore-notebook',
    ]);
    expect(associations()[0]!.tags).toMatchObject({
      'emr-eks-gitops.io/managed-by': 'emr-eks-gitops',
      'emr-eks-gitops.io/environment': 'sandbox',
      team: 'platform',
    });

    const second = await cli('apply');
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout).podIdentityAssociations as Row[]).map((r) => r.status)).toEqual(
      Array(7).fill('kept'),
    );
    expect(account.calls('CreatePodIdentityAssociation')).toBe(7);
    const plan = await cli('plan');
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout).podIdentityAssociations as { action: string }[]).map((r) => r.action)).toEqual(
      Array(7).fill('keep'),
    );
  });

  it('ends with each association made exactly once under throttling, 503s and creates whose answer is lost', async () => {
    account.inject({ operation: 'ListPodIdentityAssociations', kind: 'throttle', times: 2 });
    account.inject({ operation: 'CreatePodIdentityAssociation', kind: 'unavailable', times: 1 });
    account.inject({ operation: 'CreatePodIdentityAssociation', kind: 'commit-then-500', times: 2 });
    account.inject({ operation: 'CreatePodIdentityAssociation', kind: 'throttle', times: 1 });
    account.inject({ operation: 'DescribePodIdentityAssociation', kind: 'unavailable', times: 1 });
    const result = await cli('apply');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(keys()).toHaveLength(7);
    expect(new Set(keys()).size).toBe(7);
    expect((JSON.parse(result.stdout).podIdentityAssociations as Row[]).every((r) => r.status === 'created')).toBe(
      true,
    );
  });

  it("replaces a role the render changed, leaves someone else's association alone (flagged, exit 1), and deletes what is no longer rendered", async () => {
    expect((await cli('apply')).code).toBe(0);
    const live = account.clusters.get(CLUSTER)!.podIdentityAssociations!;
    const notebook = [...live.values()].find((a) => a.serviceAccount === 'notebook-spark')!;
    notebook.roleArn = 'arn:aws:iam::510987654321:role/old-notebook-role';
    const driver = [...live.entries()].find(
      ([, a]) => a.namespace === 'spark-shuffle-lab' && a.serviceAccount.includes('-driver-'),
    )!;
    driver[1].tags = {}; // made by hand
    driver[1].roleArn = 'arn:aws:iam::510987654321:role/hand-made';
    live.set('a-stale', {
      namespace: 'spark-gone',
      serviceAccount: 'old',
      roleArn: 'arn:aws:iam::510987654321:role/x',
      tags: { 'emr-eks-gitops.io/managed-by': 'emr-eks-gitops', 'emr-eks-gitops.io/environment': 'sandbox' },
    });
    live.set('a-other-env', {
      namespace: 'spark-gone',
      serviceAccount: 'other',
      roleArn: 'arn:aws:iam::510987654321:role/x',
      tags: { 'emr-eks-gitops.io/managed-by': 'emr-eks-gitops', 'emr-eks-gitops.io/environment': 'dev' },
    });

    const result = await cli('apply');
    expect(result.code).toBe(1);
    const rows = JSON.parse(result.stdout).podIdentityAssociations as (Row & { message?: string })[];
    expect(rows.find((r) => r.serviceAccount === 'notebook-spark')).toMatchObject({
      status: 'updated',
      message:
        'role arn:aws:iam::510987654321:role/old-notebook-role -> arn:aws:iam::510987654321:role/emr-sandbox-explore-notebook',
    });
    expect(notebook.roleArn).toBe('arn:aws:iam::510987654321:role/emr-sandbox-explore-notebook');
    expect(rows.find((r) => r.serviceAccount === driver[1].serviceAccount)).toMatchObject({ status: 'flagged' });
    expect(driver[1].roleArn).toBe('arn:aws:iam::510987654321:role/hand-made');
    expect(rows.find((r) => r.serviceAccount === 'old')).toMatchObject({ status: 'deleted' });
    expect(live.has('a-stale')).toBe(false);
    expect(live.has('a-other-env')).toBe(true);
  });

  it("destroy --tenant removes that tenant's associations, destroy the rest, and never one it did not make", async () => {
    expect((await cli('apply')).code).toBe(0);
    const live = account.clusters.get(CLUSTER)!.podIdentityAssociations!;
    live.set('a-by-hand', {
      namespace: 'spark-explore',
      serviceAccount: 'by-hand',
      roleArn: 'arn:aws:iam::510987654321:role/x',
      tags: {},
    });
    account.inject({ operation: 'DeletePodIdentityAssociation', kind: 'commit-then-500', times: 1 });
    const one = await cli('destroy', '--tenant', 'shuffle-lab', '--yes');
    expect(one.code, one.stdout).toBe(0);
    expect(keys().some((k) => k.startsWith('spark-shuffle-lab/'))).toBe(false);
    expect(keys().filter((k) => k.startsWith('spark-explore/'))).toHaveLength(5);
    const all = await cli('destroy', '--yes');
    expect(all.code).toBe(0);
    expect(keys()).toEqual(['spark-explore/by-hand=x']);
  });

  it("preflight checks a Pod Identity role's trust for pods.eks.amazonaws.com, not an IRSA statement", async () => {
    const pods = {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    };
    account.roles.set('emr-sandbox-explore-job-execution', {
      trust: { Version: '2012-10-17', Statement: [pods] },
      allow: [],
    });
    account.roles.set('emr-sandbox-shuffle-lab-job-execution', {
      trust: { Version: '2012-10-17', Statement: [{ ...pods, Action: 'sts:AssumeRole' }] },
      allow: [],
    });
    const result = await runCli(['emr', 'preflight', '--env', 'sandbox', '--output', 'json'], bufferIO(project.root));
    const trust = (
      JSON.parse(result.stdout) as { checks: { area: string; subject: string; status: string; detail: string }[] }
    ).checks.filter((c) => c.area === 'trust policy');
    expect(trust).toEqual([
      expect.objectContaining({
        subject: 'arn:aws:iam::510987654321:role/emr-sandbox-explore-job-execution',
        status: 'ok',
        detail: 'trusts pods.eks.amazonaws.com (Pod Identity) for explore',
      }),
      expect.objectContaining({
        subject: 'arn:aws:iam::510987654321:role/emr-sandbox-shuffle-lab-job-execution',
        status: 'missing',
        detail:
          'no statement letting pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession: Pod Identity cannot give shuffle-lab the role',
      }),
    ]);
  });
});
