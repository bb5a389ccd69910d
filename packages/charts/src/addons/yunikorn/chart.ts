import type { App } from 'cdk8s';
import {
  configDiagnostic,
  YUNIKORN_CHART,
  formatCores,
  formatMiB,
  helmRelease,
  parseQuantity,
  tenantQueueName,
  yunikornHelmValues,
  yunikornQueueConfig,
  type HelmDelivery,
  type SparkCapacity,
  type TenantQueue,
  type YunikornSchedulerConfig,
  type YunikornValues,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenantQueue } from '../../config/resolve.js';
import type { RenderIssue } from '../../config/render-error.js';
import { addonPlacement } from '../../charts/auto-mode-capacity.js';
import { ManifestChart } from '../../charts/manifest-chart.js';
import { onYunikorn } from '../../charts/yunikorn-tenant.js';
import type { AddonSummary } from '../../charts/summaries.js';

/** The README templates of this folder (paths below `src/`, without `.md.hbs`), which its summary's notes name. */
export const YUNIKORN_README_TEMPLATES = { fairSharing: 'addons/yunikorn/yunikorn' } as const;

/** Where YuniKorn's release is rendered. */
export const YUNIKORN_FOLDER = 'addons/yunikorn';

/** The tenants' queues (file order), each with its index in the environment file. */
export function tenantQueues(
  config: ResolvedEnvironment,
): Array<TenantQueue & { readonly index: number; readonly tenant: string; readonly settings: ResolvedTenantQueue }> {
  return config.tenants.flatMap((tenant, index) =>
    onYunikorn(config, tenant)
      ? [
          {
            index,
            tenant: tenant.name,
            namespace: tenant.namespace,
            guaranteed: tenant.queue.guaranteed,
            max: { cpu: tenant.quota.cpu, memory: tenant.quota.memory },
            ordering: tenant.queue.ordering,
            settings: tenant.queue,
          },
        ]
      : [],
  );
}

/**
 * Apache YuniKorn (YUNIKORN_CHART) in namespace yunikorn: the scheduler and admission controller where the other add-ons
 * run (off the Spark pools), the queue tree of the tenants with a queue, and the admission controller processing only
 * their namespaces (every other namespace keeps the default scheduler).
 */
export class YunikornChart extends ManifestChart {
  readonly values: YunikornValues;
  readonly queues: YunikornSchedulerConfig;
  override readonly addonSummary: AddonSummary;

  constructor(scope: App, config: ResolvedEnvironment, delivery: HelmDelivery) {
    super(scope, 'addon-yunikorn', {
      folder: YUNIKORN_FOLDER,
      environment: config.name,
      configPath: ['addons', 'yunikorn'],
    });
    const tenants = tenantQueues(config);
    this.queues = yunikornQueueConfig(tenants);
    this.values = yunikornHelmValues({
      queues: this.queues,
      processNamespaces: tenants.map((t) => t.namespace),
      ...addonPlacement(config),
    });
    helmRelease(
      this,
      'Release',
      {
        chart: YUNIKORN_CHART,
        namespace: YUNIKORN_CHART.namespace,
        values: this.values as unknown as Record<string, unknown>,
        createNamespace: true,
      },
      delivery,
    );
    this.addonSummary = yunikornSummary(config, tenants);
  }
}

/** The add-on table's row and the "Fair sharing" notes: each tenant's queue, and the tenants left on the default scheduler. */
function yunikornSummary(config: ResolvedEnvironment, queues: ReturnType<typeof tenantQueues>): AddonSummary {
  const chart = YUNIKORN_CHART;
  return {
    name: 'yunikorn',
    rows: [
      {
        name: 'Apache YuniKorn',
        chart: `\`${chart.name}\` ${chart.version} from ${chart.url}`,
        namespace: chart.namespace,
        folder: YUNIKORN_FOLDER,
        reach: `\`kubectl port-forward -n ${chart.namespace} svc/yunikorn-service 9889\`, then http://localhost:9889 (queues and applications); see Fair sharing`,
      },
    ],
    notes: [
      {
        section: 'nodepools',
        template: YUNIKORN_README_TEMPLATES.fairSharing,
        order: 1,
        data: {
          chart,
          queues: queues.map((queue) => ({
            ...queue,
            queue: tenantQueueName(queue.namespace),
            gangMinExecutors: queue.settings.gangMinExecutors,
            // Absent, this project sets no job-start-timeout: EMR's own applies.
            maxQueueWait: queue.settings.maxQueueWait ?? "15m (EMR's default)",
          })),
          others: config.tenants
            .filter((tenant) => !tenant.retired && !queues.some((queue) => queue.tenant === tenant.name))
            .map((tenant) => ({ name: tenant.name, fargate: tenant.fargate !== undefined })),
        },
      },
    ],
  };
}

/**
 * The guarantees of all tenant queues together within what the Spark pools may ever launch (the sum of their limits):
 * a guarantee beyond that cannot be honoured when every tenant asks at once. Reported at the guarantee that tips it.
 */
export function guaranteedCapacityIssues(
  config: ResolvedEnvironment,
  classes: ReadonlyMap<string, SparkCapacity>,
): RenderIssue[] {
  const pools = [...new Set([...classes.values()].flatMap((capacity) => capacity.pools))];
  const issues: RenderIssue[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const limits = pools.map((pool) => pool.limits?.[resource]);
    if (limits.length === 0 || limits.some((limit) => limit === undefined)) continue;
    const ceiling = limits.reduce<number>((sum, limit) => sum + parseQuantity(limit!), 0);
    let sum = 0;
    for (const queue of tenantQueues(config)) {
      sum += parseQuantity(queue.guaranteed[resource]);
      if (sum <= ceiling) continue;
      const show = (n: number) => (resource === 'cpu' ? formatCores(n) : formatMiB(n / 2 ** 20));
      issues.push(
        configDiagnostic(
          'yunikorn-guaranteed-capacity',
          ['tenants', queue.index, 'queue', 'guaranteed', resource],
          `the tenants' guaranteed ${resource} up to ${queue.tenant}'s comes to ${show(sum)}, more than the Spark pools may ever launch (${show(ceiling)}, the sum of their limits): YuniKorn would promise capacity that cannot exist, and a tenant counting on its guarantee waits when all ask at once; lower the guarantees or raise the pools' limits`,
        ),
      );
      break;
    }
  }
  return issues;
}
