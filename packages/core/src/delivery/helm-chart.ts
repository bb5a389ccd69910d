/** A Helm chart published to an OCI registry, pinned to one version. */
export interface OciHelmChart {
  /** Chart name, also the Helm release name. */
  readonly name: string;
  /** `oci://<registry>/<repository>/<chart>`. */
  readonly url: string;
  /** Exact chart version (an OCI tag); never a range, so a render is reproducible. */
  readonly version: string;
  /** Namespace the release (and Helm's release record) lives in. */
  readonly namespace: string;
}

/** A Helm chart from a classic HTTPS chart repository (an `index.yaml`), pinned to one version. */
export interface HelmRepositoryChart {
  /** Helm release name (also the name of the Flux objects). */
  readonly name: string;
  /** `https://...` URL of the chart repository. */
  readonly repositoryUrl: string;
  /** Chart name in that repository. */
  readonly chart: string;
  /** Exact chart version; never a range, so a render is reproducible. */
  readonly version: string;
  /** Namespace the release (and Helm's release record) lives in. */
  readonly namespace: string;
}

export const isHelmRepositoryChart = (chart: OciHelmChart | HelmRepositoryChart): chart is HelmRepositoryChart => 'repositoryUrl' in chart;

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

/** Annotation that stops Flux's garbage collection of one object (it stays in the cluster when it leaves Git). */
export const FLUX_PRUNE_DISABLED = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } as const;
/** Annotation that stops Argo CD's pruning of one object. */
export const ARGOCD_PRUNE_DISABLED = { 'argocd.argoproj.io/sync-options': 'Prune=false' } as const;
