import { requireThat } from '../primitives/errors.js';

/** An OAuth client's secret: a key of an existing Secret in the hub's namespace (read as OAUTH_CLIENT_SECRET). */
export interface JupyterHubClientSecretRef {
  readonly secretName: string;
  readonly key: string;
}

export type JupyterHubAuth =
  | { readonly type: 'dummy' }
  | {
      readonly type: 'github';
      readonly clientId: string;
      readonly callbackUrl: string;
      /** An existing Secret in the hub's namespace and the key holding the OAuth client secret. */
      readonly clientSecret: JupyterHubClientSecretRef;
      readonly allowedOrganizations: readonly string[];
      readonly adminUsers?: readonly string[];
    }
  | JupyterHubOidcAuth;

/**
 * Any OpenID Connect provider through OAuthenticator's GenericOAuthenticator (authorization-code flow). The endpoints
 * are the provider's discovery document's (`<issuer>/.well-known/openid-configuration`), written out: rendering is
 * offline. Users log in when the userinfo answer's `groupsClaim` holds one of `allowedGroups` (or `adminGroups`).
 */
export interface JupyterHubOidcAuth {
  readonly type: 'oidc';
  readonly clientId: string;
  readonly callbackUrl: string;
  readonly clientSecret: JupyterHubClientSecretRef;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly userdataUrl: string;
  readonly allowedGroups: readonly string[];
  /** @default ['openid', 'profile', 'email'] */
  readonly scopes?: readonly string[];
  /** @default 'preferred_username' */
  readonly usernameClaim?: string;
  /** Dotted for a nested claim (`realm_access.roles`). @default 'groups' */
  readonly groupsClaim?: string;
  readonly adminGroups?: readonly string[];
  /** Shown on the login button. @default OAuthenticator's "OAuth 2.0" */
  readonly loginService?: string;
  readonly adminUsers?: readonly string[];
}

/** Defaults of the OIDC authenticator: the standard scopes and claims. */
export const JUPYTERHUB_OIDC_DEFAULTS = {
  scopes: ['openid', 'profile', 'email'],
  usernameClaim: 'preferred_username',
  groupsClaim: 'groups',
} as const;

const HTTPS_URL = /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;

/** `hub.config` of one authenticator: its class and settings; never a secret (OAuthenticator reads OAUTH_CLIENT_SECRET). */
export function authenticatorConfig(auth: JupyterHubAuth): Record<string, unknown> {
  if (auth.type === 'dummy')
    return { JupyterHub: { authenticator_class: 'dummy' }, Authenticator: { allow_all: true } };
  const admins = auth.adminUsers?.length ? { Authenticator: { admin_users: [...auth.adminUsers] } } : {};
  if (auth.type === 'github') {
    return {
      JupyterHub: { authenticator_class: 'github' },
      GitHubOAuthenticator: {
        client_id: auth.clientId,
        oauth_callback_url: auth.callbackUrl,
        allowed_organizations: [...auth.allowedOrganizations],
        scope: ['read:org'],
      },
      ...admins,
    };
  }
  for (const key of ['authorizeUrl', 'tokenUrl', 'userdataUrl', 'callbackUrl'] as const) {
    requireThat(
      HTTPS_URL.test(auth[key]),
      `auth.${key}`,
      `"${auth[key]}" must be an https:// URL`,
      'JupyterHub values',
    );
  }
  requireThat(
    auth.allowedGroups.length > 0,
    'auth.allowedGroups',
    'must name at least one group: without it nobody may log in',
    'JupyterHub values',
  );
  return {
    JupyterHub: { authenticator_class: 'generic-oauth' },
    GenericOAuthenticator: {
      client_id: auth.clientId,
      oauth_callback_url: auth.callbackUrl,
      authorize_url: auth.authorizeUrl,
      token_url: auth.tokenUrl,
      userdata_url: auth.userdataUrl,
      scope: [...(auth.scopes ?? JUPYTERHUB_OIDC_DEFAULTS.scopes)],
      username_claim: auth.usernameClaim ?? JUPYTERHUB_OIDC_DEFAULTS.usernameClaim,
      // OAuthenticator 17 (chart 4.x) refuses allowed_groups / admin_groups at hub start unless manage_groups is set,
      // and reads groups from the auth state: the userinfo answer is its oauth_user entry (a dotted path reaches nested).
      manage_groups: true,
      auth_state_groups_key: `oauth_user.${auth.groupsClaim ?? JUPYTERHUB_OIDC_DEFAULTS.groupsClaim}`,
      allowed_groups: [...auth.allowedGroups],
      ...(auth.adminGroups?.length ? { admin_groups: [...auth.adminGroups] } : {}),
      ...(auth.loginService ? { login_service: auth.loginService } : {}),
    },
    ...admins,
  };
}
