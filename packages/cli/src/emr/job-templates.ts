import { createHash } from 'node:crypto';
import {
  CreateJobTemplateCommand,
  DescribeJobTemplateCommand,
  paginateListJobTemplates,
  type EMRContainersClient,
  type JobTemplate,
} from '@aws-sdk/client-emr-containers';
import { EMR_RESOURCE_TAGS, PROJECT_NAME, type CreateJobTemplateDocument } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, RenderResult } from '@emr-eks-gitops/charts';
import { deleteJobTemplate, deleteOutcome } from './deletes.js';
import { explainAwsError, type ErrorContext } from './errors.js';
import { Progress, mapWithLimit } from './progress.js';
import type { CliIO } from '../io.js';

// EMR job templates of the tenants. A template is immutable (there is no UpdateJobTemplate): when a tenant's rendered
// template (artifacts/tenants/<tenant>/job-template.json) changes, apply creates the new one. The templates it
// replaces are kept for a while (the newest `keepPrevious`, default 1), so a scheduler or IAM policy pinned to the
// previous id keeps working until it follows (emr template gives the current id and a policy naming both); older ones
// are deleted. Templates this project manages are known by their tags (managed-by, environment, tenant, and the
// SHA-256 of jobTemplateData); ListJobTemplates cannot filter by tag, so every page is read and filtered here.

/** A job template as these commands need it. */
export interface JobTemplateInfo {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt?: Date;
}

/** Every job template of the account and region, all pages. */
export async function listJobTemplates(client: EMRContainersClient, pageSize?: number): Promise<JobTemplateInfo[]> {
  const templates: JobTemplateInfo[] = [];
  for await (const page of paginateListJobTemplates({ client, ...(pageSize !== undefined ? { pageSize } : {}) }, {})) {
    for (const template of page.templates ?? []) templates.push(toInfo(template));
  }
  return templates;
}

function toInfo(template: JobTemplate): JobTemplateInfo {
  return {
    id: template.id ?? '',
    name: template.name ?? '',
    arn: template.arn ?? '',
    tags: template.tags ?? {},
    ...(template.createdAt ? { createdAt: template.createdAt } : {}),
  };
}

/** True when this project made `template` for `environment` (and `tenant`, when given). */
export function isManagedTemplate(template: JobTemplateInfo, environment: string, tenant?: string): boolean {
  return (
    template.tags[EMR_RESOURCE_TAGS.managedBy] === PROJECT_NAME &&
    template.tags[EMR_RESOURCE_TAGS.environment] === environment &&
    (tenant === undefined || template.tags[EMR_RESOURCE_TAGS.tenant] === tenant)
  );
}

/** Each active tenant's CreateJobTemplate request, exactly as rendered to artifacts/tenants/<tenant>/job-template.json. */
export function desiredJobTemplates(
  config: ResolvedEnvironment,
  rendered: RenderResult,
): Map<string, CreateJobTemplateDocument> {
  const desired = new Map<string, CreateJobTemplateDocument>();
  for (const tenant of activeTenants(config)) {
    const text = rendered.files.get(`artifacts/tenants/${tenant.name}/job-template.json`);
    if (text === undefined)
      throw new Error(`the render of ${config.name} has no job template for tenant ${tenant.name}`);
    desired.set(tenant.name, JSON.parse(text) as CreateJobTemplateDocument);
  }
  return desired;
}

/** Tenants that get job templates: all but the retired ones (they render no Spark artifacts). */
const activeTenants = (config: ResolvedEnvironment) => config.tenants.filter((tenant) => !tenant.retired);

/** How many previous templates of a tenant apply keeps by default: the one just replaced. */
export const JOB_TEMPLATE_KEEP_PREVIOUS = 1;

/** What apply does with one tenant's job template. */
export interface JobTemplatePlan {
  readonly tenant: string;
  /** create: none managed yet; keep: the current one is in place; replace: create the current one beside the old. */
  readonly action: 'create' | 'keep' | 'replace';
  readonly request: CreateJobTemplateDocument;
  /** The managed template whose content is the rendered one (keep). */
  readonly current?: JobTemplateInfo;
  /** The newest templates of the tenant with other content, kept beside the current one (newest first). */
  readonly previous: readonly JobTemplateInfo[];
  /** Older templates of the tenant (and duplicates of the current content): deleted once the current one exists. */
  readonly obsolete: readonly JobTemplateInfo[];
}

