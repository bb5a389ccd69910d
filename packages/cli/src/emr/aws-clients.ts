import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { awsClientConfig, type AwsOptions } from './client.js';

/** The clients of the AWS side beyond EMR: S3 for artifacts and prefixes, IAM, STS, EKS and SQS for preflight. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly eks: EKSClient;
  readonly sqs: SQSClient;
}

/**
 * One client per service with the options of the command (profile, region, retries, timeouts). Endpoints are the
 * SDK's own per-service settings (AWS_ENDPOINT_URL_S3, _IAM, _STS, _EKS, _SQS, AWS_ENDPOINT_URL, endpoint_url);
 * --endpoint-url stays EMR's. An S3 endpoint set that way is a local or compatible server: path-style addressing,
 * since such servers rarely answer <bucket>.<host>.
 */
export function createAwsClients(
  options: AwsOptions,
  defaultRegion: string,
  env: NodeJS.ProcessEnv = process.env,
): AwsClients {
  const config = awsClientConfig(options, defaultRegion);
  const s3EndpointOverridden = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return {
    s3: new S3Client({ ...config, ...(s3EndpointOverridden ? { forcePathStyle: true } : {}) }),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    eks: new EKSClient(config),
    sqs: new SQSClient(config),
  };
}
