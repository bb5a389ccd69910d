import { isAtLeast, kubernetesSchemaProblem, parseKubernetesVersion } from '@emr-eks-gitops/core';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { CapacityConfig, SparkPlatformConfig } from './capacity-schema.js';
import type { DeliveryConfig } from './delivery-schema.js';
import type { JupyterHubConfig } from './jupyterhub-schema.js';
import type { AddonsConfig } from './addons-schema.js';
import type { ConfigRuleInput, ConfigRules, Locate, Problem } from './problems.js';
import { CAPACITY_CLASS_RULES, DEFAULT_CAPACITY_CLASS, tenantCapacityClasses } from './capacity-class-semantics.js';
import { capacityBackendProblems } from './capacity-backend-semantics.js';
import { FARGATE_RULES } from './fargate-semantics.js';
import { GPU_RULES } from './gpu-semantics.js';
import { YUNIKORN_RULES } from './yunikorn-semantics.js';
import { DRIVER_ACCOUNT_RULES } from './driver-account-semantics.js';
import { jupyterHubTlsProblems } from './jupyterhub-semantics.js';
import { COST_ALLOCATION_RULES } from './cost-allocation-semantics.js';
import { IDENTITY_RULES } from './identity.js';

const CLUSTER_RULES: ConfigRules = {
  topic: 'cluster',
  rules: ['kubernetes-version', 'emr-access-entry'],
  check: ({ file, tenants }, at) => {
    const cluster: Partial<EnvironmentFile['cluster']> = isObject(file?.cluster) ? file.cluster : {};
    const problems: Problem[] = [];
    // Rendered objects are validated against the official OpenAPI of the cluster's minor: only bundled ones will do.
    const versionProblem = typeof cluster.kubernetesVersion === 'string' && /^1\.[0-9]{2}$/.test(cluster.kubernetesVersion)
      ? kubernetesSchemaProblem(cluster.kubernetesVersion) : undefined;
    if (versionProblem) problems.push(at('kubernetes-version', ['cluster', 'kubernetesVersion'], versionProblem));

    if (cluster.emrAccess === 'access-entry' && typeof cluster.kubernetesVersion === 'string' &&
        /^1\.\d+$/.test(cluster.kubernetesVersion) && !isAtLeast(parseKubernetesVersion(cluster.kubernetesVersion), 1, 23)) {
      problems.push(at('emr-access-entry', ['cluster', 'emrAccess'], `access-entry needs EKS 1.23 or later, the cluster is ${cluster.kubernetesVersion}; use aws-auth`));
    }
    if (cluster.emrAccess === 'access-entry' && tenants.length > 100) {
      problems.push(at('emr-access-entry', ['cluster', 'emrAccess'], `EMR uses access entries for at most 100 virtual clusters per cluster, this environment has ${tenants.length}; use aws-auth`));
    }
    return problems;
  },
};

const TENANT_RULES: ConfigRules = {
  topic: 'tenants',
  rules: ['tenant-unique'],
  withoutCluster: true,
  check: ({ tenants }, at) => uniquenessProblems(tenants, at),
};

const SPARK_RULES: ConfigRules = {
  topic: 'Spark jobs',
  rules: ['spark-logs', 'instance-store-nodes', 'egress-settings', 'release-pod-templates'],
  check: ({ file, tenants }, at) => {
    const problems: Problem[] = [];
    const spark = sparkOf(file);
    const logs = spark && isObject(spark.logs) ? spark.logs : undefined;
    if (spark && !logs?.s3Uri && !logs?.cloudWatchLogGroupPrefix) {
      problems.push(at('spark-logs', ['spark', 'logs'], 'job logs go nowhere: without a destination EMR keeps no job runner, driver or executor logs once the pods are gone, and no Spark event logs for a History Server; set spark.logs.s3Uri (e.g. s3://<bucket>/logs) and/or spark.logs.cloudWatchLogGroupPrefix (e.g. /emr-on-eks/<cluster>)'));
    }
    const capacity = capacityOf(file);
    tenants.forEach((tenant, index) => {
      // On a named executor class the class decides the scratch disk (capacity-class-semantics.ts).
      const onDefaultClass = tenantCapacityClasses(tenant).executor === DEFAULT_CAPACITY_CLASS;
      if (onDefaultClass && tenant.spark?.localDisk === 'instance-store' && capacity && capacity.nvmeInstanceStore !== true) {
        problems.push(at('instance-store-nodes', ['tenants', index, 'spark', 'localDisk'], 'instance-store needs capacity.nvmeInstanceStore: true (executor nodes with local NVMe); use ebs or enable it'));
      }
      const egress = tenant.network?.egress;
      if (egress?.mode === 'allow-all') {
        for (const key of ['apiServerCidrs', 'cidrs', 'ports'] as const) {
          if (egress[key] !== undefined) problems.push(at('egress-settings', ['tenants', index, 'network', 'egress', key], 'applies only to mode restricted; with allow-all every destination is allowed already'));
        }
      } else if (egress?.mode === 'restricted' && !egress.apiServerCidrs) {
        problems.push(at('egress-settings', ['tenants', index, 'network', 'egress'], 'restricted egress needs apiServerCidrs: EMR\'s job submitter and Spark drivers call the Kubernetes API server'));
      }
      const release = typeof tenant.releaseLabel === 'string' ? /^emr-(\d+)\.(\d+)\./.exec(tenant.releaseLabel) : null;
      if (release && (Number(release[1]) < 6 || (Number(release[1]) === 6 && Number(release[2]) < 3))) {
        problems.push(at('release-pod-templates', ['tenants', index, 'releaseLabel'], `${tenant.releaseLabel} cannot use pod templates, which this platform relies on for placement; use emr-6.3.0 or later`));
      }
    });
    return problems;
  },
};

