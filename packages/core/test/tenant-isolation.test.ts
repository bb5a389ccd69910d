import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  TenantNetworkPolicies,
  TenantServiceAccounts,
  type TenantNetworkPoliciesProps,
  type TenantServiceAccountsProps,
} from '../src/index.js';
import { configurationErrorOf, synthByName, validationFindings } from './helpers.js';

const TENANT = 'spark-ml';
const RESTRICTED = {
  mode: 'restricted',
  apiServerCidrs: ['172.20.0.1/32', '10.0.32.0/24'],
  cidrs: ['10.0.8.0/24', '2600:1f18:aa::/56'],
} as const;

function renderPolicies(overrides: Partial<TenantNetworkPoliciesProps> = {}): Record<string, any>[] {
  const chart = new Chart(new App(), 'test');
  new TenantNetworkPolicies(chart, 'net', { namespace: TENANT, ...overrides });
  return Object.values(synthByName(chart));
}

function policy(policies: Record<string, any>[], name: string): Record<string, any> {
  const found = policies.find((p) => p.metadata.name === name);
  if (!found) throw new Error(`no NetworkPolicy ${name}`);
  return found;
}

// A small NetworkPolicy evaluator, so tests assert what traffic is allowed rather than the exact shape of the YAML.
interface Endpoint {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly ip?: string;
}
interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

function selects(selector: Record<string, any> | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const matchExpressions = (selector.matchExpressions ?? []).every((e: any) => {
    switch (e.operator) {
      case 'In':
        return e.values.includes(labels[e.key]);
      case 'NotIn':
        return !e.values.includes(labels[e.key]);
      case 'Exists':
        return e.key in labels;
      case 'DoesNotExist':
        return !(e.key in labels);
      default:
        throw new Error(`operator ${e.operator}`);
    }
  });
  return matchLabels && matchExpressions;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, prefix] = cidr.split('/') as [string, string];
  if (ip.includes(':') || base.includes(':')) return ip.includes(':') && base.includes(':') && Number(prefix) === 0;
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipv4ToNumber(ip) / size) === Math.floor(ipv4ToNumber(base) / size);
}

function peerMatches(peer: Record<string, any>, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return other.ip !== undefined && inCidr(other.ip, peer.ipBlock.cidr);
  if (other.namespace === undefined) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })
    : other.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector === undefined || selects(peer.podSelector, other.labels ?? {}));
}

function portMatches(ports: Record<string, any>[] | undefined, c: Connection): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some(
    (p) => (p.protocol ?? 'TCP') === (c.protocol ?? 'TCP') && c.port >= p.port && c.port <= (p.endPort ?? p.port),
  );
}

/** Whether `direction` of `c` is allowed by the policies of the namespace on that side. */
function allowedOneWay(policies: Record<string, any>[], c: Connection, direction: 'Ingress' | 'Egress'): boolean {
  const [local, remote] = direction === 'Ingress' ? [c.to, c.from] : [c.from, c.to];
  if (local.namespace !== TENANT) return true;
  const applying = policies.filter(
    (p) => p.spec.policyTypes.includes(direction) && selects(p.spec.podSelector, local.labels ?? {}),
  );
  if (applying.length === 0) return true;
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const peers = direction === 'Ingress' ? 'from' : 'to';
  return applying.some((p) =>
    (p.spec[field] ?? []).some(
      (rule: any) =>
        (rule[peers] === undefined ||
          rule[peers].some((peer: any) => peerMatches(peer, p.metadata.namespace, remote))) &&
        portMatches(rule.ports, c),
    ),
  );
}

function allowed(policies: Record<string, any>[], c: Connection): boolean {
  return allowedOneWay(policies, c, 'Egress') && allowedOneWay(policies, c, 'Ingress');
}

const driver: Endpoint = {
  namespace: TENANT,
  labels: { 'spark-role': 'driver', 'emr-containers.amazonaws.com/resource.type': 'job.run' },
};
const executor: Endpoint = {
  namespace: TENANT,
  labels: { 'spark-role': 'executor', 'emr-containers.amazonaws.com/resource.type': 'job.run' },
};
const jobSubmitter: Endpoint = {
  namespace: TENANT,
  labels: { 'emr-containers.amazonaws.com/resource.type': 'job.run' },
};
const prometheus: Endpoint = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
const kubeDns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

