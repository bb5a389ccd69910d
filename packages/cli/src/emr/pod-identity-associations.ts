import { createHash } from 'node:crypto';
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribePodIdentityAssociationCommand,
  UpdatePodIdentityAssociationCommand,
  paginateListPodIdentityAssociations,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { EMR_RESOURCE_TAGS, PROJECT_NAME, type PodIdentityAssociationRequest } from '@emr-eks-gitops/core';
import { explainAwsError, type ErrorContext } from './errors.js';

/**
 * The EKS side of Pod Identity: the associations the render asks for (artifacts/platform/pod-identity/associations/)
 * against those the cluster has. One association per namespace and service account (EKS refuses a second), so that
 * pair is the key: missing -> create; ours with another role -> update (the association keeps its id); ours and no
 * longer rendered -> delete; someone else's -> flag, never touched. "Ours" is the managed-by and environment tags.
 */
export interface LiveAssociation {
  readonly associationId: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
  readonly tags: Readonly<Record<string, string>>;
}

export type AssociationAction =
  | { readonly action: 'create'; readonly request: PodIdentityAssociationRequest }
  | { readonly action: 'keep'; readonly live: LiveAssociation }
  | { readonly action: 'update'; readonly request: PodIdentityAssociationRequest; readonly live: LiveAssociation }
  | { readonly action: 'delete'; readonly live: LiveAssociation }
  | { readonly action: 'flag'; readonly request: PodIdentityAssociationRequest; readonly live: LiveAssociation };

const key = (a: { readonly namespace: string; readonly serviceAccount: string }) =>
  `${a.namespace}/${a.serviceAccount}`;
const ours = (live: LiveAssociation, environment: string) =>
  live.tags[EMR_RESOURCE_TAGS.managedBy] === PROJECT_NAME && live.tags[EMR_RESOURCE_TAGS.environment] === environment;

/** What apply does with each association, in the order of the requests, then the deletions. */
export function planAssociations(
  environment: string,
  desired: readonly PodIdentityAssociationRequest[],
  live: readonly LiveAssociation[],
): AssociationAction[] {
  const byKey = new Map(live.map((association) => [key(association), association]));
  const wanted = new Set(desired.map(key));
  return [
    ...desired.map((request): AssociationAction => {
      const found = byKey.get(key(request));
      if (!found) return { action: 'create', request };
      if (!ours(found, environment))
        return found.roleArn === request.roleArn
          ? { action: 'keep', live: found }
          : { action: 'flag', request, live: found };
      return found.roleArn === request.roleArn
        ? { action: 'keep', live: found }
        : { action: 'update', request, live: found };
    }),
    ...live
      .filter((association) => ours(association, environment) && !wanted.has(key(association)))
      .map((association): AssociationAction => ({ action: 'delete', live: association })),
  ];
}

