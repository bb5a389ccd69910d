import { requireThat } from './errors.js';

/** An IAM role ARN in any partition, with an optional path: `arn:<partition>:iam::<12 digits>:role/[<path>/]<name>`. */
const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Throws a ConfigurationError naming `field` unless `value` is an IAM role ARN. */
export function requireIamRoleArn(value: string, field: string, subject?: string): void {
  requireThat(
    IAM_ROLE_ARN.test(value),
    field,
    `"${value}" must be an IAM role ARN, arn:<partition>:iam::<account>:role/<name>`,
    subject,
  );
}
