import { offKarpenterNodeAffinity } from '../karpenter/controller-values.js';
import { addonNodePlacement, type AutoModeAddonPlacement } from '../karpenter/auto-mode.js';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import type { OciHelmChart } from '../delivery/helm-chart.js';
import { assertDnsLabel } from '../primitives/names.js';
import { isQuantity, quantityString, type QuantityInput } from '../primitives/quantity.js';
import { Gp3StorageClass, type EbsCsiProvisioner } from '../storage/gp3-storage-class.js';
import { requireGoDuration } from '../primitives/go-duration.js';
import { requireIntegerInRange } from '../primitives/kubernetes-names.js';
import { HelmValuesError, helmValuesProblems } from './helm-values.js';
import type { AlertGroup } from '../observability/alert-rules.js';
import { KUBE_STATE_LABELS_ALLOWLIST } from '../observability/series.js';
import { NAMESPACE_NAME_LABEL } from '../primitives/labels.js';
import {
  kubeStateMetricsScrapeConfig,
  sparkScrapeConfigs,
  type SparkScrapeTargetsProps,
} from './prometheus-targets.js';
import { ampRemoteWrite, type AmpRemoteWrite } from './prometheus-remote-write.js';

/**
 * The prometheus-community `prometheus` chart (the server and its kube-state-metrics sub-chart), pinned. Its `values.schema.json`
 * is vendored at this version in `schemas/helm/prometheus/<version>/`: change both together.
 */
export const PROMETHEUS_CHART: OciHelmChart = {
  name: 'prometheus',
  url: 'oci://ghcr.io/prometheus-community/charts/prometheus',
  version: '29.27.0',
  namespace: 'monitoring',
};

/**
 * The images the chart runs at the pinned version (its appVersion and its config reloader's default), written into the
 * values so the release never changes image without a reviewed diff and `emr-gitops images` can list them for a scanner.
 */
export const PROMETHEUS_IMAGES = {
  server: { repository: 'quay.io/prometheus/prometheus', tag: 'v3.14.0' },
  configReloader: { repository: 'quay.io/prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1' },
} as const;

/** The scrape jobs the chart enables by default (its `scrapeConfigs` map at the pinned version). */
export const PROMETHEUS_CHART_DEFAULT_SCRAPE_JOBS = [
  'prometheus',
  'kubernetes-api-servers',
  'kubernetes-nodes',
  'kubernetes-nodes-cadvisor',
  'kubernetes-service-endpoints',
  'kubernetes-service-endpoints-slow',
  'prometheus-pushgateway',
  'kubernetes-services',
  'kubernetes-pods',
  'kubernetes-pods-slow',
] as const;
/** Default jobs kept: Prometheus' own metrics. The others are off: `kubernetes-pods` would scrape the drivers again by their annotations, without `tenant`. */
const KEPT_DEFAULT_JOBS = new Set<string>(['prometheus']);

export type PrometheusServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

export interface PrometheusServerProps {
  /** What to scrape: the tenants' Spark drivers (and through them the executors) and Karpenter. */
  readonly scrape: SparkScrapeTargetsProps;
  /** Namespace of the server; the tenants' NetworkPolicies admit scrapes from it by its name. @default 'monitoring' */
  readonly namespace?: string;
  /** Size of the server's data volume. */
  readonly storageSize: QuantityInput;
  /** How long samples are kept, a Prometheus duration such as `15d`. */
  readonly retention: string;
  /** Largest the TSDB may grow before old blocks go, e.g. `45GB`. @default no size limit */
  readonly retentionSize?: string;
  /** Name of the server's own encrypted gp3 StorageClass. @default 'prometheus-gp3' */
  readonly storageClassName?: string;
  /** How the server is reached. `nodePort` only with `NodePort` (30000-32767). */
  readonly service: { readonly type: PrometheusServiceType; readonly port: number; readonly nodePort?: number };
  /** Requests and limits of the server container. */
  readonly resources: {
    readonly requests: { readonly cpu: QuantityInput; readonly memory: QuantityInput };
    readonly limits: { readonly cpu?: QuantityInput; readonly memory: QuantityInput };
  };
  /** EKS managed node groups the server must run on. @default any node Karpenter did not make (never a Spark pool) */
  readonly managedNodeGroups?: readonly string[];
  /**
   * Where the pods go instead of off every Karpenter node: on EKS Auto Mode every node is one, so a built-in pool
   * (autoModeAddonPlacement). Not with managedNodeGroups. @default off every Karpenter node
   */
  readonly nodePlacement?: AutoModeAddonPlacement;
  /** The EBS CSI driver of the server's StorageClass. @default 'ebs.csi.aws.com' */
  readonly storageProvisioner?: EbsCsiProvisioner;
  /** How often targets are scraped, a Prometheus duration. @default '30s' */
  readonly scrapeInterval?: string;
  /**
   * Serve Prometheus' lifecycle API (`POST /-/reload`, `/-/quit`: whoever reaches the port may stop the server), which
   * the chart's config reloader calls. Without it Prometheus reloads its configuration itself (PROMETHEUS_AUTO_RELOAD).
   * @default false
   */
  readonly lifecycleApi?: boolean;
  /** Alerting rule groups, written as the chart's `serverFiles."alerting_rules.yml"` (PlatformObservability's). @default none */
  readonly alertGroups?: readonly AlertGroup[];
  /** Send every sample to Amazon Managed Service for Prometheus as well, signed with SigV4 by the server's IRSA role. */
  readonly remoteWrite?: AmpRemoteWrite;
}

