import { YUNIKORN_CHART, tenantQueueName } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../../config/resolve.js';
import { tenantQueues } from './chart.js';

/**
 * The README's account of YuniKorn: the queue tree (a Mermaid diagram and a table), what each tenant is guaranteed and
 * may borrow, how a job is gang-scheduled and how long it may wait queued. Empty without addons.yunikorn.
 */
export function yunikornSection(config: ResolvedEnvironment): string {
  if (!config.addons?.yunikorn || !config.delivery) return '';
  const queues = tenantQueues(config);
  const tenantOf = (index: number) => config.tenants[index]!;
  const node = (namespace: string) => namespace.replace(/[^A-Za-z0-9]/g, '_');
  const others = config.tenants.filter((tenant) => !tenant.retired && !queues.some((q) => q.index === config.tenants.indexOf(tenant)));
  return [
    '',
    '',
    '### Fair sharing (Apache YuniKorn)',
    '',
    `YuniKorn (chart \`${YUNIKORN_CHART.name}\` ${YUNIKORN_CHART.version} from ${YUNIKORN_CHART.url}, namespace \`${YUNIKORN_CHART.namespace}\`, on the`,
    'nodes the other add-ons use) schedules the pods of the tenants below; its admission controller processes only their',
    'namespaces. A tenant\'s queue is chosen by the pod\'s namespace (`tag` placement rule, `create: false`), so no tenant can',
    'put its pods in another\'s queue. Each queue\'s max is the tenant\'s ResourceQuota: the quota stays the hard wall',
    '(admission refuses what is beyond it), and YuniKorn queues what is within it instead of starting it piecemeal.',
    '',
    '```mermaid',
    'flowchart TD',
    '  root["root"] --> tenants["tenants"]',
    ...queues.map((q) => `  tenants --> ${node(q.namespace)}["${q.namespace}<br/>guaranteed ${q.guaranteed.cpu} CPU, ${q.guaranteed.memory}<br/>max ${q.max.cpu} CPU, ${q.max.memory}"]`),
    '```',
    '',
    '| tenant | queue | guaranteed | may borrow up to (quota) | ordering | gang: driver + executors | waits queued up to |',
    '|---|---|---|---|---|---|---|',
    ...queues.map((q) => `| ${q.tenant} | \`${tenantQueueName(q.namespace)}\` | ${q.guaranteed.cpu} CPU, ${q.guaranteed.memory} | ${q.max.cpu} CPU, ${q.max.memory} | ${q.ordering} | 1 + ${q.settings.gangMinExecutors} | ${q.settings.maxQueueWait ?? '15m (EMR\'s default)'} |`),
    '',
    'A tenant always gets its guaranteed share when it asks; above it, it borrows what the other tenants leave idle, up to',
    'its quota. A job starts only once its driver and its minimum executors fit together (YuniKorn gang scheduling: the',
    'driver template\'s `yunikorn.apache.org/task-groups`; placeholder pods with the same node selectors, tolerations and',
    'affinity as the real pods reserve the room first, then the real pods take their places), so two large jobs never',
    'deadlock half-started. While it waits, EMR keeps the job in SUBMITTED for the tenant\'s `emr-containers-defaults`',
    '`job-start-timeout` (`queue.maxQueueWait`) instead of failing it after 15 minutes. Notebook sessions use the queue',
    'too (`session-executor.yaml`), without a gang: their driver is the notebook server, already running.',
    ...(others.length > 0 ? ['', `Not on YuniKorn (the default scheduler): ${others.map((t) => `${t.name}${t.fargate ? ' (Fargate schedules its own pods)' : ''}`).join(', ')}.`] : []),
  ].join('\n');
}
