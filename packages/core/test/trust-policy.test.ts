import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  IAM_TRUST_POLICY_DEFAULT_MAX_SIZE,
  base36RoleName,
  emrRoleTrustPolicy,
  emrTrustPolicyStatement,
  parseRoleArn,
  trustPolicyDocument,
  trustPolicySize,
} from '@emr-eks-gitops/core';

const issuer = 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/5E1C0F6B9A2D4C8E7F3B1A0D9C8E7F6A';
const provider = 'oidc.eks.ap-northeast-2.amazonaws.com/id/5E1C0F6B9A2D4C8E7F3B1A0D9C8E7F6A';

describe('base36RoleName', () => {
  it('matches the vectors of the AWS CLI encoder', () => {
    expect(base36RoleName('a')).toBe('2p');
    expect(base36RoleName('emr-job-role')).toBe('31k61zpmb7mlsiqq1k5');
  });

  it('reads the name as one big-endian base-256 number', () => {
    // "ab" = 97 * 256 + 98 = 24930 = 0x6162
    expect(base36RoleName('ab')).toBe((97 * 256 + 98).toString(36));
    expect(base36RoleName('')).toBe('0');
  });

  it('stays exact past 2^53 (a 64-character role name)', () => {
    const name = 'r'.repeat(64);
    const expected = [...name].reduce((n, c) => n * 256n + BigInt(c.charCodeAt(0)), 0n).toString(36);
    expect(base36RoleName(name)).toBe(expected);
    expect(base36RoleName(name)).toHaveLength(expected.length);
  });
});

describe('parseRoleArn', () => {
  it('takes the last segment of a role with a path as its name', () => {
    expect(parseRoleArn('arn:aws:iam::210987654321:role/teams/spark/emr-job-role')).toEqual({
      partition: 'aws',
      accountId: '210987654321',
      path: '/teams/spark/',
      name: 'emr-job-role',
    });
    expect(parseRoleArn('arn:aws-cn:iam::210987654321:role/emr-job-role').path).toBe('/');
  });

  it('refuses what is not a role ARN, naming the field', () => {
    expect(() => parseRoleArn('arn:aws:iam::210987654321:user/bob')).toThrow(ConfigurationError);
    expect(() => parseRoleArn('emr-job-role', 'tenants[0].executionRoleArn')).toThrow(/tenants\[0\]\.executionRoleArn/);
  });
});

describe('emrTrustPolicyStatement', () => {
  const statement = emrTrustPolicyStatement({
    partition: 'aws',
    accountId: '210987654321',
    oidcIssuer: issuer,
    namespace: 'spark-ml',
    roleName: 'emr-job-role',
  });

  it('is the statement update-role-trust-policy adds, key order included', () => {
    // TRUST_POLICY_STATEMENT_FORMAT of awscli/customizations/emrcontainers/constants.py, filled in by hand.
    const expected = `{
  "Effect": "Allow",
  "Principal": {
    "Federated": "arn:aws:iam::210987654321:oidc-provider/${provider}"
  },
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {
    "StringLike": {
      "${provider}:sub": "system:serviceaccount:spark-ml:emr-containers-sa-*-*-210987654321-31k61zpmb7mlsiqq1k5"
    }
  }
}`;
    expect(JSON.stringify(statement, null, 2)).toBe(expected);
  });

  it('uses the partition of the cluster', () => {
    const cn = emrTrustPolicyStatement({
      partition: 'aws-cn',
      accountId: '210987654321',
      oidcIssuer: issuer,
      namespace: 'a',
      roleName: 'a',
    });
    expect(cn.Principal.Federated).toMatch(/^arn:aws-cn:iam::210987654321:oidc-provider\//);
  });

  it('refuses a role ARN where a role name belongs', () => {
    expect(() =>
      emrTrustPolicyStatement({ accountId: '210987654321', oidcIssuer: issuer, namespace: 'a', roleName: 'path/name' }),
    ).toThrow(/roleName/);
  });
});

describe('trust policy documents', () => {
  it('writes each statement once, under Version 2012-10-17', () => {
    const statement = emrTrustPolicyStatement({
      accountId: '210987654321',
      oidcIssuer: issuer,
      namespace: 'a',
      roleName: 'r',
    });
    const document = trustPolicyDocument([statement, statement]);
    expect(document.Version).toBe('2012-10-17');
    expect(document.Statement).toHaveLength(1);
    expect(trustPolicySize(document)).toBe(JSON.stringify(document).length);
  });

  it("builds a shared role's policy from the role ARN, with a path, one statement per namespace", () => {
    const policy = emrRoleTrustPolicy({
      roleArn: 'arn:aws:iam::210987654321:role/teams/emr-job-role',
      namespaces: ['spark-a', 'spark-b'],
      accountId: '210987654321',
      oidcIssuer: issuer,
    });
    expect(policy.role.name).toBe('emr-job-role');
    expect(policy.statements.map((s) => Object.values(s.Condition.StringLike)[0])).toEqual([
      'system:serviceaccount:spark-a:emr-containers-sa-*-*-210987654321-31k61zpmb7mlsiqq1k5',
      'system:serviceaccount:spark-b:emr-containers-sa-*-*-210987654321-31k61zpmb7mlsiqq1k5',
    ]);
    expect(policy.size).toBeLessThan(IAM_TRUST_POLICY_DEFAULT_MAX_SIZE);
    expect(policy.warnings).toEqual([]);
  });

  it("warns when a role shared by many tenants passes IAM's 2048-character default", () => {
    const namespaces = Array.from({ length: 8 }, (_, i) => `spark-team-${i}`);
    const policy = emrRoleTrustPolicy({
      roleArn: 'arn:aws:iam::210987654321:role/shared',
      namespaces,
      accountId: '210987654321',
      oidcIssuer: issuer,
    });
    expect(policy.size).toBeGreaterThan(2048);
    expect(policy.warnings).toHaveLength(1);
    expect(policy.warnings[0]).toMatch(/over IAM's limit of 2048.*8 tenants a role of its own/);
    const fewer = emrRoleTrustPolicy({
      roleArn: 'arn:aws:iam::210987654321:role/shared',
      namespaces: namespaces.slice(0, 2),
      accountId: '210987654321',
      oidcIssuer: issuer,
    });
    expect(fewer.warnings).toEqual([]);
  });

  it('warns when the role is in another account than the cluster', () => {
    const policy = emrRoleTrustPolicy({
      roleArn: 'arn:aws:iam::111111111111:role/r',
      namespaces: ['a'],
      accountId: '210987654321',
      oidcIssuer: issuer,
    });
    expect(policy.warnings.join('\n')).toMatch(/account 111111111111 but the cluster is in 210987654321/);
    // Like the AWS CLI, the statement still names the cluster's account.
    expect(policy.statements[0]!.Principal.Federated).toContain(':210987654321:');
  });
});
