import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  IAM_ROLE_INLINE_POLICIES_MAX_SIZE,
  KARPENTER_UNSCOPED_ACTIONS,
  dataAccessStatements,
  karpenterControllerStatements,
  karpenterNodeRoleManagedPolicyArns,
  leastPrivilegeProblems,
  policyDocument,
  policySize,
  putRolePolicyProblems,
  type PolicyStatement,
} from '../src/index.js';
import { allows } from './iam-evaluator.js';

const context = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };

describe('S3 and CloudWatch Logs grants', () => {
  const document = policyDocument(
    dataAccessStatements(
      {
        sid: 'JobApp',
        s3: [
          { uri: 's3://artifacts-bucket/gitops/tenants/app/', access: 'read' },
          { uri: 's3://logs-bucket/app/', access: 'upload' },
          { uri: 's3://logs-bucket/app/spark-events/', access: 'read-write' },
          { uri: 's3://artifacts-bucket/code/app.zip', access: 'read' },
        ],
        logGroups: ['/emr/app'],
      },
      context,
    ),
  );

  it('allows each access kind its actions below its prefix, and nothing beside it', () => {
    expect(
      allows(document, 's3:GetObject', 'arn:aws:s3:::artifacts-bucket/gitops/tenants/app/pod-templates/driver.yaml'),
    ).toBe(true);
    expect(
      allows(document, 's3:PutObject', 'arn:aws:s3:::artifacts-bucket/gitops/tenants/app/pod-templates/driver.yaml'),
    ).toBe(false);
    expect(
      allows(
        document,
        's3:GetObject',
        'arn:aws:s3:::artifacts-bucket/gitops/tenants/app-dev/pod-templates/driver.yaml',
      ),
    ).toBe(false);
    expect(allows(document, 's3:PutObject', 'arn:aws:s3:::logs-bucket/app/vc/jobs/1/stdout.gz')).toBe(true);
    expect(allows(document, 's3:DeleteObject', 'arn:aws:s3:::logs-bucket/app/vc/jobs/1/stdout.gz')).toBe(false);
    expect(allows(document, 's3:DeleteObject', 'arn:aws:s3:::logs-bucket/app/spark-events/spark-1.inprogress')).toBe(
      true,
    );
    expect(allows(document, 's3:PutObject', 'arn:aws:s3:::logs-bucket/app2/x')).toBe(false);
    expect(allows(document, 's3:GetObject', 'arn:aws:s3:::artifacts-bucket/code/app.zip')).toBe(true);
    expect(allows(document, 's3:GetObject', 'arn:aws:s3:::artifacts-bucket/code/app.zip2')).toBe(false);
  });

  it('lists a bucket only with a prefix inside the grants', () => {
    expect(allows(document, 's3:ListBucket', 'arn:aws:s3:::logs-bucket', { 's3:prefix': 'app/spark-events/' })).toBe(
      true,
    );
    expect(allows(document, 's3:ListBucket', 'arn:aws:s3:::logs-bucket', { 's3:prefix': 'app-other/' })).toBe(false);
    expect(allows(document, 's3:ListBucket', 'arn:aws:s3:::logs-bucket', { 's3:prefix': '' })).toBe(false);
    expect(allows(document, 's3:ListBucket', 'arn:aws:s3:::logs-bucket')).toBe(false);
    expect(allows(document, 's3:ListBucket', 'arn:aws:s3:::artifacts-bucket', { 's3:prefix': 'code/app.zip/' })).toBe(
      true,
    );
  });

  it("writes log streams of its group only; lists the account's groups in its region", () => {
    expect(
      allows(
        document,
        'logs:PutLogEvents',
        'arn:aws:logs:eu-west-1:123456789012:log-group:/emr/app:log-stream:app/driver',
      ),
    ).toBe(true);
    expect(
      allows(document, 'logs:PutLogEvents', 'arn:aws:logs:eu-west-1:123456789012:log-group:/emr/app2:log-stream:x'),
    ).toBe(false);
    expect(allows(document, 'logs:DescribeLogGroups', 'arn:aws:logs:eu-west-1:123456789012:log-group:*')).toBe(true);
    expect(allows(document, 'logs:DescribeLogGroups', 'arn:aws:logs:us-east-1:123456789012:log-group:*')).toBe(false);
  });

  it('has no wildcard action and no Resource "*"', () => {
    expect(leastPrivilegeProblems(document, new Set())).toEqual([]);
  });
});

