import type { ResolvedEnvironment, RenderResult } from '@emr-eks-gitops/charts';
import { CliError, EXIT } from '../io.js';
import { createAwsClients, type AwsClients } from './aws-clients.js';
import type { AwsOptions } from './client.js';
import type { ReportExtra } from './report.js';
import { parseS3Uri, s3Targets, type S3Targets } from './s3-targets.js';
import {
  applyS3,
  destroyArtifacts,
  planS3,
  type PrefixOutcome,
  type S3DeleteOutcome,
  type S3Plan,
  type UploadOutcome,
} from './s3-sync.js';
import {
  applyAssociations,
  deleteAssociation,
  desiredAssociations,
  listAssociations,
  managedAssociations,
  planAssociations,
  type AssociationAction,
  type AssociationOutcome,
  type LiveAssociation,
} from './pod-identity-associations.js';
import { explainAwsError, type ErrorContext } from './errors.js';

export { renderPreflight, s3ApplyReport, s3DestroyReport, s3PlanReport } from './aws-report.js';
export { associationOutcomeReport, associationPlanReport } from './pod-identity-associations.js';

/**
 * The AWS side of an environment beyond the EMR registrations, as the emr commands use it: the S3 targets read
 * from the render, and the clients, both made on first use.
 */
export class AwsSide {
  private clientsMade: AwsClients | undefined;
  private targetsMade: S3Targets | undefined;

  constructor(
    readonly config: ResolvedEnvironment,
    private readonly render: () => RenderResult,
    private readonly options: AwsOptions & { readonly concurrency: number },
  ) {}

  get clients(): AwsClients {
    return (this.clientsMade ??= createAwsClients(this.options, this.config.cluster.region));
  }

  get targets(): S3Targets {
    return (this.targetsMade ??= s3Targets(this.config, this.render().files));
  }

  get rendered(): RenderResult {
    return this.render();
  }

  private get s3Context() {
    return {
      environment: this.config.name,
      sourcePath: this.config.sourcePath,
      concurrency: this.options.concurrency,
      profile: this.options.profile,
    };
  }

  planS3(): Promise<S3Plan> {
    return planS3(this.clients.s3, this.targets, this.s3Context);
  }

  async applyS3(): Promise<{ uploads: UploadOutcome[]; prefixes: PrefixOutcome[] }> {
    return applyS3(this.clients.s3, await this.planS3(), this.s3Context);
  }

  /** True when the render asks for Pod Identity associations: only then do the emr commands talk to EKS for them. */
  get usesPodIdentity(): boolean {
    return desiredAssociations(this.render().files).length > 0;
  }

  async planAssociations(): Promise<AssociationAction[]> {
    if (!this.usesPodIdentity) return [];
    return planAssociations(this.config.name, desiredAssociations(this.render().files), await this.liveAssociations());
  }

  /** The cluster's associations; a listing that fails after the SDK's retries stops the command, explained. */
  private async liveAssociations(): Promise<LiveAssociation[]> {
    try {
      return await listAssociations(this.clients.eks, this.config.cluster.name);
    } catch (error) {
      const explained = explainAwsError(error, {
        operation: 'ListPodIdentityAssociations',
        eksCluster: this.config.cluster.name,
        region: this.config.cluster.region,
        sourcePath: this.config.sourcePath,
        profile: this.options.profile,
      });
      throw new CliError(explained.message, explained.exitCode);
    }
  }

  async applyAssociations(context: Omit<ErrorContext, 'operation'>): Promise<AssociationOutcome[]> {
    return applyAssociations(
      this.clients.eks,
      this.config.name,
      this.config.cluster.name,
      await this.planAssociations(),
      context,
    );
  }

  async destroyAssociations(context: Omit<ErrorContext, 'operation'>, tenant?: string): Promise<AssociationOutcome[]> {
    if (!this.usesPodIdentity) return [];
    const live = managedAssociations(await this.liveAssociations(), this.config.name, tenant);
    const outcomes: AssociationOutcome[] = [];
    for (const association of live)
      outcomes.push(await deleteAssociation(this.clients.eks, this.config.cluster.name, association, context));
    return outcomes;
  }

  destroyS3(tenant?: string): Promise<S3DeleteOutcome[]> {
    return destroyArtifacts(this.clients.s3, parseS3Uri(this.config.spark.artifactsS3Uri), {
      ...this.s3Context,
      ...(tenant !== undefined ? { tenant } : {}),
    });
  }
}

/** Two sections of a report in one: JSON fields side by side, texts one after the other. */
export function combineReports(...extras: readonly ReportExtra[]): ReportExtra {
  return {
    json: Object.assign({}, ...extras.map((extra) => extra.json)),
    text: extras.map((extra) => extra.text).join(''),
  };
}

/** A plan that apply cannot carry out alone: an object it may not overwrite, or S3 it could not read. */
export function s3PlanNeedsPerson(plan: S3Plan): boolean {
  return [...plan.uploads, ...plan.prefixes].some((entry) => entry.action === 'refuse' || entry.action === 'failed');
}

/** The exit code each S3 step of apply deserves: refused and failed ones are 1 (2 without credentials). */
export function s3ApplyExitCodes(result: {
  readonly uploads: readonly UploadOutcome[];
  readonly prefixes: readonly PrefixOutcome[];
}): number[] {
  return [...result.uploads, ...result.prefixes].map((outcome) =>
    outcome.status === 'failed' || outcome.status === 'refused' ? (outcome.exitCode ?? EXIT.failed) : EXIT.ok,
  );
}