describe('TenantNetworkPolicies', () => {
  it('creates the default-deny, same-namespace, monitoring, DNS and egress policies in the tenant namespace', () => {
    const policies = renderPolicies({ allowIngressFromNamespaces: ['jupyterhub'] });
    expect(policies.map((p) => p.metadata)).toEqual(
      [
        'default-deny-ingress',
        'allow-same-namespace',
        'allow-monitoring-scrape',
        'allow-ingress-from-jupyterhub',
        'default-deny-egress',
        'allow-dns',
        'allow-egress',
      ].map((name) => ({ name, namespace: TENANT })),
    );
  });

  it('denies all ingress and all egress by default, with policies that select every pod and have no rules', () => {
    const policies = renderPolicies();
    expect(policy(policies, 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(policy(policies, 'default-deny-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    const fromOtherTenant: Endpoint = { namespace: 'spark-finance', labels: { 'spark-role': 'executor' } };
    expect(allowed(policies, { from: fromOtherTenant, to: driver, port: 7078 })).toBe(false);
    expect(allowed(policies, { from: fromOtherTenant, to: driver, port: 4040 })).toBe(false);
    expect(allowed(policies, { from: { ip: '10.0.1.10' }, to: executor, port: 7079 })).toBe(false);
  });

  it('lets pods of the namespace reach each other on any port (driver, executors, block manager, shuffle)', () => {
    const policies = renderPolicies({ egress: RESTRICTED });
    for (const port of [7078, 7079, 7337, 4040]) {
      expect(allowed(policies, { from: executor, to: driver, port })).toBe(true);
      expect(allowed(policies, { from: driver, to: executor, port })).toBe(true);
    }
  });

  it('lets the monitoring namespace reach only port 4040/TCP of Spark driver and executor pods', () => {
    const policies = renderPolicies();
    expect(allowed(policies, { from: prometheus, to: driver, port: 4040 })).toBe(true);
    expect(allowed(policies, { from: prometheus, to: executor, port: 4040 })).toBe(true);
    expect(allowed(policies, { from: prometheus, to: driver, port: 4041 })).toBe(false);
    expect(allowed(policies, { from: prometheus, to: driver, port: 7078 })).toBe(false);
    expect(allowed(policies, { from: prometheus, to: driver, port: 4040, protocol: 'UDP' })).toBe(false);
    expect(allowed(policies, { from: prometheus, to: jobSubmitter, port: 4040 })).toBe(false);
    expect(allowed(policies, { from: { namespace: 'spark-finance' }, to: driver, port: 4040 })).toBe(false);
  });

  it('scrapes the configured monitoring namespace and metrics ports instead of the defaults', () => {
    const policies = renderPolicies({
      monitoringNamespace: 'observability',
      metricsPorts: [{ port: 8090 }, { port: 9090, endPort: 9091 }],
    });
    const observability: Endpoint = { namespace: 'observability' };
    expect(allowed(policies, { from: observability, to: driver, port: 8090 })).toBe(true);
    expect(allowed(policies, { from: observability, to: driver, port: 9091 })).toBe(true);
    expect(allowed(policies, { from: observability, to: driver, port: 4040 })).toBe(false);
    expect(allowed(policies, { from: prometheus, to: driver, port: 8090 })).toBe(false);
  });

  it.each([
    ['allow-all', { mode: 'allow-all' }],
    ['restricted', RESTRICTED],
    ['restricted to a port', { ...RESTRICTED, ports: [{ port: 443 }] }],
  ] as const)('always allows DNS to kube-dns on 53/UDP and 53/TCP (%s egress)', (_, egress) => {
    const policies = renderPolicies({ egress });
    expect(policy(policies, 'allow-dns').spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ]);
    expect(allowed(policies, { from: executor, to: kubeDns, port: 53, protocol: 'UDP' })).toBe(true);
    expect(allowed(policies, { from: executor, to: kubeDns, port: 53, protocol: 'TCP' })).toBe(true);
  });

  it('allows egress anywhere by default, so jobs reach S3, EMR and STS', () => {
    const policies = renderPolicies();
    const cidrs = policy(policies, 'allow-egress').spec.egress.flatMap((r: any) =>
      r.to.filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr),
    );
    expect(cidrs).toEqual(['0.0.0.0/0', '::/0']);
    expect(allowed(policies, { from: driver, to: { ip: '52.216.0.10' }, port: 443 })).toBe(true);
    // Pods elsewhere in the cluster are reachable whether or not the engine matches pod addresses by ipBlock;
    // the other side's own ingress policies decide.
    expect(policy(policies, 'allow-egress').spec.egress[0].to).toContainEqual({ namespaceSelector: {} });
    expect(allowedOneWay(policies, { from: executor, to: { namespace: 'jupyterhub' }, port: 8888 }, 'Egress')).toBe(
      true,
    );
  });

  it('in restricted mode allows exactly the given CIDRs, the API server on 443 and the namespace pods', () => {
    const policies = renderPolicies({ egress: RESTRICTED });
    const rules = policy(policies, 'allow-egress').spec.egress;
    const cidrs = rules.flatMap((r: any) => r.to.filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr));
    expect(cidrs.sort()).toEqual([...RESTRICTED.apiServerCidrs, ...RESTRICTED.cidrs].sort());
    expect(allowed(policies, { from: driver, to: { ip: '172.20.0.1' }, port: 443 })).toBe(true);
    expect(allowed(policies, { from: driver, to: { ip: '172.20.0.1' }, port: 80 })).toBe(false);
    expect(allowed(policies, { from: executor, to: { ip: '10.0.8.77' }, port: 443 })).toBe(true);
    expect(allowed(policies, { from: executor, to: { ip: '10.0.8.77' }, port: 5432 })).toBe(true);
    expect(allowed(policies, { from: executor, to: { ip: '10.0.9.1' }, port: 443 })).toBe(false);
    expect(allowed(policies, { from: executor, to: { ip: '52.216.0.10' }, port: 443 })).toBe(false);
    expect(
      allowed(policies, {
        from: executor,
        to: { namespace: 'kube-system', labels: { app: 'metrics-server' } },
        port: 53,
      }),
    ).toBe(false);
  });

  it('limits the restricted CIDRs to the given ports', () => {
    const policies = renderPolicies({ egress: { ...RESTRICTED, ports: [{ port: 443 }] } });
    expect(allowed(policies, { from: executor, to: { ip: '10.0.8.77' }, port: 443 })).toBe(true);
    expect(allowed(policies, { from: executor, to: { ip: '10.0.8.77' }, port: 5432 })).toBe(false);
  });

  it('in restricted mode allows HTTPS, and only HTTPS, to the AWS service endpoints (interface endpoints, S3 prefix list)', () => {
    const policies = renderPolicies({
      egress: { ...RESTRICTED, ports: [{ port: 5432 }], awsServiceCidrs: ['10.0.96.0/24', '52.219.56.0/22'] },
    });
    expect(policy(policies, 'allow-aws-services').spec.policyTypes).toEqual(['Egress']);
    // S3 behind a gateway endpoint keeps its public addresses: reached on 443, nothing else.
    expect(allowed(policies, { from: executor, to: { ip: '52.219.57.10' }, port: 443 })).toBe(true);
    expect(allowed(policies, { from: executor, to: { ip: '52.219.57.10' }, port: 80 })).toBe(false);
    expect(allowed(policies, { from: driver, to: { ip: '10.0.96.20' }, port: 443 })).toBe(true);
    expect(allowed(policies, { from: driver, to: { ip: '52.216.0.10' }, port: 443 })).toBe(false);
    // Without endpoint CIDRs there is no such policy (an empty peer list would allow everything).
    expect(renderPolicies({ egress: RESTRICTED }).some((p) => p.metadata.name === 'allow-aws-services')).toBe(false);
  });

  it('lets the listed namespaces reach every pod, and in restricted mode be reached back', () => {
    const policies = renderPolicies({ allowIngressFromNamespaces: ['jupyterhub'], egress: RESTRICTED });
    const notebook: Endpoint = { namespace: 'jupyterhub', labels: { component: 'singleuser-server' } };
    expect(allowed(policies, { from: notebook, to: driver, port: 4040 })).toBe(true);
    expect(allowed(policies, { from: notebook, to: executor, port: 7079 })).toBe(true);
    expect(allowed(policies, { from: executor, to: notebook, port: 7078 })).toBe(true);
    expect(allowed(policies, { from: { namespace: 'spark-finance' }, to: driver, port: 4040 })).toBe(false);
  });

  // Selectors, peers and ports of every policy, as rendered; the same in both modes except the ones each case names.
  const namespacePeer = (name: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
  });
  const common = {
    'default-deny-ingress': { podSelector: {}, policyTypes: ['Ingress'] },
    'allow-same-namespace': { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    'allow-monitoring-scrape': {
      podSelector: { matchExpressions: [{ key: 'spark-role', operator: 'In', values: ['driver', 'executor'] }] },
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespacePeer('monitoring')], ports: [{ port: 4040, protocol: 'TCP' }] }],
    },
    'default-deny-egress': { podSelector: {}, policyTypes: ['Egress'] },
    'allow-dns': {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ...namespacePeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    },
  };
  it.each([
    [
      'allow-all',
      {},
      {
        'allow-egress': {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }, { namespaceSelector: {} }] },
          ],
        },
      },
    ],
    [
      'restricted',
      {
        egress: { ...RESTRICTED, ports: [{ port: 443 }, { port: 8000, endPort: 8100, protocol: 'TCP' }] },
        allowIngressFromNamespaces: ['jupyterhub'],
      },
      {
        'allow-ingress-from-jupyterhub': {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [namespacePeer('jupyterhub')] }],
        },
        'allow-egress': {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            { to: [{ podSelector: {} }] },
            { to: [namespacePeer('jupyterhub')] },
            {
              to: [{ ipBlock: { cidr: '172.20.0.1/32' } }, { ipBlock: { cidr: '10.0.32.0/24' } }],
              ports: [{ port: 443, protocol: 'TCP' }],
            },
            {
              to: [{ ipBlock: { cidr: '10.0.8.0/24' } }, { ipBlock: { cidr: '2600:1f18:aa::/56' } }],
              ports: [
                { port: 443, protocol: 'TCP' },
                { port: 8000, endPort: 8100, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    ],
  ] as const)(
    "renders each NetworkPolicy's selectors, peers and ports, passing the project's validation (%s)",
    (_, overrides, specific) => {
      const policies = renderPolicies(overrides as Partial<TenantNetworkPoliciesProps>);
      expect(Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]))).toEqual({ ...common, ...specific });
      expect(
        policies.every(
          (p) =>
            p.apiVersion === 'networking.k8s.io/v1' && p.kind === 'NetworkPolicy' && p.metadata.namespace === TENANT,
        ),
      ).toBe(true);
      expect(validationFindings(policies)).toEqual([]);
    },
  );

  it.each([
    [{ egress: { ...RESTRICTED, cidrs: ['10.0.0.0/33'] } }, 'egress.cidrs[0]'],
    [{ egress: { ...RESTRICTED, cidrs: ['10.0.8.0/24', '10.0.0.0'] } }, 'egress.cidrs[1]'],
    [{ egress: { ...RESTRICTED, cidrs: ['300.0.0.0/8'] } }, 'egress.cidrs[0]'],
    [{ egress: { ...RESTRICTED, cidrs: ['010.0.0.0/8'] } }, 'egress.cidrs[0]'],
    [{ egress: { ...RESTRICTED, cidrs: ['2600:1f18::/129'] } }, 'egress.cidrs[0]'],
    [{ egress: { ...RESTRICTED, cidrs: ['fe80::1%eth0/64'] } }, 'egress.cidrs[0]'],
    [{ egress: { ...RESTRICTED, apiServerCidrs: ['api.eks'] } }, 'egress.apiServerCidrs[0]'],
    [{ egress: { ...RESTRICTED, apiServerCidrs: [] } }, 'egress.apiServerCidrs'],
    [{ egress: { ...RESTRICTED, ports: [] } }, 'egress.ports'],
    [{ egress: { ...RESTRICTED, ports: [{ port: 443 }, { port: 65536 }] } }, 'egress.ports[1].port'],
    [{ egress: { mode: 'deny-all' } as never }, 'egress.mode'],
    [{ metricsPorts: [{ port: 0 }] }, 'metricsPorts[0].port'],
    [{ metricsPorts: [{ port: 40.4 }] }, 'metricsPorts[0].port'],
    [{ metricsPorts: [{ port: 4040, endPort: 4000 }] }, 'metricsPorts[0].endPort'],
    [{ metricsPorts: [{ port: 4040, protocol: 'ICMP' as never }] }, 'metricsPorts[0].protocol'],
    [{ metricsPorts: [] }, 'metricsPorts'],
    [{ monitoringNamespace: 'Monitoring' }, 'monitoringNamespace'],
    [{ allowIngressFromNamespaces: ['jupyterhub', 'jupyterhub'] }, 'allowIngressFromNamespaces[1]'],
    [{ allowIngressFromNamespaces: [TENANT] }, 'allowIngressFromNamespaces[0]'],
    [{ namespace: 'kube-system' }, 'namespace'],
  ] as const)('refuses %j naming %s', (overrides, field) => {
    const error = configurationErrorOf(() => renderPolicies(overrides as Partial<TenantNetworkPoliciesProps>));
    expect(error.field).toBe(field);
  });
});

