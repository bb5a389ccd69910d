import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { ConfigurationError, requireThat } from '../primitives/errors.js';
import { assertDnsLabel } from '../primitives/names.js';
import { SPARK_UI_PORT } from '../spark/pod-templates.js';
import { requireCidr, resolveNetworkPorts, type NetworkPort, type ResolvedNetworkPort } from '../primitives/network.js';
import { NAMESPACE_NAME_LABEL } from '../primitives/labels.js';
import { assertTenantNamespaceName } from './tenant-namespace.js';

/** Egress to anywhere: the default, because Spark reaches S3, EMR, STS and CloudWatch at public AWS addresses. */
export interface AllowAllEgress {
  readonly mode: 'allow-all';
}

/**
 * Egress only to pods of the same namespace and of `allowIngressFromNamespaces`, the EKS API server and the listed CIDRs.
 * S3 through a gateway endpoint still uses S3's public address ranges (the prefix list's CIDRs); interface
 * endpoints (STS, EMR, CloudWatch Logs, ECR, S3 interface) have addresses in the VPC.
 */
export interface RestrictedEgress {
  readonly mode: 'restricted';
  /**
   * Addresses of the Kubernetes API server, reached on TCP 443. Required because the EMR job submitter and the Spark
   * driver create and watch pods through it: without it no job starts. List the `kubernetes` Service's ClusterIP and
   * its endpoints (the EKS control-plane ENIs, or the public endpoint's addresses): whether a policy sees the Service
   * address or the endpoint address depends on the network policy engine.
   */
  readonly apiServerCidrs: readonly string[];
  /** Further destinations, e.g. VPC endpoint subnets or S3's prefix-list CIDRs. Pods of the namespace and of `allowIngressFromNamespaces` are allowed besides. */
  readonly cidrs: readonly string[];
  /** Ports allowed to `cidrs`. @default every port */
  readonly ports?: readonly NetworkPort[];
  /**
   * Where AWS services answer on HTTPS: VPC interface endpoint subnets (S3, STS, CloudWatch Logs, ...) and, for an S3
   * gateway endpoint, the CIDRs of the region's `com.amazonaws.<region>.s3` prefix list (S3 keeps its public
   * addresses behind a gateway endpoint). Allowed on TCP 443 by the `allow-aws-services` policy. @default none
   */
  readonly awsServiceCidrs?: readonly string[];
}

export type TenantEgress = AllowAllEgress | RestrictedEgress;

export interface TenantNetworkPoliciesProps {
  /** The tenant namespace, a DNS-1123 label; not one of RESERVED_NAMESPACES. */
  readonly namespace: string;
  /** Namespace of the Prometheus that scrapes Spark pods. @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /** Ports Prometheus scrapes on Spark driver and executor pods; at least one. @default [{ port: 4040, protocol: 'TCP' }] (the Spark UI, which serves the metrics) */
  readonly metricsPorts?: readonly NetworkPort[];
  /** Namespaces whose pods may reach any pod of the tenant, e.g. `jupyterhub` so notebooks reach the drivers they start. @default none */
  readonly allowIngressFromNamespaces?: readonly string[];
  /** Where the tenant's pods may connect to besides DNS, which is always allowed. @default { mode: 'allow-all' } */
  readonly egress?: TenantEgress;
}

/** Names of the NetworkPolicies a TenantNetworkPolicies creates, in creation order. */
export const TENANT_NETWORK_POLICY_NAMES = {
  defaultDenyIngress: 'default-deny-ingress',
  allowSameNamespace: 'allow-same-namespace',
  allowMonitoringScrape: 'allow-monitoring-scrape',
  /** One per entry of allowIngressFromNamespaces: `allow-ingress-from-<namespace>`. */
  allowIngressFromPrefix: 'allow-ingress-from-',
  defaultDenyEgress: 'default-deny-egress',
  allowDns: 'allow-dns',
  allowEgress: 'allow-egress',
  allowAwsServices: 'allow-aws-services',
} as const;

/** Label EMR (and Spark on Kubernetes) puts on job pods. */
const SPARK_ROLE_LABEL = 'spark-role';

