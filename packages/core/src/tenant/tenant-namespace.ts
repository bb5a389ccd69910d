import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ConfigurationError, requireThat } from '../primitives/errors.js';
import { LABELS } from '../primitives/labels.js';
import { assertDnsLabel } from '../primitives/names.js';
import { parseQuantity, quantityString, type QuantityInput } from '../primitives/quantity.js';

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** Namespaces that belong to Kubernetes, EKS or the platform itself and can never be a tenant's. */
export const RESERVED_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'karpenter',
  'flux-system',
  'argocd',
  'jupyterhub',
  'monitoring',
  'amazon-cloudwatch',
  'spark-history',
];

/** Throws unless `namespace` is a DNS-1123 label and not one of RESERVED_NAMESPACES. */
export function assertTenantNamespaceName(namespace: string, field: string, subject?: string): void {
  assertDnsLabel(namespace, field, subject);
  requireThat(
    !RESERVED_NAMESPACES.includes(namespace),
    field,
    `"${namespace}" is reserved for the cluster or the platform; reserved: ${RESERVED_NAMESPACES.join(', ')}`,
    subject,
  );
}

/** What the tenant may consume in total: the namespace's ResourceQuota. */
export interface TenantQuota {
  /** Sum of CPU requests of all pods, e.g. `64` or `"64"`. */
  readonly cpu: QuantityInput;
  /** Sum of memory requests and of memory limits of all pods, e.g. `"256Gi"`. */
  readonly memory: QuantityInput;
  /** Number of pods that may exist at once (Spark executors count one each). */
  readonly pods: number;
  /** Sum of storage requested by PersistentVolumeClaims, e.g. `"1Ti"`. */
  readonly storage: QuantityInput;
}

/** CPU and memory of one container. */
export interface ContainerResources {
  readonly cpu: QuantityInput;
  readonly memory: QuantityInput;
}

/** Limits a LimitRange gives containers that set none; the CPU limit is better left out in Spark namespaces. */
export interface DefaultLimits {
  /**
   * CPU limit given to a container that sets none. Spark sets no CPU limit on its pods (unless
   * `spark.kubernetes.*.limit.cores`), so this becomes the limit of every driver and executor, and a pod asking for
   * more cores is rejected. Leave it out: Kubernetes then uses `max.cpu` as the default limit.
   * @default max.cpu (no CPU limit when there is no max)
   */
  readonly cpu?: QuantityInput;
  readonly memory: QuantityInput;
}

/** The namespace's LimitRange for containers that do not say what they need. */
export interface ContainerDefaults {
  /** Limits given to a container that sets none. */
  readonly default: DefaultLimits;
  /** Requests given to a container that sets none; at most `default`. */
  readonly defaultRequest: ContainerResources;
  /**
   * Largest limits one container may set; at least `default`.
   * @default no maximum
   */
  readonly max?: ContainerResources;
}

/** Pod Security Admission labels of the namespace. */
export interface PodSecurityProps {
  /**
   * Level enforced at admission. EMR's Spark, job-runner and submitter pods pass `baseline`, not `restricted`: EMR
   * allows no securityContext on a pod template's pod or Spark container (EMR_POD_TEMPLATE_CONTRACT), and restricted
   * needs runAsNonRoot, seccompProfile and dropped capabilities there. validate refuses `restricted` on a tenant namespace.
   * @default 'baseline'
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * Level reported as a warning to clients and written to the audit log, to show the way to `restricted`.
   * @default 'restricted'
   */
  readonly warnAndAudit?: PodSecurityLevel;
  /**
   * Policy version the levels refer to, `latest` or `v1.<minor>`; pin it to the cluster's version so upgrades
   * do not change what is admitted.
   * @default 'latest'
   */
  readonly version?: string;
}

