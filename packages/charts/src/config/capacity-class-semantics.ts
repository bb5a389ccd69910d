import {
  VALIDATING_ADMISSION_POLICY_MINOR,
  configDiagnostic,
  isAtLeast,
  parseKubernetesVersion,
  sharedCostLabels,
  tenantCostLabels,
} from '@emr-eks-gitops/core';
import type { RenderIssue } from './render-error.js';
import type { EnvironmentFile, TenantConfig } from './schema.js';
import type { DeepReadonly, ResolvedCapacityClass, ResolvedEnvironment, ResolvedTenant } from './resolve.js';
import type { CapacityClassConfig, CapacityConfig } from './capacity-schema.js';
import type { ConfigRules, Locate, Problem } from './problems.js';
import type { ConfigPath } from './source-map.js';

/** The class every tenant gets unless it names another: the environment's own pools. */
export const DEFAULT_CAPACITY_CLASS = 'default';

/** The Kubernetes minor from which the API server applies matchLabelKeys of pod affinity by default (KEP-3633 beta). */
const SINGLE_ZONE_MINOR = 31;

/** A tenant's class choices with defaults applied. */
export function tenantCapacityClasses(tenant: DeepReadonly<Partial<TenantConfig>>): {
  driver: string;
  executor: string;
  offered: readonly string[];
} {
  const chosen = tenant.spark?.capacityClasses;
  return {
    driver: chosen?.driver ?? DEFAULT_CAPACITY_CLASS,
    executor: chosen?.executor ?? DEFAULT_CAPACITY_CLASS,
    offered: Array.isArray(chosen?.offered) ? chosen.offered : [],
  };
}

type CostConfig = Pick<ResolvedEnvironment, 'tenants' | 'costAllocation'>;

/**
 * The cost tags of a class's own node classes: the cost labels all tenants of an exclusive class share (their
 * instances and volumes then bill to them), {} when it is open to every tenant or its tenants share none.
 */
export function classCostTags(config: CostConfig, spec: ResolvedCapacityClass): Record<string, string> {
  const tenants = config.tenants.filter((tenant) => spec.exclusiveTo?.includes(tenant.name));
  return tenants.length === 0
    ? {}
    : sharedCostLabels(tenants.map((tenant) => tenantCostLabels(config.costAllocation, tenant)));
}

/** Whether a class launches its nodes from node classes of its own, tagged for cost, rather than the environment's. */
export function hasOwnNodeClasses(config: CostConfig, spec: ResolvedCapacityClass): boolean {
  return Object.keys(classCostTags(config, spec)).length > 0;
}

/** Whether the environment's RAID0 instance-store node class is used: NVMe default pools, or an NVMe class without its own. */
export function needsNvmeNodeClass(config: CostConfig & Pick<ResolvedEnvironment, 'capacity'>): boolean {
  return (
    config.capacity.nvmeInstanceStore ||
    config.capacity.classes.some((spec) => spec.localDisk === 'nvme' && !hasOwnNodeClasses(config, spec))
  );
}

/**
 * Capacity classes against the tenants that use them: names exist and are unique, exclusive classes are used only by
 * the tenants they list, the scratch disk a tenant asks for is the one its executor class has, and single-AZ jobs
 * only where the API server understands matchLabelKeys and never for notebook sessions (their driver has no Spark labels).
 */