const DELIVERY_RULES: ConfigRules = {
  topic: 'delivery',
  rules: ['delivery-settings'],
  check: ({ file }, at) => {
    const delivery = deliveryOf(file);
    const problems: Problem[] = [];
    if (delivery?.engine === 'flux' && delivery.argocd !== undefined) {
      problems.push(at('delivery-settings', ['delivery', 'argocd'], 'applies only to engine argocd; this environment is delivered by Flux'));
    }
    if (delivery?.engine === 'argocd' && isObject(delivery.repository) && delivery.repository.secretName !== undefined) {
      problems.push(at('delivery-settings', ['delivery', 'repository', 'secretName'], 'applies only to engine flux; register the repository and its credentials with Argo CD instead'));
    }
    return problems;
  },
};

const JUPYTERHUB_RULES: ConfigRules = {
  topic: 'JupyterHub',
  rules: ['jupyterhub-auth', 'addon-delivery', 'jupyterhub-tls', 'jupyterhub-tls-certificate'],
  check: ({ file }, at) => jupyterHubProblems(file, at),
};

const CAPACITY_BACKEND_RULES: ConfigRules = {
  topic: 'capacity back end',
  rules: ['capacity-backend-settings', 'auto-mode-no-karpenter-controller', 'auto-mode-addon-pool', 'auto-mode-node-lifetime'],
  check: ({ file }, at) => capacityBackendProblems(capacityOf(file), addonsOf(file), at),
};

const ADDON_RULES: ConfigRules = {
  topic: 'add-ons',
  rules: ['addon-delivery', 'history-server-logs'],
  check: ({ file }, at) => {
    const addons = addonsOf(file);
    const problems: Problem[] = [];
    if (addons?.karpenter !== undefined && !deliveryOf(file)) {
      problems.push(at('addon-delivery', ['addons', 'karpenter'], 'a Helm release needs a delivery: section (Flux or Argo CD installs it); add one, or install the controller with the cluster (leave addons.karpenter out: its values are then rendered to artifacts/platform/karpenter/controller-values.yaml)'));
    }
    const spark = sparkOf(file);
    if (addons?.historyServer !== undefined && spark && !(isObject(spark.logs) && spark.logs.s3Uri)) {
      problems.push(at('history-server-logs', ['addons', 'historyServer'], 'the history server reads the tenants\' Spark event logs from <spark.logs.s3Uri>/<tenant>/spark-events/, and this environment writes none: set spark.logs.s3Uri'));
    }
    return problems;
  },
};

const ROLE_RULES: ConfigRules = {
  topic: 'IAM roles',
  rules: ['role-partition'],
  check: ({ file, tenants }, at) => {
    const partition = (isObject(file?.cluster) ? file.cluster.partition : undefined) ?? 'aws';
    return tenants.flatMap((tenant, index) => {
      if (typeof tenant.executionRoleArn !== 'string') return [];
      const arnPartition = tenant.executionRoleArn.split(':')[1];
      return arnPartition && arnPartition !== partition
        ? [at('role-partition', ['tenants', index, 'executionRoleArn'], `the role is in partition ${arnPartition}, the cluster in ${partition}; IRSA works only within one partition`)]
        : [];
    });
  },
};

/** Every rule of the environment file that spans fields, by topic, in the order they report. */
export const CONFIG_RULES: readonly ConfigRules[] = [
  CLUSTER_RULES, TENANT_RULES, CAPACITY_CLASS_RULES, DRIVER_ACCOUNT_RULES, SPARK_RULES, DELIVERY_RULES, JUPYTERHUB_RULES,
  FARGATE_RULES, COST_ALLOCATION_RULES, IDENTITY_RULES, CAPACITY_BACKEND_RULES, GPU_RULES, YUNIKORN_RULES, ADDON_RULES, ROLE_RULES,
];

/**
 * Runs CONFIG_RULES on a parsed environment file (see ConfigRuleInput). Without a `cluster:` section only the rules
 * that need none run. A topic that reports an id it does not declare is a bug of this project, and throws.
 */