describe('SSE-KMS', () => {
  const key = 'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const statements = (access: 'read' | 'read-write') =>
    dataAccessStatements(
      {
        sid: 'A',
        s3: [{ uri: 's3://bucket/a/', access }],
        logGroups: [],
        s3KmsKeyArn: key,
      },
      { partition: 'aws-cn', region: 'cn-north-1', accountId: '123456789012' },
    );

  it('a reader decrypts, a writer also generates data keys, only through S3 of its partition and region', () => {
    const via = { 'kms:ViaService': 's3.cn-north-1.amazonaws.com.cn' };
    const reader = policyDocument(statements('read'));
    const writer = policyDocument(statements('read-write'));
    expect(allows(reader, 'kms:Decrypt', key, via)).toBe(true);
    expect(allows(reader, 'kms:GenerateDataKey', key, via)).toBe(false);
    expect(allows(writer, 'kms:GenerateDataKey', key, via)).toBe(true);
    expect(allows(writer, 'kms:Decrypt', key, { 'kms:ViaService': 's3.cn-north-1.amazonaws.com' })).toBe(false);
  });

  it('no key, no kms: statement', () => {
    expect(
      JSON.stringify(
        dataAccessStatements({ sid: 'A', s3: [{ uri: 's3://bucket/a/', access: 'read' }], logGroups: [] }, context),
      ),
    ).not.toContain('kms:');
  });
});

describe('policy documents', () => {
  it("refuse two statements with one Sid, and order each statement's keys", () => {
    const statement: PolicyStatement = {
      Resource: 'arn:aws:s3:::b',
      Action: 's3:ListBucket',
      Effect: 'Allow',
      Sid: 'A',
    };
    expect(() => policyDocument([statement, statement])).toThrow('two statements share the Sid A');
    expect(Object.keys(policyDocument([statement]).Statement[0]!)).toEqual(['Sid', 'Effect', 'Action', 'Resource']);
  });

  it("are checked against PutRolePolicy's parameter shapes", () => {
    expect(putRolePolicyProblems({ RoleName: 'emr-job', PolicyName: 'emr-eks-gitops', PolicyDocument: '{}' })).toEqual(
      [],
    );
    expect(
      putRolePolicyProblems({ RoleName: 'x'.repeat(65), PolicyName: 'a b', PolicyDocument: '{"k":"\u4e00"}' }),
    ).toEqual([
      'RoleName is 65 characters, outside 1-64',
      'PolicyName does not match ^[\\w+=,.@-]+$',
      'PolicyDocument does not match ^[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+$',
    ]);
  });

  it('least privilege: a wildcard action or Resource "*" on a scoped action is named', () => {
    const document = policyDocument([
      { Sid: 'Wild', Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'Star', Effect: 'Allow', Action: ['s3:GetObject', 'pricing:GetProducts'], Resource: '*' },
      { Sid: 'bad-sid', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ]);
    expect(leastPrivilegeProblems(document, new Set(['pricing:GetProducts']))).toEqual([
      'statement Wild: action s3:Get* is a wildcard',
      'statement Star: s3:GetObject on Resource "*"',
      'statement bad-sid: a Sid must be alphanumeric',
    ]);
  });
});

describe('Karpenter controller policy', () => {
  // The vendored upstream template, its managed policies' documents with the template's variables filled in.
  const text = readFileSync(new URL('./fixtures/karpenter-iam/cloudformation-v1.14.1.yaml', import.meta.url), 'utf8');
  const scalar = (tag: string) => ({ tag, resolve: (value: string) => value });
  const template = parse(text, { customTags: [scalar('!Sub'), scalar('!Ref'), scalar('!GetAtt')] }) as {
    Resources: Record<string, { Type: string; Properties: { PolicyDocument?: string; ManagedPolicyArns?: string[] } }>;
  };
  const variables: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'eu-west-1',
    'AWS::AccountId': '123456789012',
    'AWS::URLSuffix': 'amazonaws.com',
    ClusterName: 'spark',
    'KarpenterNodeRole.Arn': 'arn:aws:iam::123456789012:role/KarpenterNodeRole-spark',
    'KarpenterInterruptionQueue.Arn': 'arn:aws:sqs:eu-west-1:123456789012:spark',
  };
  const fill = (value: string) =>
    value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (!(name in variables)) throw new Error(`unknown variable ${name}`);
      return variables[name]!;
    });
  const upstream = Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
    .flatMap(
      (resource) =>
        (JSON.parse(fill(resource.Properties.PolicyDocument!)) as { Statement: PolicyStatement[] }).Statement,
    );
  const ours = karpenterControllerStatements({
    partition: 'aws',
    region: 'eu-west-1',
    accountId: '123456789012',
    clusterName: 'spark',
    nodeRoleArn: variables['KarpenterNodeRole.Arn']!,
    interruptionQueueArn: variables['KarpenterInterruptionQueue.Arn']!,
  });

  it("has upstream's statements, in upstream's order", () => {
    expect(upstream.length).toBe(18);
    expect(ours).toEqual(upstream);
  });

  it('uses Resource "*" only on the actions listed as unscoped, and fits one inline policy', () => {
    const document = policyDocument(ours);
    expect(leastPrivilegeProblems(document, KARPENTER_UNSCOPED_ACTIONS)).toEqual([]);
    expect(policySize(document)).toBeLessThan(IAM_ROLE_INLINE_POLICIES_MAX_SIZE);
  });

  it("gives the node role upstream's managed policies", () => {
    expect(karpenterNodeRoleManagedPolicyArns('aws')).toEqual(
      template.Resources.KarpenterNodeRole!.Properties.ManagedPolicyArns!.map(fill),
    );
  });
});
