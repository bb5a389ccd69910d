import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';

/** One Application the ApplicationSet generates: the values its template reads (`{{.<key>}}`). */
export type ApplicationSetElement = Readonly<Record<string, string>>;

/** Clusters synced together in one step of a RollingSync, by the value of `stepLabel` on their Applications. */
export interface RollingSyncStep {
  readonly values: readonly string[];
  /** How many Applications of the step sync at once: a number or a percentage. @default all */
  readonly maxUpdate?: string;
}

export interface ArgoApplicationSetProps {
  readonly name: string;
  /** Namespace of Argo CD, where the ApplicationSet and its Applications live. */
  readonly namespace: string;
  /** The list generator's elements: one Application each. */
  readonly elements: readonly ApplicationSetElement[];
  /** Name of each Application, a Go template over an element, e.g. `emr-eks-gitops-prod-{{.cluster}}`. */
  readonly applicationName: string;
  /** Labels of each Application (Go templates allowed); RollingSync's steps select by `stepLabel`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly project: string;
  /** The Git folder each Application syncs, e.g. `{{.path}}`. */
  readonly source: { readonly repoURL: string; readonly targetRevision: string; readonly path: string };
  /** Where each Application's objects go. */
  readonly destination: { readonly server: string; readonly namespace?: string };
  readonly prune: boolean;
  readonly selfHeal: boolean;
  readonly retry: { readonly limit: number; readonly backoff: string; readonly maxBackoff: string };
  /**
   * Argo CD's progressive syncs (ApplicationSet `strategy: RollingSync`, beta since Argo CD 3.3, off unless the
   * ApplicationSet controller runs with `--enable-progressive-syncs`): the steps in order, each waiting for every
   * Application of the one before to be Healthy. RollingSync turns automated sync off on the Applications and syncs
   * them itself, but takes the prune flag of each sync from the Application's `syncPolicy.automated.prune`
   * (applicationset/progressivesync/progressive_sync.go, Argo CD 3.5), so the template keeps its `automated` policy:
   * without it a layer removed from a cluster would never be pruned and its step never finish.
   * @default none: every Application syncs on its own
   */
  readonly rollingSync?: { readonly stepLabel: string; readonly steps: readonly RollingSyncStep[] };
}

/**
 * An `argoproj.io/v1alpha1` ApplicationSet with a list generator and Go templates: one Application per element.
 * Deleting the ApplicationSet leaves what its Applications applied (`preserveResourcesOnDeletion`), as a person
 * removing the set by mistake must not empty every cluster.
 */
export class ArgoApplicationSet extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoApplicationSetProps) {
    super(scope, id);
    requireThat(props.elements.length > 0, 'elements', 'an ApplicationSet needs at least one element');
    const rolling = props.rollingSync;
    if (rolling) {
      requireThat(
        rolling.steps.length > 0 && rolling.steps.every((step) => step.values.length > 0),
        'rollingSync.steps',
        'each step selects at least one value',
      );
      requireThat(
        props.labels[rolling.stepLabel] !== undefined,
        'rollingSync.stepLabel',
        `the template sets no label ${rolling.stepLabel} for the steps to select`,
      );
    }
    this.name = props.name;
    const retry = {
      limit: props.retry.limit,
      backoff: { duration: props.retry.backoff, factor: 2, maxDuration: props.retry.maxBackoff },
    };
    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        goTemplate: true,
        // A misspelt key is an error, not an empty string in a path.
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: props.elements.map((element) => ({ ...element })) } }],
        ...(rolling
          ? {
              strategy: {
                type: 'RollingSync',
                rollingSync: {
                  steps: rolling.steps.map((step) => ({
                    matchExpressions: [{ key: rolling.stepLabel, operator: 'In', values: [...step.values] }],
                    ...(step.maxUpdate !== undefined
                      ? { maxUpdate: /^\d+$/.test(step.maxUpdate) ? Number(step.maxUpdate) : step.maxUpdate }
                      : {}),
                  })),
                },
              },
            }
          : {}),
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: { name: props.applicationName, labels: { ...props.labels } },
          spec: {
            project: props.project,
            source: { ...props.source },
            destination: { ...props.destination },
            syncPolicy: { automated: { prune: props.prune, selfHeal: props.selfHeal }, retry },
          },
        },
      },
    });
  }
}