export interface TenantNamespaceProps {
  /** Namespace name, a DNS-1123 label; not one of RESERVED_NAMESPACES. */
  readonly namespace: string;
  /** Tenant name, written to the `emr-eks-gitops.io/tenant` label. */
  readonly tenant: string;
  /** Total resources the tenant may use. */
  readonly quota: TenantQuota;
  /** Default requests and limits for containers that set none. */
  readonly containerDefaults: ContainerDefaults;
  /**
   * Pod Security Admission levels.
   * @default enforce baseline, warn and audit restricted, version latest
   */
  readonly podSecurity?: PodSecurityProps;
  /**
   * Extra labels on the Namespace object.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/**
 * A tenant's namespace with what isolates it: Pod Security Admission labels, a ResourceQuota and a LimitRange.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { TenantNamespace } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'analytics');
 * new TenantNamespace(chart, 'namespace', {
 *   namespace: 'spark-analytics',
 *   tenant: 'analytics',
 *   quota: { cpu: 64, memory: '256Gi', pods: 200, storage: '1Ti' },
 *   containerDefaults: { default: { memory: '4Gi' }, defaultRequest: { cpu: '250m', memory: '1Gi' }, max: { cpu: '16', memory: '64Gi' } },
 * });
 * // chart.toJson(): the Namespace (Pod Security baseline enforced, restricted warned), ResourceQuota tenant-quota and
 * // LimitRange container-defaults
 * ```
 */
export class TenantNamespace extends Construct {
  /** The namespace name, for builders that place objects in it. */
  readonly namespace: string;
  readonly namespaceObject: k8s.KubeNamespace;
  readonly resourceQuota: k8s.KubeResourceQuota;
  readonly limitRange: k8s.KubeLimitRange;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const subject = `TenantNamespace ${props.namespace}`;
    assertTenantNamespaceName(props.namespace, 'namespace', subject);
    validateQuota(props.quota, subject);
    validateContainerDefaults(props.containerDefaults, subject);
    const podSecurity = resolvePodSecurity(props.podSecurity, subject);
    this.namespace = props.namespace;

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: props.namespace,
        labels: {
          ...props.labels,
          [LABELS.tenant]: props.tenant,
          'kubernetes.io/metadata.name': props.namespace,
          'pod-security.kubernetes.io/enforce': podSecurity.enforce,
          'pod-security.kubernetes.io/enforce-version': podSecurity.version,
          'pod-security.kubernetes.io/warn': podSecurity.warnAndAudit,
          'pod-security.kubernetes.io/warn-version': podSecurity.version,
          'pod-security.kubernetes.io/audit': podSecurity.warnAndAudit,
          'pod-security.kubernetes.io/audit-version': podSecurity.version,
        },
      },
    });

    const q = props.quota;
    this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: 'tenant-quota', namespace: props.namespace },
      spec: {
        hard: {
          'requests.cpu': quantity(q.cpu),
          'requests.memory': quantity(q.memory),
          'limits.memory': quantity(q.memory),
          pods: quantity(q.pods),
          'requests.storage': quantity(q.storage),
        },
      },
    });

    const d = props.containerDefaults;
    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: 'container-defaults', namespace: props.namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            default: resources(d.default),
            defaultRequest: resources(d.defaultRequest),
            ...(d.max ? { max: resources(d.max) } : {}),
          },
        ],
      },
    });
  }
}

function quantity(value: QuantityInput): k8s.Quantity {
  return k8s.Quantity.fromString(quantityString(value));
}

function resources(r: DefaultLimits): Record<string, k8s.Quantity> {
  return { ...(r.cpu !== undefined ? { cpu: quantity(r.cpu) } : {}), memory: quantity(r.memory) };
}

function validateQuota(quota: TenantQuota, subject: string): void {
  for (const key of ['cpu', 'memory', 'storage'] as const) {
    requireThat(parseQuantity(quota[key], `quota.${key}`) > 0, `quota.${key}`, 'must be greater than zero', subject);
  }
  requireThat(
    Number.isInteger(quota.pods) && quota.pods > 0,
    'quota.pods',
    `must be a whole number above zero, got ${quota.pods}`,
    subject,
  );
}

function validateContainerDefaults(d: ContainerDefaults, subject: string): void {
  for (const resource of ['cpu', 'memory'] as const) {
    const request = parseQuantity(d.defaultRequest[resource], `containerDefaults.defaultRequest.${resource}`);
    const max = d.max ? parseQuantity(d.max[resource], `containerDefaults.max.${resource}`) : undefined;
    // Kubernetes defaults an absent default limit to max (SetDefaults_LimitRangeItem).
    const written = d.default[resource];
    const limit = written !== undefined ? parseQuantity(written, `containerDefaults.default.${resource}`) : max;
    const limitText = written ?? d.max?.[resource];
    if (limit !== undefined) {
      requireThat(
        request <= limit,
        `containerDefaults.defaultRequest.${resource}`,
        `${d.defaultRequest[resource]} is more than the default limit ${limitText}; a request must not exceed its limit`,
        subject,
      );
    }
    if (max !== undefined && written !== undefined) {
      requireThat(
        parseQuantity(written) <= max,
        `containerDefaults.default.${resource}`,
        `${written} is more than the maximum ${d.max![resource]}`,
        subject,
      );
    }
    if (max !== undefined) {
      requireThat(
        request <= max,
        `containerDefaults.defaultRequest.${resource}`,
        `${d.defaultRequest[resource]} is more than the maximum ${d.max![resource]}`,
        subject,
      );
    }
  }
}

function resolvePodSecurity(props: PodSecurityProps | undefined, subject: string): Required<PodSecurityProps> {
  const resolved = {
    enforce: props?.enforce ?? 'baseline',
    warnAndAudit: props?.warnAndAudit ?? 'restricted',
    version: props?.version ?? 'latest',
  } satisfies Required<PodSecurityProps>;
  for (const key of ['enforce', 'warnAndAudit'] as const) {
    if (!POD_SECURITY_LEVELS.includes(resolved[key])) {
      throw new ConfigurationError(
        `podSecurity.${key}`,
        `"${resolved[key]}" is not a level; allowed: ${POD_SECURITY_LEVELS.join(', ')}`,
        subject,
      );
    }
  }
  requireThat(
    /^(latest|v1\.\d+)$/.test(resolved.version),
    'podSecurity.version',
    `"${resolved.version}" is not a policy version; allowed: latest or v1.<minor>, e.g. v1.30`,
    subject,
  );
  return resolved;
}
