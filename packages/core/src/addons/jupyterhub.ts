import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import { compiledValidators } from '../primitives/compiled-validators.js';
import { helmValuesValidatorSource } from './helm-values.js';
import type { HelmChartSource } from '../delivery/helm-chart.js';
import type { ArgoIgnoreDifference } from '../delivery/argo-cd.js';
import type { Toleration } from '../scheduling/placement.js';
import { addonNodePlacement, type AutoModeAddonPlacement } from '../karpenter/auto-mode.js';
import { offKarpenterNodeAffinity } from '../karpenter/controller-values.js';
import { assertDnsLabel, assertDnsSubdomain } from '../primitives/names.js';
import { TLS_PROXY_SERVICE_TYPE, jupyterHubTlsValues, type JupyterHubTls } from './jupyterhub-tls.js';
import { CLIENT_MODE_DRIVER_LABEL } from './prometheus-targets.js';
import { authenticatorConfig, type JupyterHubAuth } from './jupyterhub-auth.js';

/** Namespace of the hub and the proxy. Notebook servers run in the tenant namespaces. */
export const JUPYTERHUB_NAMESPACE = 'jupyterhub';
/** The hub's ServiceAccount (set explicitly in the values, so the tenant RoleBindings can name it). */
export const JUPYTERHUB_HUB_SERVICE_ACCOUNT = 'hub';
/** Name of the Role and RoleBinding that let the hub spawn notebook servers in a tenant namespace. */
export const JUPYTERHUB_SPAWNER_ROLE_NAME = 'jupyterhub-spawner';

/**
 * The zero-to-jupyterhub chart, pinned. Its values schema and default values are vendored under
 * `schemas/helm/jupyterhub/<version>/` (see schemas/SOURCES.md): change both together.
 */
export const JUPYTERHUB_CHART: HelmChartSource = {
  name: 'jupyterhub',
  url: 'https://hub.jupyter.org/helm-chart/',
  version: '4.4.0',
  namespace: JUPYTERHUB_NAMESPACE,
};

/**
 * What the JupyterHub chart generates on first install and then reuses through Helm's `lookup` (the proxy's auth token,
 * the cookie secret, the auth-state keys in the `hub` Secret) and the checksums of them that roll the hub and the proxy.
 * Argo CD renders charts without cluster access, so each render would make new ones and restart both: with Argo CD
 * these fields stay as installed. A change of the hub's configuration then needs `kubectl -n jupyterhub rollout restart
 * deploy/hub` (the environment README says so).
 */
export const JUPYTERHUB_GENERATED_FIELDS: readonly ArgoIgnoreDifference[] = [
  {
    kind: 'Secret',
    name: 'hub',
    namespace: JUPYTERHUB_NAMESPACE,
    jsonPointers: [
      '/data/hub.config.ConfigurableHTTPProxy.auth_token',
      '/data/hub.config.JupyterHub.cookie_secret',
      '/data/hub.config.CryptKeeper.keys',
    ],
  },
  {
    group: 'apps',
    kind: 'Deployment',
    name: 'hub',
    namespace: JUPYTERHUB_NAMESPACE,
    jsonPointers: ['/spec/template/metadata/annotations/checksum~1secret'],
  },
  {
    group: 'apps',
    kind: 'Deployment',
    name: 'proxy',
    namespace: JUPYTERHUB_NAMESPACE,
    jsonPointers: [
      '/spec/template/metadata/annotations/checksum~1auth-token',
      '/spec/template/metadata/annotations/checksum~1proxy-secret',
    ],
  },
];

/** Ports of a notebook's Spark driver: fixed, so the container can declare them and executors can reach them. */
export const NOTEBOOK_SPARK_PORTS = { driver: 7078, blockManager: 7079, ui: 4040 } as const;
/** Port of the single-user notebook server (KubeSpawner's default), which the proxy and the hub connect to. */
export const NOTEBOOK_SERVER_PORT = 8888;
/** Port of the hub's API, which every notebook server calls (activity, OAuth token checks). */
export const JUPYTERHUB_HUB_API_PORT = 8081;
/** The chart's Service in front of the hub's API. */
export const JUPYTERHUB_HUB_SERVICE = 'hub';
/** Label the hub's values put on every notebook server pod; the tenant NetworkPolicies select it. */
export const NOTEBOOK_SERVER_LABEL = { key: 'emr-eks-gitops.io/notebook-server', value: 'true' } as const;