// DNS falls back to TCP for answers too large for UDP.
const DNS_PORTS: readonly ResolvedNetworkPort[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

/** Props with defaults applied and validated; what the construct renders. */
export interface ResolvedTenantNetworkPolicies {
  readonly namespace: string;
  readonly monitoringNamespace: string;
  readonly metricsPorts: readonly ResolvedNetworkPort[];
  readonly allowIngressFromNamespaces: readonly string[];
  readonly egress: AllowAllEgress | ResolvedRestrictedEgress;
}

/** RestrictedEgress with the protocols of its ports filled in. */
export interface ResolvedRestrictedEgress extends Omit<RestrictedEgress, 'ports'> {
  readonly ports?: readonly ResolvedNetworkPort[];
}

/** Applies the defaults of TenantNetworkPoliciesProps and validates them; throws a ConfigurationError naming the field. */
export function resolveTenantNetworkPolicies(props: TenantNetworkPoliciesProps): ResolvedTenantNetworkPolicies {
  const subject = `TenantNetworkPolicies ${props.namespace}`;
  assertTenantNamespaceName(props.namespace, 'namespace', subject);
  const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
  assertDnsLabel(monitoringNamespace, 'monitoringNamespace', subject);

  const metricsPorts = props.metricsPorts ?? [{ port: SPARK_UI_PORT, protocol: 'TCP' }];
  // An empty port list in a NetworkPolicy rule means every port: refuse it rather than open all of them.
  requireThat(
    metricsPorts.length > 0,
    'metricsPorts',
    'must list at least one port; an empty list would allow every port',
    subject,
  );

  const fromNamespaces = props.allowIngressFromNamespaces ?? [];
  fromNamespaces.forEach((name, i) => {
    const field = `allowIngressFromNamespaces[${i}]`;
    assertDnsLabel(name, field, subject);
    requireThat(
      name !== props.namespace,
      field,
      `"${name}" is the tenant namespace itself, already allowed by ${TENANT_NETWORK_POLICY_NAMES.allowSameNamespace}`,
      subject,
    );
    requireThat(fromNamespaces.indexOf(name) === i, field, `"${name}" is listed twice`, subject);
  });

  return {
    namespace: props.namespace,
    monitoringNamespace,
    metricsPorts: resolveNetworkPorts(metricsPorts, 'metricsPorts', subject),
    allowIngressFromNamespaces: fromNamespaces,
    egress: resolveEgress(props.egress ?? { mode: 'allow-all' }, subject),
  };
}

function resolveEgress(egress: TenantEgress, subject: string): ResolvedTenantNetworkPolicies['egress'] {
  if (egress.mode === 'allow-all') return { mode: 'allow-all' };
  if (egress.mode !== 'restricted') {
    throw new ConfigurationError(
      'egress.mode',
      `"${(egress as { mode: string }).mode}" is not an egress mode; allowed: allow-all, restricted`,
      subject,
    );
  }
  requireThat(
    egress.apiServerCidrs.length > 0,
    'egress.apiServerCidrs',
    'must list the API server addresses; the EMR job submitter and the Spark driver cannot start pods without them',
    subject,
  );
  egress.apiServerCidrs.forEach((cidr, i) => {
    requireCidr(cidr, `egress.apiServerCidrs[${i}]`, subject);
  });
  egress.cidrs.forEach((cidr, i) => {
    requireCidr(cidr, `egress.cidrs[${i}]`, subject);
  });
  const awsServiceCidrs = egress.awsServiceCidrs ?? [];
  awsServiceCidrs.forEach((cidr, i) => {
    requireCidr(cidr, `egress.awsServiceCidrs[${i}]`, subject);
  });
  const resolved = {
    mode: 'restricted',
    apiServerCidrs: egress.apiServerCidrs,
    cidrs: egress.cidrs,
    awsServiceCidrs,
  } as const;
  if (egress.ports === undefined) return resolved;
  requireThat(
    egress.ports.length > 0,
    'egress.ports',
    'must list at least one port when given; leave it out to allow every port',
    subject,
  );
  return { ...resolved, ports: resolveNetworkPorts(egress.ports, 'egress.ports', subject) };
}

/**
 * Network isolation of a tenant namespace. Ingress is denied except from the namespace's own pods (Spark driver,
 * executors, block manager and shuffle talk to each other), from the monitoring namespace to Spark pods' metrics
 * ports, and from `allowIngressFromNamespaces`. Egress is denied except what `egress` allows and DNS to kube-dns,
 * which is always allowed: without name resolution Spark reaches neither S3 and STS nor the API server, whatever
 * else egress allows. Policies are additive, so each allowance is its own small, reviewable object.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { TenantNetworkPolicies } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'analytics');
 * new TenantNetworkPolicies(chart, 'network', {
 *   namespace: 'spark-analytics',
 *   allowIngressFromNamespaces: ['jupyterhub'], // notebooks start drivers here
 *   egress: { mode: 'restricted', apiServerCidrs: ['10.0.0.0/16'], cidrs: ['0.0.0.0/0'], ports: [{ port: 443 }] },
 * });
 * ```
 */
export class TenantNetworkPolicies extends Construct {
  /** Every policy created, by `metadata.name`. */
  readonly policies: ReadonlyMap<string, k8s.KubeNetworkPolicy>;

  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    const resolved = resolveTenantNetworkPolicies(props);
    const policies = new Map<string, k8s.KubeNetworkPolicy>();
    const add = (name: string, spec: k8s.NetworkPolicySpec): void => {
      policies.set(
        name,
        new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: resolved.namespace }, spec }),
      );
    };
    const names = TENANT_NETWORK_POLICY_NAMES;
    const allPods = {};

    add(names.defaultDenyIngress, { podSelector: allPods, policyTypes: ['Ingress'] });
    // A peer with only a podSelector means pods of the policy's own namespace.
    add(names.allowSameNamespace, {
      podSelector: allPods,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: allPods }] }],
    });
    add(names.allowMonitoringScrape, {
      podSelector: { matchExpressions: [{ key: SPARK_ROLE_LABEL, operator: 'In', values: ['driver', 'executor'] }] },
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespacePeer(resolved.monitoringNamespace)], ports: resolved.metricsPorts.map(policyPort) }],
    });
    for (const namespace of resolved.allowIngressFromNamespaces) {
      add(`${names.allowIngressFromPrefix}${namespace}`, {
        podSelector: allPods,
        policyTypes: ['Ingress'],
        ingress: [{ from: [namespacePeer(namespace)] }],
      });
    }

    add(names.defaultDenyEgress, { podSelector: allPods, policyTypes: ['Egress'] });
    add(names.allowDns, {
      podSelector: allPods,
      policyTypes: ['Egress'],
      egress: [
        {
          // Both selectors in one peer: kube-dns pods in kube-system, not any pod labelled k8s-app=kube-dns.
          to: [{ ...namespacePeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: DNS_PORTS.map(policyPort),
        },
      ],
    });
    add(names.allowEgress, { podSelector: allPods, policyTypes: ['Egress'], egress: egressRules(resolved) });
    if (resolved.egress.mode === 'restricted' && (resolved.egress.awsServiceCidrs?.length ?? 0) > 0) {
      add(names.allowAwsServices, {
        podSelector: allPods,
        policyTypes: ['Egress'],
        egress: [
          {
            to: resolved.egress.awsServiceCidrs!.map(ipBlockPeer),
            ports: [policyPort({ port: 443, protocol: 'TCP' })],
          },
        ],
      });
    }

    this.policies = policies;
  }
}

