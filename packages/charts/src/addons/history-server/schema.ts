import { Type, type Static } from '@sinclair/typebox';
import { DnsLabel, Resources, RoleArn, strictObject } from '../../config/schema-types.js';
import type { DeepReadonly } from '../../config/resolve.js';

export const HistoryServerAddonSchema = strictObject(
  {
    image: Type.String({
      pattern: '^[a-z0-9][a-z0-9.-]*(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$',
      description:
        "container image with Spark and S3 support, by tag or digest, e.g. the EMR on EKS Spark image of the tenants' release: 996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest",
    }),
    roleArn: Type.Optional(
      RoleArn(
        'IAM role shared by the history servers of the tenants not in tenantRoleArns (IRSA, ServiceAccount spark-history/spark-history-server): s3:ListBucket and s3:GetObject on their <tenant>/spark-events/ prefixes under spark.logs.s3Uri, nothing else',
      ),
    ),
    tenantRoleArns: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
        RoleArn(
          "the tenant's own read-only role: s3:ListBucket and s3:GetObject on <spark.logs.s3Uri>/<tenant>/spark-events/ only",
        ),
        {
          minProperties: 1,
          description:
            "per tenant name, the IAM role of that tenant's history server (IRSA, ServiceAccount spark-history/spark-history-<tenant>), which can then read that tenant's event logs and no other's (least privilege; recommended); tenants not listed use roleArn, and every active tenant needs one or the other",
        },
      ),
    ),
    allowIngressFromNamespaces: Type.Optional(
      Type.Array(DnsLabel('a namespace whose pods may open the UI (port 18080)'), {
        uniqueItems: true,
        description:
          'namespaces allowed to reach the UI on port 18080 (default none: only kubectl port-forward, which goes through the API server)',
      }),
    ),
    resources: Type.Optional(Resources('of each history server (requests; the memory limit is the same)')),
  },
  "Spark History Server: one per tenant in namespace spark-history, each reading only its tenant's event logs (<spark.logs.s3Uri>/<tenant>/spark-events/) with a read-only IAM role of the tenant's own (tenantRoleArns) or a shared one (roleArn); needs spark.logs.s3Uri",
);

export type HistoryServerAddonConfig = Static<typeof HistoryServerAddonSchema>;

declare module '../../config/schema.js' {
  /** addons.historyServer: the type of this add-on's section (its schema above is the list's, addons/index.ts). */
  interface AddonsConfig {
    historyServer?: HistoryServerAddonConfig;
  }
}

declare module '../../config/resolve.js' {
  /** addons.historyServer as written: it has no defaults to apply. */
  interface ResolvedAddons {
    historyServer?: DeepReadonly<HistoryServerAddonConfig>;
  }
}
