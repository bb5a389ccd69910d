import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ConfigurationError,
  NODE_GROUPS,
  NODE_USERNAME,
  awsRequestProblems,
  clusterAccessPolicyRequest,
  eksctlIdentityMappings,
  emrIdentityMapping,
  mapRolesEntries,
  nodeAccessEntryRequest,
  nodeIdentityMapping,
  roleArn,
} from '../src/index.js';

// The documents that map IAM roles into a cluster, each read against the shape of the tool that consumes it
// (schemas/eks/cluster-access.schema.json: EKS service model 2017-11-01, eksctl's IAMIdentityMapping).

const emr = emrIdentityMapping(
  roleArn('aws', '410987654321', 'AWSServiceRoleForAmazonEMRContainers'),
  'emr-containers',
);
const node = nodeIdentityMapping(roleArn('aws', '410987654321', 'KarpenterNodeRole-spark-platform-prod'));

describe('aws-auth mappings', () => {
  it("map the node role as Karpenter's getting-started guide does, and EMR's role to its user", () => {
    expect(node).toEqual({
      arn: 'arn:aws:iam::410987654321:role/KarpenterNodeRole-spark-platform-prod',
      username: 'system:node:{{EC2PrivateDNSName}}',
      groups: ['system:bootstrappers', 'system:nodes'],
      noDuplicateARNs: true,
    });
    expect(emr).toEqual({
      arn: 'arn:aws:iam::410987654321:role/AWSServiceRoleForAmazonEMRContainers',
      username: 'emr-containers',
      noDuplicateARNs: true,
    });
    expect([NODE_USERNAME, ...NODE_GROUPS]).toEqual([
      'system:node:{{EC2PrivateDNSName}}',
      'system:bootstrappers',
      'system:nodes',
    ]);
  });

  it('as an eksctl ClusterConfig that eksctl create iamidentitymapping -f reads', () => {
    const config = eksctlIdentityMappings('spark-platform-prod', 'ap-northeast-2', [emr, node]);
    expect(awsRequestProblems('EksctlIamIdentityMappingsClusterConfig', config)).toEqual([]);
    expect(
      awsRequestProblems('EksctlIamIdentityMappingsClusterConfig', {
        ...config,
        iamIdentityMappings: [{ ...node, rolearn: node.arn }],
      }),
    ).toEqual([
      {
        path: ['iamIdentityMappings', 0],
        jsonPath: '$.iamIdentityMappings[0]',
        constraint: 'unknown member "rolearn"',
      },
    ]);
    // aws-auth cannot hold a role path: EKS would not match the role.
    expect(
      awsRequestProblems('EksctlIamIdentityMappingsClusterConfig', {
        ...config,
        iamIdentityMappings: [{ ...node, arn: 'arn:aws:iam::410987654321:role/team/KarpenterNodeRole' }],
      })[0]!.jsonPath,
    ).toBe('$.iamIdentityMappings[0].arn');
    expect(() => nodeIdentityMapping('arn:aws:iam::410987654321:role/team/KarpenterNodeRole')).toThrow(
      ConfigurationError,
    );
  });

  it('as the lines to append to data.mapRoles: a string whose YAML is the list aws-auth holds', () => {
    const text = mapRolesEntries([emr, node]);
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data: { mapRoles: `${text}\n` },
    };
    expect(typeof configMap.data.mapRoles).toBe('string');
    expect(parse(configMap.data.mapRoles)).toEqual([
      { rolearn: emr.arn, username: 'emr-containers' },
      {
        rolearn: node.arn,
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: ['system:bootstrappers', 'system:nodes'],
      },
    ]);
  });
});

describe('access entries', () => {
  it('a self-managed node role: EC2_LINUX, which aws eks create-access-entry --cli-input-json reads', () => {
    const request = nodeAccessEntryRequest(
      'spark-platform-dev',
      'arn:aws:iam::210987654321:role/KarpenterNodeRole-spark-platform-dev',
      'EC2_LINUX',
    );
    expect(request).toEqual({
      clusterName: 'spark-platform-dev',
      principalArn: 'arn:aws:iam::210987654321:role/KarpenterNodeRole-spark-platform-dev',
      type: 'EC2_LINUX',
    });
    expect(awsRequestProblems('CreateAccessEntryRequest', request)).toEqual([]);
    // A node entry takes no groups or username (EKS user guide, access entries).
    expect(
      awsRequestProblems('CreateAccessEntryRequest', { ...request, kubernetesGroups: ['system:nodes'] }).map(
        (p) => p.jsonPath,
      ),
    ).toContain('$');
    expect(
      awsRequestProblems('CreateAccessEntryRequest', { ...request, type: 'EC2_Linux2' }).map((p) => p.jsonPath),
    ).toEqual(['$.type']);
    expect(
      awsRequestProblems('CreateAccessEntryRequest', { ...request, clusterName: '-x' }).map((p) => p.jsonPath),
    ).toEqual(['$.clusterName']);
  });

  it('an Auto Mode node role: EC2 and AmazonEKSAutoNodePolicy cluster-wide', () => {
    const arn = 'arn:aws:iam::510987654321:role/AmazonEKSAutoNodeRole-spark-platform-sandbox';
    expect(
      awsRequestProblems('CreateAccessEntryRequest', nodeAccessEntryRequest('spark-platform-sandbox', arn, 'EC2')),
    ).toEqual([]);
    const policy = clusterAccessPolicyRequest(
      'spark-platform-sandbox',
      arn,
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy',
    );
    expect(policy.accessScope).toEqual({ type: 'cluster' });
    expect(awsRequestProblems('AssociateAccessPolicyRequest', policy)).toEqual([]);
    expect(
      awsRequestProblems('AssociateAccessPolicyRequest', { ...policy, accessScope: { type: 'account' } }).map(
        (p) => p.jsonPath,
      ),
    ).toEqual(['$.accessScope.type']);
  });
});
