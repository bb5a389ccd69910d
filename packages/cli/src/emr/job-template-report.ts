import { EMR_RESOURCE_TAGS } from '@emr-eks-gitops/core';
import type {
  JobTemplateDestroyOutcome,
  JobTemplateInfo,
  JobTemplateOutcome,
  JobTemplatePlan,
  JobTemplatesPlan,
} from './job-templates.js';
import { toTable } from './format.js';

// The job template part of what emr plan / apply / list / destroy print: JSON fields and a table section each.

export const templateJson = (template: JobTemplateInfo) => ({
  id: template.id,
  name: template.name,
  arn: template.arn,
  tenant: template.tags[EMR_RESOURCE_TAGS.tenant] ?? null,
  contentHash: template.tags[EMR_RESOURCE_TAGS.jobTemplateHash] ?? null,
  ...(template.createdAt ? { createdAt: template.createdAt.toISOString() } : {}),
});

const templateCell = (template: JobTemplateInfo) => `${template.name} (${template.id})`;

export function templatePlanJson(plan: JobTemplatesPlan) {
  return {
    tenants: plan.tenants.map((entry) => ({
      tenant: entry.tenant,
      action: entry.action,
      name: entry.request.name,
      contentHash: entry.request.tags[EMR_RESOURCE_TAGS.jobTemplateHash],
      ...(entry.current ? { current: templateJson(entry.current) } : {}),
      keep: entry.previous.map(templateJson),
      delete: entry.obsolete.map(templateJson),
    })),
    orphans: plan.orphans.map(templateJson),
  };
}

function planRow(entry: JobTemplatePlan): string[] {
  const ids = (templates: readonly JobTemplateInfo[]) => templates.map((template) => template.id).join(', ');
  const detail = [
    ...(entry.previous.length > 0 ? [`keep previous ${ids(entry.previous)}`] : []),
    ...(entry.obsolete.length > 0 ? [`delete ${ids(entry.obsolete)}`] : []),
  ].join('; ');
  switch (entry.action) {
    case 'create':
      return [entry.tenant, 'create', `${entry.request.name} (new)`, detail];
    case 'replace':
      return [entry.tenant, 'replace', `${entry.request.name} (new)`, detail];
    case 'keep':
      return [entry.tenant, 'keep', templateCell(entry.current!), detail || 'in place'];
  }
}

/** The job template section of `emr plan`. */
export function renderTemplatePlan(plan: JobTemplatesPlan): string {
  let text = `\nJob templates of ${plan.environment} (one per tenant; a changed template is replaced, never edited):\n`;
  text += toTable(['TENANT', 'ACTION', 'JOB TEMPLATE', 'DETAIL'], plan.tenants.map(planRow));
  if (plan.orphans.length > 0) {
    text +=
      `Managed for ${plan.environment} but of no tenant any more (emr destroy --tenant <name> removes them): ` +
      `${plan.orphans.map((template) => `${templateCell(template)} of ${template.tags[EMR_RESOURCE_TAGS.tenant] ?? '?'}`).join(', ')}\n`;
  }
  const count = (action: JobTemplatePlan['action']) => plan.tenants.filter((entry) => entry.action === action).length;
  const deletes = plan.tenants.reduce((sum, entry) => sum + entry.obsolete.length, 0);
  text += `Job templates: ${count('create')} to create, ${count('replace')} to replace, ${count('keep')} in place, ${deletes} to delete.\n`;
  return text;
}

/** The job template section of `emr apply`. */
export function renderTemplateApply(environment: string, outcomes: readonly JobTemplateOutcome[]): string {
  let text = `\nJob templates of ${environment}:\n`;
  text += toTable(
    ['TENANT', 'RESULT', 'JOB TEMPLATE', 'PREVIOUS KEPT', 'DELETED'],
    outcomes.map((outcome) => [
      outcome.tenant,
      outcome.status,
      `${outcome.name}${outcome.jobTemplateId ? ` (${outcome.jobTemplateId})` : ''}`,
      outcome.previous.join(', '),
      outcome.deleted.join(', '),
    ]),
  );
  const messages = outcomes.flatMap((outcome) =>
    outcome.message === undefined
      ? []
      : [outcome.status === 'failed' ? outcome.message : `${outcome.tenant}: ${outcome.message}`],
  );
  if (messages.length > 0)
    text += messages.map((line, i) => `  ${i + 1}. ${line.replace(/\n\s*/g, '\n     ')}\n`).join('');
  const summary = templateApplySummary(outcomes);
  text += `Job templates: ${summary.created} created, ${summary.replaced} replaced, ${summary.kept} in place, ${summary.deleted} deleted, ${summary.failed} failed.\n`;
  if (summary.failed === 0) {
    text +=
      'Current template of a tenant (for schedulers; with --output json, a StartJobRun policy naming it and the kept ones): ' +
      `emr-gitops emr template --env ${environment} --tenant <tenant>\n`;
    text +=
      'Submit with: aws emr-containers start-job-run --virtual-cluster-id <id> --job-template-id <id> ' +
      '--job-template-parameters EntryPoint=s3://<bucket>/<entry point> (a job with arguments: artifacts/tenants/<tenant>/start-job-run.json)\n';
  }
  return text;
}

export function templateApplySummary(outcomes: readonly JobTemplateOutcome[]) {
  const count = (status: JobTemplateOutcome['status']) =>
    outcomes.filter((outcome) => outcome.status === status).length;
  return {
    created: count('created'),
    replaced: count('replaced'),
    kept: count('kept'),
    failed: count('failed'),
    deleted: outcomes.reduce((sum, outcome) => sum + outcome.deleted.length, 0),
  };
}

/** The job template section of `emr list`: the templates managed for the environment, current or not. */
export function renderTemplateList(
  environment: string,
  rows: readonly { template: JobTemplateInfo; state: string }[],
): string {
  if (rows.length === 0) return `\nNo job templates managed by emr-gitops for ${environment}.\n`;
  return `\nJob templates of ${environment}:\n${toTable(
    ['ID', 'NAME', 'TENANT', 'STATE', 'CREATED'],
    rows.map(({ template, state }) => [
      template.id,
      template.name,
      template.tags[EMR_RESOURCE_TAGS.tenant] ?? '',
      state,
      template.createdAt?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? '',
    ]),
  )}`;
}

/** The job template section of `emr destroy`. */
export function renderTemplateDestroy(outcomes: readonly JobTemplateDestroyOutcome[]): string {
  if (outcomes.length === 0) return '';
  let text = `\n${toTable(
    ['TENANT', 'JOB TEMPLATE', 'RESULT'],
    outcomes.map((outcome) => [outcome.tenant, `${outcome.name} (${outcome.id})`, outcome.status]),
  )}`;
  const messages = outcomes.flatMap((outcome) => (outcome.message === undefined ? [] : [outcome.message]));
  if (messages.length > 0)
    text += messages.map((line, i) => `  ${i + 1}. ${line.replace(/\n\s*/g, '\n     ')}\n`).join('');
  return text;
}
