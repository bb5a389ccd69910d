import { goDurationSeconds, isQuantity, parseQuantity, tenantQueueName } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from '../../config/schema.js';
import type { ConfigRules, Locate, Problem } from '../../config/problems.js';
import type { ConfigPath } from '../../config/source-map.js';
import { isObject } from '../module.js';

/** Spark properties that put a label or annotation YuniKorn reads as the queue (yunikorn-k8shim constants.QueueLabelKeys, QueueAnnotationKeys). */
const QUEUE_PROPERTY =
  /^spark\.kubernetes\.(driver|executor)\.(label|annotation)\.(queue|yunikorn\.apache\.org\/queue)$/;

/**
 * YuniKorn's settings against each other: a tenant queue needs the add-on (and the add-on a tenant queue),
 * Fargate tenants stay with Fargate's own scheduler (YuniKorn has no Fargate nodes), a guarantee within the quota (the queue's max; yunikorn-core refuses guaranteed above
 * max and keeps the old configuration), and no Spark property naming a queue other than the tenant's own.
 */
export function yunikornProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const addon = isObject(file?.addons) ? file.addons.yunikorn : undefined;
  const problems: Problem[] = [];
  const queued = tenants.filter((tenant) => isObject(tenant.queue) && !tenant.retired && !isObject(tenant.fargate));
  if (addon !== undefined && queued.length === 0) {
    problems.push(
      at(
        'yunikorn-addon',
        ['addons', 'yunikorn'],
        'no tenant has a queue: YuniKorn would schedule no pod; give the tenants that share capacity a queue (tenants[].queue.guaranteed), or remove addons.yunikorn',
      ),
    );
  }
  tenants.forEach((tenant, index) => {
    const queue = tenant.queue;
    if (!isObject(queue)) return;
    const own: ConfigPath = ['tenants', index, 'queue'];
    if (isObject(tenant.fargate)) {
      problems.push(
        at(
          'yunikorn-fargate',
          own,
          `tenant ${tenant.name} runs on Fargate, whose own scheduler (EKS's fargate-scheduler) places every pod of its profile on Fargate capacity: YuniKorn has no Fargate nodes to place them on, so its queue and gangs could not hold: remove queue, or move the tenant off Fargate`,
        ),
      );
      return;
    }
    if (typeof queue.maxQueueWait === 'string' && goDurationSeconds(queue.maxQueueWait) === 0) {
      problems.push(
        at(
          'yunikorn-queue-wait',
          [...own, 'maxQueueWait'],
          "is 0: EMR would fail every job that does not start at once; give the longest a job may wait queued, e.g. 1h (or leave it out for EMR's 15m)",
        ),
      );
    }
    if (addon === undefined) {
      problems.push(
        at(
          'yunikorn-addon',
          own,
          'needs addons.yunikorn: without the scheduler every pod naming it stays Pending; add addons.yunikorn: {} or remove queue',
        ),
      );
    }
    for (const resource of ['cpu', 'memory'] as const) {
      const guaranteed = queue.guaranteed?.[resource];
      const quota = isObject(tenant.quota) ? tenant.quota[resource] : undefined;
      if (guaranteed === undefined || quota === undefined || !isQuantity(guaranteed) || !isQuantity(quota)) continue;
      if (parseQuantity(guaranteed) > parseQuantity(quota)) {
        problems.push(
          at(
            'yunikorn-guaranteed-quota',
            [...own, 'guaranteed', resource],
            `guaranteed ${resource} ${guaranteed} is above the tenant's quota.${resource} ${quota}, the queue's max: YuniKorn refuses the whole queue configuration ("guaranteed resource ... is larger than maximum resource") and admission could never let that much run; set at most ${quota}`,
          ),
        );
      }
    }
    if (typeof tenant.namespace !== 'string') return;
    const expected = tenantQueueName(tenant.namespace);
    for (const [key, value] of Object.entries(
      isObject(tenant.spark) && isObject(tenant.spark.extraProperties) ? tenant.spark.extraProperties : {},
    )) {
      if (QUEUE_PROPERTY.test(key) && value !== expected) {
        problems.push(
          at(
            'yunikorn-queue-name',
            ['tenants', index, 'spark', 'extraProperties', key],
            `names queue "${value}", but YuniKorn places the pods of namespace ${tenant.namespace} by their namespace into ${expected} (tenant ${tenant.name}'s queue): the label would only mislead; remove it, or set it to ${expected}`,
          ),
        );
      }
    }
  });
  return problems;
}

/** The add-on's config rules, run by semanticProblems (its need of a delivery engine is the list's: addons/index.ts). */
export const YUNIKORN_RULES: ConfigRules = {
  topic: 'YuniKorn',
  rules: [
    'yunikorn-addon',
    'yunikorn-fargate',
    'yunikorn-guaranteed-quota',
    'yunikorn-queue-name',
    'yunikorn-queue-wait',
  ],
  check: ({ file, tenants }, at) => yunikornProblems(file, tenants, at),
};
