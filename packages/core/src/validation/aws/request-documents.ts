import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compiledValidators, type ValidatorSource } from '../../primitives/compiled-validators.js';
import { START_JOB_RUN_PLACEHOLDERS } from '../../spark/emr-job-documents.js';

// The AWS request documents the project renders as artifacts, checked at render time against the same vendored shapes
// the service models define (schemas/emr-containers/job-requests.schema.json, schemas/eks/fargate-profile.schema.json,
// schemas/eks/cluster-access.schema.json),
// so a document the API would refuse at `aws emr-containers start-job-run` / `aws eks create-fargate-profile` (or at
// `emr apply`) is refused before anything is written.

/** The request shapes a rendered document can be checked against. */
export type AwsRequestShape =
  | 'StartJobRunRequest'
  | 'CreateJobTemplateRequest'
  | 'CreateFargateProfileRequest'
  | 'EksctlFargateClusterConfig'
  | 'CreateAccessEntryRequest'
  | 'AssociateAccessPolicyRequest'
  | 'EksctlIamIdentityMappingsClusterConfig'
  | 'CreatePodIdentityAssociationRequest'
  | 'CreateAddonRequest';

/** One way a document does not fit its shape. */
export interface AwsRequestProblem {
  /** Where in the document, as keys and indexes from its root. */
  readonly path: readonly (string | number)[];
  /** The same place as a JSONPath, e.g. `$.configurationOverrides.applicationConfiguration[0].properties["spark.x"]`. */
  readonly jsonPath: string;
  /** The service-model shape and constraint it breaks, e.g. `String1024: must NOT have more than 1024 characters`. */
  readonly constraint: string;
}

const SCHEMAS = {
  emr: new URL('../../../schemas/emr-containers/job-requests.schema.json', import.meta.url),
  eks: new URL('../../../schemas/eks/fargate-profile.schema.json', import.meta.url),
  access: new URL('../../../schemas/eks/cluster-access.schema.json', import.meta.url),
  podIdentity: new URL('../../../schemas/eks/pod-identity.schema.json', import.meta.url),
} as const;
const FILE_OF: Record<AwsRequestShape, keyof typeof SCHEMAS> = {
  StartJobRunRequest: 'emr',
  CreateJobTemplateRequest: 'emr',
  CreateFargateProfileRequest: 'eks',
  EksctlFargateClusterConfig: 'eks',
  CreateAccessEntryRequest: 'access',
  AssociateAccessPolicyRequest: 'access',
  EksctlIamIdentityMappingsClusterConfig: 'access',
  CreatePodIdentityAssociationRequest: 'podIdentity',
  CreateAddonRequest: 'podIdentity',
};

type Validators<T> = { readonly firstError: T; readonly allErrors: T };

/**
 * The request shapes' validators, compiled at build time (compiledValidators): one set that stops at the first error
 * (the fast path, taken by every document that fits) and one that collects every error, for the report of a document
 * that does not fit. strictRequired is off: JobDriver's "exactly one driver" is a oneOf of required members declared
 * beside it.
 */
export function awsRequestValidatorSources(): Validators<ValidatorSource<AwsRequestShape>> {
  const schemas = Object.fromEntries(
    Object.entries(SCHEMAS).map(([key, url]) => [key, JSON.parse(readFileSync(url, 'utf8')) as { $id: string }]),
  ) as Record<keyof typeof SCHEMAS, { $id: string }>;
  const exports = Object.fromEntries(
    Object.entries(FILE_OF).map(([shape, file]) => [shape, `${schemas[file].$id}#/definitions/${shape}`]),
  ) as Record<AwsRequestShape, string>;
  const source = (allErrors: boolean, name: string): ValidatorSource<AwsRequestShape> => ({
    file: new URL(`./${name}.validator.cjs`, import.meta.url),
    options: { allErrors, strict: true, strictRequired: false },
    schemas,
    exports,
  });
  return {
    firstError: source(false, 'aws-requests-first-error'),
    allErrors: source(true, 'aws-requests-all-errors'),
  };
}

