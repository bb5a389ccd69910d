import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useAccountProject } from './support/account-project.js';
import type { FakePolicy } from './support/fake-iam-policy.js';
import { bufferIO, repoEnvironment, runCli, tempProject } from './support/harness.js';

// sandbox: EKS Auto Mode, whose NodeClasses tag what they launch; the cluster role needs the rendered tag policy.

const ACCOUNT = '510987654321';
const CLUSTER_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-cluster-spark-platform-sandbox`;
const TAG_POLICY = 'artifacts/platform/karpenter/auto-mode-cluster-role-tag-policy.json';
const rendered = JSON.parse(
  readFileSync(new URL(`../../../dist-manifests/sandbox/${TAG_POLICY}`, import.meta.url), 'utf8'),
) as FakePolicy;
const fixture = useAccountProject('sandbox', ACCOUNT);

type Check = { area: string; subject: string; status: string; detail: string; fix?: string };
const tagRows = async () =>
  (
    JSON.parse(
      (await runCli(['emr', 'preflight', '--env', 'sandbox', '--output', 'json'], bufferIO(fixture.project.root)))
        .stdout,
    ) as { checks: Check[] }
  ).checks.filter((check) => check.area === 'cluster role tags');

describe('emr preflight on Auto Mode', () => {
  it('checks the cluster role against the rendered tag policy, naming what it lacks and the put-role-policy that fixes it', async () => {
    expect(await tagRows()).toEqual([
      {
        area: 'cluster role tags',
        subject: 'spark-platform-sandbox',
        status: 'could not check',
        detail: 'the EKS cluster could not be described, so its IAM role is unknown',
      },
    ]);

    fixture.account.clusters.set('spark-platform-sandbox', {
      issuer: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/7D2E4F6A8B0C1D3E5F7A9B1C3D5E7F90',
      authenticationMode: 'API',
      roleArn: CLUSTER_ROLE,
      accessEntries: new Map(),
      fargateProfiles: new Map(),
    });
    // Auto Mode's managed policies only: the NodeClasses' tags are refused.
    fixture.account.roles.set('eks-cluster-spark-platform-sandbox', {
      trust: { Version: '2012-10-17', Statement: [] },
      policies: [],
    });
    const [lacking] = await tagRows();
    expect(lacking).toMatchObject({
      area: 'cluster role tags',
      subject: CLUSTER_ROLE,
      status: 'missing',
      fix: `aws iam put-role-policy --role-name eks-cluster-spark-platform-sandbox --policy-name eks-auto-mode-custom-tags --policy-document file://dist-manifests/sandbox/${TAG_POLICY}`,
    });
    expect(lacking!.detail).toBe(
      'the cluster role may not tag what the NodeClasses launch (nodes fail to launch): missing: ' +
        [
          'ec2:CreateFleet on * [Compute]',
          'ec2:RunInstances on * [Compute]',
          'ec2:CreateLaunchTemplate on * [Compute]',
          'ec2:CreateVolume on arn:aws:ec2:*:*:volume/* [Storage]',
          'ec2:CreateVolume on arn:aws:ec2:*:*:snapshot/* [Storage]',
          'ec2:CreateSnapshot on arn:aws:ec2:*:*:volume/* [Storage]',
          'ec2:CreateSnapshot on arn:aws:ec2:*:*:snapshot/* [Storage]',
          'ec2:CreateNetworkInterface on * [Networking]',
        ].join('; '),
    );

    // A policy whose cluster-name tag is a fixed other cluster's: the principal-tag variable is what makes it apply.
    const otherCluster = JSON.parse(
      JSON.stringify(rendered).replaceAll('${aws:PrincipalTag/eks:eks-cluster-name}', 'another-cluster'),
    ) as FakePolicy;
    fixture.account.roles.get('eks-cluster-spark-platform-sandbox')!.policies = [otherCluster];
    expect((await tagRows())[0]).toMatchObject({ status: 'missing' });

    fixture.account.roles.get('eks-cluster-spark-platform-sandbox')!.policies = [rendered];
    expect(await tagRows()).toEqual([
      {
        area: 'cluster role tags',
        subject: CLUSTER_ROLE,
        status: 'ok',
        detail: `the cluster role may tag what the NodeClasses launch: allowed all of ${TAG_POLICY}`,
      },
    ]);
  });

  it('has no tag-policy row where the environment renders no tag policy', async () => {
    const project2 = tempProject('staging', repoEnvironment('staging'));
    try {
      const result = await runCli(
        ['emr', 'preflight', '--env', 'staging', '--output', 'json'],
        bufferIO(project2.root),
      );
      expect(
        (JSON.parse(result.stdout) as { checks: Check[] }).checks.filter((check) => check.area === 'cluster role tags'),
      ).toEqual([]);
    } finally {
      project2.cleanup();
    }
  });
});