export function capacityClassProblems(
  file: Partial<EnvironmentFile> | null,
  tenants: readonly Partial<TenantConfig>[],
  at: Locate,
): Problem[] {
  const capacity = isObject(file?.capacity) ? (file.capacity as Partial<CapacityConfig>) : undefined;
  const classes = (Array.isArray(capacity?.classes) ? capacity.classes : []).map((c) =>
    isObject(c) ? c : {},
  ) as Partial<CapacityClassConfig>[];
  const problems: Problem[] = [];
  const byName = new Map<string, { index: number; spec: Partial<CapacityClassConfig> }>();
  classes.forEach((spec, index) => {
    if (typeof spec.name !== 'string') return;
    if (spec.name === DEFAULT_CAPACITY_CLASS) {
      problems.push(
        at(
          'capacity-class-name',
          ['capacity', 'classes', index, 'name'],
          `"${DEFAULT_CAPACITY_CLASS}" is the environment's own pools (capacity.limits, capacity.nvmeInstanceStore); give this class another name`,
        ),
      );
    } else if (byName.has(spec.name)) {
      problems.push(
        at(
          'capacity-class-name',
          ['capacity', 'classes', index, 'name'],
          `"${spec.name}" is already the name of capacity.classes[${byName.get(spec.name)!.index}]; each class needs its own name`,
        ),
      );
    } else {
      byName.set(spec.name, { index, spec });
    }
  });
  const tenantNames = new Set(tenants.map((t) => t.name).filter((n): n is string => typeof n === 'string'));
  classes.forEach((spec, index) => {
    for (const [j, name] of (Array.isArray(spec.exclusiveTo) ? spec.exclusiveTo : []).entries()) {
      if (!tenantNames.has(name)) {
        problems.push(
          at(
            'capacity-class-exclusive',
            ['capacity', 'classes', index, 'exclusiveTo', j],
            `no tenant is named "${name}" (tenants: ${[...tenantNames].join(', ') || 'none'}); list tenant names`,
          ),
        );
      }
    }
  });
  const known = [DEFAULT_CAPACITY_CLASS, ...byName.keys()].join(', ');
  const hub = isObject(file?.addons) && isObject(file.addons.jupyterhub);
  const version =
    typeof file?.cluster?.kubernetesVersion === 'string' && /^1\.\d+$/.test(file.cluster.kubernetesVersion)
      ? file.cluster.kubernetesVersion
      : undefined;
  if (version !== undefined && !isAtLeast(parseKubernetesVersion(version), 1, VALIDATING_ADMISSION_POLICY_MINOR)) {
    classes.forEach((spec, index) => {
      const exclusive = Array.isArray(spec.exclusiveTo) ? spec.exclusiveTo : [];
      if (exclusive.length === 0 || [...tenantNames].every((name) => exclusive.includes(name))) return;
      problems.push(
        at(
          'capacity-class-admission',
          ['capacity', 'classes', index, 'exclusiveTo'],
          `exclusivity is enforced at admission by a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1), served from Kubernetes 1.${VALIDATING_ADMISSION_POLICY_MINOR}; on ${version} it is a beta API behind a feature gate that is off by default (and EKS does not let you turn it on), so any other tenant could still reach this class with its own pod template or node selector; upgrade cluster.kubernetesVersion to 1.${VALIDATING_ADMISSION_POLICY_MINOR} or later, or remove exclusiveTo`,
        ),
      );
    });
  }

  tenants.forEach((tenant, index) => {
    const own: ConfigPath = ['tenants', index, 'spark'];
    const chosen = tenantCapacityClasses(tenant);
    const uses: Array<[ConfigPath, string]> = [];
    if (tenant.spark?.capacityClasses?.driver !== undefined)
      uses.push([[...own, 'capacityClasses', 'driver'], chosen.driver]);
    if (tenant.spark?.capacityClasses?.executor !== undefined)
      uses.push([[...own, 'capacityClasses', 'executor'], chosen.executor]);
    chosen.offered.forEach((name, j) => {
      uses.push([[...own, 'capacityClasses', 'offered', j], name]);
    });
    for (const [path, name] of uses) {
      if (typeof name !== 'string' || name === DEFAULT_CAPACITY_CLASS) continue;
      const found = byName.get(name);
      if (!found) {
        problems.push(
          at(
            'capacity-class-unknown',
            path,
            `no capacity class is named "${name}": jobs would have no pools to run on; use one of ${known}, or define it in capacity.classes`,
          ),
        );
      } else if (
        Array.isArray(found.spec.exclusiveTo) &&
        typeof tenant.name === 'string' &&
        !found.spec.exclusiveTo.includes(tenant.name)
      ) {
        problems.push(
          at(
            'capacity-class-exclusive',
            path,
            `capacity class "${name}" is exclusive to ${found.spec.exclusiveTo.join(', ')}, not to tenant ${tenant.name}; use another class, or add ${tenant.name} to capacity.classes[${found.index}].exclusiveTo`,
          ),
        );
      }
    }
    if (chosen.offered.includes(chosen.driver) && chosen.driver === chosen.executor) {
      const j = chosen.offered.indexOf(chosen.driver);
      problems.push(
        at(
          'capacity-class-offered',
          [...own, 'capacityClasses', 'offered', j],
          `"${chosen.driver}" is already where this tenant's drivers and executors run; offer only other classes`,
        ),
      );
    }
    const executorClass = byName.get(chosen.executor)?.spec;
    const asked = tenant.spark?.localDisk;
    if (executorClass && asked !== undefined) {
      const has = executorClass.localDisk === 'nvme' ? 'instance-store' : 'ebs';
      if (asked !== has) {
        problems.push(
          at(
            'capacity-class-local-disk',
            [...own, 'localDisk'],
            `executors run on capacity class "${chosen.executor}", whose scratch disk is ${executorClass.localDisk ?? 'ebs'}: "${asked}" cannot be honoured there; leave localDisk out (the class decides) or choose a class with ${asked === 'instance-store' ? 'localDisk: nvme' : 'localDisk: ebs'}`,
          ),
        );
      }
    }
    if (
      tenant.spark?.singleZone !== undefined &&
      version !== undefined &&
      !isAtLeast(parseKubernetesVersion(version), 1, SINGLE_ZONE_MINOR)
    ) {
      problems.push(
        at(
          'single-zone-version',
          [...own, 'singleZone'],
          `keeping a job's executors in its driver's zone needs pod affinity with matchLabelKeys, which the API server applies by default from Kubernetes 1.${SINGLE_ZONE_MINOR} (the cluster is ${version}: the API server drops the field, and executors would follow any driver of the namespace instead of their own); upgrade cluster.kubernetesVersion to 1.${SINGLE_ZONE_MINOR} or later, or remove singleZone`,
        ),
      );
    }
    // JupyterHub's profile points a notebook session's executors at this tenant's default executor template.
    const servesNotebooks =
      hub &&
      tenant.retired !== true &&
      Array.isArray(tenant.serviceAccounts) &&
      tenant.serviceAccounts.some((account) => isObject(account) && account.sparkDriver === true);
    if (tenant.spark?.singleZone === 'always' && servesNotebooks) {
      problems.push(
        at(
          'single-zone-notebook',
          [...own, 'singleZone'],
          'with "always" the executor pod template requires a pod of the same application labelled spark-role=driver in the zone (pod affinity on spark-app-selector), and this tenant\'s notebook sessions use that template too: a notebook is a client-mode driver that carries neither label, so every executor of a notebook session stays Pending; use singleZone: offered (jobs opt in with the single-zone/ documents, notebooks keep the plain template), or serve notebooks from another tenant',
        ),
      );
    }
  });
  return problems;
}

