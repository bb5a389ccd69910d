import { describe, expect, it } from 'vitest';
import { awsRequestProblems, jsonPathOf } from '../src/index.js';

// The render-time check of AWS request documents against the vendored service-model shapes (the CLI tests try it on
// environment files; these try the shapes no environment field reaches directly).

const fargateRequest = {
  fargateProfileName: 'spark-reporting',
  clusterName: 'spark-platform-staging',
  podExecutionRoleArn: 'arn:aws:iam::310987654321:role/AmazonEKSFargatePodExecutionRole',
  subnets: ['subnet-0a1b2c3d4e5f60718'],
  selectors: [{ namespace: 'spark-reporting' }],
};

describe('awsRequestProblems', () => {
  it('passes a well-formed Fargate profile request and names the path and constraint of a bad one', () => {
    expect(awsRequestProblems('CreateFargateProfileRequest', fargateRequest)).toEqual([]);
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(
      awsRequestProblems('CreateFargateProfileRequest', {
        ...fargateRequest,
        fargateProfileName: '-bad',
        tags,
        extra: 1,
      }),
    ).toEqual([
      { path: [], jsonPath: '$', constraint: 'unknown member "extra"' },
      {
        path: ['fargateProfileName'],
        jsonPath: '$.fargateProfileName',
        constraint: 'must match pattern "^[0-9A-Za-z][A-Za-z0-9_-]*$"',
      },
      { path: ['tags'], jsonPath: '$.tags', constraint: 'TagMap: must NOT have more than 50 properties' },
    ]);
  });

  it('judges a StartJobRun document as submitted: placeholders filled in, clientToken from the CLI', () => {
    const document = {
      name: '<job-run-name>',
      virtualClusterId: '<virtual-cluster-id>',
      executionRoleArn: 'arn:aws:iam::123456789012:role/job',
      releaseLabel: 'emr-7.5.0-latest',
      jobDriver: { sparkSubmitJobDriver: { entryPoint: '<s3://bucket/path/to/entry-point>' } },
      configurationOverrides: {
        applicationConfiguration: [{ classification: 'spark-defaults', properties: { 'spark.a': '1' } }],
      },
    };
    expect(awsRequestProblems('StartJobRunRequest', document)).toEqual([]);
    const bad = {
      ...document,
      releaseLabel: 'emr 7',
      configurationOverrides: {
        applicationConfiguration: [{ classification: 'spark-defaults', properties: { 'spark.a': '' } }],
      },
    };
    expect(awsRequestProblems('StartJobRunRequest', bad).map((p) => `${p.jsonPath} ${p.constraint}`)).toEqual([
      '$.releaseLabel ReleaseLabel: must match pattern "^(?:[\\.\\-_/A-Za-z0-9]+)$"',
      '$.configurationOverrides.applicationConfiguration[0].properties["spark.a"] String1024: must NOT have fewer than 1 characters',
    ]);
  });

  it('writes JSONPaths with brackets where a key is not an identifier', () => {
    expect(jsonPathOf(['a', 0, 'spark.x', 'b_1'])).toBe('$.a[0]["spark.x"].b_1');
  });
});