export interface JobTemplatesPlan {
  readonly environment: string;
  readonly tenants: readonly JobTemplatePlan[];
  /** Templates managed for this environment whose tenant is in no environment file any more; emr destroy removes them. */
  readonly orphans: readonly JobTemplateInfo[];
}

/**
 * Matches the managed templates to the rendered ones, per tenant, keeping the newest `keepPrevious` templates of other
 * content beside the current one. Pure.
 */
export function planJobTemplates(
  config: ResolvedEnvironment,
  desired: ReadonlyMap<string, CreateJobTemplateDocument>,
  templates: readonly JobTemplateInfo[],
  keepPrevious: number = JOB_TEMPLATE_KEEP_PREVIOUS,
): JobTemplatesPlan {
  const managed = templates.filter((template) => isManagedTemplate(template, config.name));
  const tenants = activeTenants(config).map((tenant): JobTemplatePlan => {
    const request = desired.get(tenant.name)!;
    const hash = request.tags[EMR_RESOURCE_TAGS.jobTemplateHash];
    const own = managed
      .filter((template) => template.tags[EMR_RESOURCE_TAGS.tenant] === tenant.name)
      .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || (a.id < b.id ? -1 : 1));
    const current = own.find((template) => template.tags[EMR_RESOURCE_TAGS.jobTemplateHash] === hash);
    // Earlier contents, newest first; a second template of the current content is a leftover, never kept.
    const earlier = own.filter((template) => template.tags[EMR_RESOURCE_TAGS.jobTemplateHash] !== hash).reverse();
    const previous = earlier.slice(0, keepPrevious);
    const obsolete = own.filter((template) => template !== current && !previous.includes(template));
    if (current) return { tenant: tenant.name, action: 'keep', request, current, previous, obsolete };
    return { tenant: tenant.name, action: earlier.length > 0 ? 'replace' : 'create', request, previous, obsolete };
  });
  // A retired tenant's templates are left over like those of a removed one: emr destroy --tenant removes them.
  const names = new Set(activeTenants(config).map((tenant) => tenant.name));
  return {
    environment: config.name,
    tenants,
    orphans: managed.filter((template) => !names.has(template.tags[EMR_RESOURCE_TAGS.tenant] ?? '')),
  };
}

/** What apply did with one tenant's job template. */
export interface JobTemplateOutcome {
  readonly tenant: string;
  /** created / replaced: made now (replaced: old ones deleted too); kept: in place; failed: an AWS error, explained. */
  readonly status: 'created' | 'replaced' | 'kept' | 'failed';
  readonly jobTemplateId?: string;
  readonly name: string;
  /** Ids of the obsolete templates deleted (or found gone). */
  readonly deleted: readonly string[];
  /** Ids of the previous templates kept beside the current one, newest first. */
  readonly previous: readonly string[];
  readonly message?: string;
  readonly exitCode?: number;
}

export interface JobTemplateOptions {
  readonly concurrency: number;
  readonly context: Omit<ErrorContext, 'operation'>;
}

/**
 * Carries out the plan: creates each tenant's current template (clientToken from the rendered request, so a retried
 * or repeated create returns the template made the first time), then deletes the obsolete ones. The old template is
 * deleted only once the new one exists, so a tenant always has a template to submit with.
 */
