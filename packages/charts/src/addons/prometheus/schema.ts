import { Type, type Static } from '@sinclair/typebox';
import { GoDuration, Quantity, Resources, StringEnum, strictObject } from '../../config/schema-types.js';

export const PrometheusServerSchema = strictObject(
  {
    storageSize: Quantity(
      'size of the server\'s data volume (its own encrypted gp3 StorageClass): a Kubernetes quantity such as "20Gi"',
    ),
    retention: Type.String({
      pattern: '^([0-9]+(ms|s|m|h|d|w|y))+$',
      description: 'how long samples are kept: a Prometheus duration such as 7d or 30d',
    }),
    retentionSize: Type.Optional(
      Type.String({
        pattern: '^[0-9]+(B|KB|MB|GB|TB|PB|EB)$',
        description:
          'largest the data may grow before the oldest blocks go, e.g. 45GB; keep it below storageSize (default: no size limit)',
      }),
    ),
    service: strictObject(
      {
        type: StringEnum(['ClusterIP', 'NodePort', 'LoadBalancer'], {
          description: 'Service type of the server: ClusterIP (kubectl port-forward), NodePort or LoadBalancer',
        }),
        port: Type.Integer({ minimum: 1, maximum: 65535, description: 'Service port of the server, e.g. 80 or 9090' }),
        nodePort: Type.Optional(
          Type.Integer({
            minimum: 30000,
            maximum: 32767,
            description: 'with type NodePort: the node port, 30000-32767 (e.g. 30006)',
          }),
        ),
      },
      'how the server is reached',
    ),
    resources: strictObject(
      {
        requests: Resources('requests of the server container'),
        limits: strictObject(
          {
            cpu: Type.Optional(Quantity('CPU limit of the server container (default none)')),
            memory: Quantity('memory limit of the server container: a Kubernetes quantity such as "4Gi"'),
          },
          'limits of the server container',
        ),
      },
      'resources of the server container',
    ),
    scrapeInterval: Type.Optional(GoDuration('how often targets are scraped, e.g. 30s (default)')),
    lifecycleApi: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "serve Prometheus' lifecycle API (POST /-/reload and /-/quit: whoever reaches the port may stop the server) and run the chart's config reloader, which calls it; default false: Prometheus re-reads its changed configuration itself (feature auto-reload-config)",
      }),
    ),
  },
  'the prometheus-community prometheus chart, server only, installed by this project',
);

export const PrometheusSchema = strictObject(
  {
    mode: StringEnum(['server', 'operator'], {
      description:
        '"server": this project installs the prometheus chart (settings under server:) with scrape jobs for the Spark pods and Karpenter; "operator": prometheus-operator already runs (e.g. kube-prometheus-stack) and this project renders PodMonitors per tenant and for Karpenter',
    }),
    server: Type.Optional(PrometheusServerSchema),
    alerts: Type.Optional(
      strictObject(
        {
          pendingFor: Type.Optional(
            GoDuration(
              "how long a tenant's pod may stay Pending before SparkPodPendingTooLong fires, e.g. 15m (default)",
            ),
          ),
          quotaRatio: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              exclusiveMaximum: 1,
              description:
                "share of a tenant quota's hard limit in use at which SparkTenantQuotaNearLimit fires (default 0.9)",
            }),
          ),
        },
        "thresholds of the platform's alerts",
      ),
    ),
    remoteWrite: Type.Optional(
      strictObject(
        {
          workspaceArn: Type.Optional(
            Type.String({
              pattern: '^arn:(aws|aws-cn|aws-us-gov):aps:[a-z0-9-]+:[0-9]{12}:workspace/ws-[0-9a-zA-Z-]+$',
              description:
                'the Amazon Managed Service for Prometheus workspace, arn:aws:aps:<region>:<account>:workspace/ws-<id> (or url)',
            }),
          ),
          url: Type.Optional(
            Type.String({
              pattern:
                '^https://aps-workspaces\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/workspaces/ws-[0-9a-zA-Z-]+/api/v1/remote_write$',
              description: "the workspace's remote write endpoint (or workspaceArn)",
            }),
          ),
          roleArn: Type.String({
            pattern: '^arn:[a-z-]+:iam::[0-9]{12}:role/.+$',
            description:
              "IAM role of the server's service account (IRSA) with aps:RemoteWrite on the workspace (its document in artifacts/iam/)",
          }),
        },
        'with mode server: also write every sample to an Amazon Managed Service for Prometheus workspace, SigV4-signed',
      ),
    ),
    operator: Type.Optional(
      strictObject(
        {
          podMonitorLabels: Type.Optional(
            Type.Record(
              Type.String({ pattern: '^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$' }),
              Type.String({ maxLength: 63 }),
              {
                description:
                  "labels the operator's Prometheus selects PodMonitors by, e.g. { release: kube-prometheus-stack }",
              },
            ),
          ),
        },
        'with mode operator: how the operator finds the PodMonitors',
      ),
    ),
  },
  "Prometheus in namespace monitoring, scraping every tenant's Spark drivers and executors (with a tenant label on every series) and Karpenter",
);

export type PrometheusConfig = Static<typeof PrometheusSchema>;

declare module '../../config/schema.js' {
  /** addons.prometheus: the type of this add-on's section (its schema above is the list's, addons/index.ts). */
  interface AddonsConfig {
    prometheus?: PrometheusConfig;
  }
}
