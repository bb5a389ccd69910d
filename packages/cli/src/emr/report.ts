import { toCsv, type RoleTrustPolicy } from '@emr-eks-gitops/core';
import type { ApplyOutcome } from './apply.js';
import type { DestroyOutcome } from './destroy.js';
import { TAG, type RegistrationPlan, type TenantPlan, type VirtualClusterInfo } from './inventory.js';
import { toJson, toTable, type ListOutputFormat, type OutputFormat } from './format.js';

// What each command prints on stdout: one JSON document for --output json, aligned tables and notes for people.

/** More of a command's answer (the job templates): fields of the JSON document, and a section after the table. */
export interface ReportExtra {
  readonly json: Readonly<Record<string, unknown>>;
  readonly text: string;
}
const NO_EXTRA: ReportExtra = { json: {}, text: '' };

const clusterJson = (cluster: VirtualClusterInfo) => ({
  id: cluster.id,
  name: cluster.name,
  namespace: cluster.namespace,
  state: cluster.state,
  arn: cluster.arn,
  tags: cluster.tags,
  ...(cluster.createdAt ? { createdAt: cluster.createdAt.toISOString() } : {}),
});

const clusterCell = (cluster: VirtualClusterInfo) => `${cluster.name} (${cluster.id}, ${cluster.state})`;

function tenantJson(entry: TenantPlan) {
  const base = { tenant: entry.tenant.name, namespace: entry.tenant.namespace, action: entry.action };
  switch (entry.action) {
    case 'create':
      return { ...base, request: entry.request };
    case 'keep':
      return { ...base, virtualCluster: clusterJson(entry.cluster), ...(entry.note ? { note: entry.note } : {}) };
    case 'flag':
      return {
        ...base,
        reason: entry.reason,
        message: entry.message,
        virtualClusters: entry.clusters.map(clusterJson),
      };
    case 'retire':
      return { ...base, virtualClusters: entry.clusters.map(clusterJson) };
  }
}

function tenantRow(entry: TenantPlan): string[] {
  const row = [entry.tenant.name, entry.tenant.namespace, entry.action];
  switch (entry.action) {
    case 'create':
      return [...row, `${entry.request.name} (new)`, `generation ${entry.request.generation}`];
    case 'keep':
      return [...row, clusterCell(entry.cluster), entry.note ? 'not managed by emr-gitops' : 'in place'];
    case 'flag':
      return [...row, entry.clusters.map(clusterCell).join(', '), entry.reason];
    case 'retire':
      return [
        ...row,
        entry.clusters.map(clusterCell).join(', ') || '-',
        entry.clusters.length > 0 ? `delete: emr destroy --tenant ${entry.tenant.name}` : 'nothing left',
      ];
  }
}

/** Numbered notes under a table, for the messages too long for a cell; continuation lines indented under the text. */
function notes(lines: readonly string[]): string {
  return lines.map((line, i) => `  ${i + 1}. ${line.replace(/\n\s*/g, '\n     ')}\n`).join('');
}

/** A failure's message already names its tenant; other messages get the tenant in front. */
const outcomeNote = (outcome: { tenant: string; status: string; message?: string }) =>
  outcome.message === undefined
    ? []
    : [outcome.status === 'failed' ? outcome.message : `${outcome.tenant}: ${outcome.message}`];

export function renderPlan(plan: RegistrationPlan, format: OutputFormat, extra: ReportExtra = NO_EXTRA): string {
  if (format === 'json') {
    return toJson({
      environment: plan.environment,
      eksCluster: plan.eksCluster,
      tenants: plan.tenants.map(tenantJson),
      orphans: plan.orphans.map(clusterJson),
      others: plan.others.map(clusterJson),
      ...extra.json,
    });
  }
  let text = `Environment ${plan.environment}, EKS cluster ${plan.eksCluster}:\n`;
  text += toTable(['TENANT', 'NAMESPACE', 'ACTION', 'VIRTUAL CLUSTER', 'DETAIL'], plan.tenants.map(tenantRow));
  const flagged = plan.tenants.flatMap((entry) =>
    entry.action === 'flag' ? [`${entry.tenant.name}: ${entry.message}`] : [],
  );
  if (flagged.length > 0) text += `\nNeeds attention (apply will not touch these):\n${notes(flagged)}`;
  if (plan.orphans.length > 0) {
    text +=
      `\nManaged for ${plan.environment} but no tenant uses their namespace any more (emr destroy --tenant <name> removes them):\n` +
      notes(
        plan.orphans.map(
          (cluster) =>
            `${clusterCell(cluster)} on namespace ${cluster.namespace}, tenant ${cluster.tags[TAG.tenant] ?? '?'}`,
        ),
      );
  }
  const creates = plan.tenants.filter((entry) => entry.action === 'create').length;
  text +=
    creates > 0
      ? `\nPlan: ${creates} to create, ${plan.tenants.filter((e) => e.action === 'keep').length} in place, ${flagged.length} flagged.\n`
      : `\nNothing to create: ${flagged.length === 0 ? 'every tenant is registered' : `${flagged.length} flagged`}.\n`;
  return text + extra.text;
}