export async function applyJobTemplates(
  client: EMRContainersClient,
  plan: JobTemplatesPlan,
  io: CliIO,
  options: JobTemplateOptions,
): Promise<JobTemplateOutcome[]> {
  const progress = new Progress(
    io,
    'job templates:',
    plan.tenants.filter((entry) => entry.action !== 'keep' || entry.obsolete.length > 0).length,
  );
  return mapWithLimit(plan.tenants, options.concurrency, async (entry): Promise<JobTemplateOutcome> => {
    const base = {
      tenant: entry.tenant,
      name: entry.request.name,
      previous: entry.previous.map((template) => template.id),
    };
    const context = (operation: ErrorContext['operation'], id?: string): ErrorContext => ({
      ...options.context,
      operation,
      tenant: entry.tenant,
      ...(id ? { jobTemplateId: id } : {}),
    });
    if (entry.action === 'keep' && entry.obsolete.length === 0)
      return { ...base, status: 'kept', jobTemplateId: entry.current!.id, deleted: [] };
    progress.start(
      entry.tenant,
      entry.action === 'keep' ? `deleting ${entry.obsolete.length} obsolete` : `${entry.action} ${entry.request.name}`,
    );
    let id = entry.current?.id;
    let message: string | undefined;
    if (id === undefined) {
      const created = await createTemplate(client, entry.request, context('CreateJobTemplate'));
      if ('failed' in created) {
        progress.finish(entry.tenant, `failed ${entry.tenant}: job template ${entry.request.name}`);
        return {
          ...base,
          status: 'failed',
          deleted: [],
          message: created.failed.message,
          exitCode: created.failed.exitCode,
        };
      }
      id = created.id;
      message = created.note;
    }
    const deleted: string[] = [];
    for (const old of entry.obsolete) {
      const failure = await deleteTemplate(client, old.id, context('DeleteJobTemplate', old.id));
      if (failure) {
        progress.finish(entry.tenant, `failed ${entry.tenant}: deleting job template ${old.id}`);
        return {
          ...base,
          status: 'failed',
          jobTemplateId: id,
          deleted,
          message: failure.message,
          exitCode: failure.exitCode,
        };
      }
      deleted.push(old.id);
    }
    const status = entry.current ? 'kept' : entry.action === 'replace' ? 'replaced' : 'created';
    // The template just replaced is deleted in this same apply only when no previous one is kept: say so.
    const newest = entry.current
      ? undefined
      : [...entry.obsolete]
          .reverse()
          .find(
            (template) =>
              template.tags[EMR_RESOURCE_TAGS.jobTemplateHash] !==
              entry.request.tags[EMR_RESOURCE_TAGS.jobTemplateHash],
          );
    if (newest && entry.previous.length === 0 && deleted.includes(newest.id)) {
      message = [
        message,
        `deleted ${newest.id}, which this apply replaced with ${id}, in the same run (no previous template kept): ` +
          `whatever is pinned to ${newest.id} (schedulers, IAM policies with emr-containers:JobTemplateArn) fails until it uses ${id}`,
      ]
        .filter(Boolean)
        .join('; ');
    }
    progress.finish(
      entry.tenant,
      `${status} ${entry.tenant}: job template ${entry.request.name} (${id})${deleted.length ? `, deleted ${deleted.join(', ')}` : ''}`,
    );
    return { ...base, status, jobTemplateId: id, deleted, ...(message ? { message } : {}) };
  });
}

type Explained = { readonly message: string; readonly exitCode: number };

/**
 * Creates the template of `request`. A clientToken EMR already used for a template that has since been deleted (a
 * tenant's settings went back to an earlier content) is answered with the deleted template: an answer created
 * before this call (by more than a minute, for clock skew) is checked with DescribeJobTemplate and, when gone, the
 * create is repeated with a token derived from the stale id, as deterministic as the first. A fresh answer is not
 * described, so a read lagging behind the create cannot be taken for a deleted template. A create whose answer is
 * lost for good is looked for by listing again.
 */