/**
 * How Prometheus reloads a changed configuration without the lifecycle API (prometheus/prometheus
 * cmd/prometheus/main.go and docs/feature_flags.md "Auto Reload Config": the feature flag `auto-reload-config`, and
 * `--config.auto-reload-interval`, default 30s, which re-reads the file when its checksum changes). The chart
 * (prometheus-community/helm-charts charts/prometheus 29.27.0, templates/deploy.yaml) writes each `server.extraFlags`
 * entry as `--<entry>` and defaults it to `[web.enable-lifecycle]`; its config reloader calls `/-/reload`.
 */
export const PROMETHEUS_AUTO_RELOAD = {
  lifecycleFlag: 'web.enable-lifecycle',
  flags: ['enable-feature=auto-reload-config', 'config.auto-reload-interval=30s'],
} as const;

const PROMETHEUS_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const PROMETHEUS_SIZE = /^[0-9]+(B|KB|MB|GB|TB|PB|EB)$/;

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
} as const;

/**
 * Prometheus for the Spark platform: the `monitoring` namespace (Pod Security labels, and the name label the tenants'
 * `allow-monitoring-scrape` NetworkPolicies select), the server's own encrypted gp3 StorageClass, and the values of
 * the pinned `prometheus` chart: the server and kube-state-metrics, with a persistent volume, retention, the service the environment
 * chooses, resources, placement off every Karpenter node, and the scrape jobs of `sparkScrapeConfigs`. The values are
 * checked against the chart's own schema. Delivering the chart (Flux or Argo CD) is the caller's choice.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { FluxHelmRelease, PrometheusServer } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'prometheus');
 * const prometheus = new PrometheusServer(chart, 'prometheus', {
 *   scrape: { tenants: [{ name: 'analytics', namespace: 'spark-analytics' }] },
 *   storageSize: '20Gi', retention: '7d',
 *   service: { type: 'NodePort', port: 80, nodePort: 30006 },
 *   resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '2Gi' } },
 * });
 * new FluxHelmRelease(chart, 'release', { chart: prometheus.chart, values: prometheus.values, interval: '5m', timeout: '10m', keepWhenRemovedFromGit: false });
 * ```
 */
