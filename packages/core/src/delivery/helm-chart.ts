import { requireThat } from '../primitives/errors.js';

/**
 * A Helm chart pinned to one version: published to an OCI registry (`url` is `oci://<registry>/<repository>/<chart>`)
 * or to an HTTPS Helm repository (`url` is the repository, `name` the chart in it).
 */
export interface HelmChartSource {
  /** Chart name, also the default Helm release name. */
  readonly name: string;
  /** `oci://<registry>/<repository>/<chart>`, or `https://<helm repository>` holding the chart `name`. */
  readonly url: string;
  /** Exact chart version (an OCI tag); never a range, so a render is reproducible. */
  readonly version: string;
  /** Namespace the release (and Helm's release record) lives in. */
  readonly namespace: string;
}

/** A chart published to an OCI registry (the form of Karpenter's charts). */
export type OciHelmChart = HelmChartSource;

/** True for a chart in an OCI registry, false for one in an HTTPS Helm repository. */
export const isOciChart = (chart: HelmChartSource): boolean => chart.url.startsWith('oci://');

/** The chart's URL must be oci:// or https://, its version exact (never a range: a render is reproducible). */
export function requirePinnedChart(chart: HelmChartSource, field = 'chart'): void {
  requireThat(
    /^(oci|https):\/\/[^\s]+$/.test(chart.url),
    `${field}.url`,
    `"${chart.url}" must be an oci:// or https:// URL`,
  );
  requireThat(
    /^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/.test(chart.version),
    `${field}.version`,
    `"${chart.version}" must be an exact version such as 1.14.1`,
  );
}

/**
 * Karpenter's CRDs (NodePool, NodeClaim, EC2NodeClass) as their own chart. Pinned to the Karpenter release whose CRD
 * schemas validation checks NodePools and EC2NodeClasses against (`schemas/crds/karpenter.sh/nodepool_v1.json` and
 * `schemas/crds/karpenter.k8s.aws/ec2nodeclass_v1.json`, see `schemas/SOURCES.md`): change both together.
 */
export const KARPENTER_CRD_CHART: OciHelmChart = {
  name: 'karpenter-crd',
  url: 'oci://public.ecr.aws/karpenter/karpenter-crd',
  version: '1.14.1',
  namespace: 'kube-system',
};

/**
 * Karpenter's controller chart, at the same version as its CRDs (KARPENTER_CRD_CHART): the controller and the CRD
 * schemas it serves move together. The chart ships no values.schema.json at v1.14.1 (charts/karpenter/ of
 * aws/karpenter-provider-aws), so its values are checked by the typed builder (karpenterControllerHelmValues), and a
 * test checks their keys against the chart's vendored defaults (`schemas/helm/karpenter/<version>/values.yaml`).
 */
export const KARPENTER_CHART: OciHelmChart = {
  name: 'karpenter',
  url: 'oci://public.ecr.aws/karpenter/karpenter',
  version: KARPENTER_CRD_CHART.version,
  namespace: KARPENTER_CRD_CHART.namespace,
};

/** Annotation that stops Flux's garbage collection of one object (it stays in the cluster when it leaves Git). */
export const FLUX_PRUNE_DISABLED = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } as const;
/**
 * Annotation that keeps one object when Argo CD would delete it: not pruned when it leaves Git (`Prune=false`), and not
 * deleted with its Application's cascade delete (`Delete=false`; Argo CD user guide, "Sync Options": options in the
 * annotation are joined with commas).
 */
export const ARGOCD_PRUNE_DISABLED = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } as const;