/** The cluster's associations with their roles and tags (List gives neither: one Describe each). */
export async function listAssociations(eks: EKSClient, clusterName: string): Promise<LiveAssociation[]> {
  const ids: string[] = [];
  for await (const page of paginateListPodIdentityAssociations({ client: eks }, { clusterName })) {
    for (const summary of page.associations ?? []) if (summary.associationId) ids.push(summary.associationId);
  }
  const live: LiveAssociation[] = [];
  for (const associationId of ids) {
    const { association } = await eks.send(new DescribePodIdentityAssociationCommand({ clusterName, associationId }));
    if (association?.namespace && association.serviceAccount && association.roleArn) {
      live.push({
        associationId,
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        roleArn: association.roleArn,
        tags: association.tags ?? {},
      });
    }
  }
  return live.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The same token for the same association on every run: a create retried after a lost answer is not made twice. */
export function associationToken(environment: string, request: PodIdentityAssociationRequest): string {
  return createHash('sha256')
    .update(
      [PROJECT_NAME, environment, request.clusterName, request.namespace, request.serviceAccount, request.roleArn].join(
        '\n',
      ),
    )
    .digest('hex')
    .slice(0, 64);
}

export interface AssociationOutcome {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly status: 'created' | 'kept' | 'updated' | 'deleted' | 'flagged' | 'failed';
  readonly associationId?: string;
  readonly message?: string;
  readonly exitCode?: number;
}

/** Carries out a plan, one association at a time (EKS throttles bursts); the SDK retries throttling and 5xx. */
export async function applyAssociations(
  eks: EKSClient,
  environment: string,
  clusterName: string,
  plan: readonly AssociationAction[],
  context: Omit<ErrorContext, 'operation'>,
): Promise<AssociationOutcome[]> {
  const outcomes: AssociationOutcome[] = [];
  for (const entry of plan) {
    const target =
      entry.action === 'create'
        ? entry.request
        : entry.action === 'delete' || entry.action === 'keep'
          ? entry.live
          : entry.request;
    const base = { namespace: target.namespace, serviceAccount: target.serviceAccount };
    const failed = (error: unknown, operation: ErrorContext['operation']): AssociationOutcome => {
      const explained = explainAwsError(error, { ...context, operation });
      return { ...base, status: 'failed', message: explained.message, exitCode: explained.exitCode };
    };
    switch (entry.action) {
      case 'keep':
        outcomes.push({ ...base, status: 'kept', associationId: entry.live.associationId });
        break;
      case 'flag':
        outcomes.push({
          ...base,
          status: 'flagged',
          associationId: entry.live.associationId,
          message: `${key(entry.live)} is associated with ${entry.live.roleArn} by someone else (no ${EMR_RESOURCE_TAGS.managedBy} tag for ${environment}); the render wants ${entry.request.roleArn}: delete that association (aws eks delete-pod-identity-association --cluster-name ${clusterName} --association-id ${entry.live.associationId}) and apply again`,
        });
        break;
      case 'create':
        try {
          const { association } = await eks.send(
            new CreatePodIdentityAssociationCommand({
              ...entry.request,
              tags: { ...entry.request.tags },
              clientRequestToken: associationToken(environment, entry.request),
            }),
          );
          outcomes.push({
            ...base,
            status: 'created',
            ...(association?.associationId ? { associationId: association.associationId } : {}),
          });
        } catch (error) {
          // EKS allows one association per account: a create whose answer was lost left it behind; find it.
          const again =
            (error as { name?: string }).name === 'ResourceInUseException'
              ? (await listAssociations(eks, clusterName).catch(() => [])).find(
                  (live) => key(live) === key(entry.request) && live.roleArn === entry.request.roleArn,
                )
              : undefined;
          outcomes.push(
            again
              ? {
                  ...base,
                  status: 'created',
                  associationId: again.associationId,
                  message: 'it existed already (an earlier create whose answer was lost)',
                }
              : failed(error, 'CreatePodIdentityAssociation'),
          );
        }
        break;
      case 'update':
        try {
          await eks.send(
            new UpdatePodIdentityAssociationCommand({
              clusterName,
              associationId: entry.live.associationId,
              roleArn: entry.request.roleArn,
              clientRequestToken: associationToken(environment, entry.request),
            }),
          );
          outcomes.push({
            ...base,
            status: 'updated',
            associationId: entry.live.associationId,
            message: `role ${entry.live.roleArn} -> ${entry.request.roleArn}`,
          });
        } catch (error) {
          outcomes.push(failed(error, 'UpdatePodIdentityAssociation'));
        }
        break;
      case 'delete':
        outcomes.push(await deleteAssociation(eks, clusterName, entry.live, context));
        break;
    }
  }
  return outcomes;
}

/** Deletes one association; one already gone (a retried delete whose answer was lost) counts as deleted. */
export async function deleteAssociation(
  eks: EKSClient,
  clusterName: string,
  live: LiveAssociation,
  context: Omit<ErrorContext, 'operation'>,
): Promise<AssociationOutcome> {
  const base = { namespace: live.namespace, serviceAccount: live.serviceAccount, associationId: live.associationId };
  try {
    await eks.send(new DeletePodIdentityAssociationCommand({ clusterName, associationId: live.associationId }));
    return { ...base, status: 'deleted' };
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException')
      return { ...base, status: 'deleted', message: 'already gone' };
    const explained = explainAwsError(error, { ...context, operation: 'DeletePodIdentityAssociation' });
    return { ...base, status: 'failed', message: explained.message, exitCode: explained.exitCode };
  }
}

/** The association requests the render holds (artifacts/platform/pod-identity/associations/): the documents themselves. */
export function desiredAssociations(files: ReadonlyMap<string, string>): PodIdentityAssociationRequest[] {
  return [...files]
    .filter(([path]) => /^artifacts\/platform\/pod-identity\/associations\/[^/]+\/[^/]+\.json$/.test(path))
    .map(([, text]) => JSON.parse(text) as PodIdentityAssociationRequest);
}

/** The associations emr-gitops made for `environment` (of one tenant when given): what destroy removes. */
export function managedAssociations(
  live: readonly LiveAssociation[],
  environment: string,
  tenant?: string,
): LiveAssociation[] {
  return live.filter(
    (association) =>
      ours(association, environment) && (tenant === undefined || association.tags[EMR_RESOURCE_TAGS.tenant] === tenant),
  );
}

/** Plan and apply sections of the emr commands' output. */
export function associationPlanReport(plan: readonly AssociationAction[]): {
  json: Record<string, unknown>;
  text: string;
} {
  const rows = plan.map((entry) => {
    const target =
      entry.action === 'create' || entry.action === 'update' || entry.action === 'flag' ? entry.request : entry.live;
    return {
      action: entry.action,
      namespace: target.namespace,
      serviceAccount: target.serviceAccount,
      roleArn: target.roleArn,
      ...(entry.action === 'create' ? {} : { associationId: entry.live.associationId }),
    };
  });
  const text =
    rows.length === 0
      ? ''
      : `\nPod Identity associations:\n${rows.map((row) => `  ${row.action.padEnd(6)}  ${row.namespace}/${row.serviceAccount} -> ${row.roleArn}`).join('\n')}\n`;
  return { json: { podIdentityAssociations: rows }, text };
}

export function associationOutcomeReport(outcomes: readonly AssociationOutcome[]): {
  json: Record<string, unknown>;
  text: string;
} {
  const text =
    outcomes.length === 0
      ? ''
      : `\nPod Identity associations:\n${outcomes.map((o) => `  ${o.status.padEnd(7)}  ${o.namespace}/${o.serviceAccount}${o.associationId ? ` (${o.associationId})` : ''}${o.message ? `: ${o.message}` : ''}`).join('\n')}\n`;
  return { json: { podIdentityAssociations: outcomes.map(({ exitCode: _exitCode, ...rest }) => rest) }, text };
}
