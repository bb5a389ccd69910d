import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateJobTemplateCommand,
  CreateVirtualClusterCommand,
  DeleteJobTemplateCommand,
  DeleteVirtualClusterCommand,
  DescribeJobTemplateCommand,
  DescribeVirtualClusterCommand,
  EKSRequestThrottledException,
  EMRContainersClient,
  ListJobTemplatesCommand,
  EMRContainersServiceException,
  InternalServerException,
  ListVirtualClustersCommand,
  ResourceNotFoundException,
  ValidationException,
  type VirtualCluster,
} from '@aws-sdk/client-emr-containers';
import { HeadObjectCommand, ListObjectsV2Command, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { bufferIO, runCli, stubAwsEnvironment, tempProject } from './support/harness.js';

// Every AWS failure is reported with the tenant it concerns, what to do, and the exit code it deserves.

const emr = mockClient(EMRContainersClient);
const s3 = mockClient(S3Client);
let project: { root: string; cleanup: () => void };

beforeEach(() => {
  emr.reset();
  // The S3 side (apply's first step) finds nothing and uploads fine here; these tests are about the EMR calls.
  s3.reset();
  s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
  s3.on(PutObjectCommand).resolves({});
  // Job templates (apply's second step) succeed here; these tests are about the virtual cluster calls.
  emr.on(ListJobTemplatesCommand).resolves({ templates: [] });
  emr
    .on(CreateJobTemplateCommand)
    .callsFake((input: { name: string }) => ({ id: `jt${input.name.replace(/[^a-z0-9]/g, '')}`, name: input.name }));
  emr
    .on(DescribeJobTemplateCommand)
    .callsFake((input: { id: string }) => ({ jobTemplate: { id: input.id, jobTemplateData: undefined } }));
  project = tempProject();
  stubAwsEnvironment(project.root);
});

afterEach(() => {
  vi.unstubAllEnvs();
  project.cleanup();
});

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode, attempts: 5 } });
const serviceError = (name: string, httpStatusCode: number, message: string) =>
  new EMRContainersServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    message,
    ...meta(httpStatusCode),
  });

const managed = (tenant: string, namespace: string): VirtualCluster => ({
  id: `vc-${tenant}`,
  name: tenant,
  state: 'RUNNING',
  arn: `arn:aws:emr-containers:ap-northeast-2:210987654321:/virtualclusters/vc-${tenant}`,
  containerProvider: { type: 'EKS', id: 'spark-platform-dev', info: { eksInfo: { namespace } } },
  tags: {
    'emr-eks-gitops.io/managed-by': 'emr-eks-gitops',
    'emr-eks-gitops.io/environment': 'dev',
    'emr-eks-gitops.io/tenant': tenant,
  },
});

const cli = (args: readonly string[]) => runCli(['emr', ...args, '--env', 'dev'], bufferIO(project.root));

/** Creates fail for the ml tenant only; the others succeed. */
function failCreateOfMl(error: Error): void {
  emr.on(ListVirtualClustersCommand).resolves({ virtualClusters: [] });
  emr.on(CreateVirtualClusterCommand).callsFake((input: { name: string }) => {
    if (input.name === 'ml') throw error;
    return { id: `vc-${input.name}`, name: input.name };
  });
}