const ROLE_ARN = 'arn:aws:iam::111122223333:role/emr-dev-ml-notebook';

function renderAccounts(
  serviceAccounts: TenantServiceAccountsProps['serviceAccounts'],
  namespace = TENANT,
): Record<string, any> {
  const chart = new Chart(new App(), 'test');
  new TenantServiceAccounts(chart, 'sa', { namespace, serviceAccounts });
  return synthByName(chart);
}

describe('TenantServiceAccounts', () => {
  it('binds an account to its IAM role through IRSA, with regional STS and no token mounted', () => {
    const account = renderAccounts([{ name: 'notebook', roleArn: ROLE_ARN }])['ServiceAccount/notebook'];
    expect(account.metadata).toEqual({
      name: 'notebook',
      namespace: TENANT,
      annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN, 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
    });
    expect(account.automountServiceAccountToken).toBe(false);
    expect(account).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: account.metadata,
      automountServiceAccountToken: false,
    });
    expect(validationFindings([account])).toEqual([]);
  });

  it('mounts the token only when asked, and annotates nothing without a role', () => {
    const objects = renderAccounts([
      { name: 'spark-operator', automountServiceAccountToken: true, labels: { team: 'ml' } },
      { name: 'batch', roleArn: 'arn:aws-cn:iam::111122223333:role/jobs/batch', stsRegionalEndpoints: false },
    ]);
    expect(objects['ServiceAccount/spark-operator'].automountServiceAccountToken).toBe(true);
    expect(objects['ServiceAccount/spark-operator'].metadata).toEqual({
      name: 'spark-operator',
      namespace: TENANT,
      labels: { team: 'ml' },
    });
    expect(objects['ServiceAccount/batch'].metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws-cn:iam::111122223333:role/jobs/batch',
    });
  });

  it('binds sparkDriver accounts to a Role for exactly what a Spark driver does in its namespace, and mounts their token', () => {
    const objects = renderAccounts([{ name: 'notebook-spark', sparkDriver: true }, { name: 'batch' }]);
    expect(objects['ServiceAccount/notebook-spark'].automountServiceAccountToken).toBe(true);
    expect(objects['ServiceAccount/batch'].automountServiceAccountToken).toBe(false);
    expect(objects['Role/spark-driver'].rules).toEqual([
      {
        apiGroups: [''],
        resources: ['pods'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch', 'patch'],
      },
      {
        apiGroups: [''],
        resources: ['configmaps', 'persistentvolumeclaims', 'services'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'],
      },
    ]);
    expect(objects['Role/spark-driver'].metadata.namespace).toBe(TENANT);
    expect(objects['RoleBinding/spark-driver'].subjects).toEqual([
      { kind: 'ServiceAccount', name: 'notebook-spark', namespace: TENANT },
    ]);
    expect(objects['RoleBinding/spark-driver'].roleRef).toEqual({
      kind: 'Role',
      name: 'spark-driver',
      apiGroup: 'rbac.authorization.k8s.io',
    });
    expect(validationFindings(Object.values(objects))).toEqual([]);
    // No driver accounts, no Role; a driver account that may not mount its token is refused.
    expect(Object.keys(renderAccounts([{ name: 'batch' }]))).toEqual(['ServiceAccount/batch']);
    expect(
      configurationErrorOf(() =>
        renderAccounts([{ name: 'nb', sparkDriver: true, automountServiceAccountToken: false }]),
      ).field,
    ).toBe('serviceAccounts[0].automountServiceAccountToken');
  });

  it.each([
    [[{ name: 'notebook' }, { name: 'notebook' }], 'serviceAccounts[1].name'],
    [[{ name: 'emr-containers-sa-spark-driver-111122223333-abc' }], 'serviceAccounts[0].name'],
    [[{ name: 'Notebook' }], 'serviceAccounts[0].name'],
    [[{ name: 'notebook', roleArn: 'arn:aws:iam::1111:role/x' }], 'serviceAccounts[0].roleArn'],
    [[{ name: 'notebook', roleArn: 'arn:aws:iam::111122223333:user/x' }], 'serviceAccounts[0].roleArn'],
    [[{ name: 'notebook', stsRegionalEndpoints: true }], 'serviceAccounts[0].stsRegionalEndpoints'],
    [[{ name: 'notebook', labels: { 'bad key!': 'x' } }], 'serviceAccounts[0].labels["bad key!"]'],
  ] as const)('refuses %j naming %s', (accounts, field) => {
    expect(configurationErrorOf(() => renderAccounts(accounts)).field).toBe(field);
  });

  it('refuses a reserved namespace', () => {
    expect(configurationErrorOf(() => renderAccounts([{ name: 'notebook' }], 'default')).field).toBe('namespace');
  });
});
