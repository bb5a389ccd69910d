import { schemaDefault, type With } from '../../config/resolve.js';
import { PrometheusServerSchema, type PrometheusConfig } from './schema.js';

/** The section's defaults, read from its schema. */
export const PROMETHEUS_ADDON_DEFAULTS = {
  lifecycleApi: schemaDefault(PrometheusServerSchema.properties.lifecycleApi),
};

type PrometheusServer = NonNullable<PrometheusConfig['server']>;
export type ResolvedPrometheus = With<PrometheusConfig, { server?: With<PrometheusServer, { lifecycleApi: boolean }> }>;

export function resolvePrometheus({ server, ...rest }: PrometheusConfig): ResolvedPrometheus {
  return {
    ...rest,
    ...(server
      ? { server: { ...server, lifecycleApi: server.lifecycleApi ?? PROMETHEUS_ADDON_DEFAULTS.lifecycleApi } }
      : {}),
  };
}

declare module '../../config/resolve.js' {
  /** addons.prometheus with its defaults applied. */
  interface ResolvedAddons {
    prometheus?: ResolvedPrometheus;
  }
}
