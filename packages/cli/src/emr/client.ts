import { EMRContainersClient } from '@aws-sdk/client-emr-containers';
import { fromIni } from '@aws-sdk/credential-providers';
import { CliError } from '../io.js';
import { NO_REGION } from './errors.js';

/** The AWS options every EMR command takes, as an AWS tool spells them. */
export interface AwsOptions {
  /** Named profile of ~/.aws/config and ~/.aws/credentials; else the standard chain (env, SSO, IMDS, ...). */
  readonly profile?: string;
  /** Region of the EMR endpoint; else the environment's cluster.region. */
  readonly region?: string;
  /** Endpoint override; else the SDK's own AWS_ENDPOINT_URL_EMR_CONTAINERS / AWS_ENDPOINT_URL / endpoint_url. */
  readonly endpointUrl?: string;
  /** Attempts per call, first one included, for the SDK's standard retry strategy (throttling, 5xx, timeouts). */
  readonly maxAttempts: number;
  /** Seconds to wait for an answer before the SDK gives up on the attempt (and retries it). */
  readonly readTimeout: number;
}

/**
 * An EMR containers client for `options`. Retries are the SDK's: the standard strategy retries throttling, 5xx and
 * timeouts with backoff, and because CreateVirtualCluster carries our clientToken, a retried create is answered with
 * the cluster the first attempt made.
 */
export function createEmrClient(options: AwsOptions, defaultRegion: string): EMRContainersClient {
  if (options.endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(options.endpointUrl)) {
    throw new CliError(`--endpoint-url "${options.endpointUrl}" is not a URL: expected http(s)://host[:port]`);
  }
  return new EMRContainersClient({
    ...awsClientConfig(options, defaultRegion),
    ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}),
  });
}

/**
 * What every AWS client of these commands shares: region, credentials, the SDK's standard retries and timeouts.
 * Endpoints stay the SDK's own (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, endpoint_url in the profile).
 */
export interface AwsClientConfig {
  readonly region: string;
  readonly credentials?: ReturnType<typeof fromIni>;
  readonly maxAttempts: number;
  readonly retryMode: 'standard';
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

export function awsClientConfig(options: AwsOptions, defaultRegion: string): AwsClientConfig {
  const region = options.region ?? defaultRegion;
  if (region.trim() === '') throw new CliError(NO_REGION);
  return {
    region,
    // A named profile means that profile only (keys, SSO, role chaining, credential_process), as `aws --profile`.
    ...(options.profile !== undefined ? { credentials: fromIni({ profile: options.profile }) } : {}),
    maxAttempts: options.maxAttempts,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: 5_000, requestTimeout: options.readTimeout * 1000 },
  };
}
