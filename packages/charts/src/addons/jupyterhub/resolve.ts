import { JUPYTERHUB_OIDC_DEFAULTS, TLS_PROXY_SERVICE_TYPE } from '@emr-eks-gitops/core';
import { schemaDefault, type With } from '../../config/resolve.js';
import { JupyterHubSchema, type JupyterHubConfig } from './schema.js';

/** The section's defaults, read from its schema. */
export const JUPYTERHUB_ADDON_DEFAULTS = {
  hubDbSize: schemaDefault(JupyterHubSchema.properties.hubDbSize),
  tlsScheme: schemaDefault(JupyterHubSchema.properties.tls.properties.scheme),
};

/** The proxy Service's type when neither the file nor a TLS load balancer decides it: reached by kubectl port-forward. */
export const JUPYTERHUB_DEFAULT_PROXY_SERVICE_TYPE = 'ClusterIP';

/** The name of JupyterHub's own gp3 StorageClass when storageClass.name is left out. */
export const JUPYTERHUB_DEFAULT_STORAGE_CLASS = 'jupyterhub-gp3';

type JupyterHubAuth = JupyterHubConfig['auth'];
type JupyterHubTls = NonNullable<JupyterHubConfig['tls']>;
type JupyterHubStorageClass = NonNullable<JupyterHubConfig['storageClass']>;

/**
 * How users log in, told apart by `type`. An OIDC login's scopes and claims are the file's, else the standard ones
 * (core's JUPYTERHUB_OIDC_DEFAULTS, what GenericOAuthenticator is configured with).
 */
export type ResolvedJupyterHubAuth =
  | With<JupyterHubAuth, { type: 'dummy' | 'github' }>
  | With<JupyterHubAuth, { type: 'oidc'; scopes: readonly string[]; usernameClaim: string; groupsClaim: string }>;

export type ResolvedJupyterHub = With<
  JupyterHubConfig,
  {
    auth: ResolvedJupyterHubAuth;
    hubDbSize: NonNullable<JupyterHubConfig['hubDbSize']>;
    /** The file's, else what the TLS load balancer needs (TLS_PROXY_SERVICE_TYPE), else ClusterIP. */
    proxyServiceType: NonNullable<JupyterHubConfig['proxyServiceType']>;
    tls?: With<JupyterHubTls, { scheme: NonNullable<JupyterHubTls['scheme']> }>;
    /** JupyterHub's own StorageClass: its name always known (JUPYTERHUB_DEFAULT_STORAGE_CLASS unless the file names one). */
    storageClass: With<JupyterHubStorageClass, { name: string }>;
  }
>;

function resolveAuth(auth: JupyterHubAuth): ResolvedJupyterHubAuth {
  if (auth.type !== 'oidc') return { ...auth, type: auth.type };
  return {
    ...auth,
    type: auth.type,
    scopes: auth.scopes ?? JUPYTERHUB_OIDC_DEFAULTS.scopes,
    usernameClaim: auth.usernameClaim ?? JUPYTERHUB_OIDC_DEFAULTS.usernameClaim,
    groupsClaim: auth.groupsClaim ?? JUPYTERHUB_OIDC_DEFAULTS.groupsClaim,
  };
}

export function resolveJupyterHub({ auth, tls, storageClass, ...rest }: JupyterHubConfig): ResolvedJupyterHub {
  const D = JUPYTERHUB_ADDON_DEFAULTS;
  return {
    ...rest,
    auth: resolveAuth(auth),
    hubDbSize: rest.hubDbSize ?? D.hubDbSize,
    proxyServiceType:
      rest.proxyServiceType ?? (tls ? TLS_PROXY_SERVICE_TYPE[tls.loadBalancer] : JUPYTERHUB_DEFAULT_PROXY_SERVICE_TYPE),
    ...(tls ? { tls: { ...tls, scheme: tls.scheme ?? D.tlsScheme } } : {}),
    storageClass: { ...storageClass, name: storageClass?.name ?? JUPYTERHUB_DEFAULT_STORAGE_CLASS },
  };
}

declare module '../../config/resolve.js' {
  /** addons.jupyterhub with its defaults applied. */
  interface ResolvedAddons {
    jupyterhub?: ResolvedJupyterHub;
  }
}
