import { toJson, toTable, type OutputFormat } from './format.js';
import type { Check, CheckStatus } from './preflight-checks.js';
import type { ReportExtra } from './report.js';
import type { PrefixOutcome, S3DeleteOutcome, S3Plan, UploadOutcome } from './s3-sync.js';

// The S3 part of what emr plan, apply and destroy print (a JSON field and a section under the registration table),
// and the report of emr preflight.

const notes = (messages: readonly (string | undefined)[]) =>
  messages
    .filter((m): m is string => m !== undefined)
    .map((m, i) => `  ${i + 1}. ${m.replace(/\n\s*/g, '\n     ')}\n`)
    .join('');

export function s3PlanReport(plan: S3Plan): ReportExtra {
  const count = (action: string) => plan.uploads.filter((entry) => entry.action === action).length;
  const creates = plan.prefixes.filter((entry) => entry.action === 'create').length;
  const summary = {
    add: count('add'),
    change: count('change'),
    leave: count('leave'),
    refuse: count('refuse'),
    failed: count('failed'),
    prefixesToCreate: creates,
  };
  const json = {
    s3: {
      uploads: plan.uploads.map((entry) => ({
        uri: entry.upload.uri,
        path: entry.upload.path,
        action: entry.action,
        ...(entry.message ? { message: entry.message } : {}),
      })),
      prefixes: plan.prefixes.map((entry) => ({
        uri: entry.prefix.uri,
        action: entry.action,
        sources: entry.prefix.sources,
        ...(entry.message ? { message: entry.message } : {}),
      })),
      summary,
    },
  };
  let text =
    '\nS3 artifacts (uploaded only when the bytes differ):\n' +
    toTable(
      ['ACTION', 'S3 OBJECT', 'RENDERED FILE'],
      plan.uploads.map((entry) => [entry.action, entry.upload.uri, entry.upload.path]),
    );
  text +=
    '\nS3 prefixes Spark and the History Servers require to exist:\n' +
    toTable(
      ['ACTION', 'PREFIX'],
      plan.prefixes.map((entry) => [entry.action, entry.prefix.uri]),
    );
  const messages = notes([...plan.uploads, ...plan.prefixes].map((entry) => entry.message));
  if (messages) text += `\n${messages}`;
  text += `\nS3: ${summary.add} to add, ${summary.change} to change, ${summary.leave} unchanged, ${summary.refuse} refused, ${creates} prefixes to create.\n`;
  return { json, text };
}

export function s3ApplyReport(result: {
  readonly uploads: readonly UploadOutcome[];
  readonly prefixes: readonly PrefixOutcome[];
}): ReportExtra {
  const count = (status: string) => result.uploads.filter((outcome) => outcome.status === status).length;
  const created = result.prefixes.filter((outcome) => outcome.status === 'created').length;
  const prefixFailures = result.prefixes.filter((outcome) => outcome.status === 'failed').length;
  const summary = {
    uploaded: count('uploaded'),
    unchanged: count('unchanged'),
    refused: count('refused'),
    failed: count('failed') + prefixFailures,
    prefixesCreated: created,
  };
  const strip = <T extends { exitCode?: number }>({ exitCode: _exitCode, ...rest }: T) => rest;
  const json = { s3: { uploads: result.uploads.map(strip), prefixes: result.prefixes.map(strip), summary } };
  let text = `\nS3:\n${toTable(
    ['RESULT', 'S3 OBJECT OR PREFIX'],
    [
      ...result.uploads.map((outcome) => [outcome.status, outcome.uri]),
      ...result.prefixes.map((outcome) => [outcome.status === 'exists' ? 'exists' : outcome.status, outcome.uri]),
    ],
  )}`;
  const messages = notes([...result.uploads, ...result.prefixes].map((outcome) => outcome.message));
  if (messages) text += `\n${messages}`;
  text += `\nS3: ${summary.uploaded} uploaded, ${summary.unchanged} unchanged, ${summary.refused} refused, ${created} prefixes created, ${summary.failed} failed.\n`;
  return { json, text };
}

export function s3DestroyReport(outcomes: readonly S3DeleteOutcome[]): ReportExtra {
  const strip = <T extends { exitCode?: number }>({ exitCode: _exitCode, ...rest }: T) => rest;
  if (outcomes.length === 0) return { json: { s3: [] }, text: '\nS3: no object written by emr-gitops to delete.\n' };
  const messages = notes(outcomes.map((outcome) => outcome.message));
  return {
    json: { s3: outcomes.map(strip) },
    text: `\nS3:\n${toTable(
      ['RESULT', 'S3 OBJECT'],
      outcomes.map((outcome) => [outcome.status, outcome.uri]),
    )}${messages ? `\n${messages}` : ''}`,
  };
}

/** emr preflight: one row per check; the fixes of what is missing as numbered notes under the table. */
export function renderPreflight(environment: string, checks: readonly Check[], format: OutputFormat): string {
  const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
  const summary = {
    ok: count('ok'),
    missing: count('missing'),
    couldNotCheck: count('could not check'),
    skipped: count('skipped'),
  };
  if (format === 'json') return toJson({ environment, checks, summary });
  let text = `Preflight of ${environment}:\n${toTable(
    ['AREA', 'SUBJECT', 'STATUS', 'DETAIL'],
    checks.map((check) => [check.area, check.subject, check.status, check.detail]),
  )}`;
  const fixes = checks
    .filter((check) => check.fix !== undefined)
    .map((check) => `${check.area} ${check.subject}: ${check.fix!}`);
  if (fixes.length > 0) text += `\nTo fix:\n${notes(fixes)}`;
  return `${text}\n${summary.ok} ok, ${summary.missing} missing, ${summary.couldNotCheck} could not check, ${summary.skipped} skipped.\n`;
}