/**
 * The user of an EMR on EKS Spark image (`hadoop`, uid 999, gid 1000, home /home/hadoop), which a notebook image built
 * FROM it keeps: the tenants' executor pod templates run as it, and Hadoop needs a user the image's /etc/passwd knows.
 */
export const EMR_IMAGE_USER = { uid: 999, gid: 1000, home: '/home/hadoop' } as const;

export interface JupyterHubNamespaceProps {
  /** `v<major>.<minor>` of the cluster, pinned in the Pod Security labels. */
  readonly podSecurityVersion: string;
  /** @default jupyterhub */
  readonly name?: string;
}

/**
 * The hub's namespace with Pod Security labels: hub, proxy and the chart's hooks pass `restricted`; `baseline` is
 * enforced, `restricted` warned and audited. Also carries `kubernetes.io/metadata.name` (the API server sets it on every
 * namespace; written here so the tenants' `allow-ingress-from-jupyterhub` NetworkPolicies visibly select it).
 */
export class JupyterHubNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: JupyterHubNamespaceProps) {
    super(scope, id);
    this.name = props.name ?? JUPYTERHUB_NAMESPACE;
    assertDnsLabel(this.name, 'name', 'JupyterHubNamespace');
    requireThat(
      /^v1\.[0-9]+$/.test(props.podSecurityVersion),
      'podSecurityVersion',
      `"${props.podSecurityVersion}" must be v1.<minor>`,
      'JupyterHubNamespace',
    );
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          'kubernetes.io/metadata.name': this.name,
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/enforce-version': props.podSecurityVersion,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': props.podSecurityVersion,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': props.podSecurityVersion,
        },
      },
    });
  }
}

/** One notebook profile: a tenant's namespace, its driver-capable ServiceAccount and its Spark settings. */
export interface JupyterHubTenantProfile {
  readonly tenant: string;
  readonly namespace: string;
  /** A `sparkDriver` ServiceAccount of the tenant (bound to the `spark-driver` Role). */
  readonly serviceAccount: string;
  readonly description?: string;
  /**
   * The tenant's spark-defaults (pod template URIs, executor size, dynamic allocation, ...); the driver's own pod
   * settings (`spark.kubernetes.driver.*`) are dropped: in client mode the notebook pod is the driver.
   */
  readonly sparkProperties: Readonly<Record<string, string>>;
  /** Where drivers run (on-demand driver nodes): the notebook pod hosts the driver, so it goes there too. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** Annotations of the server pod (KubeSpawner extra_annotations), e.g. karpenter.sh/do-not-disrupt. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Labels of the server pod besides the client-mode driver label, e.g. the tenant's cost labels. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface JupyterHubValuesProps {
  readonly auth: JupyterHubAuth;
  readonly proxyServiceType: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  /** StorageClass of the hub database PVC and the users' home volumes. */
  readonly storageClassName: string;
  readonly hubDbSize: string;
  readonly userStorageSize: string;
  /**
   * The notebook image, also run by the notebook's executors: built FROM the EMR on EKS Spark image of the tenants'
   * release (its entrypoint starts executors, EMRFS reads and writes `s3://` with the pod's IRSA role, its Spark and
   * Python are the jobs'), with JupyterHub's single-user server added.
   */
  readonly image: { readonly name: string; readonly tag: string };
  /** User, group and home of the image's user; the home volume is mounted there. @default EMR_IMAGE_USER */
  readonly notebookUser?: { readonly uid: number; readonly gid: number; readonly home: string };
  /** Seconds a server may take to start (the first pull of an EMR-based image takes minutes). @default 900 */
  readonly startTimeoutSeconds?: number;
  /** Per notebook server; cpu in cores, memory in bytes with a suffix (KubeSpawner's "2G" style). */
  readonly resources: {
    readonly cpu: { readonly guarantee: number; readonly limit: number };
    readonly memory: { readonly guarantee: string; readonly limit: string };
  };
  readonly hubResources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
  };
  /** Idle servers are stopped after this many seconds. */
  readonly cullTimeoutSeconds: number;
  readonly profiles: readonly JupyterHubTenantProfile[];
  /** Where the hub and the proxy run on EKS Auto Mode: a built-in pool (autoModeAddonPlacement). Not with managedNodeGroups. @default off every Karpenter node */
  readonly corePlacement?: AutoModeAddonPlacement;
  /** EKS managed node groups the hub and the proxy must run on. @default any node Karpenter did not make */
  readonly managedNodeGroups?: readonly string[];
  /** TLS in front of the proxy (required by an https:// OAuth callback). @default none: proxy-public serves plain HTTP on 80 */
  readonly tls?: JupyterHubTls;
}