export function semanticProblems(value: unknown, at: Locate): Problem[] {
  const file = value as Partial<EnvironmentFile> | null;
  const input: ConfigRuleInput = {
    file,
    tenants: (Array.isArray(file?.tenants) ? file.tenants : []).map((t) => (isObject(t) ? t : {})) as Partial<TenantConfig>[],
  };
  const topics = isObject(file?.cluster) ? CONFIG_RULES : CONFIG_RULES.filter((topic) => topic.withoutCluster);
  return topics.flatMap((topic) => topic.check(input, (rule, path, message) => {
    if (!topic.rules.includes(rule)) throw new Error(`the ${topic.topic} rules report ${rule}, which they do not declare`);
    return at(rule, path, message);
  }));
}

const sparkOf = (file: Partial<EnvironmentFile> | null) => (isObject(file?.spark) ? (file.spark as Partial<SparkPlatformConfig>) : undefined);
const capacityOf = (file: Partial<EnvironmentFile> | null) => (isObject(file?.capacity) ? (file.capacity as Partial<CapacityConfig>) : undefined);
const deliveryOf = (file: Partial<EnvironmentFile> | null) => (isObject(file?.delivery) ? (file.delivery as Partial<DeliveryConfig>) : undefined);
const addonsOf = (file: Partial<EnvironmentFile> | null) => (isObject(file?.addons) ? (file.addons as Partial<AddonsConfig>) : undefined);

/** What each JupyterHub authenticator needs, and may have (anything else applies to another type). */
const JUPYTERHUB_AUTH_KEYS = {
  dummy: { needs: [], may: [] },
  github: { needs: ['clientId', 'callbackUrl', 'clientSecret', 'allowedOrganizations'], may: [] },
  oidc: {
    needs: ['clientId', 'callbackUrl', 'clientSecret', 'authorizeUrl', 'tokenUrl', 'userdataUrl', 'allowedGroups'],
    may: ['scopes', 'usernameClaim', 'groupsClaim', 'adminGroups', 'loginService'],
  },
} as const satisfies Record<JupyterHubConfig['auth']['type'], { needs: readonly string[]; may: readonly string[] }>;

/** JupyterHub: no dummy login in production, each authenticator has its settings and only its own, a controller delivers it. */
function jupyterHubProblems(file: Partial<EnvironmentFile> | null, at: Locate): Problem[] {
  const hub = isObject(file?.addons) && isObject(file.addons.jupyterhub) ? (file.addons.jupyterhub as Partial<JupyterHubConfig>) : undefined;
  if (!hub) return [];
  const problems: Problem[] = [];
  const auth = isObject(hub.auth) ? hub.auth as Partial<Record<string, unknown>> : undefined;
  if (auth?.type === 'dummy' && file?.production === true) {
    problems.push(at('jupyterhub-auth', ['addons', 'jupyterhub', 'auth', 'type'], 'dummy authentication lets anyone in under any name and is refused in a production environment (production: true); use github or oidc with a clientSecret from an existing Secret'));
  }
  const type = typeof auth?.type === 'string' && Object.hasOwn(JUPYTERHUB_AUTH_KEYS, auth.type) ? auth.type as keyof typeof JUPYTERHUB_AUTH_KEYS : undefined;
  if (auth && type) {
    const own: readonly string[] = [...JUPYTERHUB_AUTH_KEYS[type].needs, ...JUPYTERHUB_AUTH_KEYS[type].may];
    for (const key of JUPYTERHUB_AUTH_KEYS[type].needs) {
      if (auth[key] === undefined) problems.push(at('jupyterhub-auth', ['addons', 'jupyterhub', 'auth'], `${type} needs ${key}`));
    }
    for (const key of Object.keys(auth).filter((name) => name !== 'type' && name !== 'adminUsers' && !own.includes(name))) {
      const owners = Object.entries(JUPYTERHUB_AUTH_KEYS).filter(([, keys]) => [...keys.needs, ...keys.may].includes(key as never)).map(([name]) => name);
      if (owners.length > 0) problems.push(at('jupyterhub-auth', ['addons', 'jupyterhub', 'auth', key], `applies only to type ${owners.join(' and ')}`));
    }
  }
  if (!isObject(file?.delivery)) {
    problems.push(at('addon-delivery', ['addons', 'jupyterhub'], 'is delivered as a Helm release by Flux or Argo CD: add a delivery section'));
  }
  problems.push(...jupyterHubTlsProblems(file, hub, at));
  return problems;
}

function uniquenessProblems(tenants: readonly Partial<TenantConfig>[], at: Locate): Problem[] {
  const problems: Problem[] = [];
  for (const key of ['name', 'namespace'] as const) {
    const firstIndex = new Map<string, number>();
    tenants.forEach((tenant, index) => {
      const value = tenant[key];
      if (typeof value !== 'string') return;
      const seen = firstIndex.get(value);
      if (seen === undefined) firstIndex.set(value, index);
      else problems.push(at('tenant-unique', ['tenants', index, key], `"${value}" is already the ${key} of tenants[${seen}]; each tenant needs its own ${key}`));
    });
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