/**
 * Single-AZ jobs of a tenant whose executors would run on an on-demand-only GPU class: executors must start in the
 * zone Karpenter chose for the driver, and on-demand GPU capacity is often short in one zone, so they may stay Pending.
 */
export function singleZoneGpuWarnings(
  config: Pick<ResolvedEnvironment, 'capacity'>,
  tenant: ResolvedTenant,
  index: number,
): RenderIssue[] {
  const mode = tenant.spark.singleZone;
  if (mode === undefined || tenant.retired) return [];
  const chosen = tenantCapacityClasses(tenant);
  // "offered" adds one single-zone variant on the tenant's own classes; "always" makes every variant single-zone.
  const executorClasses = mode === 'always' ? [chosen.executor, ...chosen.offered] : [chosen.executor];
  return config.capacity.classes
    .filter(
      (spec) => spec.gpu !== undefined && spec.executorCapacity === 'on-demand' && executorClasses.includes(spec.name),
    )
    .map((spec) =>
      configDiagnostic(
        'single-zone-gpu',
        ['tenants', index, 'spark', 'singleZone'],
        `single-zone jobs on GPU class ${spec.name} (on-demand executors only) start their executors only in the zone the driver was placed in, and on-demand GPU instances are often short in one zone (InsufficientInstanceCapacity): Karpenter cannot try another zone, so executors stay Pending until capacity frees up there; ${mode === 'always' ? 'use singleZone: offered, so GPU jobs keep multi-zone documents' : 'run GPU jobs with the plain (multi-zone) documents, not the single-zone/ ones'}`,
      ),
    );
}

function isObject(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rules of this topic, run by semanticProblems. */
export const CAPACITY_CLASS_RULES: ConfigRules = {
  topic: 'capacity classes',
  rules: [
    'capacity-class-name',
    'capacity-class-unknown',
    'capacity-class-exclusive',
    'capacity-class-offered',
    'capacity-class-local-disk',
    'capacity-class-admission',
    'single-zone-version',
    'single-zone-notebook',
  ],
  check: ({ file, tenants }, at) => capacityClassProblems(file, tenants, at),
};
