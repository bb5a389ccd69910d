import { TLS_PROXY_SERVICE_TYPE } from '@emr-eks-gitops/core';
import { schemaDefault, type With } from '../../config/resolve.js';
import { JupyterHubSchema, type JupyterHubConfig } from './schema.js';

/** The section's defaults, read from its schema. */
export const JUPYTERHUB_ADDON_DEFAULTS = {
  hubDbSize: schemaDefault(JupyterHubSchema.properties.hubDbSize),
  tlsScheme: schemaDefault(JupyterHubSchema.properties.tls.properties.scheme),
};

type JupyterHubTls = NonNullable<JupyterHubConfig['tls']>;
export type ResolvedJupyterHub = With<
  JupyterHubConfig,
  {
    hubDbSize: NonNullable<JupyterHubConfig['hubDbSize']>;
    /** The file's, else what the TLS load balancer needs (TLS_PROXY_SERVICE_TYPE), else ClusterIP. */
    proxyServiceType: NonNullable<JupyterHubConfig['proxyServiceType']>;
    tls?: With<JupyterHubTls, { scheme: NonNullable<JupyterHubTls['scheme']> }>;
  }
>;

export function resolveJupyterHub({ tls, ...rest }: JupyterHubConfig): ResolvedJupyterHub {
  const D = JUPYTERHUB_ADDON_DEFAULTS;
  return {
    ...rest,
    hubDbSize: rest.hubDbSize ?? D.hubDbSize,
    proxyServiceType: rest.proxyServiceType ?? (tls ? TLS_PROXY_SERVICE_TYPE[tls.loadBalancer] : 'ClusterIP'),
    ...(tls ? { tls: { ...tls, scheme: tls.scheme ?? D.tlsScheme } } : {}),
  };
}

declare module '../../config/resolve.js' {
  /** addons.jupyterhub with its defaults applied. */
  interface ResolvedAddons {
    jupyterhub?: ResolvedJupyterHub;
  }
}
