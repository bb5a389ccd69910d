import { TLS_PROXY_SERVICE_TYPE } from '@emr-eks-gitops/core';
import type { EnvironmentFile } from '../../config/schema.js';
import type { JupyterHubConfig } from './schema.js';
import type { ConfigRules, Locate, Problem } from '../../config/problems.js';
import { isObject } from '../module.js';
import { SECTION_DEFAULTS } from '../../config/resolve.js';
import { JUPYTERHUB_DEFAULT_PROXY_SERVICE_TYPE } from './resolve.js';

/** What each JupyterHub authenticator needs, and may have (anything else applies to another type). */
const JUPYTERHUB_AUTH_KEYS = {
  dummy: { needs: [], may: [] },
  github: { needs: ['clientId', 'callbackUrl', 'clientSecret', 'allowedOrganizations'], may: [] },
  oidc: {
    needs: ['clientId', 'callbackUrl', 'clientSecret', 'authorizeUrl', 'tokenUrl', 'userdataUrl', 'allowedGroups'],
    may: ['scopes', 'usernameClaim', 'groupsClaim', 'adminGroups', 'loginService'],
  },
} as const satisfies Record<JupyterHubConfig['auth']['type'], { needs: readonly string[]; may: readonly string[] }>;

/** JupyterHub: no dummy login in production, each authenticator has its settings and only its own, TLS where the callback is https. */
export function jupyterHubProblems(file: Partial<EnvironmentFile> | null, at: Locate): Problem[] {
  const hub =
    isObject(file?.addons) && isObject(file.addons.jupyterhub)
      ? (file.addons.jupyterhub as Partial<JupyterHubConfig>)
      : undefined;
  if (!hub) return [];
  const problems: Problem[] = [];
  const auth = isObject(hub.auth) ? (hub.auth as Partial<Record<string, unknown>>) : undefined;
  if (auth?.type === 'dummy' && file?.production === true) {
    problems.push(
      at(
        'jupyterhub-auth',
        ['addons', 'jupyterhub', 'auth', 'type'],
        'dummy authentication lets anyone in under any name and is refused in a production environment (production: true); use github or oidc with a clientSecret from an existing Secret',
      ),
    );
  }
  const type =
    typeof auth?.type === 'string' && Object.hasOwn(JUPYTERHUB_AUTH_KEYS, auth.type)
      ? (auth.type as keyof typeof JUPYTERHUB_AUTH_KEYS)
      : undefined;
  if (auth && type) {
    const own: readonly string[] = [...JUPYTERHUB_AUTH_KEYS[type].needs, ...JUPYTERHUB_AUTH_KEYS[type].may];
    for (const key of JUPYTERHUB_AUTH_KEYS[type].needs) {
      if (auth[key] === undefined)
        problems.push(at('jupyterhub-auth', ['addons', 'jupyterhub', 'auth'], `${type} needs ${key}`));
    }
    for (const key of Object.keys(auth).filter(
      (name) => name !== 'type' && name !== 'adminUsers' && !own.includes(name),
    )) {
      const owners = Object.entries(JUPYTERHUB_AUTH_KEYS)
        .filter(([, keys]) => [...keys.needs, ...keys.may].includes(key as never))
        .map(([name]) => name);
      if (owners.length > 0)
        problems.push(
          at('jupyterhub-auth', ['addons', 'jupyterhub', 'auth', key], `applies only to type ${owners.join(' and ')}`),
        );
    }
  }
  problems.push(...jupyterHubTlsProblems(file, hub, at));
  return problems;
}

/**
 * An https:// OAuth callback needs something that serves HTTPS: the chart's proxy-public serves port 443 only with
 * proxy.https (off by default), and an un-annotated LoadBalancer on EKS forwards plain TCP 80, so the provider's
 * redirect to the callback fails and nobody logs in. TLS here is the AWS Load Balancer Controller's, which reads the
 * load balancer's settings from proxy-public (nlb) or the Ingress (alb), with an ACM certificate of the cluster's account
 * and region (a load balancer uses certificates of its own region only).
 */
