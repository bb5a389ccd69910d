import { describe, expect, it } from 'vitest';
import { useAccountProject } from './support/account-project.js';
import { bufferIO, runCli } from './support/harness.js';
import { putRenderedIam } from './support/rendered-iam.js';

// staging: History Servers (a shared read-only role), a Fargate tenant (reporting), Argo CD.

const LOGS = 'spark-platform-staging-logs-310987654321';
const HISTORY_ROLE = 'arn:aws:iam::310987654321:role/spark-history-server-spark-platform-staging';
const fixture = useAccountProject('staging', '310987654321', ['spark-platform-staging-artifacts-310987654321', LOGS]);

const cli = (...args: string[]) => runCli(['emr', ...args, '--env', 'staging'], bufferIO(fixture.project.root));
type Check = { area: string; subject: string; status: string; detail: string; fix?: string };

describe('emr apply --s3-only and preflight on staging', () => {
  it("creates the History Servers' log directories before Argo CD syncs them, and preflight checks their roles", async () => {
    const apply = await cli('apply', '--s3-only', '--output', 'json');
    expect(apply.code).toBe(0);
    for (const tenant of ['app-dev', 'data-eng', 'ml', 'reporting'])
      expect(fixture.s3.bucket(LOGS).has(`${tenant}/spark-events/`), tenant).toBe(true);

    fixture.account.roles.set('spark-history-server-spark-platform-staging', {
      trust: { Version: '2012-10-17', Statement: [] },
      allow: [
        { action: 's3:ListBucket', resource: '*' },
        { action: 's3:GetObject', resource: `arn:aws:s3:::${LOGS}/ml/*` },
      ],
    });
    const result = await cli('preflight', '--output', 'json');
    expect(result.code).toBe(1);
    const checks = (JSON.parse(result.stdout) as { checks: Check[] }).checks.filter(
      (check) => check.subject === HISTORY_ROLE,
    );
    const objects = (tenant: string) =>
      `s3:GetObject on arn:aws:s3:::${LOGS}/${tenant}/spark-events/* [HistoryServerReadObjects]`;
    // The directory's bare key, which getFileStatus HEADs first: ml's is within ml/*, the others' are not.
    const directory = (tenant: string) =>
      `s3:GetObject on arn:aws:s3:::${LOGS}/${tenant}/spark-events [HistoryServerReadObjects]`;
    expect(checks).toEqual([
      {
        area: 'permissions',
        subject: HISTORY_ROLE,
        status: 'missing',
        detail: `shared History Server role (tenants app-dev, data-eng, ml, reporting): missing: ${[...['app-dev', 'data-eng', 'reporting'].map(objects), ...['app-dev', 'data-eng', 'reporting'].map(directory)].join('; ')}`,
        fix:
          'aws iam put-role-policy --role-name spark-history-server-spark-platform-staging --policy-name emr-eks-gitops ' +
          '--policy-document file://dist-manifests/staging/artifacts/iam/spark-history-server-spark-platform-staging.json',
      },
    ]);

    putRenderedIam(fixture.account, 'staging');
    const fixed = (JSON.parse((await cli('preflight', '--output', 'json')).stdout) as { checks: Check[] }).checks;
    expect(
      fixed
        .filter((check) => check.area === 'permissions' || check.area === 'managed policies')
        .filter((check) => check.status !== 'ok'),
    ).toEqual([]);
    // The Fargate pod execution role is checked for its managed policy.
    expect(
      fixed
        .filter((check) => check.area === 'managed policies')
        .map((check) => check.subject.split('/').pop())
        .sort(),
    ).toEqual(['AmazonEKSFargatePodExecutionRole-spark-platform-staging', 'KarpenterNodeRole-spark-platform-staging']);
  });

  it("reports the Fargate tenant's missing profile with the command that creates it, and one that does not select its namespace", async () => {
    fixture.account.clusters.set('spark-platform-staging', {
      issuer: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/8B4D2E1F0A9C3B7D6E5F4A3B2C1D0E9F',
      authenticationMode: 'API',
      accessEntries: new Map(),
      fargateProfiles: new Map(),
    });
    const fargate = async () =>
      (JSON.parse((await cli('preflight', '--output', 'json')).stdout) as { checks: Check[] }).checks.filter(
        (check) => check.area === 'fargate profile',
      );
    expect(await fargate()).toEqual([
      {
        area: 'fargate profile',
        subject: 'spark-reporting',
        status: 'missing',
        detail: "no such Fargate profile: the tenant's pods stay Pending",
        fix: 'aws eks create-fargate-profile --cli-input-json file://dist-manifests/staging/artifacts/platform/fargate/profiles/spark-reporting.json',
      },
    ]);
    fixture.account.clusters
      .get('spark-platform-staging')!
      .fargateProfiles.set('spark-reporting', { status: 'ACTIVE', namespaces: ['spark-other'] });
    expect((await fargate())[0]).toMatchObject({
      status: 'missing',
      detail: 'does not select spark-reporting: those pods stay Pending',
    });
    fixture.account.clusters
      .get('spark-platform-staging')!
      .fargateProfiles.set('spark-reporting', { status: 'ACTIVE', namespaces: ['spark-reporting'] });
    expect((await fargate())[0]).toMatchObject({ status: 'ok', detail: 'ACTIVE, selects spark-reporting' });
  });
});