function egressRules({
  egress,
  allowIngressFromNamespaces,
}: ResolvedTenantNetworkPolicies): k8s.NetworkPolicyEgressRule[] {
  if (egress.mode === 'allow-all') {
    // Whether ipBlock matches pod addresses is up to the network policy engine: name all pods as well.
    return [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }, { namespaceSelector: {} }] }];
  }
  return [
    { to: [{ podSelector: {} }] },
    // In Spark client mode the driver runs in the notebook's pod and the executors connect back to it.
    ...(allowIngressFromNamespaces.length > 0 ? [{ to: allowIngressFromNamespaces.map(namespacePeer) }] : []),
    { to: egress.apiServerCidrs.map(ipBlockPeer), ports: [policyPort({ port: 443, protocol: 'TCP' })] },
    // A rule with no peers would allow every destination: leave it out when no CIDR is listed.
    ...(egress.cidrs.length > 0
      ? [{ to: egress.cidrs.map(ipBlockPeer), ...(egress.ports ? { ports: egress.ports.map(policyPort) } : {}) }]
      : []),
  ];
}

function namespacePeer(namespace: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } };
}

function ipBlockPeer(cidr: string): k8s.NetworkPolicyPeer {
  return { ipBlock: { cidr } };
}

function policyPort(p: ResolvedNetworkPort): k8s.NetworkPolicyPort {
  return {
    port: k8s.IntOrString.fromNumber(p.port),
    protocol: p.protocol,
    ...(p.endPort !== undefined ? { endPort: p.endPort } : {}),
  };
}