const CLUSTER_MODE_DRIVER_ONLY =
  /^spark\.kubernetes\.driver\.|^spark\.driver\.(cores|memoryOverhead|memoryOverheadFactor)$/;

/** `2g`, `2048m`, `2G` (Spark and KubeSpawner sizes) in MiB; undefined for anything else. */
function sizeMiB(size: string | undefined): number | undefined {
  const match = size === undefined ? null : /^([0-9]+)([kmgt])b?$/i.exec(size);
  if (!match) return undefined;
  return (
    Number(match[1]) *
    ({ k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 } as const)[match[2]!.toLowerCase() as 'k' | 'm' | 'g' | 't']
  );
}

/** Spark in client mode from a notebook pod: the driver is the notebook's own process, executors call back to its IP. */
function sparkClientModeSubmitArgs(profile: JupyterHubTenantProfile, image: string): string {
  const properties: Record<string, string> = {
    // What only a driver pod of cluster mode uses (its pod template, cores, overhead) is dropped.
    ...Object.fromEntries(
      Object.entries(profile.sparkProperties).filter(([key]) => !CLUSTER_MODE_DRIVER_ONLY.test(key)),
    ),
    'spark.submit.deployMode': 'client',
    'spark.kubernetes.namespace': profile.namespace,
    'spark.kubernetes.authenticate.driver.serviceAccountName': profile.serviceAccount,
    // Executors run the notebook user's code and read the tenant's S3 data, custom code and shuffle fallback storage:
    // they take the notebook account's IRSA role (without it they would run as the namespace's default account, with
    // no AWS credentials). They gain no Kubernetes right the notebook user lacks: it is the same user's code.
    'spark.kubernetes.authenticate.executor.serviceAccountName': profile.serviceAccount,
    // Executors run the notebook's image, so they have the driver's Spark and Python (Spark requires an image).
    'spark.kubernetes.container.image': image,
    // Executors reach the driver at the pod's IP (the tenant's NetworkPolicies allow same-namespace traffic).
    'spark.driver.host': '$(POD_IP)',
    'spark.driver.bindAddress': '0.0.0.0',
    'spark.driver.port': String(NOTEBOOK_SPARK_PORTS.driver),
    'spark.blockManager.port': String(NOTEBOOK_SPARK_PORTS.blockManager),
    'spark.driver.blockManager.port': String(NOTEBOOK_SPARK_PORTS.blockManager),
    // Executors are owned by the notebook pod: they are garbage-collected with it.
    'spark.kubernetes.driver.pod.name': '$(POD_NAME)',
  };
  const conf = Object.keys(properties)
    .sort()
    .map((key) => `--conf ${key}=${properties[key]}`);
  return ['--master k8s://https://kubernetes.default.svc:443', ...conf, 'pyspark-shell'].join(' ');
}

