import { createHash } from 'node:crypto';
import { requireThat } from '../primitives/errors.js';
import { classificationContractViolations } from './emr-classification-contract.js';
import { LABELS, PROJECT_NAME } from '../primitives/labels.js';
import type { EmrMonitoringConfiguration } from './emr-job-configuration.js';

// Request documents of the EMR containers API (service model emr-containers 2020-10-01): StartJobRun and
// CreateJobTemplate, built from a tenant's configuration overrides so that every job of the tenant runs with the
// platform's settings. The shapes and constraints are those of the service model; render, validate and the tests check
// the rendered documents against schemas/emr-containers/job-requests.schema.json (validation/aws/request-documents.ts).

/** One `applicationConfiguration` entry (service model shape `Configuration`). */
export interface EmrConfiguration {
  readonly classification: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly configurations?: readonly EmrConfiguration[];
}

/** `configurationOverrides` of StartJobRun, and of a job template (`ParametricConfigurationOverrides`). */
export interface EmrConfigurationOverrides {
  readonly applicationConfiguration?: readonly EmrConfiguration[];
  readonly monitoringConfiguration?: EmrMonitoringConfiguration;
}

/** Tags this project puts on the EMR resources it manages; destroy touches nothing without them. */
export const EMR_RESOURCE_TAGS = {
  managedBy: 'emr-eks-gitops.io/managed-by',
  environment: LABELS.environment,
  tenant: LABELS.tenant,
  /** SHA-256 (hex) of a job template's `jobTemplateData`: a template is replaced when it changes. */
  jobTemplateHash: 'emr-eks-gitops.io/job-template-hash',
} as const;

/** What must be filled in before `aws emr-containers start-job-run --cli-input-json file://start-job-run.json`. */
export const START_JOB_RUN_PLACEHOLDERS = {
  name: '<job-run-name>',
  virtualClusterId: '<virtual-cluster-id>',
  entryPoint: '<s3://bucket/path/to/entry-point>',
} as const;

/**
 * The job template's parameters (`--job-template-parameters EntryPoint=s3://...` at start-job-run). EMR replaces
 * each `${Name}` in a string of jobTemplateData by one value (EMR on EKS guide, "Defining job template parameters";
 * TemplateParameterConfiguration: type STRING or NUMBER, a default of 1-1024 characters, not blank), so a parameter
 * can neither be absent nor stand for several list items. The template therefore has no `entryPointArguments`: a job
 * started from it gets no argument at all, and a job that needs arguments (any number) submits
 * artifacts/tenants/<tenant>/start-job-run.json, the same settings with `entryPointArguments` as a list.
 */
export const JOB_TEMPLATE_PARAMETERS = {
  entryPoint: 'EntryPoint',
} as const;

export interface EmrJobDocumentsProps {
  /** Environment name, for tags and the template's name. */
  readonly environment: string;
  /** Tenant name, for tags and the template's name. */
  readonly tenant: string;
  /** IAM role the tenant's jobs run as. */
  readonly executionRoleArn: string;
  /** EMR release label of the tenant's jobs, e.g. `emr-7.5.0-latest`. */
  readonly releaseLabel: string;
  /** The tenant's configuration overrides, exactly as its jobs must use them. */
  readonly configurationOverrides: EmrConfigurationOverrides;
  /** The tenant's cost allocation tags, on every job run and on the job template. @default none */
  readonly costTags?: Readonly<Record<string, string>>;
}

export interface SparkSubmitJobDriver {
  readonly entryPoint: string;
  readonly entryPointArguments?: readonly string[];
  readonly sparkSubmitParameters?: string;
}

/** A StartJobRun request as `aws emr-containers start-job-run --cli-input-json` reads it (clientToken left to the CLI). */
export interface StartJobRunDocument {
  readonly name: string;
  readonly virtualClusterId: string;
  readonly executionRoleArn: string;
  readonly releaseLabel: string;
  readonly jobDriver: { readonly sparkSubmitJobDriver: SparkSubmitJobDriver };
  readonly configurationOverrides: EmrConfigurationOverrides;
  readonly tags: Readonly<Record<string, string>>;
}

export interface TemplateParameterConfiguration {
  readonly type: 'STRING' | 'NUMBER';
  readonly defaultValue?: string;
}

/** `jobTemplateData` of CreateJobTemplate. */
export interface JobTemplateData {
  readonly executionRoleArn: string;
  readonly releaseLabel: string;
  readonly jobDriver: { readonly sparkSubmitJobDriver: SparkSubmitJobDriver };
  readonly configurationOverrides: EmrConfigurationOverrides;
  readonly parameterConfiguration: Readonly<Record<string, TemplateParameterConfiguration>>;
  readonly jobTags: Readonly<Record<string, string>>;
}

/** A CreateJobTemplate request, fully determined by its `jobTemplateData`. */
export interface CreateJobTemplateDocument {
  readonly name: string;
  readonly clientToken: string;
  readonly jobTemplateData: JobTemplateData;
  readonly tags: Readonly<Record<string, string>>;
}

