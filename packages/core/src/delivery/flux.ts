import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { FLUX_PRUNE_DISABLED, isOciChart, requirePinnedChart, type HelmChartSource } from './helm-chart.js';

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
    requireThat(
      props.path.startsWith('./'),
      'path',
      `"${props.path}" must start with ./ (relative to the repository root)`,
    );
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
  readonly chart: HelmChartSource;
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
  /** Helm release name, also the name of the HelmRelease and its chart source in flux-system. @default chart.name */
  readonly releaseName?: string;
  /** The release's values (`spec.values`). @default the chart's defaults */
  readonly values?: Readonly<Record<string, unknown>>;
  /** HelmReleases (in flux-system) that must be ready before this one is installed or upgraded. @default none */
  readonly dependsOn?: readonly string[];
  /**
   * What Helm does with the chart's `crds/` folder on install and upgrade: `CreateReplace` (create and update them)
   * or `Skip` (leave them to another release, e.g. Karpenter's CRDs owned by karpenter-crd). @default CreateReplace
   */
  readonly crds?: 'CreateReplace' | 'Skip';
  /** Create the target namespace on install when it does not exist. @default false */
  readonly createNamespace?: boolean;
}

/**
 * A pinned Helm chart delivered by Flux: its source in flux-system (an `OCIRepository` selecting the chart layer for
 * an oci:// chart, a `HelmRepository` for an https:// one) and a `HelmRelease` (helm.toolkit.fluxcd.io/v2) with
 * install and upgrade remediation (retries, rollback of a failed upgrade), `dependsOn` and CRD handling
 * (`CreateReplace` by default: CRDs in the chart's `crds/` folder are created and updated; charts such as
 * karpenter-crd that ship CRDs as templates have them updated on every upgrade anyway).
 */
export class FluxHelmRelease extends Construct {
  /** Name of the HelmRelease in flux-system, for another release's `dependsOn`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: FluxHelmReleaseProps) {
    super(scope, id);
    const { chart } = props;
    const retries = props.retries ?? 3;
    const crds = props.crds ?? 'CreateReplace';
    const name = props.releaseName ?? chart.name;
    requireDuration(props.interval, 'interval');
    requireDuration(props.timeout, 'timeout');
    requirePinnedChart(chart);
    requireThat(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 53,
      'releaseName',
      `"${name}" must be a Helm release name: a DNS-1123 label of at most 53 characters`,
    );
    requireThat(!(props.dependsOn ?? []).includes(name), 'dependsOn', `the release ${name} cannot depend on itself`);
    this.name = name;
    const oci = isOciChart(chart);
    new ApiObject(
      this,
      'Source',
      oci
        ? {
            apiVersion: 'source.toolkit.fluxcd.io/v1',
            kind: 'OCIRepository',
            metadata: { name, namespace: FLUX_NAMESPACE },
            spec: {
              interval: props.interval,
              url: chart.url,
              ref: { tag: chart.version },
              layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
            },
          }
        : {
            apiVersion: 'source.toolkit.fluxcd.io/v1',
            kind: 'HelmRepository',
            metadata: { name, namespace: FLUX_NAMESPACE },
            spec: { interval: props.interval, url: chart.url },
          },
    );
    new ApiObject(this, 'Release', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name,
        namespace: FLUX_NAMESPACE,
        ...((props.keepWhenRemovedFromGit ?? true) ? { annotations: { ...FLUX_PRUNE_DISABLED } } : {}),
      },
      spec: {
        interval: props.interval,
        timeout: props.timeout,
        ...(oci
          ? { chartRef: { kind: 'OCIRepository', name } }
          : {
              chart: {
                spec: {
                  chart: chart.name,
                  version: chart.version,
                  sourceRef: { kind: 'HelmRepository', name },
                  interval: props.interval,
                },
              },
            }),
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((dependency) => ({ name: dependency })) } : {}),
        releaseName: name,
        targetNamespace: chart.namespace,
        storageNamespace: chart.namespace,
        install: { crds, ...(props.createNamespace ? { createNamespace: true } : {}), remediation: { retries } },
        upgrade: { crds, remediation: { retries, remediateLastFailure: true, strategy: 'rollback' } },
        ...(props.values ? { values: props.values } : {}),
      },
    });
  }
}