export function jupyterHubTlsProblems(
  file: Partial<EnvironmentFile> | null,
  hub: Partial<JupyterHubConfig>,
  at: Locate,
): Problem[] {
  const path = ['addons', 'jupyterhub'];
  const callback = typeof hub.auth?.callbackUrl === 'string' ? hub.auth.callbackUrl : undefined;
  const tls = typeof hub.tls === 'object' && hub.tls !== null ? hub.tls : undefined;
  if (!tls) {
    if (!callback?.startsWith('https://')) return [];
    const host = /^https:\/\/([^/]+)/.exec(callback)?.[1] ?? callback;
    return [
      at(
        'jupyterhub-tls',
        [...path, 'auth', 'callbackUrl'],
        `the provider sends users back to ${callback}, and nothing serves HTTPS for ${host}: the chart's proxy-public serves plain HTTP on port 80 (${hub.proxyServiceType === 'LoadBalancer' ? 'an un-annotated LoadBalancer on EKS forwards TCP 80 only' : `a ${hub.proxyServiceType ?? JUPYTERHUB_DEFAULT_PROXY_SERVICE_TYPE} Service`}), so every login fails; add addons.jupyterhub.tls with the load balancer (nlb or alb, through the AWS Load Balancer Controller) and the ACM certificate of ${host}`,
      ),
    ];
  }
  const problems: Problem[] = [];
  if (file?.capacity?.backend === 'auto-mode') {
    problems.push(
      at(
        'jupyterhub-tls',
        [...path, 'tls'],
        "is rendered for the AWS Load Balancer Controller (its service annotations or IngressClass alb); EKS Auto Mode's load balancing reads other settings (loadBalancerClass eks.amazonaws.com/nlb, IngressClassParams) that this project does not render: leave tls out and terminate TLS in front of proxy-public yourself",
      ),
    );
  }
  const wanted =
    tls.loadBalancer === 'nlb' || tls.loadBalancer === 'alb' ? TLS_PROXY_SERVICE_TYPE[tls.loadBalancer] : undefined;
  if (wanted && hub.proxyServiceType !== undefined && hub.proxyServiceType !== wanted) {
    problems.push(
      at(
        'jupyterhub-tls',
        [...path, 'proxyServiceType'],
        tls.loadBalancer === 'nlb'
          ? `is ${hub.proxyServiceType}, and tls.loadBalancer nlb makes proxy-public the Network Load Balancer itself (type LoadBalancer); write LoadBalancer or leave it out`
          : `is ${hub.proxyServiceType}, and with tls.loadBalancer alb the Ingress is the only way in: a ${hub.proxyServiceType} proxy-public would also serve the hub in plain HTTP on port 80; write ClusterIP or leave it out`,
      ),
    );
  }
  const arn =
    typeof tls.certificateArn === 'string' ? /^arn:([^:]+):acm:([^:]+):([0-9]{12}):/.exec(tls.certificateArn) : null;
  const cluster = file?.cluster;
  if (arn && cluster) {
    const [, partition, region, account] = arn;
    const clusterPartition = cluster.partition ?? SECTION_DEFAULTS.partition;
    const where = [
      partition !== clusterPartition ? `partition ${partition}, not the cluster's ${clusterPartition}` : undefined,
      region !== cluster.region ? `region ${region}, not the cluster's ${cluster.region}` : undefined,
      account !== cluster.accountId ? `account ${account}, not the cluster's ${cluster.accountId}` : undefined,
    ].filter((entry): entry is string => entry !== undefined);
    if (where.length > 0) {
      problems.push(
        at(
          'jupyterhub-tls-certificate',
          [...path, 'tls', 'certificateArn'],
          `is a certificate of ${where.join(' and ')}: a load balancer can use only ACM certificates of its own account and region, so the controller cannot create the TLS listener; request (or import) the certificate in ${cluster.accountId} ${cluster.region}`,
        ),
      );
    }
  }
  return problems;
}

/** The add-on's config rules, run by semanticProblems (its need of a delivery engine is the list's: addons/index.ts). */
export const JUPYTERHUB_RULES: ConfigRules = {
  topic: 'JupyterHub',
  rules: ['jupyterhub-auth', 'jupyterhub-tls', 'jupyterhub-tls-certificate'],
  check: ({ file }, at) => jupyterHubProblems(file, at),
};
