import { Type, type Static } from '@sinclair/typebox';
import { GoDuration, Quantity, StringEnum, strictObject } from './schema-types.js';

/** tenants[].queue: the tenant's share of the cluster under YuniKorn. */
export const TenantQueueSchema = strictObject(
  {
    guaranteed: strictObject(
      {
        cpu: Quantity(
          'CPU the tenant is guaranteed (YuniKorn vcore): above it a tenant only borrows what others leave idle, e.g. 16',
        ),
        memory: Quantity('memory the tenant is guaranteed, e.g. "64Gi"'),
      },
      "the guaranteed share; the queue's max is the tenant's quota, and the guarantees of all tenants together must fit the Spark pools' limits",
    ),
    ordering: Type.Optional(
      StringEnum(['fifo', 'fair'], {
        default: 'fifo',
        description:
          "order of the tenant's own jobs in its queue: fifo (first submitted starts first, default) or fair (the job using least goes first)",
      }),
    ),
    gangMinExecutors: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: 1,
        description:
          'executors that must fit together with the driver before a job starts (YuniKorn gang scheduling: placeholders reserve them first), default 1',
      }),
    ),
    maxQueueWait: Type.Optional(
      GoDuration(
        "how long a job may wait queued before EMR fails it: emr-containers-defaults job-start-timeout, e.g. 2h (default 15m, EMR's own); counts against capacity.driverNodes.terminationGracePeriod like spark.maxJobDuration",
      ),
    ),
  },
  "schedule the tenant's pods with Apache YuniKorn (needs addons.yunikorn): a queue of its own with a guaranteed share, its quota as the most it may borrow up to, jobs gang-scheduled and queued instead of failed",
);

export type TenantQueueConfig = Static<typeof TenantQueueSchema>;
