import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../errors.js';
import { ARGOCD_PRUNE_DISABLED, type OciHelmChart } from './helm-chart.js';

/** Where an Application's manifests come from: a folder of a Git repository, or a pinned OCI Helm chart. */
export type ArgoSource =
  | { readonly git: { readonly repoURL: string; readonly targetRevision: string; readonly path: string } }
  | { readonly helm: OciHelmChart; readonly values?: Readonly<Record<string, unknown>> };

export interface ArgoApplicationProps {
  readonly name: string;
  /** Namespace Argo CD watches for Applications. */
  readonly namespace: string;
  /** AppProject. */
  readonly project: string;
  readonly source: ArgoSource;
  /** API server of the target cluster. */
  readonly destinationServer: string;
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
  /** True: the parent Application never prunes this one when it leaves Git. @default false */
  readonly keepWhenRemovedFromGit?: boolean;
}

/**
 * An `argoproj.io/v1alpha1` Application, automated. It has no resources finalizer: deleting the Application
 * leaves what it applied in the cluster (a layer's objects are removed through Git, not by deleting the layer).
 */
export class ArgoApplication extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    requireThat(props.retry.limit >= 0, 'retry.limit', 'must be 0 or more');
    this.name = props.name;
    const annotations: Record<string, string> = {
      ...(props.syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(props.syncWave) } : {}),
      ...(props.keepWhenRemovedFromGit ? ARGOCD_PRUNE_DISABLED : {}),
    };
    const source = 'git' in props.source
      ? { repoURL: props.source.git.repoURL, targetRevision: props.source.git.targetRevision, path: props.source.git.path }
      // Argo CD 3.1+ reads oci:// sources natively; a Helm chart's artifact is expanded at its root.
      : { repoURL: props.source.helm.url, targetRevision: props.source.helm.version, path: '.', helm: { releaseName: props.source.helm.name, ...(props.source.values ? { valuesObject: props.source.values } : {}) } };
    const destinationNamespace = props.destinationNamespace ?? ('helm' in props.source ? props.source.helm.namespace : undefined);
    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        project: props.project,
        source,
        destination: { server: props.destinationServer, ...(destinationNamespace ? { namespace: destinationNamespace } : {}) },
        syncPolicy: {
          automated: { prune: props.prune, selfHeal: props.selfHeal },
          ...(props.syncOptions?.length ? { syncOptions: [...props.syncOptions] } : {}),
          retry: { limit: props.retry.limit, backoff: { duration: props.retry.backoff, factor: 2, maxDuration: props.retry.maxBackoff } },
        },
      },
    });
  }
}