function profileEntry(profile: JupyterHubTenantProfile, index: number, image: string): Record<string, unknown> {
  assertDnsLabel(profile.namespace, `profiles[${index}].namespace`, 'JupyterHub values');
  assertDnsSubdomain(profile.serviceAccount, `profiles[${index}].serviceAccount`, 'JupyterHub values');
  const field = (path: string) => ({ valueFrom: { fieldRef: { fieldPath: path } } });
  return {
    display_name: `${profile.tenant} (Spark in ${profile.namespace})`,
    slug: profile.tenant,
    description:
      profile.description ?? `Spark in client mode in namespace ${profile.namespace} as ${profile.serviceAccount}`,
    ...(index === 0 ? { default: true } : {}),
    kubespawner_override: {
      // KubeSpawner 7 runs the server (and its home PVC) in this namespace and watches it with a namespaced reflector.
      namespace: profile.namespace,
      // The server is its sessions' Spark driver, which Spark did not label: this label gets it scraped (dicts merge).
      // Its cost labels too: split cost allocation charges the server (the session's driver) to the tenant's team.
      extra_labels: { ...profile.labels, [CLIENT_MODE_DRIVER_LABEL.key]: CLIENT_MODE_DRIVER_LABEL.value },
      service_account: profile.serviceAccount,
      automount_service_account_token: true,
      node_selector: { ...profile.nodeSelector },
      tolerations: profile.tolerations.map((toleration) => ({ ...toleration })),
      ...(Object.keys(profile.annotations ?? {}).length > 0 ? { extra_annotations: { ...profile.annotations } } : {}),
      environment: {
        POD_IP: field('status.podIP'),
        POD_NAME: field('metadata.name'),
        SPARK_TENANT_NAMESPACE: profile.namespace,
        // The driver's scratch space: the executors' spark.local.dir is a volume of their pod template, not of this pod.
        SPARK_LOCAL_DIRS: '/tmp',
        PYSPARK_SUBMIT_ARGS: sparkClientModeSubmitArgs(profile, image),
      },
      extra_container_config: {
        ports: [
          { name: 'notebook-port', containerPort: NOTEBOOK_SERVER_PORT },
          { name: 'spark-driver', containerPort: NOTEBOOK_SPARK_PORTS.driver },
          { name: 'spark-blockmgr', containerPort: NOTEBOOK_SPARK_PORTS.blockManager },
          { name: 'spark-ui', containerPort: NOTEBOOK_SPARK_PORTS.ui },
        ],
      },
    },
  };
}

/**
 * The values of the JupyterHub chart: hub and proxy in the jupyterhub namespace, one profile per tenant whose server
 * runs in that tenant's namespace as its notebook ServiceAccount, home volumes on the given StorageClass, idle culling,
 * and the authenticator. No credential is a literal: an OAuth client secret is read from an existing Secret through
 * `valueFrom` (OAuthenticator reads OAUTH_CLIENT_SECRET); the chart generates the hub's own cookie and proxy secrets
 * in the cluster.
 */