// Service model patterns (emr-containers 2020-10-01): ReleaseLabel, IAMRoleArn, ResourceNameString.
const RELEASE_LABEL = /^[.\-_/A-Za-z0-9]{1,64}$/;
const IAM_ROLE_ARN =
  /^arn:(aws[a-zA-Z0-9-]*):iam::(\d{12})?:(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$/;
const RESOURCE_NAME = /^[.\-_/#A-Za-z0-9]{1,64}$/;
const PLACEHOLDER = /\$\{([^}]*)\}/g;

function checkCommon(props: EmrJobDocumentsProps): void {
  requireThat(
    RELEASE_LABEL.test(props.releaseLabel),
    'releaseLabel',
    `"${props.releaseLabel}" is not an EMR release label (1-64 of A-Z a-z 0-9 . - _ /)`,
  );
  requireThat(
    props.executionRoleArn.length <= 2048 && IAM_ROLE_ARN.test(props.executionRoleArn),
    'executionRoleArn',
    `"${props.executionRoleArn}" is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)`,
  );
  // EMR ignores a classification or key it does not know: the setting would silently never apply.
  const unknown = classificationContractViolations(props.configurationOverrides.applicationConfiguration ?? [])[0];
  requireThat(
    unknown === undefined,
    `configurationOverrides.applicationConfiguration[${unknown?.path[0]}]`,
    unknown?.message ?? '',
  );
}

/** Tags in key order: the same document for the same tags, whichever way they were merged. */
const sortedTags = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const jobTags = (props: EmrJobDocumentsProps) =>
  sortedTags({
    ...props.costTags,
    [EMR_RESOURCE_TAGS.environment]: props.environment,
    [EMR_RESOURCE_TAGS.tenant]: props.tenant,
  });

/**
 * The StartJobRun request of one of the tenant's jobs, with placeholders for what only the submitter knows (the
 * job's name, the virtual cluster's id, the entry point). `configurationOverrides` is the tenant's, unchanged.
 */
export function startJobRunRequest(props: EmrJobDocumentsProps): StartJobRunDocument {
  checkCommon(props);
  return {
    name: START_JOB_RUN_PLACEHOLDERS.name,
    virtualClusterId: START_JOB_RUN_PLACEHOLDERS.virtualClusterId,
    executionRoleArn: props.executionRoleArn,
    releaseLabel: props.releaseLabel,
    jobDriver: { sparkSubmitJobDriver: { entryPoint: START_JOB_RUN_PLACEHOLDERS.entryPoint, entryPointArguments: [] } },
    configurationOverrides: props.configurationOverrides,
    tags: jobTags(props),
  };
}

/**
 * The CreateJobTemplate request of the tenant: the StartJobRun values with the entry point as a template parameter
 * (no arguments: see JOB_TEMPLATE_PARAMETERS), tagged as managed with the SHA-256 of its `jobTemplateData`. Job templates are immutable, so
 * the name (`<environment>-<tenant>-<hash8>`) and the clientToken (SHA-256 of project, environment, tenant and hash)
 * follow the content: a changed template is a new template, and a retried create returns the one already made.
 */
export function jobTemplateRequest(props: EmrJobDocumentsProps): CreateJobTemplateDocument {
  checkCommon(props);
  const { entryPoint } = JOB_TEMPLATE_PARAMETERS;
  const jobTemplateData: JobTemplateData = {
    executionRoleArn: props.executionRoleArn,
    releaseLabel: props.releaseLabel,
    jobDriver: { sparkSubmitJobDriver: { entryPoint: `\${${entryPoint}}` } },
    configurationOverrides: props.configurationOverrides,
    parameterConfiguration: {
      [entryPoint]: { type: 'STRING' },
    },
    jobTags: jobTags(props),
  };
  // EMR replaces every ${Name} in jobTemplateData by a parameter: one in a Spark property would be taken for one.
  const used = new Set([...JSON.stringify(jobTemplateData).matchAll(PLACEHOLDER)].map((match) => match[1]!));
  const undeclared = [...used].filter((name) => !(name in jobTemplateData.parameterConfiguration));
  requireThat(
    undeclared.length === 0,
    'configurationOverrides',
    `uses \${${undeclared.join('}, ${')}}, which EMR would read as an undeclared job template parameter; write the value out instead`,
  );
  const hash = jobTemplateHash(jobTemplateData);
  const prefix = `${props.environment}-${props.tenant}`.slice(0, 55);
  const name = `${prefix}-${hash.slice(0, 8)}`;
  requireThat(RESOURCE_NAME.test(name), 'name', `"${name}" is not a job template name (1-64 of A-Z a-z 0-9 . - _ / #)`);
  return {
    name,
    clientToken: createHash('sha256')
      .update([PROJECT_NAME, props.environment, props.tenant, hash].join('\n'))
      .digest('hex'),
    jobTemplateData,
    tags: sortedTags({
      ...props.costTags,
      [EMR_RESOURCE_TAGS.managedBy]: PROJECT_NAME,
      [EMR_RESOURCE_TAGS.environment]: props.environment,
      [EMR_RESOURCE_TAGS.tenant]: props.tenant,
      [EMR_RESOURCE_TAGS.jobTemplateHash]: hash,
    }),
  };
}

/** SHA-256 (hex) of `jobTemplateData` in canonical JSON (keys sorted at every level): the same for the same content. */
export function jobTemplateHash(jobTemplateData: unknown): string {
  return createHash('sha256').update(canonicalJson(jobTemplateData)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
