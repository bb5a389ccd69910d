import { isAtLeast, kubernetesSchemaProblem, parseKubernetesVersion } from '@emr-eks-gitops/core';
import type { AddonsConfig, EnvironmentFile, TenantConfig } from '../config/schema.js';
import type { CapacityConfig, SparkPlatformConfig } from '../config/capacity-schema.js';
import type { DeliveryConfig } from '../config/delivery-schema.js';
import type { ConfigRuleInput, ConfigRules, Locate, Problem } from '../config/problems.js';
import {
  CAPACITY_CLASS_RULES,
  DEFAULT_CAPACITY_CLASS,
  tenantCapacityClasses,
} from '../config/capacity-class-semantics.js';
import { capacityBackendProblems } from '../config/capacity-backend-semantics.js';
import { FARGATE_RULES } from '../config/fargate-semantics.js';
import { GPU_RULES } from '../config/gpu-semantics.js';
import { DRIVER_ACCOUNT_RULES } from '../config/driver-account-semantics.js';
import { COST_ALLOCATION_RULES } from '../config/cost-allocation-semantics.js';
import { IDENTITY_RULES } from '../config/identity.js';
import { FLEET_RULES } from '../config/fleet-semantics.js';
import { SECTION_DEFAULTS } from '../config/resolve.js';
import { ADDON_RULES } from '../addons/index.js';