export function jupyterHubValues(props: JupyterHubValuesProps): Record<string, unknown> {
  requireThat(
    Number.isInteger(props.cullTimeoutSeconds) && props.cullTimeoutSeconds >= 300,
    'cullTimeoutSeconds',
    'must be a whole number of seconds, at least 300',
    'JupyterHub values',
  );
  requireThat(
    props.resources.cpu.guarantee <= props.resources.cpu.limit,
    'resources.cpu',
    'guarantee must not exceed limit',
    'JupyterHub values',
  );
  const limitMiB = sizeMiB(props.resources.memory.limit);
  props.profiles.forEach((profile, index) => {
    const driverMiB = sizeMiB(profile.sparkProperties['spark.driver.memory']);
    requireThat(
      driverMiB === undefined || limitMiB === undefined || driverMiB * 1.25 <= limitMiB,
      'resources.memory.limit',
      `${props.resources.memory.limit} leaves too little for the Spark driver of ${profile.tenant} (spark.driver.memory ${profile.sparkProperties['spark.driver.memory']}, which runs in the notebook pod, plus the kernel): give the notebook at least 1.25 times the driver's memory`,
      `JupyterHub profile ${index}`,
    );
  });
  const auth = props.auth;
  const hubConfig = authenticatorConfig(auth);
  const user = props.notebookUser ?? EMR_IMAGE_USER;
  requireThat(
    Number.isInteger(user.uid) && user.uid > 0 && Number.isInteger(user.gid) && user.gid >= 0,
    'notebookUser',
    'uid must be a whole number above 0 (not root) and gid a whole number',
    'JupyterHub values',
  );
  requireThat(
    /^\/[^\s]*[^/\s]$/.test(user.home),
    'notebookUser.home',
    `"${user.home}" must be an absolute path`,
    'JupyterHub values',
  );
  const startTimeout = props.startTimeoutSeconds ?? 900;
  requireThat(
    Number.isInteger(startTimeout) && startTimeout >= 60,
    'startTimeoutSeconds',
    'must be a whole number of seconds, at least 60',
    'JupyterHub values',
  );
  const namespaces = [...new Set(props.profiles.map((profile) => profile.namespace))].sort();
  const placement = addonNodePlacement(props.corePlacement, props.managedNodeGroups);
  // The chart's own core affinity (matchNodePurpose) is turned off, so each pod spec has one affinity: this one.
  const coreAffinity = {
    affinity: { nodeAffinity: placement?.nodeAffinity ?? offKarpenterNodeAffinity(props.managedNodeGroups) },
  };
  const tls = props.tls ? jupyterHubTlsValues(props.tls) : undefined;
  if (props.tls) {
    const wanted = TLS_PROXY_SERVICE_TYPE[props.tls.loadBalancer];
    requireThat(
      props.proxyServiceType === wanted,
      'proxyServiceType',
      `is ${props.proxyServiceType}; behind tls.loadBalancer ${props.tls.loadBalancer} proxy-public must be ${wanted}`,
      'JupyterHub values',
    );
  }
  return {
    hub: {
      // The chart sets the servers' uid and fsGroup (singleuser.uid, fsGid) but not their primary group: set it too,
      // the executors' pod templates run as the same uid and gid.
      config: {
        ...hubConfig,
        // The chart tells servers the hub is at http://hub:8081, a name that resolves only in the hub's namespace; the
        // servers run in the tenant namespaces, so they get the Service's namespaced name.
        JupyterHub: {
          ...(hubConfig.JupyterHub as Record<string, unknown>),
          hub_connect_url: `http://${JUPYTERHUB_HUB_SERVICE}.${JUPYTERHUB_NAMESPACE}.svc:${JUPYTERHUB_HUB_API_PORT}`,
        },
        KubeSpawner: { gid: user.gid },
      },
      serviceAccount: { create: true, name: JUPYTERHUB_HUB_SERVICE_ACCOUNT },
      db: { type: 'sqlite-pvc', pvc: { storage: props.hubDbSize, storageClassName: props.storageClassName } },
      resources: { requests: { ...props.hubResources.requests }, limits: { ...props.hubResources.limits } },
      extraPodSpec: coreAffinity,
      ...(auth.type !== 'dummy'
        ? {
            extraEnv: {
              OAUTH_CLIENT_SECRET: {
                valueFrom: { secretKeyRef: { name: auth.clientSecret.secretName, key: auth.clientSecret.key } },
              },
            },
          }
        : {}),
      // Notebook servers run in the tenant namespaces: let them reach the hub's API (an empty `from` would admit everyone).
      // The hub needs no node credentials: no egress to the instance metadata endpoint.
      networkPolicy:
        namespaces.length === 0
          ? { egressAllowRules: { cloudMetadataServer: false } }
          : {
              egressAllowRules: { cloudMetadataServer: false },
              ingress: [
                {
                  from: namespaces.map((namespace) => ({
                    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
                    podSelector: { matchLabels: { 'hub.jupyter.org/network-access-hub': 'true' } },
                  })),
                  ports: [{ port: JUPYTERHUB_HUB_API_PORT, protocol: 'TCP' }],
                },
              ],
            },
    },
    proxy: {
      service: { type: props.proxyServiceType },
      ...tls?.proxy,
      chp: { networkPolicy: { egressAllowRules: { cloudMetadataServer: false } }, extraPodSpec: coreAffinity },
    },
    ...(tls?.ingress ? { ingress: tls.ingress } : {}),
    singleuser: {
      image: { name: props.image.name, tag: props.image.tag },
      // The image's own user (EMR images: hadoop), whose home holds the user's volume.
      uid: user.uid,
      fsGid: user.gid,
      startTimeout: startTimeout,
      extraLabels: { [NOTEBOOK_SERVER_LABEL.key]: NOTEBOOK_SERVER_LABEL.value },
      cpu: { guarantee: props.resources.cpu.guarantee, limit: props.resources.cpu.limit },
      memory: { guarantee: props.resources.memory.guarantee, limit: props.resources.memory.limit },
      storage: {
        type: 'dynamic',
        capacity: props.userStorageSize,
        homeMountPath: user.home,
        dynamic: { storageClass: props.storageClassName },
      },
      // The iptables init container needs NET_ADMIN, which the tenants' Pod Security level (baseline) refuses; the
      // nodes' IMDSv2 hop limit of 1 keeps pods off the metadata endpoint instead.
      cloudMetadata: { blockWithIptables: false },
      profileList: props.profiles.map((profile, index) =>
        profileEntry(profile, index, `${props.image.name}:${props.image.tag}`),
      ),
    },
    cull: {
      enabled: true,
      timeout: props.cullTimeoutSeconds,
      every: Math.min(600, Math.max(60, Math.floor(props.cullTimeoutSeconds / 6))),
    },
    // Neither pulls images into tenant nodes nor runs a scheduler of its own.
    prePuller: { hook: { enabled: false }, continuous: { enabled: false } },
    scheduling: {
      userScheduler: { enabled: false },
      corePods: {
        nodeAffinity: { matchNodePurpose: 'ignore' },
        ...(placement ? { tolerations: placement.tolerations.map((t) => ({ ...t })) } : {}),
      },
    },
  };
}

