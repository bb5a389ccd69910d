import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../src/output/tree.js';
import { at, refused } from './support/refused.js';
import { editEnvironment, runCli, tempProject } from './support/project.js';

const IDENTITY_LINE = '  identity: pod-identity';

describe('switching an environment between IRSA and Pod Identity is one line', () => {
  it('sandbox back to irsa: the trust policies, the notebook account and the README change, the associations go, nothing else', async () => {
    const root = tempProject();
    expect((await runCli(root, ['render'])).exitCode).toBe(0);
    const podIdentity = readTree(join(root, 'dist-manifests', 'sandbox'));
    editEnvironment(root, 'sandbox', (text) => {
      expect(text.split('\n').filter((line) => line.startsWith(IDENTITY_LINE))).toHaveLength(1);
      return text.replace(IDENTITY_LINE, '  identity: irsa');
    });
    expect((await runCli(root, ['render'])).exitCode).toBe(0);
    const irsa = readTree(join(root, 'dist-manifests', 'sandbox'));
    const changed = [...irsa.keys()]
      .filter((path) => podIdentity.has(path) && podIdentity.get(path) !== irsa.get(path))
      .sort();
    const removed = [...podIdentity.keys()].filter((path) => !irsa.has(path)).sort();
    const added = [...irsa.keys()].filter((path) => !podIdentity.has(path));
    expect(changed).toEqual([
      'README.md',
      'artifacts/platform/emr-access/trust-policies/emr-sandbox-explore-job-execution.json',
      'artifacts/platform/emr-access/trust-policies/emr-sandbox-shuffle-lab-job-execution.json',
      'tenants/explore/serviceaccount-notebook-spark.yaml',
    ]);
    expect(added).toEqual([]);
    // Three EMR job accounts per tenant and the explore notebook's account; Auto Mode needs no agent add-on document.
    expect(removed).toHaveLength(7);
    expect(removed.every((path) => path.startsWith('artifacts/platform/pod-identity/associations/'))).toBe(true);

    // What each side says: IRSA annotates and trusts the OIDC provider per namespace; Pod Identity does neither.
    const account = (tree: Map<string, string>) =>
      parse(tree.get('tenants/explore/serviceaccount-notebook-spark.yaml')!).metadata.annotations ?? {};
    expect(account(irsa)['eks.amazonaws.com/role-arn']).toBe(
      'arn:aws:iam::510987654321:role/emr-sandbox-explore-notebook',
    );
    expect(account(podIdentity)).toEqual({});
    const trust = (tree: Map<string, string>) =>
      JSON.parse(tree.get('artifacts/platform/emr-access/trust-policies/emr-sandbox-explore-job-execution.json')!);
    expect(trust(podIdentity).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ]);
    expect(trust(irsa).Statement[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
  });
});

describe('render refuses Pod Identity where EMR or EKS cannot honour it, at its line', () => {
  it('a tenant on a release before emr-7.3.0', async () => {
    const { stderr, file } = await refused('sandbox', (text) =>
      text.replace('releaseLabel: emr-7.5.0-latest', 'releaseLabel: emr-7.2.0-latest'),
    );
    expect(stderr).toContain(
      `environments/sandbox.yaml:${at(file, 'emr-7.2.0-latest')}: tenants[0].releaseLabel: emr-7.2.0-latest runs jobs without EKS Pod Identity credentials: EMR on EKS supports Pod Identity from emr-7.3.0 (StartJobRun); use emr-7.3.0 or later, or set identity: irsa on the tenant (it keeps IRSA while the others use Pod Identity) [pod-identity-release]`,
    );
  });

  it('a Fargate tenant (staging reporting) in an environment switched to Pod Identity; identity: irsa on the tenant is the way out', async () => {
    const toPodIdentity = (text: string) =>
      text.replace('  emrAccess: access-entry', '  emrAccess: access-entry\n  identity: pod-identity');
    const { stderr, file } = await refused('staging', toPodIdentity);
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'securityGroupIds', 'name: reporting')}: tenants[3].fargate: EKS Pod Identity does not reach pods on Fargate (its agent runs on EC2 nodes), so this tenant's jobs would get no credentials; set identity: irsa on the tenant (it keeps IRSA while the others use Pod Identity) [pod-identity-fargate]`,
    );

    const root = tempProject();
    editEnvironment(root, 'staging', (text) =>
      toPodIdentity(text).replace(
        '    releaseLabel: emr-7.5.0-latest\n    fargate:',
        '    releaseLabel: emr-7.5.0-latest\n    identity: irsa\n    fargate:',
      ),
    );
    expect((await runCli(root, ['render', '--env', 'staging'])).exitCode).toBe(0);
    const tree = readTree(join(root, 'dist-manifests', 'staging'));
    const associations = [...tree.keys()].filter((path) => path.startsWith('artifacts/platform/pod-identity/'));
    expect(associations.some((path) => path.includes('/spark-reporting/'))).toBe(false);
    // Self-managed Karpenter: the agent is an EKS add-on to install, rendered as its CreateAddon request.
    expect(JSON.parse(tree.get('artifacts/platform/pod-identity/eks-pod-identity-agent-addon.json')!)).toEqual({
      clusterName: 'spark-platform-staging',
      addonName: 'eks-pod-identity-agent',
      resolveConflicts: 'OVERWRITE',
    });
    // The History Server account gets its association too, and no IRSA annotation.
    expect(associations).toContain(
      'artifacts/platform/pod-identity/associations/spark-history/spark-history-server.json',
    );
  });
});
