import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../errors.js';
import { FLUX_PRUNE_DISABLED, type OciHelmChart } from './helm-chart.js';

/** The namespace Flux's controllers and their objects live in. */
export const FLUX_NAMESPACE = 'flux-system';

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const requireDuration = (value: string, field: string) =>
  requireThat(GO_DURATION.test(value), field, `"${value}" must be a duration such as 30s, 5m or 1h`);

export interface FluxGitRepositoryProps {
  readonly name: string;
  /** `https://...` or `ssh://...` URL of the repository. */
  readonly url: string;
  readonly branch: string;
  /** How often Flux polls the branch. */
  readonly interval: string;
  /** Secret (in flux-system) with the Git credentials. @default none: a public repository */
  readonly secretName?: string;
  /** `.sourceignore`-style patterns of what the artifact leaves out. @default everything is kept */
  readonly ignore?: string;
}

/** A `source.toolkit.fluxcd.io/v1` GitRepository in flux-system. */
export class FluxGitRepository extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: FluxGitRepositoryProps) {
    super(scope, id);
    requireDuration(props.interval, 'interval');
    requireThat(/^(https|ssh):\/\//.test(props.url), 'url', `"${props.url}" must start with https:// or ssh://`);
    this.name = props.name;
    new ApiObject(this, 'Resource', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: props.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: props.interval,
        url: props.url,
        ref: { branch: props.branch },
        ...(props.secretName ? { secretRef: { name: props.secretName } } : {}),
        ...(props.ignore ? { ignore: props.ignore } : {}),
      },
    });
  }
}

export interface FluxKustomizationProps {
  readonly name: string;
  /** GitRepository the path is read from. */
  readonly sourceName: string;
  /** Folder inside the repository, `./`-relative. */
  readonly path: string;
  readonly interval: string;
  readonly retryInterval: string;
  readonly timeout: string;
  /** Delete what left Git (objects annotated `kustomize.toolkit.fluxcd.io/prune: disabled` excepted). */
  readonly prune: boolean;
  /** Wait for every applied object to be ready before the Kustomization is; what `dependsOn` waits for. */
  readonly wait: boolean;
  /** Kustomizations (in flux-system) that must be ready first. @default none */
  readonly dependsOn?: readonly string[];
}

/** A `kustomize.toolkit.fluxcd.io/v1` Kustomization in flux-system: one folder of the repository, applied in order. */
export class FluxKustomization extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    requireDuration(props.interval, 'interval');
    requireDuration(props.retryInterval, 'retryInterval');
    requireDuration(props.timeout, 'timeout');
    requireThat(props.path.startsWith('./'), 'path', `"${props.path}" must start with ./ (relative to the repository root)`);
    this.name = props.name;
    new ApiObject(this, 'Resource', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: props.name, namespace: FLUX_NAMESPACE },
      spec: {
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((name) => ({ name })) } : {}),
        interval: props.interval,
        retryInterval: props.retryInterval,
        timeout: props.timeout,
        sourceRef: { kind: 'GitRepository', name: props.sourceName },
        path: props.path,
        prune: props.prune,
        wait: props.wait,
      },
    });
  }
}

export interface FluxHelmReleaseProps {
  readonly chart: OciHelmChart;
  /** How often the chart source and the release are reconciled. */
  readonly interval: string;
  /** How long one install or upgrade may take. */
  readonly timeout: string;
  /** Install/upgrade attempts before the release is left failed. @default 3 */
  readonly retries?: number;
  /**
   * True: removing the HelmRelease from Git never uninstalls the chart (for CRDs: deleting them deletes every
   * object of their kinds). @default true
   */
  readonly keepWhenRemovedFromGit?: boolean;
  /** The release's Helm values. @default none: the chart's own defaults */
  readonly values?: Readonly<Record<string, unknown>>;
  /** HelmReleases (in flux-system) that must be ready before this one is installed or upgraded. @default none */
  readonly dependsOn?: readonly string[];
}

/**
 * A pinned OCI chart delivered by Flux: an `OCIRepository` (source.toolkit.fluxcd.io/v1) selecting the chart layer
 * and a `HelmRelease` (helm.toolkit.fluxcd.io/v2) with install and upgrade remediation and `crds: CreateReplace`
 * (CRDs in the chart's `crds/` folder are created and updated; charts such as karpenter-crd that ship CRDs as
 * templates have them updated on every upgrade anyway).
 */
export class FluxHelmRelease extends Construct {
  constructor(scope: Construct, id: string, props: FluxHelmReleaseProps) {
    super(scope, id);
    const { chart } = props;
    const retries = props.retries ?? 3;
    requireDuration(props.interval, 'interval');
    requireDuration(props.timeout, 'timeout');
    requireThat(chart.url.startsWith('oci://'), 'chart.url', `"${chart.url}" must be an oci:// URL`);
    requireThat(/^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/.test(chart.version), 'chart.version', `"${chart.version}" must be an exact version such as 1.14.1`);
    new ApiObject(this, 'Source', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: chart.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: props.interval,
        url: chart.url,
        ref: { tag: chart.version },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
      },
    });
    new ApiObject(this, 'Release', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name: chart.name,
        namespace: FLUX_NAMESPACE,
        ...((props.keepWhenRemovedFromGit ?? true) ? { annotations: { ...FLUX_PRUNE_DISABLED } } : {}),
      },
      spec: {
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((name) => ({ name })) } : {}),
        interval: props.interval,
        timeout: props.timeout,
        chartRef: { kind: 'OCIRepository', name: chart.name },
        releaseName: chart.name,
        targetNamespace: chart.namespace,
        storageNamespace: chart.namespace,
        install: { crds: 'CreateReplace', remediation: { retries } },
        upgrade: { crds: 'CreateReplace', remediation: { retries, remediateLastFailure: true, strategy: 'rollback' } },
        ...(props.values ? { values: props.values } : {}),
      },
    });
  }
}