const CLUSTER_RULES: ConfigRules = {
  topic: 'cluster',
  rules: ['kubernetes-version', 'emr-access-entry'],
  check: ({ file, tenants }, at) => {
    const cluster: Partial<EnvironmentFile['cluster']> = isObject(file?.cluster) ? file.cluster : {};
    const problems: Problem[] = [];
    // Rendered objects are validated against the official OpenAPI of the cluster's minor: only bundled ones will do.
    const versionProblem =
      typeof cluster.kubernetesVersion === 'string' && /^1\.[0-9]{2}$/.test(cluster.kubernetesVersion)
        ? kubernetesSchemaProblem(cluster.kubernetesVersion)
        : undefined;
    if (versionProblem) problems.push(at('kubernetes-version', ['cluster', 'kubernetesVersion'], versionProblem));

    if (
      cluster.emrAccess === 'access-entry' &&
      typeof cluster.kubernetesVersion === 'string' &&
      /^1\.\d+$/.test(cluster.kubernetesVersion) &&
      !isAtLeast(parseKubernetesVersion(cluster.kubernetesVersion), 1, 23)
    ) {
      problems.push(
        at(
          'emr-access-entry',
          ['cluster', 'emrAccess'],
          `access-entry needs EKS 1.23 or later, the cluster is ${cluster.kubernetesVersion}; use aws-auth`,
        ),
      );
    }
    if (cluster.emrAccess === 'access-entry' && tenants.length > 100) {
      problems.push(
        at(
          'emr-access-entry',
          ['cluster', 'emrAccess'],
          `EMR uses access entries for at most 100 virtual clusters per cluster, this environment has ${tenants.length}; use aws-auth`,
        ),
      );
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
      problems.push(
        at(
          'spark-logs',
          ['spark', 'logs'],
          'job logs go nowhere: without a destination EMR keeps no job runner, driver or executor logs once the pods are gone, and no Spark event logs for a History Server; set spark.logs.s3Uri (e.g. s3://<bucket>/logs) and/or spark.logs.cloudWatchLogGroupPrefix (e.g. /emr-on-eks/<cluster>)',
        ),
      );
    }
    const capacity = capacityOf(file);
    tenants.forEach((tenant, index) => {
      // On a named executor class the class decides the scratch disk (capacity-class-semantics.ts).
      const onDefaultClass = tenantCapacityClasses(tenant).executor === DEFAULT_CAPACITY_CLASS;
      if (
        onDefaultClass &&
        tenant.spark?.localDisk === 'instance-store' &&
        capacity &&
        capacity.nvmeInstanceStore !== true
      ) {
        problems.push(
          at(
            'instance-store-nodes',
            ['tenants', index, 'spark', 'localDisk'],
            'instance-store needs capacity.nvmeInstanceStore: true (executor nodes with local NVMe); use ebs or enable it',
          ),
        );
      }
      const egress = tenant.network?.egress;
      if (egress?.mode === 'allow-all') {
        for (const key of ['apiServerCidrs', 'cidrs', 'ports'] as const) {
          if (egress[key] !== undefined)
            problems.push(
              at(
                'egress-settings',
                ['tenants', index, 'network', 'egress', key],
                'applies only to mode restricted; with allow-all every destination is allowed already',
              ),
            );
        }
      } else if (egress?.mode === 'restricted' && !egress.apiServerCidrs) {
        problems.push(
          at(
            'egress-settings',
            ['tenants', index, 'network', 'egress'],
            "restricted egress needs apiServerCidrs: EMR's job submitter and Spark drivers call the Kubernetes API server",
          ),
        );
      }
      const release = typeof tenant.releaseLabel === 'string' ? /^emr-(\d+)\.(\d+)\./.exec(tenant.releaseLabel) : null;
      if (release && (Number(release[1]) < 6 || (Number(release[1]) === 6 && Number(release[2]) < 3))) {
        problems.push(
          at(
            'release-pod-templates',
            ['tenants', index, 'releaseLabel'],
            `${tenant.releaseLabel} cannot use pod templates, which this platform relies on for placement; use emr-6.3.0 or later`,
          ),
        );
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
      problems.push(
        at(
          'delivery-settings',
          ['delivery', 'argocd'],
          'applies only to engine argocd; this environment is delivered by Flux',
        ),
      );
    }
    if (
      delivery?.engine === 'argocd' &&
      isObject(delivery.repository) &&
      delivery.repository.secretName !== undefined
    ) {
      problems.push(
        at(
          'delivery-settings',
          ['delivery', 'repository', 'secretName'],
          'applies only to engine flux; register the repository and its credentials with Argo CD instead',
        ),
      );
    }
    return problems;
  },
};

const CAPACITY_BACKEND_RULES: ConfigRules = {
  topic: 'capacity back end',
  rules: [
    'capacity-backend-settings',
    'auto-mode-no-karpenter-controller',
    'auto-mode-addon-pool',
    'auto-mode-node-lifetime',
  ],
  check: ({ file }, at) => capacityBackendProblems(capacityOf(file), addonsOf(file), at),
};

const ROLE_RULES: ConfigRules = {
  topic: 'IAM roles',
  rules: ['role-partition'],
  check: ({ file, tenants }, at) => {
    const partition = (isObject(file?.cluster) ? file.cluster.partition : undefined) ?? SECTION_DEFAULTS.partition;
    return tenants.flatMap((tenant, index) => {
      if (typeof tenant.executionRoleArn !== 'string') return [];
      const arnPartition = tenant.executionRoleArn.split(':')[1];
      return arnPartition && arnPartition !== partition
        ? [
            at(
              'role-partition',
              ['tenants', index, 'executionRoleArn'],
              `the role is in partition ${arnPartition}, the cluster in ${partition}; IRSA works only within one partition`,
            ),
          ]
        : [];
    });
  },
};

/** Every rule of the environment file that spans fields, by topic, in the order they report; the add-ons' from their list. */
export const CONFIG_RULES: readonly ConfigRules[] = [
  CLUSTER_RULES,
  TENANT_RULES,
  CAPACITY_CLASS_RULES,
  DRIVER_ACCOUNT_RULES,
  SPARK_RULES,
  DELIVERY_RULES,
  FARGATE_RULES,
  COST_ALLOCATION_RULES,
  IDENTITY_RULES,
  CAPACITY_BACKEND_RULES,
  GPU_RULES,
  ...ADDON_RULES,
  ROLE_RULES,
];

/**
 * Runs CONFIG_RULES on a parsed environment file (see ConfigRuleInput). Without a `cluster:` section only the rules
 * that need none run. A topic that reports an id it does not declare is a bug of this project, and throws.
 */
export function semanticProblems(value: unknown, at: Locate): Problem[] {
  const file = value as Partial<EnvironmentFile> | null;
  return runTopics(
    isObject(file?.cluster) ? CONFIG_RULES : CONFIG_RULES.filter((topic) => topic.withoutCluster),
    value,
    at,
  );
}

/**
 * Runs the rules of `clusters:` itself (FLEET_RULES) on the whole file, once; an environment with clusters: then runs
 * CONFIG_RULES on each cluster's view (load.ts), a single-cluster one on the file.
 */
export function fleetSemanticProblems(value: unknown, at: Locate): Problem[] {
  return runTopics([FLEET_RULES], value, at);
}

function runTopics(topics: readonly ConfigRules[], value: unknown, at: Locate): Problem[] {
  const file = value as Partial<EnvironmentFile> | null;
  const input: ConfigRuleInput = {
    file,
    tenants: (Array.isArray(file?.tenants) ? file.tenants : []).map((t) =>
      isObject(t) ? t : {},
    ) as Partial<TenantConfig>[],
  };
  return topics.flatMap((topic) =>
    topic.check(input, (rule, path, message) => {
      if (!topic.rules.includes(rule))
        throw new Error(`the ${topic.topic} rules report ${rule}, which they do not declare`);
      return at(rule, path, message);
    }),
  );
}

const sparkOf = (file: Partial<EnvironmentFile> | null) =>
  isObject(file?.spark) ? (file.spark as Partial<SparkPlatformConfig>) : undefined;
const capacityOf = (file: Partial<EnvironmentFile> | null) =>
  isObject(file?.capacity) ? (file.capacity as Partial<CapacityConfig>) : undefined;
const deliveryOf = (file: Partial<EnvironmentFile> | null) =>
  isObject(file?.delivery) ? (file.delivery as Partial<DeliveryConfig>) : undefined;
const addonsOf = (file: Partial<EnvironmentFile> | null) =>
  isObject(file?.addons) ? (file.addons as Partial<AddonsConfig>) : undefined;

function uniquenessProblems(tenants: readonly Partial<TenantConfig>[], at: Locate): Problem[] {
  const problems: Problem[] = [];
  for (const key of ['name', 'namespace'] as const) {
    const firstIndex = new Map<string, number>();
    tenants.forEach((tenant, index) => {
      const value = tenant[key];
      if (typeof value !== 'string') return;
      const seen = firstIndex.get(value);
      if (seen === undefined) firstIndex.set(value, index);
      else
        problems.push(
          at(
            'tenant-unique',
            ['tenants', index, key],
            `"${value}" is already the ${key} of tenants[${seen}]; each tenant needs its own ${key}`,
          ),
        );
    });
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
