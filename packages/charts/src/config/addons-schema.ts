import { Type, type Static } from '@sinclair/typebox';
import { DnsLabel, Resources, RoleArn, StringEnum, strictObject } from './schema-types.js';
import { JupyterHubSchema } from './jupyterhub-schema.js';
import { PrometheusSchema } from './prometheus-schema.js';
import { YunikornAddonSchema } from './yunikorn-schema.js';

/** The Karpenter controller as a Helm release; its settings (IRSA role, interruption queue, node groups) are capacity.controller's. */
export const KarpenterAddonSchema = strictObject({
  namespace: Type.Optional(StringEnum(['kube-system', 'karpenter'], {
    default: 'kube-system',
    description: 'namespace of the controller\'s release: kube-system (default, where karpenter-crd\'s release record lives too) or karpenter (created on install)',
  })),
  replicas: Type.Optional(Type.Integer({
    minimum: 1, maximum: 5, default: 2,
    description: 'controller replicas, each on a different node (default 2: one leader, one standby)',
  })),
}, 'Karpenter\'s controller (chart oci://public.ecr.aws/karpenter/karpenter, the version of the CRD chart), installed after its CRDs and before the NodePools, never on a node Karpenter made; settings from capacity.controller');

export const HistoryServerAddonSchema = strictObject({
  image: Type.String({
    pattern: '^[a-z0-9][a-z0-9.-]*(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$',
    description: 'container image with Spark and S3 support, by tag or digest, e.g. the EMR on EKS Spark image of the tenants\' release: 996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest',
  }),
  roleArn: Type.Optional(RoleArn('IAM role shared by the history servers of the tenants not in tenantRoleArns (IRSA, ServiceAccount spark-history/spark-history-server): s3:ListBucket and s3:GetObject on their <tenant>/spark-events/ prefixes under spark.logs.s3Uri, nothing else')),
  tenantRoleArns: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }), RoleArn('the tenant\'s own read-only role: s3:ListBucket and s3:GetObject on <spark.logs.s3Uri>/<tenant>/spark-events/ only'), {
    minProperties: 1,
    description: 'per tenant name, the IAM role of that tenant\'s history server (IRSA, ServiceAccount spark-history/spark-history-<tenant>), which can then read that tenant\'s event logs and no other\'s (least privilege; recommended); tenants not listed use roleArn, and every active tenant needs one or the other',
  })),
  allowIngressFromNamespaces: Type.Optional(Type.Array(DnsLabel('a namespace whose pods may open the UI (port 18080)'), {
    uniqueItems: true,
    description: 'namespaces allowed to reach the UI on port 18080 (default none: only kubectl port-forward, which goes through the API server)',
  })),
  resources: Type.Optional(Resources('of each history server (requests; the memory limit is the same)')),
}, 'Spark History Server: one per tenant in namespace spark-history, each reading only its tenant\'s event logs (<spark.logs.s3Uri>/<tenant>/spark-events/) with a read-only IAM role of the tenant\'s own (tenantRoleArns) or a shared one (roleArn); needs spark.logs.s3Uri');

export const NvidiaDevicePluginAddonSchema = strictObject({
  resources: Type.Optional(strictObject({
    cpu: Type.String({ pattern: '^[0-9]+m?$', description: 'CPU request, e.g. 50m' }),
    memory: Type.String({ pattern: '^[0-9]+(Ki|Mi|Gi)$', description: 'memory request, e.g. 64Mi (the limit is twice the request)' }),
  }, 'requests of the plugin container on each GPU node (default 50m CPU, 64Mi memory; the memory limit is twice the request)')),
}, 'NVIDIA\'s device plugin (chart nvidia-device-plugin from https://nvidia.github.io/k8s-device-plugin, pinned) in kube-system, on the nodes of the GPU capacity classes only (their class label and NVIDIA GPUs), tolerating exactly their taints: without it those nodes never advertise nvidia.com/gpu and GPU executors stay Pending. Needed by every capacity class with gpu on backend karpenter; refused on EKS Auto Mode, which runs its own');

export const AddonsSchema = strictObject({
  karpenter: Type.Optional(KarpenterAddonSchema),
  jupyterhub: Type.Optional(JupyterHubSchema),
  prometheus: Type.Optional(PrometheusSchema),
  historyServer: Type.Optional(HistoryServerAddonSchema),
  nvidiaDevicePlugin: Type.Optional(NvidiaDevicePluginAddonSchema),
  yunikorn: Type.Optional(YunikornAddonSchema),
}, 'Platform add-ons, each off unless its section is present; rendered into dist-manifests/<env>/addons/<name>/ (Karpenter\'s controller into karpenter/, a layer of its own between the CRDs and the platform)');

export type AddonsConfig = Static<typeof AddonsSchema>;
export type KarpenterAddonConfig = Static<typeof KarpenterAddonSchema>;
export type HistoryServerAddonConfig = Static<typeof HistoryServerAddonSchema>;
export type NvidiaDevicePluginAddonConfig = Static<typeof NvidiaDevicePluginAddonSchema>;