describe('apply reports each failed tenant, does the others, exits 1', () => {
  const cases: [string, Error, RegExp][] = [
    [
      'AccessDenied',
      serviceError(
        'AccessDeniedException',
        403,
        'User is not authorized to perform: emr-containers:CreateVirtualCluster',
      ),
      /lacks IAM permission emr-containers:CreateVirtualCluster .*emr-containers:TagResource.*in ap-northeast-2/,
    ],
    [
      'namespace not ready',
      new ValidationException({ message: 'Unauthorized to read namespace spark-ml', ...meta(400) }),
      /EMR cannot use namespace spark-ml yet: sync the namespace and RBAC first \(Flux\), then retry/,
    ],
    [
      'namespace registered since the listing',
      new ValidationException({ message: 'A virtual cluster already exists in the given namespace', ...meta(400) }),
      /namespace spark-ml already has a virtual cluster: run emr list \(or aws emr-containers list-virtual-clusters --container-provider-id spark-platform-dev --states RUNNING ARRESTED\) to see it/,
    ],
    [
      'other validation',
      new ValidationException({ message: 'Invalid tag key', ...meta(400) }),
      /EMR refused the request; check environments\/dev\.yaml/,
    ],
    [
      'EKS cluster missing',
      new ResourceNotFoundException({ message: 'Cluster spark-platform-dev not found', ...meta(404) }),
      /EKS cluster spark-platform-dev was not found in ap-northeast-2: check cluster\.name and cluster\.region in environments\/dev\.yaml/,
    ],
    [
      'EKS throttling',
      new EKSRequestThrottledException({ message: 'Rate exceeded', ...meta(400) }),
      /EKS throttled the calls EMR made on your behalf; wait a minute and run again/,
    ],
    [
      'expired credentials',
      serviceError('ExpiredTokenException', 403, 'The security token included in the request is expired'),
      /AWS rejected the credentials: they are expired or wrong/,
    ],
    ['unexpected', serviceError('SomethingNewException', 400, 'surprise'), /unexpected error; run again/],
  ];

  it.each(cases)('%s', async (_, error, advice) => {
    failCreateOfMl(error);
    const result = await cli(['apply']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ml\s+spark-ml\s+failed\s+-$/m);
    expect(result.stdout).toMatch(/^app-dev\s+spark-app-dev\s+created\s+vc-app-dev$/m);
    expect(result.stdout).toMatch(/^data-eng\s+spark-data-eng\s+created\s+vc-data-eng$/m);
    expect(result.stdout).toMatch(
      new RegExp(`^  1\\. tenant ml \\(namespace spark-ml\\): CreateVirtualCluster failed: ${error.name}`, 'm'),
    );
    expect(result.stdout).toMatch(advice);
    expect(result.stdout).toMatch(/2 created, 0 already in place, 0 flagged, 1 failed/);
  });

  it("a 5xx that outlasts the SDK's retries: lists again, finds nothing, says to run again", async () => {
    failCreateOfMl(new InternalServerException({ message: 'Internal error', ...meta(500) }));
    const result = await cli(['apply']);
    expect(result.code).toBe(1);
    expect(emr.commandCalls(ListVirtualClustersCommand)).toHaveLength(2);
    expect(result.stdout).toMatch(
      /service kept failing or throttling after 5 attempts; run again later or raise --max-attempts \(apply is idempotent/,
    );
  });

  it('a 5xx after which the listing shows the cluster: reported created, exit 0', async () => {
    emr
      .on(ListVirtualClustersCommand)
      .resolvesOnce({ virtualClusters: [managed('app-dev', 'spark-app-dev'), managed('data-eng', 'spark-data-eng')] })
      .resolves({
        virtualClusters: [
          managed('app-dev', 'spark-app-dev'),
          managed('data-eng', 'spark-data-eng'),
          managed('ml', 'spark-ml'),
        ],
      });
    emr
      .on(CreateVirtualClusterCommand)
      .rejects(new InternalServerException({ message: 'Internal error', ...meta(500) }));
    const result = await cli(['apply', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).results[2]).toMatchObject({
      tenant: 'ml',
      status: 'created',
      virtualClusterId: 'vc-ml',
    });
  });

  it('no credentials at all is a usage problem: exit 2', async () => {
    emr.on(ListVirtualClustersCommand).resolves({ virtualClusters: [] });
    emr
      .on(CreateVirtualClusterCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );
    const result = await cli(['apply']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/no usable AWS credentials: pass --profile, set AWS_PROFILE/);
  });
});

describe('a failed listing stops the command with the reason', () => {
  it.each([
    [
      'AccessDenied',
      serviceError('AccessDeniedException', 403, 'not authorized'),
      1,
      /EKS cluster spark-platform-dev: ListVirtualClusters failed: AccessDeniedException: not authorized\n {2}-> the identity you run as lacks IAM permission emr-containers:ListVirtualClusters in ap-northeast-2/,
    ],
    [
      'throttling',
      serviceError('ThrottlingException', 429, 'Rate exceeded'),
      1,
      /service kept failing or throttling after 5 attempts/,
    ],
    [
      'network',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      1,
      /the EMR endpoint did not answer: check the network, --region and --endpoint-url/,
    ],
    [
      'credentials',
      Object.assign(new Error('Profile x could not be found'), { name: 'CredentialsProviderError' }),
      2,
      /no usable AWS credentials/,
    ],
  ] as const)('%s', async (_, error, code, message) => {
    emr.on(ListVirtualClustersCommand).rejects(error);
    for (const command of ['plan', 'apply', 'list', 'destroy']) {
      const result = await cli([command, '--yes'].slice(0, command === 'destroy' ? 2 : 1));
      expect(result.code, command).toBe(code);
      expect(result.stderr, command).toMatch(message);
    }
    expect(emr.commandCalls(CreateVirtualClusterCommand)).toHaveLength(0);
  });
});

describe('destroy reports failed deletions per tenant', () => {
  beforeEach(() => {
    emr
      .on(ListVirtualClustersCommand)
      .resolves({ virtualClusters: [managed('app-dev', 'spark-app-dev'), managed('ml', 'spark-ml')] });
  });

  // DeleteVirtualCluster models only ValidationException and InternalServerException (emr-containers service model):
  // a refused delete is checked with DescribeVirtualCluster, which says whether the cluster is already on its way out.
  it('a cluster deleted meanwhile: the delete is refused, Describe shows it terminated, it counts as gone', async () => {
    emr
      .on(DeleteVirtualClusterCommand, { id: 'vc-ml' })
      .rejects(new ValidationException({ message: 'cannot delete', ...meta(400) }));
    emr
      .on(DescribeVirtualClusterCommand, { id: 'vc-ml' })
      .resolves({ virtualCluster: { ...managed('ml', 'spark-ml'), state: 'TERMINATED' } });
    emr.on(DeleteVirtualClusterCommand, { id: 'vc-app-dev' }).resolves({ id: 'vc-app-dev' });
    const result = await cli(['destroy', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ml\s+spark-ml\s+ml \(vc-ml\)\s+gone$/m);
  });

  it('a refused delete of a cluster that is still running fails with what EMR said and what to do', async () => {
    emr
      .on(DeleteVirtualClusterCommand, { id: 'vc-ml' })
      .rejects(new ValidationException({ message: 'cannot delete', ...meta(400) }));
    emr.on(DescribeVirtualClusterCommand, { id: 'vc-ml' }).resolves({ virtualCluster: managed('ml', 'spark-ml') });
    emr.on(DeleteVirtualClusterCommand, { id: 'vc-app-dev' }).resolves({ id: 'vc-app-dev' });
    const result = await cli(['destroy', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^ {2}1\. tenant ml \(namespace spark-ml\): DeleteVirtualCluster failed: ValidationException: cannot delete\n\s+-> EMR refused to delete virtual cluster vc-ml and DescribeVirtualCluster shows it still exists; run emr list to see its state/m,
    );
  });

  it('a job template deleted meanwhile: the delete is refused, DescribeJobTemplate finds none, it counts as gone', async () => {
    const tags = { ...managed('ml', 'spark-ml').tags, 'emr-eks-gitops.io/job-template-hash': '0'.repeat(64) };
    emr
      .on(ListJobTemplatesCommand)
      .resolves({ templates: [{ id: 'jt-ml', name: 'dev-ml-00000000', tags, jobTemplateData: undefined as never }] });
    emr.on(DeleteVirtualClusterCommand).resolves({});
    emr
      .on(DeleteJobTemplateCommand, { id: 'jt-ml' })
      .rejects(new ValidationException({ message: 'cannot delete', ...meta(400) }));
    emr
      .on(DescribeJobTemplateCommand, { id: 'jt-ml' })
      .rejects(new ResourceNotFoundException({ message: 'no such template', ...meta(404) }));
    const result = await cli(['destroy', '--yes', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).jobTemplates).toMatchObject([{ id: 'jt-ml', status: 'gone' }]);
  });

  it('an error the delete does not model (ResourceNotFoundException) is not taken for "gone"', async () => {
    emr
      .on(DeleteVirtualClusterCommand, { id: 'vc-ml' })
      .rejects(new ResourceNotFoundException({ message: 'not found', ...meta(404) }));
    emr.on(DeleteVirtualClusterCommand, { id: 'vc-app-dev' }).resolves({ id: 'vc-app-dev' });
    const result = await cli(['destroy', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /DeleteVirtualCluster failed: ResourceNotFoundException: not found\n\s+-> unexpected error/,
    );
    expect(emr.commandCalls(DescribeVirtualClusterCommand)).toHaveLength(0);
  });

  it('access denied names emr-containers:DeleteVirtualCluster and the tenant; the other is still deleted', async () => {
    emr.on(DeleteVirtualClusterCommand, { id: 'vc-ml' }).rejects(serviceError('AccessDeniedException', 403, 'denied'));
    emr.on(DeleteVirtualClusterCommand, { id: 'vc-app-dev' }).resolves({ id: 'vc-app-dev' });
    const result = await cli(['destroy', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^app-dev\s+spark-app-dev\s+app-dev \(vc-app-dev\)\s+deleted$/m);
    expect(result.stdout).toMatch(
      /^ {2}1\. tenant ml \(namespace spark-ml\): DeleteVirtualCluster failed: AccessDeniedException: denied\n\s+-> the identity you run as lacks IAM permission emr-containers:DeleteVirtualCluster/m,
    );
  });
});