async function createTemplate(
  client: EMRContainersClient,
  request: CreateJobTemplateDocument,
  context: ErrorContext,
): Promise<{ id: string; note?: string } | { failed: Explained }> {
  let clientToken = request.clientToken;
  for (let attempt = 0; attempt < 3; attempt++) {
    let id: string | undefined;
    let note: string | undefined;
    let earlier = false;
    const sentAt = Date.now();
    try {
      const answer = await client.send(
        new CreateJobTemplateCommand({
          name: request.name,
          clientToken,
          jobTemplateData: request.jobTemplateData as never,
          tags: { ...request.tags },
        }),
      );
      id = answer.id;
      earlier = answer.createdAt === undefined || answer.createdAt.getTime() < sentAt - 60_000;
    } catch (error) {
      const explained = explainAwsError(error, context);
      if (!maybeDone(error)) return { failed: explained };
      id = await findTemplate(client, request);
      if (id === undefined) return { failed: explained };
      note = 'the answer to the create was lost; found the template on a second listing';
    }
    if (id === undefined)
      return {
        failed: { message: `tenant ${context.tenant ?? ''}: CreateJobTemplate answered without an id`, exitCode: 1 },
      };
    if (!earlier) return { id, ...(note ? { note } : {}) };
    const live = await exists(client, id, { ...context, operation: 'DescribeJobTemplate', jobTemplateId: id });
    if (typeof live === 'object') return { failed: live };
    if (live) return { id, ...(note ? { note } : {}) };
    clientToken = createHash('sha256').update(`${request.clientToken}\n${id}`).digest('hex');
  }
  return {
    failed: {
      message: `tenant ${context.tenant ?? ''}: CreateJobTemplate kept answering with deleted templates`,
      exitCode: 1,
    },
  };
}

/** true: the template exists; false: it does not (deleted); an explained error otherwise. */
async function exists(client: EMRContainersClient, id: string, context: ErrorContext): Promise<boolean | Explained> {
  try {
    await client.send(new DescribeJobTemplateCommand({ id }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
    return explainAwsError(error, context);
  }
}

/** Deletes one template; gone already counts as done. */
async function deleteTemplate(
  client: EMRContainersClient,
  id: string,
  context: ErrorContext,
): Promise<Explained | undefined> {
  const result = await deleteJobTemplate(client, id, context);
  return result.status === 'failed' ? result.failed : undefined;
}

/** Errors after which the create may have happened: the request reached the service but no clear answer came back. */
function maybeDone(error: unknown): boolean {
  const e = error as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    e.$fault === 'server' ||
    (status !== undefined && status >= 500) ||
    e.name === 'TimeoutError' ||
    e.name === 'RequestTimeout'
  );
}

/** The id of a managed template with the request's content, if a fresh listing has one. */
async function findTemplate(
  client: EMRContainersClient,
  request: CreateJobTemplateDocument,
): Promise<string | undefined> {
  try {
    const templates = await listJobTemplates(client);
    return templates.find((template) =>
      Object.entries(request.tags).every(([key, value]) => template.tags[key] === value),
    )?.id;
  } catch {
    return undefined; // the listing failing too leaves the create's own error as the one to report
  }
}

/** What destroy did to one job template. */
export interface JobTemplateDestroyOutcome {
  readonly id: string;
  readonly name: string;
  readonly tenant: string;
  readonly status: 'deleted' | 'gone' | 'failed';
  readonly message?: string;
  readonly exitCode?: number;
}

/** The templates destroy may delete: managed for the environment (and tenant, when given). */
export function jobTemplateTargets(
  templates: readonly JobTemplateInfo[],
  environment: string,
  tenant?: string,
): JobTemplateInfo[] {
  return templates.filter((template) => isManagedTemplate(template, environment, tenant));
}

/** Deletes `targets`, at most `concurrency` at a time; one failure does not stop the others. */
export async function destroyJobTemplates(
  client: EMRContainersClient,
  targets: readonly JobTemplateInfo[],
  io: CliIO,
  options: JobTemplateOptions,
): Promise<JobTemplateDestroyOutcome[]> {
  const progress = new Progress(io, 'deleting', targets.length);
  return mapWithLimit(targets, options.concurrency, async (template): Promise<JobTemplateDestroyOutcome> => {
    const base = { id: template.id, name: template.name, tenant: template.tags[EMR_RESOURCE_TAGS.tenant] ?? '' };
    progress.start(template.name, `job template ${template.id}`);
    const result = await deleteJobTemplate(client, template.id, {
      ...options.context,
      operation: 'DeleteJobTemplate',
      tenant: base.tenant,
      jobTemplateId: template.id,
    });
    const outcome: JobTemplateDestroyOutcome = deleteOutcome(base, result);
    progress.finish(template.name, `${outcome.status} ${template.name}: job template ${template.id}`);
    return outcome;
  });
}
