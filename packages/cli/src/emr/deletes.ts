import {
  DeleteJobTemplateCommand,
  DeleteVirtualClusterCommand,
  DescribeJobTemplateCommand,
  DescribeVirtualClusterCommand,
  type EMRContainersClient,
} from '@aws-sdk/client-emr-containers';
import {
  explainAwsError,
  type EksAssociationOperation,
  type EmrOperation,
  type ErrorContext,
  type ExplainedError,
} from './errors.js';

// Deletes of EMR resources, idempotent. The service model (botocore data/emr-containers/2020-10-01/service-2.json,
// "errors" of each operation) gives DeleteJobTemplate and DeleteVirtualCluster only ValidationException and
// InternalServerException: a resource that is already gone is not answered with ResourceNotFoundException there.
// The Describe operations do model ResourceNotFoundException, so a refused delete is checked with Describe before it
// counts as done: the message text of a ValidationException is not a contract.

/** Errors the service model lists for each operation these commands call (source above). */
export const MODELED_ERRORS: Readonly<
  Record<Exclude<EmrOperation, EksAssociationOperation> | 'DescribeVirtualCluster', readonly string[]>
> = {
  ListVirtualClusters: ['ValidationException', 'InternalServerException'],
  CreateVirtualCluster: [
    'ValidationException',
    'ResourceNotFoundException',
    'InternalServerException',
    'EKSRequestThrottledException',
  ],
  DescribeVirtualCluster: ['ValidationException', 'ResourceNotFoundException', 'InternalServerException'],
  DeleteVirtualCluster: ['ValidationException', 'InternalServerException'],
  ListJobTemplates: ['ValidationException', 'InternalServerException'],
  CreateJobTemplate: ['ValidationException', 'ResourceNotFoundException', 'InternalServerException'],
  DescribeJobTemplate: ['ValidationException', 'ResourceNotFoundException', 'InternalServerException'],
  DeleteJobTemplate: ['ValidationException', 'InternalServerException'],
};

/** deleted: the delete was accepted; gone: refused, and Describe shows the resource is already deleted. */
export type DeleteResult =
  | { readonly status: 'deleted' | 'gone' }
  | { readonly status: 'failed'; readonly failed: ExplainedError };

/** What a delete did, as an outcome of `base`: its status, with the explained error's message and exit code on failure. */
export function deleteOutcome<Base extends object>(
  base: Base,
  result: DeleteResult,
): Base & { status: DeleteResult['status']; message?: string; exitCode?: number } {
  return result.status === 'failed'
    ? { ...base, status: 'failed', message: result.failed.message, exitCode: result.failed.exitCode }
    : { ...base, status: result.status };
}

const errorName = (error: unknown) => (error as { name?: string }).name;

/** Deletes job template `id`; a refused delete of a template that no longer exists counts as gone. */
export async function deleteJobTemplate(
  client: EMRContainersClient,
  id: string,
  context: ErrorContext,
): Promise<DeleteResult> {
  return deleteChecked(
    () => client.send(new DeleteJobTemplateCommand({ id })),
    context,
    async () => {
      try {
        await client.send(new DescribeJobTemplateCommand({ id }));
        return false;
      } catch (error) {
        return errorName(error) === 'ResourceNotFoundException';
      }
    },
  );
}

/** Deletes virtual cluster `id`; a refused delete of one that is terminating, terminated or unknown counts as gone. */
export async function deleteVirtualCluster(
  client: EMRContainersClient,
  id: string,
  context: ErrorContext,
): Promise<DeleteResult> {
  return deleteChecked(
    () => client.send(new DeleteVirtualClusterCommand({ id })),
    context,
    async () => {
      try {
        const state = (await client.send(new DescribeVirtualClusterCommand({ id }))).virtualCluster?.state;
        return state === 'TERMINATED' || state === 'TERMINATING';
      } catch (error) {
        return errorName(error) === 'ResourceNotFoundException';
      }
    },
  );
}

async function deleteChecked(
  remove: () => Promise<unknown>,
  context: ErrorContext,
  gone: () => Promise<boolean>,
): Promise<DeleteResult> {
  try {
    await remove();
    return { status: 'deleted' };
  } catch (error) {
    // Only a refusal can mean "already gone"; a server fault, throttling or denied access says nothing about it.
    if (errorName(error) === 'ValidationException' && (await gone())) return { status: 'gone' };
    return { status: 'failed', failed: explainAwsError(error, context) };
  }
}
