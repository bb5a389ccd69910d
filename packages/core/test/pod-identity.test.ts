import { describe, expect, it } from 'vitest';
import {
  POD_IDENTITY,
  awsRequestProblems,
  base36RoleName,
  emrJobServiceAccounts,
  podIdentityAssociationRequest,
  podIdentityTrustPolicy,
  releaseSupportsPodIdentity,
} from '../src/index.js';

describe('EKS Pod Identity for EMR on EKS', () => {
  it('EMR runs StartJobRun jobs with Pod Identity from emr-7.3.0 on', () => {
    expect(
      ['emr-7.3.0-latest', 'emr-7.5.0-20250115', 'emr-8.0.0-latest', 'emr-7.10.0-latest'].map(
        releaseSupportsPodIdentity,
      ),
    ).toEqual([true, true, true, true]);
    expect(
      ['emr-7.2.0-latest', 'emr-6.15.0-latest', 'emr-6.99.0-latest', 'not-a-release'].map(releaseSupportsPodIdentity),
    ).toEqual([false, false, false, false]);
  });

  it('associates the three accounts aws emr-containers create-role-associations names: emr-containers-sa-spark-<component>-<account>-<base36(role)>', () => {
    const accounts = emrJobServiceAccounts('arn:aws:iam::123456789012:role/team/etl-job');
    // The AWS CLI's Base36 over the role name only (not its path): 'a' is 97 = 2*36 + 25 -> "2p".
    expect(base36RoleName('a')).toBe('2p');
    expect(accounts).toEqual(
      ['client', 'driver', 'executor'].map(
        (component) => `emr-containers-sa-spark-${component}-123456789012-${base36RoleName('etl-job')}`,
      ),
    );
  });

  it('the trust policy is one statement for pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession', () => {
    expect(podIdentityTrustPolicy()).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ],
    });
    expect(POD_IDENTITY.agentAddonName).toBe('eks-pod-identity-agent');
  });

  it('association requests fit CreatePodIdentityAssociationRequest, and what EKS would refuse does not', () => {
    const binding = {
      namespace: 'spark-etl',
      serviceAccount: emrJobServiceAccounts('arn:aws:iam::123456789012:role/etl')[0]!,
      roleArn: 'arn:aws:iam::123456789012:role/etl',
      purpose: 'emr-job' as const,
      tenant: 'etl',
    };
    const request = podIdentityAssociationRequest('spark-dev', binding, {
      team: 'data',
      'emr-eks-gitops.io/tenant': 'etl',
    });
    expect(Object.keys(request.tags)).toEqual(['emr-eks-gitops.io/tenant', 'team']);
    expect(awsRequestProblems('CreatePodIdentityAssociationRequest', request)).toEqual([]);
    expect(
      awsRequestProblems('CreatePodIdentityAssociationRequest', { ...request, namespace: 'Spark_ETL' }).map(
        (p) => p.jsonPath,
      ),
    ).toEqual(['$.namespace']);
    expect(
      awsRequestProblems('CreatePodIdentityAssociationRequest', { ...request, roleArn: undefined }).length,
    ).toBeGreaterThan(0);
    expect(
      awsRequestProblems('CreatePodIdentityAssociationRequest', {
        ...request,
        tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      }).map((p) => p.jsonPath),
    ).toEqual(['$.tags']);
    expect(
      awsRequestProblems('CreateAddonRequest', {
        clusterName: 'spark-dev',
        addonName: 'eks-pod-identity-agent',
        resolveConflicts: 'OVERWRITE',
      }),
    ).toEqual([]);
    expect(
      awsRequestProblems('CreateAddonRequest', {
        clusterName: 'spark-dev',
        addonName: 'eks-pod-identity-agent',
        resolveConflicts: 'REPLACE',
      }).map((p) => p.jsonPath),
    ).toEqual(['$.resolveConflicts']);
  });
});
