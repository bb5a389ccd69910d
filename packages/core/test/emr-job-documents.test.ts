import { describe, expect, it } from 'vitest';
import {
  EMR_RESOURCE_TAGS,
  START_JOB_RUN_PLACEHOLDERS,
  jobTemplateHash,
  jobTemplateRequest,
  startJobRunRequest,
  type EmrConfigurationOverrides,
  type EmrJobDocumentsProps,
} from '../src/index.js';
import { configurationErrorOf } from './helpers.js';

const overrides: EmrConfigurationOverrides = {
  applicationConfiguration: [
    { classification: 'spark-defaults', properties: { 'spark.executor.cores': '4', 'spark.executor.memory': '16g' } },
    {
      classification: 'emr-job-submitter',
      properties: { 'jobsubmitter.node.selector.karpenter.sh/capacity-type': 'on-demand' },
    },
  ],
  monitoringConfiguration: { persistentAppUI: 'ENABLED', s3MonitoringConfiguration: { logUri: 's3://logs/ml/' } },
};

const props: EmrJobDocumentsProps = {
  environment: 'dev',
  tenant: 'ml',
  executionRoleArn: 'arn:aws:iam::210987654321:role/emr-dev-ml-job-execution',
  releaseLabel: 'emr-7.5.0-latest',
  configurationOverrides: overrides,
};

describe('startJobRunRequest', () => {
  it("is the tenant's StartJobRun with placeholders only for what the submitter knows", () => {
    const request = startJobRunRequest(props);
    expect(request).toEqual({
      name: START_JOB_RUN_PLACEHOLDERS.name,
      virtualClusterId: START_JOB_RUN_PLACEHOLDERS.virtualClusterId,
      executionRoleArn: props.executionRoleArn,
      releaseLabel: 'emr-7.5.0-latest',
      jobDriver: {
        sparkSubmitJobDriver: { entryPoint: START_JOB_RUN_PLACEHOLDERS.entryPoint, entryPointArguments: [] },
      },
      configurationOverrides: overrides,
      tags: { [EMR_RESOURCE_TAGS.environment]: 'dev', [EMR_RESOURCE_TAGS.tenant]: 'ml' },
    });
    // No clientToken: a fixed one in a file would make every submission the same job run.
    expect(request).not.toHaveProperty('clientToken');
    expect(request.configurationOverrides).toBe(overrides);
  });

  it('refuses a release label or role ARN EMR would refuse, naming the field', () => {
    expect(configurationErrorOf(() => startJobRunRequest({ ...props, releaseLabel: 'emr 7.5.0' })).message).toMatch(
      /releaseLabel.*not an EMR release label/,
    );
    expect(
      configurationErrorOf(() =>
        startJobRunRequest({ ...props, executionRoleArn: 'arn:aws:iam::210987654321:user/ml' }),
      ).message,
    ).toMatch(/executionRoleArn.*not an IAM role ARN/);
  });

  it('refuses a classification or key EMR would silently ignore (EMR on EKS guide, job submitter classification)', () => {
    const misspelt = {
      ...props,
      configurationOverrides: {
        applicationConfiguration: [
          { classification: 'emr-job-submitter', properties: { 'jobsubmitter.nodeselector.zone': 'a' } },
        ],
      },
    };
    const error = configurationErrorOf(() => jobTemplateRequest(misspelt));
    expect([error.field, error.message]).toEqual([
      'configurationOverrides.applicationConfiguration[0]',
      expect.stringContaining('jobsubmitter.nodeselector.zone is not a key of emr-job-submitter'),
    ]);
    const unknown = {
      ...props,
      configurationOverrides: { applicationConfiguration: [{ classification: 'spark-default', properties: {} }] },
    };
    expect(configurationErrorOf(() => startJobRunRequest(unknown)).message).toContain(
      'classification "spark-default" is not one EMR on EKS reads here',
    );
  });
});

describe('jobTemplateRequest', () => {
  const request = jobTemplateRequest(props);

  it("holds the tenant's settings, with the entry point as its one template parameter and no arguments", () => {
    expect(request.jobTemplateData).toEqual({
      executionRoleArn: props.executionRoleArn,
      releaseLabel: 'emr-7.5.0-latest',
      // No entryPointArguments: a parameter is one value that cannot be left out, so it could not stand for 0 or n arguments.
      jobDriver: { sparkSubmitJobDriver: { entryPoint: '${EntryPoint}' } },
      configurationOverrides: overrides,
      parameterConfiguration: { EntryPoint: { type: 'STRING' } },
      // Job runs started from the template carry the tenant's tags (they are the tenant's, not managed by emr-gitops).
      jobTags: { [EMR_RESOURCE_TAGS.environment]: 'dev', [EMR_RESOURCE_TAGS.tenant]: 'ml' },
    });
  });

  it('is named and tagged by the hash of its content, with a clientToken derived from environment, tenant and hash', () => {
    const hash = jobTemplateHash(request.jobTemplateData);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(request.name).toBe(`dev-ml-${hash.slice(0, 8)}`);
    expect(request.tags).toEqual({
      'emr-eks-gitops.io/managed-by': 'emr-eks-gitops',
      'emr-eks-gitops.io/environment': 'dev',
      'emr-eks-gitops.io/tenant': 'ml',
      'emr-eks-gitops.io/job-template-hash': hash,
    });
    expect(request.clientToken).toMatch(/^[0-9a-f]{64}$/);
    expect(jobTemplateRequest(props)).toEqual(request);
    // Another environment, another tenant: another token, even for the same content.
    expect(jobTemplateRequest({ ...props, environment: 'staging' }).clientToken).not.toBe(request.clientToken);
    expect(jobTemplateRequest({ ...props, tenant: 'ml2' }).clientToken).not.toBe(request.clientToken);
  });

  it('changes name, hash and token when the job size changes, and only then', () => {
    const bigger = jobTemplateRequest({
      ...props,
      configurationOverrides: {
        ...overrides,
        applicationConfiguration: [
          {
            classification: 'spark-defaults',
            properties: { 'spark.executor.cores': '4', 'spark.executor.memory': '24g' },
          },
          overrides.applicationConfiguration![1]!,
        ],
      },
    });
    expect(bigger.name).not.toBe(request.name);
    expect(bigger.clientToken).not.toBe(request.clientToken);
    // Key order does not matter: the hash is of canonical JSON.
    const reordered = {
      ...props,
      configurationOverrides: {
        monitoringConfiguration: overrides.monitoringConfiguration,
        applicationConfiguration: overrides.applicationConfiguration,
      },
    };
    expect(jobTemplateRequest(reordered).name).toBe(request.name);
  });

  it("keeps the name within the API's 64 characters for long environment and tenant names", () => {
    const long = jobTemplateRequest({ ...props, environment: 'e'.repeat(40), tenant: 't'.repeat(63) });
    expect(long.name.length).toBeLessThanOrEqual(64);
    expect(long.name).toMatch(/^[.\-_/#A-Za-z0-9]+-[0-9a-f]{8}$/);
  });

  it('refuses a ${...} in the overrides, which EMR would take for an undeclared template parameter', () => {
    const error = configurationErrorOf(() =>
      jobTemplateRequest({
        ...props,
        configurationOverrides: {
          applicationConfiguration: [{ classification: 'spark-defaults', properties: { 'spark.app.name': '${APP}' } }],
        },
      }),
    );
    expect(error.message).toMatch(/\$\{APP\}.*undeclared job template parameter/);
  });
});