const SCHEMA_DIR = new URL(`../../schemas/helm/jupyterhub/${JUPYTERHUB_CHART.version}/`, import.meta.url);
let validator: ValidateFunction | undefined;
let chartDefaults: Record<string, unknown> | undefined;

/** Helm's coalescing of user values onto the chart's defaults: maps merge, anything else replaces, null removes. */
export function coalesceHelmValues(defaults: unknown, values: unknown): unknown {
  const isMap = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    if (value === null) delete merged[key];
    else merged[key] = coalesceHelmValues(defaults[key], value);
  }
  return merged;
}

/**
 * Checks release values as `helm install` does: coalesced onto the chart's default values, against the chart's own
 * `values.schema.json` (both vendored at the pinned version). Returns one line per problem, `<path>: <message>`.
 */
export function jupyterHubValuesProblems(values: Record<string, unknown>): string[] {
  if (!validator) {
    // The chart's values schema, compiled at build time like every vendored chart's (helm-values.ts).
    validator = compiledValidators(helmValuesValidatorSource(JUPYTERHUB_CHART))('values');
    chartDefaults = JSON.parse(readFileSync(new URL('values.json', SCHEMA_DIR), 'utf8')) as Record<string, unknown>;
  }
  if (validator(coalesceHelmValues(chartDefaults, values))) return [];
  return (validator.errors ?? []).map((error: ErrorObject) => {
    const path = error.instancePath.split('/').slice(1).join('.') || '(values)';
    const extra =
      error.keyword === 'additionalProperties'
        ? ` "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : '';
    return `${path}: ${error.message ?? 'is invalid'}${extra} (jupyterhub chart ${JUPYTERHUB_CHART.version} values schema)`;
  });
}