// Each half is loaded when first asked for: the all-errors one only once a document fails.
let sources: Validators<ValidatorSource<AwsRequestShape>> | undefined;
const validators: { -readonly [K in keyof Validators<0>]?: (shape: AwsRequestShape) => ValidateFunction } = {};
function validatorOf(shape: AwsRequestShape, allErrors: boolean): ValidateFunction {
  const key = allErrors ? 'allErrors' : 'firstError';
  sources ??= awsRequestValidatorSources();
  validators[key] ??= compiledValidators(sources[key]);
  return validators[key](shape);
}

/**
 * A StartJobRun document as it is submitted: the placeholders the user fills in replaced by values the API accepts,
 * and the clientToken the AWS CLI generates, so only what the project rendered is judged.
 */
function asSubmitted(document: Record<string, unknown>): Record<string, unknown> {
  const driver = (document.jobDriver as { sparkSubmitJobDriver?: Record<string, unknown> } | undefined)
    ?.sparkSubmitJobDriver;
  const filled = (value: unknown, placeholder: string, stand: string) => (value === placeholder ? stand : value);
  return {
    ...document,
    name: filled(document.name, START_JOB_RUN_PLACEHOLDERS.name, 'job-run'),
    virtualClusterId: filled(
      document.virtualClusterId,
      START_JOB_RUN_PLACEHOLDERS.virtualClusterId,
      'virtualclusterid',
    ),
    clientToken: document.clientToken ?? 'generated-by-the-aws-cli',
    ...(driver
      ? {
          jobDriver: {
            ...(document.jobDriver as object),
            sparkSubmitJobDriver: {
              ...driver,
              entryPoint: filled(driver.entryPoint, START_JOB_RUN_PLACEHOLDERS.entryPoint, 's3://bucket/main.py'),
            },
          },
        }
      : {}),
  };
}

const decodePointer = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
    });

/** `['a', 0, 'spark.x']` -> `$.a[0]["spark.x"]` */
export function jsonPathOf(path: readonly (string | number)[]): string {
  return `$${path.map((part) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('')}`;
}

/** `#/definitions/String1024/maxLength` -> `String1024`; the innermost service-model shape the failed keyword belongs to. */
function shapeOf(error: ErrorObject): string | undefined {
  return [...error.schemaPath.matchAll(/definitions\/([^/]+)/g)].at(-1)?.[1];
}

function problemOf(error: ErrorObject): AwsRequestProblem {
  const path = [
    ...decodePointer(error.instancePath),
    ...(error.propertyName === undefined ? [] : [error.propertyName]),
  ];
  const detail =
    error.keyword === 'additionalProperties'
      ? `unknown member ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`
      : `${error.propertyName === undefined ? '' : 'key '}${error.message ?? error.keyword}`;
  const shape = shapeOf(error);
  return { path, jsonPath: jsonPathOf(path), constraint: shape ? `${shape}: ${detail}` : detail };
}

/**
 * How `document` does not fit the AWS API's request shape `shape` (empty when it fits). A StartJobRun document is
 * judged as submitted: its `<...>` placeholders filled in and the CLI's clientToken added.
 */
export function awsRequestProblems(shape: AwsRequestShape, document: unknown): AwsRequestProblem[] {
  const subject =
    shape === 'StartJobRunRequest' && document !== null && typeof document === 'object'
      ? asSubmitted(document as Record<string, unknown>)
      : document;
  if (validatorOf(shape, false)(subject)) return [];
  const validate = validatorOf(shape, true);
  validate(subject);
  // propertyNames reports the key's own failure beside a wrapper without the key; the wrapper adds nothing.
  const errors = (validate.errors ?? []).filter((error) => error.keyword !== 'propertyNames');
  // One problem per place: an empty value breaks both minLength and the non-blank pattern, and the first says it.
  const seen = new Set<string>();
  return errors.map(problemOf).filter((problem) => !seen.has(problem.jsonPath) && Boolean(seen.add(problem.jsonPath)));
}
