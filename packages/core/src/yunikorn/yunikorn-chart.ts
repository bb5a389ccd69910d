import { stringify } from 'yaml';
import { requireThat } from '../primitives/errors.js';
import type { HelmChartSource } from '../delivery/helm-chart.js';
import type { AutoModeAddonPlacement } from '../karpenter/auto-mode.js';
import { offKarpenterNodeAffinity, type OffKarpenterNodeAffinity } from '../karpenter/controller-values.js';
import type { Toleration } from '../scheduling/placement.js';
import type { YunikornSchedulerConfig } from './queue-config.js';

/**
 * Apache YuniKorn's chart (repository apache/yunikorn-release, `helm-charts/yunikorn`, published in the Helm repository
 * https://apache.github.io/yunikorn-release: its gh-pages `index.yaml` lists 1.8.0, appVersion 1.8.0, the newest 1.x).
 * No values.schema.json: the defaults of tag v1.8.0 are vendored in `schemas/helm/yunikorn/<version>/values.yaml` and a
 * test checks the keys set here against them.
 */
export const YUNIKORN_CHART: HelmChartSource = {
  name: 'yunikorn',
  url: 'https://apache.github.io/yunikorn-release',
  version: '1.8.0',
  namespace: 'yunikorn',
};

/** The chart's defaults name `scheduler-latest`-style tags; the release's images are pinned instead (apache/yunikorn on Docker Hub). */
export const YUNIKORN_IMAGES = {
  scheduler: { repository: 'apache/yunikorn', tag: `scheduler-${YUNIKORN_CHART.version}`, pullPolicy: 'IfNotPresent' },
  admission: { repository: 'apache/yunikorn', tag: `admission-${YUNIKORN_CHART.version}`, pullPolicy: 'IfNotPresent' },
  web: { repository: 'apache/yunikorn', tag: `web-${YUNIKORN_CHART.version}`, pullPolicy: 'IfNotPresent' },
} as const;

/** The scheduler name pods ask for (yunikorn-k8shim `constants.SchedulerName`). */
export const YUNIKORN_SCHEDULER_NAME = 'yunikorn';

export interface YunikornProps {
  /** The queue tree (yunikornQueueConfig). */
  readonly queues: YunikornSchedulerConfig;
  /** Namespaces whose pods the admission controller hands to YuniKorn: the tenants with a queue, and no other. */
  readonly processNamespaces: readonly string[];
  /** EKS managed node groups the scheduler and admission controller run on (self-managed Karpenter). */
  readonly managedNodeGroups?: readonly string[];
  /** EKS Auto Mode: the built-in pool's placement instead of managedNodeGroups. */
  readonly nodePlacement?: AutoModeAddonPlacement;
}

interface PodPlacementValues {
  readonly affinity: { readonly nodeAffinity: OffKarpenterNodeAffinity };
  readonly tolerations: readonly Toleration[];
}

/** The Helm values the builder sets; everything else keeps the chart's defaults (vendored values.yaml). */
export interface YunikornValues extends PodPlacementValues {
  readonly image: typeof YUNIKORN_IMAGES.scheduler;
  readonly web: { readonly image: typeof YUNIKORN_IMAGES.web };
  readonly admissionController: PodPlacementValues & {
    readonly image: typeof YUNIKORN_IMAGES.admission;
    readonly replicaCount: number;
  };
  readonly yunikornDefaults: Readonly<Record<string, string>>;
}

/** A namespace (a DNS label: no regular-expression metacharacters) as an anchored expression of the filtering lists. */
const exactly = (namespace: string) => `^${namespace}$`;

/**
 * Values of the YuniKorn release: the scheduler and its admission controller off the Spark pools (on the managed node
 * groups with self-managed Karpenter, on the add-on pool on Auto Mode: a scheduler on a node it may itself consolidate
 * away would stop scheduling), the queue tree in `yunikornDefaults["queues.yaml"]` (the chart writes yunikornDefaults
 * into the `yunikorn-defaults` ConfigMap, which the scheduler reads: yunikorn-release templates/yunikorn-defaults.yaml),
 * and the admission controller limited to the tenants' namespaces (`admissionController.filtering.processNamespaces`,
 * yunikorn-k8shim pkg/admission/conf/am_conf.go; its default "" processes every namespace but kube-system).
 *
 * @example
 * ```ts
 * import { yunikornHelmValues, yunikornQueueConfig } from '@emr-eks-gitops/core';
 *
 * const queues = yunikornQueueConfig([
 *   { namespace: 'spark-etl', guaranteed: { cpu: 16, memory: '64Gi' }, max: { cpu: 64, memory: '256Gi' }, ordering: 'fifo' },
 * ]);
 * const values = yunikornHelmValues({ queues, processNamespaces: ['spark-etl'], managedNodeGroups: ['system'] });
 * // values: release values of YUNIKORN_CHART (helmRelease renders them for Flux or Argo CD)
 * ```
 */
export function yunikornHelmValues(props: YunikornProps): YunikornValues {
  requireThat(
    props.processNamespaces.length > 0,
    'processNamespaces',
    "is empty: the admission controller would process every namespace; name the tenants' namespaces",
  );
  requireThat(
    props.nodePlacement === undefined || !props.managedNodeGroups?.length,
    'nodePlacement',
    'replaces managedNodeGroups; give one of them',
  );
  const placement: PodPlacementValues = props.nodePlacement
    ? { affinity: { nodeAffinity: props.nodePlacement.nodeAffinity }, tolerations: props.nodePlacement.tolerations }
    : { affinity: { nodeAffinity: offKarpenterNodeAffinity(props.managedNodeGroups) }, tolerations: [] };
  return {
    image: YUNIKORN_IMAGES.scheduler,
    web: { image: YUNIKORN_IMAGES.web },
    ...placement,
    admissionController: { image: YUNIKORN_IMAGES.admission, replicaCount: 1, ...placement },
    yunikornDefaults: {
      'admissionController.filtering.processNamespaces': [...props.processNamespaces].sort().map(exactly).join(','),
      'queues.yaml': stringify(props.queues, { version: '1.1' }),
    },
  };
}
