import { Type, type TSchema } from '@sinclair/typebox';
import { DNS_LABEL_PATTERN, QUANTITY_PATTERN } from '@emr-eks-gitops/core';

// Building blocks of the environment schema. `description` is what editors show and what error messages quote,
// so each reads as "<what it is>: <what is allowed>".

export const Quantity = (description: string, options: { default?: string } = {}) =>
  Type.Unsafe<string | number>({ type: ['string', 'number'], pattern: QUANTITY_PATTERN, description, ...options });

export const DnsLabel = (description: string) =>
  Type.String({ pattern: DNS_LABEL_PATTERN, minLength: 1, maxLength: 63, description });

/** A closed set of strings, as one `enum` (one clear error message instead of one per alternative). */
export const StringEnum = <const T extends string>(
  values: readonly T[],
  options: { description: string; default?: T },
) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

export const strictObject = <T extends Record<string, TSchema>>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description });

export const Resources = (what: string) =>
  strictObject(
    {
      cpu: Quantity(`CPU ${what}: a Kubernetes quantity such as "500m" or 2`),
      memory: Quantity(`memory ${what}: a Kubernetes quantity such as "4Gi"`),
    },
    `CPU and memory ${what}`,
  );

/** A Go duration as Kubernetes controllers read them: `30s`, `5m`, `720h`, `1h30m`. */
export const GoDuration = (description: string, options: { default?: string } = {}) =>
  Type.String({ pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$', description, ...options });

/** An IAM role ARN, any partition. */
export const RoleArn = (description: string) =>
  Type.String({
    pattern: '^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$',
    description: `${description}: arn:<partition>:iam::<account>:role/<name>`,
  });

/** An S3 location: s3://<bucket>[/<prefix>] without a trailing slash. */
export const S3Uri = (description: string) =>
  Type.String({
    pattern: '^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\\s]*[^/\\s])?$',
    description: `${description}: s3://<bucket>[/<prefix>], without a trailing "/"`,
  });