export function renderApply(
  plan: RegistrationPlan,
  outcomes: readonly ApplyOutcome[],
  format: OutputFormat,
  extra: ReportExtra = NO_EXTRA,
): string {
  const count = (status: ApplyOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
  const summary = {
    created: count('created'),
    kept: count('kept'),
    flagged: count('flagged'),
    failed: count('failed'),
  };
  if (format === 'json')
    return toJson({
      environment: plan.environment,
      eksCluster: plan.eksCluster,
      results: outcomes.map(withoutExitCode),
      summary,
      ...extra.json,
    });
  let text = toTable(
    ['TENANT', 'NAMESPACE', 'RESULT', 'VIRTUAL CLUSTER'],
    outcomes.map((outcome) => [outcome.tenant, outcome.namespace, outcome.status, outcome.virtualClusterId ?? '']),
  );
  const messages = outcomes.flatMap(outcomeNote);
  if (messages.length > 0) text += `\n${notes(messages)}`;
  text +=
    summary.created === 0 && summary.flagged === 0 && summary.failed === 0
      ? `\nNothing to do: all ${summary.kept} virtual clusters of ${plan.environment} are in place.\n`
      : `\n${summary.created} created, ${summary.kept} already in place, ${summary.flagged} flagged, ${summary.failed} failed.\n`;
  return text + extra.text;
}

export function renderList(
  plan: RegistrationPlan,
  clusters: readonly VirtualClusterInfo[],
  format: ListOutputFormat,
  extra: ReportExtra = NO_EXTRA,
): string {
  const tenantOf = new Map(plan.tenants.map((entry) => [entry.tenant.namespace, entry.tenant.name]));
  const rows = clusters.map((cluster) => ({
    cluster,
    tenant: tenantOf.get(cluster.namespace) ?? '',
    managedBy:
      cluster.tags[TAG.managedBy] !== undefined
        ? `${cluster.tags[TAG.managedBy]}/${cluster.tags[TAG.environment] ?? '?'}`
        : '',
  }));
  if (format === 'csv') {
    // The cost queries charge EMR's per-virtual-cluster line items to the tenant of its namespace, in this environment.
    return toCsv(
      rows.map((row) => ({
        virtual_cluster_id: row.cluster.id,
        name: row.cluster.name,
        namespace: row.cluster.namespace,
        state: row.cluster.state,
        tenant: row.tenant,
        environment: row.cluster.tags[TAG.environment] ?? (row.tenant ? plan.environment : ''),
        created_at: isoSeconds(row.cluster.createdAt),
      })),
    );
  }
  if (format === 'json') {
    return toJson({
      environment: plan.environment,
      eksCluster: plan.eksCluster,
      virtualClusters: rows.map((row) => ({
        ...clusterJson(row.cluster),
        tenant: row.tenant || null,
        managedBy: row.managedBy || null,
      })),
      ...extra.json,
    });
  }
  if (rows.length === 0) return `No virtual clusters on EKS cluster ${plan.eksCluster}.\n${extra.text}`;
  return (
    toTable(
      ['ID', 'NAME', 'NAMESPACE', 'STATE', 'TENANT', 'MANAGED BY', 'CREATED'],
      rows.map((row) => [
        row.cluster.id,
        row.cluster.name,
        row.cluster.namespace,
        row.cluster.state,
        row.tenant,
        row.managedBy,
        isoSeconds(row.cluster.createdAt),
      ]),
    ) + extra.text
  );
}

const isoSeconds = (date: Date | undefined) => date?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? '';

export function renderDestroy(
  environment: string,
  outcomes: readonly DestroyOutcome[],
  format: OutputFormat,
  extra: ReportExtra = NO_EXTRA,
): string {
  if (format === 'json') return toJson({ environment, results: outcomes.map(withoutExitCode), ...extra.json });
  if (outcomes.length === 0)
    return `Nothing to destroy: no virtual cluster managed by emr-gitops for ${environment}.\n${extra.text}`;
  let text = toTable(
    ['TENANT', 'NAMESPACE', 'VIRTUAL CLUSTER', 'RESULT'],
    outcomes.map((outcome) => [outcome.tenant, outcome.namespace, `${outcome.name} (${outcome.id})`, outcome.status]),
  );
  const messages = outcomes.flatMap(outcomeNote);
  if (messages.length > 0) text += `\n${notes(messages)}`;
  return text + extra.text;
}

/** Trust policies: json is the machine form; the table form prints each role's document as IAM takes it. */
export function renderTrustPolicies(
  policies: readonly (RoleTrustPolicy & { readonly tenants: readonly string[] })[],
  format: OutputFormat,
): string {
  if (format === 'json') {
    return toJson(
      policies.map((policy) => ({
        roleArn: policy.roleArn,
        roleName: policy.role.name,
        tenants: policy.tenants,
        statements: policy.statements,
        document: policy.document,
        size: policy.size,
        maxSize: policy.maxSize,
        warnings: policy.warnings,
      })),
    );
  }
  return policies
    .map(
      (policy) =>
        `# ${policy.roleArn} (tenants: ${policy.tenants.join(', ')}; ${policy.size}/${policy.maxSize} characters)\n` +
        `${JSON.stringify(policy.document, null, 2)}\n`,
    )
    .join('\n');
}

export function withoutExitCode<T extends { exitCode?: number }>(outcome: T): Omit<T, 'exitCode'> {
  const { exitCode: _exitCode, ...rest } = outcome;
  return rest;
}
