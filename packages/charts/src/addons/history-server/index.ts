import { isObject, type AddonModule } from '../module.js';
import { HistoryServerAddonSchema, type HistoryServerAddonConfig } from './schema.js';
import type { DeepReadonly } from '../../config/resolve.js';
import { HISTORY_SERVER_README_TEMPLATES, HistoryServerChart, historyServerRoleIssues } from './chart.js';

/** Spark History Servers, one per tenant, as plain objects (no chart). */
export const historyServerAddon: AddonModule<
  'historyServer',
  typeof HistoryServerAddonSchema,
  DeepReadonly<HistoryServerAddonConfig>,
  Record<never, never>
> = {
  key: 'historyServer',
  schema: HistoryServerAddonSchema,
  delivery: { kind: 'objects' },
  // Nothing to default: the section is read as written.
  defaults: {},
  resolve: (addon) => addon,
  rules: {
    topic: 'Spark History Server',
    rules: ['history-server-logs'],
    check: ({ file }, at) => {
      const spark = isObject(file?.spark) ? file.spark : undefined;
      const logs = spark && isObject(spark.logs) ? spark.logs : undefined;
      if (!isObject(file?.addons) || file.addons.historyServer === undefined || !spark || logs?.s3Uri) return [];
      return [
        at(
          'history-server-logs',
          ['addons', 'historyServer'],
          "the history server reads the tenants' Spark event logs from <spark.logs.s3Uri>/<tenant>/spark-events/, and this environment writes none: set spark.logs.s3Uri",
        ),
      ];
    },
  },
  charts: ({ app, config, issues }, addon) => {
    if (!config.spark.logs.s3Uri) return [];
    const roleIssues = historyServerRoleIssues(config, addon);
    issues.push(...roleIssues);
    if (roleIssues.length > 0) return [];
    return [new HistoryServerChart(app, config, addon)];
  },
  readme: { templates: Object.values(HISTORY_SERVER_README_TEMPLATES) },
  images: (config, addon) => (config.spark.logs.s3Uri ? [addon.image] : []),
};