export class PrometheusServer extends Construct {
  readonly namespace: string;
  readonly chart: OciHelmChart;
  readonly storageClass: Gp3StorageClass;
  /** The release's Helm values, valid against the chart's `values.schema.json`. */
  readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: PrometheusServerProps) {
    super(scope, id);
    this.namespace = props.namespace ?? PROMETHEUS_CHART.namespace;
    assertDnsLabel(this.namespace, 'namespace');
    this.chart = { ...PROMETHEUS_CHART, namespace: this.namespace };
    requireThat(
      isQuantity(props.storageSize),
      'storageSize',
      `"${props.storageSize}" must be a Kubernetes quantity such as 50Gi`,
    );
    requireThat(
      PROMETHEUS_DURATION.test(props.retention),
      'retention',
      `"${props.retention}" must be a Prometheus duration such as 15d or 12h`,
    );
    if (props.retentionSize !== undefined) {
      requireThat(
        PROMETHEUS_SIZE.test(props.retentionSize),
        'retentionSize',
        `"${props.retentionSize}" must be a size such as 45GB (B, KB, MB, GB, TB, PB, EB)`,
      );
    }
    const scrapeInterval = props.scrapeInterval ?? '30s';
    requireGoDuration(scrapeInterval, 'scrapeInterval');
    const { service } = props;
    requireThat(
      ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(service.type),
      'service.type',
      `"${service.type}" must be ClusterIP, NodePort or LoadBalancer`,
    );
    requireIntegerInRange(service.port, 1, 65535, 'service.port');
    if (service.nodePort !== undefined) {
      requireThat(service.type === 'NodePort', 'service.nodePort', 'is only used with service type NodePort');
      requireIntegerInRange(service.nodePort, 30000, 32767, 'service.nodePort');
    }
    // kube-state-metrics (the chart's sub-chart) for quota, Pending pods, restarts and Jobs; its own job gives `tenant`.
    const scrapeConfigs = [
      ...sparkScrapeConfigs(props.scrape),
      kubeStateMetricsScrapeConfig(this.namespace, props.scrape.tenants),
    ];
    const remoteWrite = props.remoteWrite ? ampRemoteWrite(props.remoteWrite) : undefined;
    const lifecycleApi = props.lifecycleApi ?? false;

    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: {
          // Kubernetes sets this label itself; rendered so what selects it can be checked offline.
          [NAMESPACE_NAME_LABEL]: this.namespace,
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
        },
      },
    });
    this.storageClass = new Gp3StorageClass(this, 'StorageClass', {
      name: props.storageClassName ?? 'prometheus-gp3',
      provisioner: props.storageProvisioner,
    });

    const quantity = (value: QuantityInput) => quantityString(value);
    const nodeGroups = props.managedNodeGroups ?? [];
    const placement = addonNodePlacement(props.nodePlacement, props.managedNodeGroups);
    const affinity = { nodeAffinity: placement?.nodeAffinity ?? offKarpenterNodeAffinity(nodeGroups) };
    const tolerations = placement?.tolerations.length
      ? { tolerations: placement.tolerations.map((t) => ({ ...t })) }
      : {};
    this.values = {
      alertmanager: { enabled: false },
      'kube-state-metrics': {
        enabled: true,
        // kube_pod_labels and kube_node_labels carry only the labels named here (drivers, Karpenter pools).
        metricLabelsAllowlist: [...KUBE_STATE_LABELS_ALLOWLIST],
        affinity,
        ...tolerations,
      },
      ...(remoteWrite
        ? { serviceAccounts: { server: { annotations: { ...remoteWrite.serviceAccountAnnotations } } } }
        : {}),
      ...(props.alertGroups?.length
        ? { serverFiles: { 'alerting_rules.yml': { groups: props.alertGroups.map((group) => ({ ...group })) } } }
        : {}),
      'prometheus-node-exporter': { enabled: false },
      'prometheus-pushgateway': { enabled: false },
      configmapReload: {
        prometheus: {
          // The reloader only POSTs /-/reload: with the lifecycle API off Prometheus watches its file itself.
          enabled: lifecycleApi,
          image: { ...PROMETHEUS_IMAGES.configReloader },
          containerSecurityContext: RESTRICTED_CONTAINER,
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
        },
      },
      server: {
        image: { ...PROMETHEUS_IMAGES.server },
        // Helm replaces lists: this is the whole flag list (the chart's default is the lifecycle flag alone).
        extraFlags: lifecycleApi ? [PROMETHEUS_AUTO_RELOAD.lifecycleFlag] : [...PROMETHEUS_AUTO_RELOAD.flags],
        global: { scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval },
        retention: props.retention,
        ...(props.retentionSize ? { retentionSize: props.retentionSize } : {}),
        persistentVolume: {
          enabled: true,
          size: quantity(props.storageSize),
          storageClass: this.storageClass.name,
          accessModes: ['ReadWriteOnce'],
        },
        service: {
          type: service.type,
          servicePort: service.port,
          ...(service.nodePort !== undefined ? { nodePort: service.nodePort } : {}),
        },
        resources: {
          requests: { cpu: quantity(props.resources.requests.cpu), memory: quantity(props.resources.requests.memory) },
          limits: {
            ...(props.resources.limits.cpu !== undefined ? { cpu: quantity(props.resources.limits.cpu) } : {}),
            memory: quantity(props.resources.limits.memory),
          },
        },
        affinity,
        ...tolerations,
        ...(remoteWrite ? { remoteWrite: [remoteWrite.config] } : {}),
        securityContext: {
          runAsUser: 65534,
          runAsGroup: 65534,
          runAsNonRoot: true,
          fsGroup: 65534,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containerSecurityContext: RESTRICTED_CONTAINER,
      },
      scrapeConfigs: {
        ...Object.fromEntries(
          PROMETHEUS_CHART_DEFAULT_SCRAPE_JOBS.filter((job) => !KEPT_DEFAULT_JOBS.has(job)).map((job) => [
            job,
            { enabled: false },
          ]),
        ),
        ...Object.fromEntries(scrapeConfigs.map((config) => [config.job_name, config])),
      },
    };
    const problems = helmValuesProblems(this.chart, this.values);
    if (problems.length > 0) throw new HelmValuesError(this.chart, problems);
  }
}
