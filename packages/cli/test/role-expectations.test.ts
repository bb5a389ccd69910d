import { loadEnvironmentText } from '@emr-eks-gitops/charts';
import { describe, expect, it } from 'vitest';
import {
  PROBE,
  concreteArn,
  contextsFor,
  roleExpectations,
  type StatementProbe,
} from '../src/emr/role-expectations.js';
import { evaluate, type FakePolicy } from './support/fake-iam-policy.js';
import { repoEnvironment } from './support/harness.js';
import { renderedRolePolicies } from './support/rendered-iam.js';

const config = (env: string) => loadEnvironmentText(repoEnvironment(env), `environments/${env}.yaml`).config;

/** The (action on resource) pairs of the probes a policy does not allow, as IAM's evaluation logic (fake-iam-policy.ts) decides. */
const refused = (policy: FakePolicy, probes: readonly StatementProbe[]) =>
  probes.flatMap((probe) =>
    probe.actions.flatMap((action) =>
      [...probe.resources]
        .filter(
          ([resource]) =>
            evaluate(
              [policy],
              action,
              resource,
              new Map(probe.context.map((entry) => [entry.ContextKeyName, entry.ContextKeyValues])),
            ) !== 'allowed',
        )
        .map(([, pattern]) => `${action} on ${pattern} [${probe.sid}]`),
    ),
  );

describe('what preflight simulates for each role', () => {
  it.each(['dev', 'staging', 'prod', 'sandbox'])(
    '%s: one expectation per committed document, each statement allowed by that document under its context',
    (env) => {
      const expectations = roleExpectations(config(env));
      const documents = renderedRolePolicies(env);
      expect(expectations.map((expectation) => expectation.roleArn.split('/').pop()).sort()).toEqual(
        [...documents.keys()].sort(),
      );
      for (const expectation of expectations) {
        const name = expectation.roleArn.split('/').pop()!;
        expect(expectation.artifactPath).toBe(`artifacts/iam/${name}.json`);
        expect(refused(documents.get(name)!, expectation.probes), name).toEqual([]);
        // Without its context entries, each conditioned statement is refused: the context is what lets it apply.
        for (const probe of expectation.probes.filter((entry) => entry.context.length > 0)) {
          expect(refused(documents.get(name)!, [{ ...probe, context: [] }]), `${name} ${probe.sid}`).not.toEqual([]);
        }
      }
    },
  );

  it("simulates every prefix a ListBucket statement lists, so a role allowing one tenant's prefix fails for the others", () => {
    const history = roleExpectations(config('staging')).find((expectation) =>
      expectation.roleArn.endsWith('/spark-history-server-spark-platform-staging'),
    )!;
    const listing = history.probes.filter((probe) => probe.actions.includes('s3:ListBucket'));
    // Each tenant's directory itself (getFileStatus lists the bare key first) and what lies below it.
    const prefixes = ['app-dev', 'data-eng', 'ml', 'reporting'].flatMap((tenant) => [
      `${tenant}/spark-events`,
      `${tenant}/spark-events/${PROBE}`,
    ]);
    expect(listing.map((probe) => probe.context)).toEqual(
      prefixes.map((prefix) => [{ ContextKeyName: 's3:prefix', ContextKeyType: 'string', ContextKeyValues: [prefix] }]),
    );
    const onlyMl: FakePolicy = {
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::spark-platform-staging-logs-310987654321',
          Condition: { StringLike: { 's3:prefix': 'ml/*' } },
        },
      ],
    };
    expect(refused(onlyMl, listing)).toEqual(
      prefixes
        .filter((prefix) => !prefix.startsWith('ml/'))
        .map(
          (prefix) =>
            `s3:ListBucket on arn:aws:s3:::spark-platform-staging-logs-310987654321 [HistoryServerListBucket, s3:prefix=${prefix}]`,
        ),
    );
  });

  it("makes resource patterns concrete in the environment's region and account, and condition sets, variables and operators simulable", () => {
    const where = { region: 'ap-northeast-2', accountId: '210987654321' };
    expect(concreteArn('arn:aws-cn:ec2:cn-north-1:*:instance/*', where)).toBe(
      `arn:aws-cn:ec2:cn-north-1:210987654321:instance/${PROBE}`,
    );
    expect(concreteArn('arn:aws:ec2:*:*:volume/*', where)).toBe(
      `arn:aws:ec2:ap-northeast-2:210987654321:volume/${PROBE}`,
    );
    expect(concreteArn('arn:aws:ec2:ap-northeast-2::image/*', where)).toBe(
      `arn:aws:ec2:ap-northeast-2::image/${PROBE}`,
    );
    expect(concreteArn('arn:aws:logs:ap-northeast-2:210987654321:log-group:/emr/ml:*', where)).toBe(
      `arn:aws:logs:ap-northeast-2:210987654321:log-group:/emr/ml:${PROBE}`,
    );
    expect(concreteArn('*', where)).toBe('*');
    expect(
      contextsFor({
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['Name', 'karpenter.sh/nodeclaim'] },
        StringEquals: { 'aws:RequestTag/eks:eks-cluster-name': '${aws:PrincipalTag/eks:eks-cluster-name}' },
        StringEqualsIfExists: { 'aws:RequestedRegion': 'ap-northeast-2' },
      }),
    ).toEqual([
      {
        varied: '',
        context: [
          {
            ContextKeyName: 'aws:TagKeys',
            ContextKeyType: 'stringList',
            ContextKeyValues: ['Name', 'karpenter.sh/nodeclaim'],
          },
          {
            ContextKeyName: 'aws:PrincipalTag/eks:eks-cluster-name',
            ContextKeyType: 'string',
            ContextKeyValues: [PROBE],
          },
          {
            ContextKeyName: 'aws:RequestTag/eks:eks-cluster-name',
            ContextKeyType: 'string',
            ContextKeyValues: [PROBE],
          },
          { ContextKeyName: 'aws:RequestedRegion', ContextKeyType: 'string', ContextKeyValues: ['ap-northeast-2'] },
        ],
      },
    ]);
    expect(() => contextsFor({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })).toThrow(
      'preflight cannot simulate the condition operator IpAddress (key aws:SourceIp): teach role-expectations.ts its context',
    );
  });
});
