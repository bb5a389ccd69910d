import type { Construct } from 'constructs';
import { ArgoApplication, type ArgoIgnoreDifference } from '../delivery/argo-cd.js';
import { FluxHelmRelease } from '../delivery/flux.js';
import type { HelmChartSource } from '../delivery/helm-chart.js';

/** One add-on's Helm release, the same whichever controller delivers it. */
export interface HelmReleaseProps {
  /** The pinned chart (OCI or HTTPS Helm repository). */
  readonly chart: HelmChartSource;
  /** Helm release name. @default chart.name */
  readonly releaseName?: string;
  /** Namespace the release and Helm's release record live in. */
  readonly namespace: string;
  /** The release's values, from the add-on's typed builder. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Flux: HelmReleases (by release name, in flux-system) that must be ready first. Argo CD has no per-release
   * dependency: the order comes from the sync wave of the layer that applies the Application. @default none
   */
  readonly dependsOn?: readonly string[];
  /** Leave the chart's `crds/` folder alone (another release owns those CRDs). @default false */
  readonly skipCrds?: boolean;
  /** Create the namespace when it does not exist (one that is neither rendered nor a controller's own). @default false */
  readonly createNamespace?: boolean;
  /**
   * Argo CD only: fields of the chart's objects that the chart generates with Helm's `lookup` (secrets made on first
   * install), which Argo CD's rendering cannot reuse; kept as they are in the cluster. Flux runs Helm itself, so the
   * chart finds its own values there. @default none
   */
  readonly argoIgnoreDifferences?: readonly ArgoIgnoreDifference[];
}

/** How releases are delivered: the environment's engine and its settings. */
export type HelmDelivery =
  | { readonly engine: 'flux'; readonly interval: string; readonly timeout: string }
  | {
      readonly engine: 'argocd';
      /** Put before the release name to name the Application (Argo CD may serve several environments). @default none */
      readonly applicationNamePrefix?: string;
      /** Namespace of Argo CD and its Applications. */
      readonly namespace: string;
      readonly project: string;
      /** API server of the target cluster; or destinationName. */
      readonly destinationServer?: string;
      /** The target cluster by its name in Argo CD (an environment spanning several clusters). */
      readonly destinationName?: string;
      readonly prune: boolean;
      readonly selfHeal: boolean;
      readonly retry: { readonly limit: number; readonly backoff: string; readonly maxBackoff: string };
    };

/**
 * Renders one Helm release for the environment's engine. Flux: the chart's source (OCIRepository or HelmRepository)
 * and a HelmRelease v2 with install/upgrade remediation, `dependsOn` and CRD handling. Argo CD: an Application
 * with the chart as Helm source and the same values as `valuesObject`. Same typed values in, either form out.
 */
export function helmRelease(scope: Construct, id: string, props: HelmReleaseProps, delivery: HelmDelivery): void {
  const chart = { ...props.chart, namespace: props.namespace };
  const releaseName = props.releaseName ?? props.chart.name;
  if (delivery.engine === 'flux') {
    new FluxHelmRelease(scope, id, {
      chart,
      releaseName,
      interval: delivery.interval,
      timeout: delivery.timeout,
      values: props.values,
      dependsOn: props.dependsOn,
      crds: props.skipCrds ? 'Skip' : 'CreateReplace',
      createNamespace: props.createNamespace,
      // An add-on leaves the cluster when it leaves Git.
      keepWhenRemovedFromGit: false,
    });
    return;
  }
  new ArgoApplication(scope, id, {
    name: `${delivery.applicationNamePrefix ?? ''}${releaseName}`,
    namespace: delivery.namespace,
    project: delivery.project,
    source: { helm: chart, releaseName, values: props.values, skipCrds: props.skipCrds },
    destinationServer: delivery.destinationServer,
    destinationName: delivery.destinationName,
    destinationNamespace: props.namespace,
    prune: delivery.prune,
    selfHeal: delivery.selfHeal,
    retry: delivery.retry,
    syncOptions: props.createNamespace ? ['CreateNamespace=true'] : undefined,
    ignoreDifferences: props.argoIgnoreDifferences,
  });
}
