import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { ARGOCD_PRUNE_DISABLED, isOciChart, requirePinnedChart, type HelmChartSource } from './helm-chart.js';

/**
 * Where an Application's manifests come from: a folder of a Git repository, or a pinned Helm chart (OCI or HTTPS
 * repository) with its release name (default the chart's name), values (`valuesObject`) and whether the chart's
 * `crds/` folder is skipped (left to another release).
 */
export type ArgoSource =
  | { readonly git: { readonly repoURL: string; readonly targetRevision: string; readonly path: string } }
  | {
      readonly helm: HelmChartSource;
      readonly releaseName?: string;
      readonly values?: Readonly<Record<string, unknown>>;
      readonly skipCrds?: boolean;
    };

export interface ArgoApplicationProps {
  readonly name: string;
  /** Namespace Argo CD watches for Applications. */
  readonly namespace: string;
  /** AppProject. */
  readonly project: string;
  readonly source: ArgoSource;
  /** API server of the target cluster; or destinationName. */
  readonly destinationServer?: string;
  /** The target cluster by the name Argo CD registered it under (`argocd cluster add --name`), instead of destinationServer. */
  readonly destinationName?: string;
  /** Default namespace of the applied objects. @default the chart's namespace for Helm sources, none for Git */
  readonly destinationNamespace?: string;
  /** Sync wave: Applications of a lower wave are synced (and, with Application health enabled, healthy) first. */
  readonly syncWave?: number;
  readonly prune: boolean;
  readonly selfHeal: boolean;
  /** `syncPolicy.syncOptions`, e.g. `ServerSideApply=true`. @default none */
  readonly syncOptions?: readonly string[];
  /** Retries of a failed sync: how many, and the first back-off. */
  readonly retry: { readonly limit: number; readonly backoff: string; readonly maxBackoff: string };
  /**
   * True: the parent Application never prunes this one when it leaves Git, and it has no resources finalizer, so
   * deleting it leaves what it applied. @default false
   */
  readonly keepWhenRemovedFromGit?: boolean;
  /**
   * Deleting the Application deletes what it applied (the `resources-finalizer.argocd.argoproj.io` finalizer; Argo CD
   * user guide, "App Deletion": the finalizer "enables cascading deletes when implementing the App of Apps pattern"),
   * so a layer or add-on removed from Git leaves nothing behind. Never with keepWhenRemovedFromGit.
   * @default !keepWhenRemovedFromGit
   */
  readonly cascadeDelete?: boolean;
  /**
   * Fields Argo CD leaves as they are in the cluster (`spec.ignoreDifferences`, with `RespectIgnoreDifferences=true` so
   * a sync keeps them too): for values a chart generates at install time with Helm's `lookup`, which Argo CD's
   * rendering cannot do, so every render would otherwise bring new ones. @default none
   */
  readonly ignoreDifferences?: readonly ArgoIgnoreDifference[];
}

/** One resource's fields that Argo CD neither compares nor overwrites. */
export interface ArgoIgnoreDifference {
  readonly group?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** JSON pointers (RFC 6901: `/` in a key written `~1`). */
  readonly jsonPointers: readonly string[];
}

/** The finalizer that makes Argo CD delete an Application's resources with it (foreground cascading deletion). */
export const ARGOCD_RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * An `argoproj.io/v1alpha1` Application, automated. With cascadeDelete (the default unless kept when removed from
 * Git) it carries the resources finalizer: when its parent prunes it, Argo CD deletes what it applied, except objects
 * annotated `Delete=false`.
 */
export class ArgoApplication extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    requireThat(props.retry.limit >= 0, 'retry.limit', 'must be 0 or more');
    const cascade = props.cascadeDelete ?? !props.keepWhenRemovedFromGit;
    requireThat(
      (props.destinationServer === undefined) !== (props.destinationName === undefined),
      'destinationServer',
      'give the target cluster by destinationServer or by destinationName, one of them',
    );
    requireThat(
      !(cascade && props.keepWhenRemovedFromGit),
      'cascadeDelete',
      'cannot go with keepWhenRemovedFromGit: deleting the Application would delete what it keeps',
    );
    this.name = props.name;
    const annotations: Record<string, string> = {
      ...(props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } : {}),
      ...(props.keepWhenRemovedFromGit ? ARGOCD_PRUNE_DISABLED : {}),
    };
    const source = 'git' in props.source ? { ...props.source.git } : helmSource(props.source);
    const destinationNamespace =
      props.destinationNamespace ?? ('helm' in props.source ? props.source.helm.namespace : undefined);
    const ignoreDifferences = props.ignoreDifferences ?? [];
    const syncOptions = [
      ...(props.syncOptions ?? []),
      ...(ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
    ];
    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        ...(cascade ? { finalizers: [ARGOCD_RESOURCES_FINALIZER] } : {}),
      },
      spec: {
        project: props.project,
        source,
        destination: {
          ...(props.destinationName !== undefined
            ? { name: props.destinationName }
            : { server: props.destinationServer }),
          ...(destinationNamespace ? { namespace: destinationNamespace } : {}),
        },
        ...(ignoreDifferences.length > 0
          ? {
              ignoreDifferences: ignoreDifferences.map((entry) => ({
                ...entry,
                jsonPointers: [...entry.jsonPointers],
              })),
            }
          : {}),
        syncPolicy: {
          automated: { prune: props.prune, selfHeal: props.selfHeal },
          ...(syncOptions.length > 0 ? { syncOptions } : {}),
          retry: {
            limit: props.retry.limit,
            backoff: { duration: props.retry.backoff, factor: 2, maxDuration: props.retry.maxBackoff },
          },
        },
      },
    });
  }
}

function helmSource(source: Extract<ArgoSource, { helm: HelmChartSource }>): Record<string, unknown> {
  const chart = source.helm;
  requirePinnedChart(chart, 'source.helm');
  const helm = {
    releaseName: source.releaseName ?? chart.name,
    ...(source.skipCrds ? { skipCrds: true } : {}),
    ...(source.values ? { valuesObject: source.values } : {}),
  };
  return isOciChart(chart)
    ? // Argo CD 3.1+ reads oci:// sources natively; a Helm chart's artifact is expanded at its root.
      { repoURL: chart.url, targetRevision: chart.version, path: '.', helm }
    : { repoURL: chart.url, chart: chart.name, targetRevision: chart.version, helm };
}
