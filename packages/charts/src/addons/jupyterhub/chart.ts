import type { App } from 'cdk8s';
import {
  CLIENT_MODE_DRIVER_LABEL,
  configDiagnostic,
  doNotDisruptAnnotations,
  EMR_IMAGE_USER,
  JUPYTERHUB_GENERATED_FIELDS,
  helmRelease,
  parseQuantity,
  Gp3StorageClass,
  JUPYTERHUB_CHART,
  JupyterHubNamespace,
  JupyterHubNotebookNetworkPolicies,
  JupyterHubSpawnerRbac,
  PROMETHEUS_CHART,
  SPARK_HISTORY_UI_PORT,
  jupyterHubValues,
  jupyterHubValuesProblems,
  sparkHistoryServerSelector,
  type HelmDelivery,
  type JupyterHubAuth,
  type JupyterHubTenantProfile,
  type PodPlacement,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../../config/resolve.js';
import type { ResolvedJupyterHub } from './resolve.js';
import { addonPlacement, ebsProvisioner } from '../../charts/auto-mode-capacity.js';
import { ManifestChart } from '../../charts/manifest-chart.js';
import { collectIssues, type RenderIssue } from '../../config/render-error.js';
import { HISTORY_SERVER_NAMESPACE, historyServerName } from '../../charts/history-server-names.js';
import { notebookAccountOf, servesNotebooks } from '../../charts/notebook-tenants.js';
import { rolePolicyArtifactPath } from '../../charts/role-policies.js';
import type { AddonBuildContext, AddonTenant } from '../module.js';
import type { AddonSummary } from '../../charts/summaries.js';

/** The README templates of this folder (paths below `src/`, without `.md.hbs`), which its summary's notes name. */
export const JUPYTERHUB_README_TEMPLATES = { notes: 'addons/jupyterhub/jupyterhub' } as const;

/** Output folder of the add-on, below the addons layer. */
export const JUPYTERHUB_FOLDER = 'addons/jupyterhub';

/** The tenants JupyterHub serves: not retired, with a `sparkDriver` ServiceAccount (the first one is the notebook's). */
export function jupyterHubProfiles(
  tenants: readonly AddonTenant[],
  driverPlacement: PodPlacement,
): JupyterHubTenantProfile[] {
  return tenants.flatMap(({ tenant, sparkProperties, costLabels }) => {
    const account = notebookAccountOf(tenant);
    if (tenant.retired || !account || !sparkProperties) return [];
    return [
      {
        tenant: tenant.name,
        namespace: tenant.namespace,
        serviceAccount: account.name,
        description: tenant.description,
        sparkProperties,
        nodeSelector: driverPlacement.nodeSelector,
        tolerations: driverPlacement.tolerations,
        // A server is a live session and its Spark driver: expiry and drift wait for it, as for a job's driver.
        annotations: doNotDisruptAnnotations(driverPlacement),
        ...(costLabels ? { labels: costLabels } : {}),
      },
    ];
  });
}

function authOf(config: ResolvedJupyterHub['auth']): JupyterHubAuth {
  if (config.type === 'dummy') return { type: 'dummy' };
  // The semantic rules refuse an OAuth authenticator without these before rendering starts.
  const client = {
    clientId: config.clientId!,
    callbackUrl: config.callbackUrl!,
    clientSecret: config.clientSecret!,
    adminUsers: config.adminUsers,
  };
  if (config.type === 'github')
    return { type: 'github', ...client, allowedOrganizations: config.allowedOrganizations! };
  return {
    type: 'oidc',
    ...client,
    authorizeUrl: config.authorizeUrl!,
    tokenUrl: config.tokenUrl!,
    userdataUrl: config.userdataUrl!,
    allowedGroups: config.allowedGroups!,
    scopes: config.scopes,
    usernameClaim: config.usernameClaim,
    groupsClaim: config.groupsClaim,
    adminGroups: config.adminGroups,
    loginService: config.loginService,
  };
}

/**
 * JupyterHub (`addons/jupyterhub/`): the namespace with Pod Security labels, the add-on's own encrypted gp3
 * StorageClass, and the Helm release (Flux HelmRepository + HelmRelease, or an Argo CD Application with a Helm
 * source) whose values were checked against the chart's values schema.
 */
export class JupyterHubChart extends ManifestChart {
  readonly values: Record<string, unknown>;
  override readonly addonSummary: AddonSummary;

  constructor(
    scope: App,
    config: ResolvedEnvironment,
    hub: ResolvedJupyterHub,
    profiles: readonly JupyterHubTenantProfile[],
    delivery: HelmDelivery,
  ) {
    super(scope, 'addon-jupyterhub', {
      folder: JUPYTERHUB_FOLDER,
      environment: config.name,
      configPath: ['addons', 'jupyterhub'],
    });
    new JupyterHubNamespace(this, 'Namespace', { podSecurityVersion: `v${config.cluster.kubernetesVersion}` });
    const storageClass = new Gp3StorageClass(this, 'StorageClass', {
      name: hub.storageClass.name,
      kmsKeyId: hub.storageClass.kmsKeyId,
      provisioner: ebsProvisioner(config),
    });
    const placement = addonPlacement(config);
    this.values = jupyterHubValues({
      auth: authOf(hub.auth),
      proxyServiceType: hub.proxyServiceType,
      storageClassName: storageClass.name,
      hubDbSize: String(hub.hubDbSize),
      userStorageSize: String(hub.userStorageSize),
      image: hub.image,
      resources: hub.resources,
      hubResources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      cullTimeoutSeconds: hub.cullTimeoutSeconds,
      profiles,
      // Never on a Karpenter node (on the controller's managed node groups), or on Auto Mode on the add-on pool.
      managedNodeGroups: placement.managedNodeGroups,
      corePlacement: placement.nodePlacement,
      tls: hub.tls ? { ...hub.tls, host: callbackHost(hub) } : undefined,
    });
    helmRelease(
      this,
      'Release',
      {
        chart: JUPYTERHUB_CHART,
        namespace: JUPYTERHUB_CHART.namespace,
        values: this.values,
        argoIgnoreDifferences: JUPYTERHUB_GENERATED_FIELDS,
      },
      delivery,
    );
    // The profiles put notebook servers on the driver nodes for tenants with a sparkDriver account.
    const onDriverNodes = config.tenants.some(
      (tenant) => !tenant.retired && tenant.serviceAccounts?.some((account) => account.sparkDriver === true),
    );
    this.addonSummary = {
      name: 'jupyterhub',
      rows: [
        {
          name: 'JupyterHub',
          chart: `\`${JUPYTERHUB_CHART.name}\` ${JUPYTERHUB_CHART.version} from ${JUPYTERHUB_CHART.url}`,
          namespace: JUPYTERHUB_CHART.namespace,
          folder: JUPYTERHUB_FOLDER,
          reach: jupyterHubReach(hub),
        },
      ],
      notes: [
        {
          section: 'addons',
          template: JUPYTERHUB_README_TEMPLATES.notes,
          order: 1,
          data: { jupyterHub: jupyterHubReadme(config, hub), hasJupyterHub: true },
        },
      ],
      notebooks: onDriverNodes ? { cullMinutes: Math.round(hub.cullTimeoutSeconds / 60) } : undefined,
    };
  }
}

/**
 * What the hub's notebook servers need in one tenant namespace (`addons/jupyterhub/tenant-<tenant>/`): the hub's right
 * to spawn them there, and their NetworkPolicies (the proxy and the hub in, the hub's API out).
 */
export class JupyterHubTenantChart extends ManifestChart {
  constructor(scope: App, config: ResolvedEnvironment, profile: JupyterHubTenantProfile) {
    super(scope, `addon-jupyterhub-tenant-${profile.tenant}`, {
      folder: `${JUPYTERHUB_FOLDER}/tenant-${profile.tenant}`,
      environment: config.name,
      configPath: ['addons', 'jupyterhub'],
    });
    new JupyterHubSpawnerRbac(this, 'Spawner', { namespace: profile.namespace });
    const history = config.addons?.historyServer && config.spark.logs.s3Uri;
    new JupyterHubNotebookNetworkPolicies(this, 'Network', {
      namespace: profile.namespace,
      // Prometheus (mode server or operator) scrapes from the monitoring namespace.
      monitoringNamespace: config.addons?.prometheus ? PROMETHEUS_CHART.namespace : undefined,
      historyServer: history
        ? {
            namespace: HISTORY_SERVER_NAMESPACE,
            podLabels: sparkHistoryServerSelector(historyServerName(profile.tenant)),
            port: SPARK_HISTORY_UI_PORT,
          }
        : undefined,
    });
  }
}

/** The host users reach the hub at: the OAuth callback's. */
export function callbackHost(hub: ResolvedJupyterHub): string | undefined {
  return hub.auth.callbackUrl ? /^https:\/\/([^/:]+)/.exec(hub.auth.callbackUrl)?.[1] : undefined;
}

/** What the environment README says of the notebooks: login, image, and per served tenant the account and its IAM needs. */
function jupyterHubReadme(config: ResolvedEnvironment, hub: ResolvedJupyterHub) {
  const auth = hub.auth;
  const list = (values: readonly string[] | undefined) => (values ?? []).map((value) => `\`${value}\``).join(', ');
  const login =
    auth.type === 'dummy'
      ? 'the dummy authenticator (any name, no password: development only)'
      : auth.type === 'github'
        ? `GitHub OAuth (members of ${list(auth.allowedOrganizations)}; client secret from the Secret \`${auth.clientSecret?.secretName}\`)`
        : `OpenID Connect${auth.loginService ? ` (${auth.loginService})` : ''} through GenericOAuthenticator: users whose userinfo claim \`${auth.groupsClaim}\` holds ${list(auth.allowedGroups)}${auth.adminGroups ? ` (admins: ${list(auth.adminGroups)})` : ''}, named by \`${auth.usernameClaim}\`; client secret from the Secret \`${auth.clientSecret?.secretName}\``;
  const rows = config.tenants.flatMap((tenant) => {
    const account = notebookAccountOf(tenant);
    if (!servesNotebooks(config, tenant) || !account) return [];
    // The executor pod templates, event logs, fallback storage and custom code: the role's document (role-policies.ts).
    const needs = `${account.roleArn ? `[\`${rolePolicyArtifactPath(account.roleArn)}\`](${rolePolicyArtifactPath(account.roleArn)}), ` : ''}and the data its notebooks read and write`;
    return [
      {
        tenant: tenant.name,
        namespace: tenant.namespace,
        account: account.name,
        roleArn: account.roleArn ?? 'none',
        needs,
      },
    ];
  });
  return {
    auth: login,
    image: `${hub.image.name}:${hub.image.tag}`,
    uid: EMR_IMAGE_USER.uid,
    gid: EMR_IMAGE_USER.gid,
    home: EMR_IMAGE_USER.home,
    rows,
    tls: tlsReadme(config, hub),
    driverNote: driverNote(config, rows.length > 0),
  };
}

/** What the notebook servers, being Spark drivers Spark did not create, get from Prometheus and the History Server. */
function driverNote(config: ResolvedEnvironment, served: boolean): string | undefined {
  const scraped = config.addons?.prometheus !== undefined;
  const history = config.addons?.historyServer !== undefined && config.spark.logs.s3Uri !== undefined;
  if (!served || (!scraped && !history)) return undefined;
  return [
    'Each notebook server is the Spark driver of its sessions, which Spark does not label: its profile labels it',
    `\`${CLIENT_MODE_DRIVER_LABEL.key}: "${CLIENT_MODE_DRIVER_LABEL.value}"\`${scraped ? ", and Prometheus scrapes its Spark UI port (4040) like a job's driver while a session runs" : ''}` +
      `${history ? `${scraped ? '; it' : '. It'} may call its own tenant's History Server (\`http://spark-history-<tenant>.${HISTORY_SERVER_NAMESPACE}.svc:${SPARK_HISTORY_UI_PORT}\`, the REST API under \`/api/v1/\`) and no other` : ''}.`,
  ].join('\n');
}

/** How users reach the hub, for the README's add-on table. */
function jupyterHubReach(hub: ResolvedJupyterHub): string {
  const host = callbackHost(hub);
  if (hub.tls)
    return `https://${host ?? "<the load balancer's DNS name>"}/ (${hub.tls.loadBalancer === 'nlb' ? 'Service `proxy-public`, a Network Load Balancer' : 'Ingress `jupyterhub`, an Application Load Balancer'}, TLS with the ACM certificate; see below)`;
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
      ? "a Network Load Balancer for the Service `proxy-public` (TLS listener on 443 with the certificate, forwarded to the proxy's HTTP port; no port 80)"
      : 'an Application Load Balancer for the Ingress `jupyterhub` of class `alb` (HTTPS on 443 with the certificate, HTTP on 80 redirected to it; health check `/hub/health`)',
    lookup: nlb
      ? `kubectl -n ${JUPYTERHUB_CHART.namespace} get svc proxy-public -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`
      : `kubectl -n ${JUPYTERHUB_CHART.namespace} get ingress jupyterhub -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`,
    nlb,
  };
}

/** KubeSpawner sizes (`8G`) are binary multiples: the same amount as a Kubernetes `8Gi`. */
const kubeSpawnerBytes = (size: string) => parseQuantity(size.replace(/^([0-9]+)([KMGT])$/, '$1$2i'));

/** A notebook server is a container of the tenant namespace: its limits must pass the tenant's LimitRange max. */
function limitRangeIssues(
  hub: ResolvedJupyterHub,
  tenants: readonly AddonTenant[],
  profiles: readonly JupyterHubTenantProfile[],
): RenderIssue[] {
  const issues: RenderIssue[] = [];
  for (const profile of profiles) {
    const max = tenants.find(({ tenant }) => tenant.name === profile.tenant)?.tenant.containerDefaults.max;
    if (!max) continue;
    if (hub.resources.cpu.limit > parseQuantity(max.cpu)) {
      issues.push(
        configDiagnostic(
          'notebook-limits',
          ['addons', 'jupyterhub', 'resources', 'cpu', 'limit'],
          `the notebook server's CPU limit ${hub.resources.cpu.limit} is above the LimitRange max.cpu ${max.cpu} of tenant ${profile.tenant}, which refuses the pod`,
        ),
      );
    }
    if (kubeSpawnerBytes(hub.resources.memory.limit) > parseQuantity(max.memory)) {
      issues.push(
        configDiagnostic(
          'notebook-limits',
          ['addons', 'jupyterhub', 'resources', 'memory', 'limit'],
          `the notebook server's memory limit ${hub.resources.memory.limit} is above the LimitRange max.memory ${max.memory} of tenant ${profile.tenant}, which refuses the pod`,
        ),
      );
    }
  }
  return issues;
}

/** Jupyter Docker Stacks and JupyterHub sample images: no Spark executor entrypoint, no S3 filesystem, user jovyan. */
const DOCKER_STACKS_IMAGE = /^((docker\.io|quay\.io)\/)?(jupyter|jupyterhub)\//;

/**
 * What a notebook's Spark session needs at run time and the configuration cannot give it: an image that can run its
 * executors and reach `s3://`, and AWS credentials for the notebook account (the executor pod template and the event
 * logs are on S3). Each is refused where it is written, `<what breaks>; <what works> [rule]`.
 */
function notebookRuntimeIssues(
  config: ResolvedEnvironment,
  hub: ResolvedJupyterHub,
  profiles: readonly JupyterHubTenantProfile[],
): RenderIssue[] {
  const issues: RenderIssue[] = [];
  if (profiles.length > 0 && DOCKER_STACKS_IMAGE.test(hub.image.name)) {
    issues.push(
      configDiagnostic(
        'notebook-image',
        ['addons', 'jupyterhub', 'image', 'name'],
        `${hub.image.name} cannot run a notebook's Spark session here: the session's executors run the same image, whose entrypoint (start.sh) cannot start a Spark executor, it has no S3 filesystem for the tenant's s3:// executor pod template and event logs, and it runs as jovyan while the executor pod templates run as uid 999; build the notebook image FROM the EMR on EKS Spark image of the tenants' release (images/notebook/Dockerfile)`,
      ),
    );
  }
  for (const profile of profiles) {
    const index = config.tenants.findIndex((tenant) => tenant.name === profile.tenant);
    const packages = profile.sparkProperties['spark.jars.packages'];
    const egress = config.tenants[index]?.network?.egress;
    // Maven Central (or any repository named by URL) is on the internet; restricted egress reaches only the VPC's
    // listed CIDRs. Unless they include the whole internet, the download at session start times out.
    if (
      packages &&
      egress?.mode === 'restricted' &&
      !(egress.cidrs ?? []).some((cidr) => cidr === '0.0.0.0/0' || cidr === '::/0')
    ) {
      issues.push(
        configDiagnostic(
          'notebook-package-download',
          ['tenants', index, 'spark', 'extraProperties', 'spark.jars.packages'],
          `the notebook sessions (and jobs) of tenant ${profile.tenant} download ${packages} from a Maven repository when they start, and the tenant's restricted egress reaches only its namespace, the API server and ${(egress.cidrs ?? []).join(', ') || 'no other CIDR'}: the download fails and the session does not start; put the jars in the notebook image (and the EMR image the jobs run), or drop spark.jars.packages`,
        ),
      );
    }
    const accounts = config.tenants[index]?.serviceAccounts ?? [];
    const accountIndex = accounts.findIndex((account) => account.name === profile.serviceAccount);
    if (accountIndex < 0 || accounts[accountIndex]!.roleArn !== undefined) continue;
    const onS3 = [
      ['the executor pod template', profile.sparkProperties['spark.kubernetes.executor.podTemplateFile']],
      ['the event logs under', profile.sparkProperties['spark.eventLog.dir']],
      [
        'the shuffle fallback storage under',
        profile.sparkProperties['spark.storage.decommission.fallbackStorage.path'],
      ],
    ]
      .filter((entry): entry is [string, string] => entry[1]?.startsWith('s3://') === true)
      .map(([what, uri]) => `${what} ${uri}`);
    issues.push(
      configDiagnostic(
        'notebook-account-role',
        ['tenants', index, 'serviceAccounts', accountIndex],
        `the notebook sessions of tenant ${profile.tenant} run as ${profile.serviceAccount} (driver and executors) and reach S3 with its IAM role: ${onS3.length > 0 ? onS3.join(', ') : "the tenant's data"}; without a roleArn EMRFS finds no credentials and the session fails to start; give the account a roleArn (IRSA) that may read the pod template and write the event logs`,
      ),
    );
  }
  return issues;
}

/**
 * A notebook server runs on the default (amd64) driver pool, but its session's executors run the notebook image on the
 * tenant's executor class: on an arm64 class that image must be built for linux/arm64 too, which no rule can see.
 */
function notebookArchWarnings(
  config: ResolvedEnvironment,
  hub: ResolvedJupyterHub,
  profiles: readonly JupyterHubTenantProfile[],
): RenderIssue[] {
  return profiles.flatMap((profile) => {
    const index = config.tenants.findIndex((tenant) => tenant.name === profile.tenant);
    const executorClass = config.tenants[index]?.spark.capacityClasses?.executor;
    if (config.capacity.classes?.find((entry) => entry.name === executorClass)?.arch !== 'arm64') return [];
    return [
      configDiagnostic(
        'notebook-image-arch',
        ['tenants', index, 'spark', 'capacityClasses', 'executor'],
        `the notebook sessions of tenant ${profile.tenant} run their executors on the arm64 capacity class ${executorClass} with the notebook image ${hub.image.name}:${hub.image.tag}: an image built for amd64 only fails there (exec format error) and the session gets no executors; build it for both platforms (docker buildx build --platform linux/amd64,linux/arm64, as images/notebook/Dockerfile shows)`,
      ),
    ];
  });
}

/**
 * The JupyterHub add-on's charts: the hub, and what its servers need in each tenant namespace it serves. Builder
 * refusals and values the chart's own schema refuses are pushed to `issues`, located at `addons.jupyterhub`.
 */
export function jupyterHubCharts(
  context: AddonBuildContext,
  hub: ResolvedJupyterHub,
  delivery: HelmDelivery,
): ManifestChart[] {
  const { app, config, tenants, issues } = context;
  const at = ['addons', 'jupyterhub'];
  const profiles = jupyterHubProfiles(tenants, context.driverPlacement);
  issues.push(...limitRangeIssues(hub, tenants, profiles), ...notebookRuntimeIssues(config, hub, profiles));
  const chart = collectIssues(issues, at, () => new JupyterHubChart(app, config, hub, profiles, delivery));
  if (!chart) return [];
  if (profiles.length === 0) {
    chart.warnings.push(
      configDiagnostic(
        'jupyterhub-no-tenant',
        at,
        'serves no tenant: no tenant has a serviceAccounts entry with sparkDriver: true, so the hub has no Spark profile and spawns servers in its own namespace',
      ),
    );
  }
  chart.warnings.push(...notebookArchWarnings(config, hub, profiles));
  issues.push(
    ...jupyterHubValuesProblems(chart.values).map((message) =>
      configDiagnostic('helm-values', at, `rendered Helm values: ${message}`),
    ),
  );
  const perTenant = profiles.map((profile) =>
    collectIssues(issues, at, () => new JupyterHubTenantChart(app, config, profile)),
  );
  return [chart, ...perTenant.filter((entry): entry is JupyterHubTenantChart => entry !== undefined)];
}
