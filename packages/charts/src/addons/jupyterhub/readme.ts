import { CLIENT_MODE_DRIVER_LABEL, EMR_IMAGE_USER, JUPYTERHUB_CHART, JUPYTERHUB_OIDC_DEFAULTS, SPARK_HISTORY_UI_PORT } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../../config/resolve.js';
import type { ResolvedJupyterHub } from './resolve.js';
import { rolePolicyArtifactPath } from '../../charts/role-policies.js';
import { HISTORY_SERVER_NAMESPACE } from '../../charts/history-server-names.js';
import { notebookAccountOf, servesNotebooks } from '../../charts/notebook-tenants.js';
import { JUPYTERHUB_FOLDER, callbackHost } from './chart.js';
import type { AddonReadme } from '../module.js';

/** The README's add-on row of the hub, and what its JupyterHub paragraphs read. */
export function jupyterHubAddonReadme(config: ResolvedEnvironment, hub: ResolvedJupyterHub): AddonReadme {
  return {
    rows: [{
      name: 'JupyterHub',
      chart: `\`${JUPYTERHUB_CHART.name}\` ${JUPYTERHUB_CHART.version} from ${JUPYTERHUB_CHART.url}`,
      namespace: JUPYTERHUB_CHART.namespace,
      folder: JUPYTERHUB_FOLDER,
      reach: jupyterHubReach(hub),
    }],
    details: jupyterHubReadme(config, hub),
  };
}

/** What the environment README says of the notebooks: login, image, and per served tenant the account and its IAM needs. */
function jupyterHubReadme(config: ResolvedEnvironment, hub: ResolvedJupyterHub) {
  const auth = hub.auth;
  const list = (values: readonly string[] | undefined) => (values ?? []).map((value) => `\`${value}\``).join(', ');
  const login = auth.type === 'dummy'
    ? 'the dummy authenticator (any name, no password: development only)'
    : auth.type === 'github'
      ? `GitHub OAuth (members of ${list(auth.allowedOrganizations)}; client secret from the Secret \`${auth.clientSecret?.secretName}\`)`
      : `OpenID Connect${auth.loginService ? ` (${auth.loginService})` : ''} through GenericOAuthenticator: users whose userinfo claim \`${auth.groupsClaim ?? JUPYTERHUB_OIDC_DEFAULTS.groupsClaim}\` holds ${list(auth.allowedGroups)}${auth.adminGroups ? ` (admins: ${list(auth.adminGroups)})` : ''}, named by \`${auth.usernameClaim ?? JUPYTERHUB_OIDC_DEFAULTS.usernameClaim}\`; client secret from the Secret \`${auth.clientSecret?.secretName}\``;
  const rows = config.tenants.flatMap((tenant) => {
    const account = notebookAccountOf(tenant);
    if (!servesNotebooks(config, tenant) || !account) return [];
    // The executor pod templates, event logs, fallback storage and custom code: the role's document (role-policies.ts).
    const needs = `${account.roleArn ? `[\`${rolePolicyArtifactPath(account.roleArn)}\`](${rolePolicyArtifactPath(account.roleArn)}), ` : ''}and the data its notebooks read and write`;
    return [{ tenant: tenant.name, namespace: tenant.namespace, account: account.name, roleArn: account.roleArn ?? 'none', needs }];
  });
  return { auth: login, image: `${hub.image.name}:${hub.image.tag}`, uid: EMR_IMAGE_USER.uid, gid: EMR_IMAGE_USER.gid, home: EMR_IMAGE_USER.home, rows, tls: tlsReadme(config, hub), driverNote: driverNote(config, rows.length > 0) };
}

/** What the notebook servers, being Spark drivers Spark did not create, get from Prometheus and the History Server. */
function driverNote(config: ResolvedEnvironment, served: boolean): string | undefined {
  const scraped = config.addons?.prometheus !== undefined;
  const history = config.addons?.historyServer !== undefined && config.spark.logs.s3Uri !== undefined;
  if (!served || (!scraped && !history)) return undefined;
  return [
    'Each notebook server is the Spark driver of its sessions, which Spark does not label: its profile labels it',
    `\`${CLIENT_MODE_DRIVER_LABEL.key}: "${CLIENT_MODE_DRIVER_LABEL.value}"\`${scraped ? ', and Prometheus scrapes its Spark UI port (4040) like a job\'s driver while a session runs' : ''}`
      + `${history ? `${scraped ? '; it' : '. It'} may call its own tenant's History Server (\`http://spark-history-<tenant>.${HISTORY_SERVER_NAMESPACE}.svc:${SPARK_HISTORY_UI_PORT}\`, the REST API under \`/api/v1/\`) and no other` : ''}.`,
  ].join('\n');
}

/** How users reach the hub, for the README's add-on table. */
function jupyterHubReach(hub: ResolvedJupyterHub): string {
  const host = callbackHost(hub);
  if (hub.tls) return `https://${host ?? '<the load balancer\'s DNS name>'}/ (${hub.tls.loadBalancer === 'nlb' ? 'Service `proxy-public`, a Network Load Balancer' : 'Ingress `jupyterhub`, an Application Load Balancer'}, TLS with the ACM certificate; see below)`;
  if (hub.proxyServiceType === 'ClusterIP') {
    return `\`kubectl -n ${JUPYTERHUB_CHART.namespace} port-forward svc/proxy-public 8080:80\`, then http://localhost:8080`;
  }
  return `Service \`proxy-public\` (${hub.proxyServiceType}, plain HTTP on port 80): \`kubectl -n ${JUPYTERHUB_CHART.namespace} get svc proxy-public\``;
}

/** What must exist outside Git for TLS: the certificate, the controller, the DNS record. */
function tlsReadme(config: ResolvedEnvironment, hub: ResolvedJupyterHub) {
  const tls = hub.tls;
  if (!tls) return undefined;
  const host = callbackHost(hub) ?? '<host>';
  const nlb = tls.loadBalancer === 'nlb';
  return {
    host,
    certificateArn: tls.certificateArn,
    scheme: tls.scheme,
    // The controller's subnet discovery: internal load balancers in subnets tagged internal-elb, public ones in elb.
    subnetTag: tls.scheme === 'internal' ? 'kubernetes.io/role/internal-elb=1' : 'kubernetes.io/role/elb=1',
    account: config.cluster.accountId,
    region: config.cluster.region,
    loadBalancer: nlb
      ? 'a Network Load Balancer for the Service `proxy-public` (TLS listener on 443 with the certificate, forwarded to the proxy\'s HTTP port; no port 80)'
      : 'an Application Load Balancer for the Ingress `jupyterhub` of class `alb` (HTTPS on 443 with the certificate, HTTP on 80 redirected to it; health check `/hub/health`)',
    lookup: nlb
      ? `kubectl -n ${JUPYTERHUB_CHART.namespace} get svc proxy-public -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`
      : `kubectl -n ${JUPYTERHUB_CHART.namespace} get ingress jupyterhub -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
    nlb,
  };
}

