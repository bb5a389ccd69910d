import { CreateVirtualClusterCommand, type EMRContainersClient } from '@aws-sdk/client-emr-containers';
import { explainAwsError, type ErrorContext } from './errors.js';
import {
  LIVE_STATES,
  TAG,
  isManagedBy,
  listVirtualClusters,
  type CreateRequest,
  type RegistrationPlan,
  type TenantPlan,
} from './inventory.js';
import { Progress, mapWithLimit } from './progress.js';
import type { CliIO } from '../io.js';

/** What apply did for one tenant. */
export interface ApplyOutcome {
  readonly tenant: string;
  readonly namespace: string;
  /** created: made now; kept: already in place; flagged: needs a person; retired: left for emr destroy; failed: an AWS error, explained. */
  readonly status: 'created' | 'kept' | 'flagged' | 'retired' | 'failed';
  readonly virtualClusterId?: string;
  readonly message?: string;
  /** Exit code a failure deserves (2 when no credentials at all). */
  readonly exitCode?: number;
}

export interface ApplyOptions {
  readonly concurrency: number;
  /** Where errors happen: the operation and tenant are filled in per call. */
  readonly context: Omit<ErrorContext, 'operation'>;
}

/**
 * Carries out a plan made from a fresh listing: creates what is missing, at most `concurrency` at a time; keeps and
 * flags the rest. A create whose answer is lost for good (5xx or timeout after the SDK's retries) is checked by
 * listing again, since the service may have done the work: the cluster found is reported as created, not made twice.
 */
export async function applyPlan(
  client: EMRContainersClient,
  plan: RegistrationPlan,
  io: CliIO,
  options: ApplyOptions,
): Promise<ApplyOutcome[]> {
  const creates = plan.tenants.filter((entry) => entry.action === 'create');
  const progress = new Progress(io, 'creating', creates.length);
  return mapWithLimit(plan.tenants, options.concurrency, async (entry: TenantPlan): Promise<ApplyOutcome> => {
    const base = { tenant: entry.tenant.name, namespace: entry.tenant.namespace };
    switch (entry.action) {
      case 'keep':
        return {
          ...base,
          status: 'kept',
          virtualClusterId: entry.cluster.id,
          ...(entry.note ? { message: entry.note } : {}),
        };
      case 'flag':
        return { ...base, status: 'flagged', message: entry.message };
      case 'retire':
        return { ...base, status: 'retired', message: retireMessage(entry.tenant.name, entry.clusters) };
      case 'create': {
        progress.start(entry.tenant.name, `namespace ${entry.tenant.namespace}`);
        const outcome = await create(client, entry.request, {
          ...options.context,
          operation: 'CreateVirtualCluster',
          tenant: base.tenant,
          namespace: base.namespace,
        });
        progress.finish(
          entry.tenant.name,
          outcome.status === 'created'
            ? `created ${base.tenant}: virtual cluster ${outcome.virtualClusterId ?? ''}`
            : `failed ${base.tenant}`,
        );
        return { ...base, ...outcome };
      }
    }
  });
}

/** What to do with a retired tenant's virtual clusters: apply never deletes, a person does once the jobs have ended. */
export function retireMessage(tenant: string, clusters: readonly { readonly id: string }[]): string {
  return clusters.length === 0
    ? 'retired: no virtual cluster left; remove the tenant from the environment file'
    : `retired: not registered again; once its jobs have ended, emr destroy --tenant ${tenant} deletes ${clusters.map((c) => c.id).join(', ')}`;
}

type CreateResult = Pick<ApplyOutcome, 'status' | 'virtualClusterId' | 'message' | 'exitCode'>;

async function create(
  client: EMRContainersClient,
  request: CreateRequest,
  context: ErrorContext,
): Promise<CreateResult> {
  try {
    const answer = await client.send(
      new CreateVirtualClusterCommand({
        name: request.name,
        containerProvider: { type: 'EKS', id: request.eksCluster, info: { eksInfo: { namespace: request.namespace } } },
        clientToken: request.clientToken,
        tags: { ...request.tags },
      }),
    );
    return { status: 'created', ...(answer.id ? { virtualClusterId: answer.id } : {}) };
  } catch (error) {
    const explained = explainAwsError(error, context);
    if (!maybeDone(error)) return { status: 'failed', message: explained.message, exitCode: explained.exitCode };
    const found = await findRegistration(client, request);
    return found
      ? {
          status: 'created',
          virtualClusterId: found,
          message: 'the answer to the create was lost; found the cluster on a second listing',
        }
      : { status: 'failed', message: explained.message, exitCode: explained.exitCode };
  }
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

/** The id of the live cluster this project registered for the request's tenant and namespace, if the listing has one. */
async function findRegistration(client: EMRContainersClient, request: CreateRequest): Promise<string | undefined> {
  const environment = request.tags[TAG.environment] ?? '';
  try {
    const clusters = await listVirtualClusters(
      client,
      request.eksCluster,
      LIVE_STATES.filter((state) => state !== 'TERMINATING'),
    );
    return clusters.find(
      (cluster) =>
        cluster.namespace === request.namespace &&
        isManagedBy(cluster, environment) &&
        cluster.tags[TAG.tenant] === request.tags[TAG.tenant],
    )?.id;
  } catch {
    return undefined; // the listing failing too leaves the create's own error as the one to report
  }
}
