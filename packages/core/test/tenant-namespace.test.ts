import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, TenantNamespace, parseQuantity, type TenantNamespaceProps } from '../src/index.js';

const props: TenantNamespaceProps = {
  namespace: 'spark-ml',
  tenant: 'ml',
  quota: { cpu: 32, memory: '256Gi', pods: 100, storage: '500Gi' },
  containerDefaults: {
    default: { cpu: '2', memory: '16Gi' },
    defaultRequest: { cpu: '1', memory: '8Gi' },
    max: { cpu: '16', memory: '128Gi' },
  },
};

function render(overrides: Partial<TenantNamespaceProps> = {}) {
  const chart = new Chart(new App(), 'test');
  new TenantNamespace(chart, 'tenant', { ...props, ...overrides });
  const objects = chart.toJson() as Array<Record<string, any>>;
  return Object.fromEntries(objects.map((o) => [o.kind, o]));
}

describe('TenantNamespace', () => {
  it('labels the namespace for the tenant and Pod Security Admission: enforce baseline, warn and audit restricted', () => {
    const { Namespace } = render({ podSecurity: { version: 'v1.30' } });
    expect(Namespace.metadata.labels).toMatchObject({
      'emr-eks-gitops.io/tenant': 'ml',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  it('turns the quota into a ResourceQuota on requests, memory limits, pods and storage', () => {
    const { ResourceQuota } = render();
    expect(ResourceQuota.metadata).toEqual({ name: 'tenant-quota', namespace: 'spark-ml' });
    expect(ResourceQuota.spec.hard).toEqual({
      'requests.cpu': '32',
      'requests.memory': '256Gi',
      'limits.memory': '256Gi',
      pods: '100',
      'requests.storage': '500Gi',
    });
  });

  it('gives containers that set nothing the default requests and limits', () => {
    const { LimitRange } = render();
    expect(LimitRange.spec.limits).toEqual([
      {
        type: 'Container',
        default: { cpu: '2', memory: '16Gi' },
        defaultRequest: { cpu: '1', memory: '8Gi' },
        max: { cpu: '16', memory: '128Gi' },
      },
    ]);
  });

  it('leaves the default CPU limit out when asked, so admission takes max.cpu for Spark pods that set none', () => {
    const { LimitRange } = render({
      containerDefaults: {
        default: { memory: '2Gi' },
        defaultRequest: { cpu: '250m', memory: '512Mi' },
        max: { cpu: '16', memory: '128Gi' },
      },
    });
    expect(LimitRange.spec.limits[0].default).toEqual({ memory: '2Gi' });
    // Requests are checked against the limit Kubernetes will default to: max.cpu.
    expect(() =>
      render({
        containerDefaults: {
          default: { memory: '2Gi' },
          defaultRequest: { cpu: '20', memory: '512Mi' },
          max: { cpu: '16', memory: '128Gi' },
        },
      }),
    ).toThrow('containerDefaults.defaultRequest.cpu: 20 is more than the default limit 16');
  });

  it.each([
    [{ namespace: 'kube-system' }, 'namespace: "kube-system" is reserved'],
    [{ namespace: 'Spark' }, 'namespace: "Spark" is not a DNS-1123 label'],
    [{ quota: { ...props.quota, cpu: '0' } }, 'quota.cpu: must be greater than zero'],
    [{ quota: { ...props.quota, memory: '12GB' } }, 'quota.memory: "12GB" is not a Kubernetes quantity'],
    [{ quota: { ...props.quota, pods: 2.5 } }, 'quota.pods: must be a whole number above zero'],
    [
      { containerDefaults: { ...props.containerDefaults, defaultRequest: { cpu: '3', memory: '8Gi' } } },
      'containerDefaults.defaultRequest.cpu: 3 is more than the default limit 2',
    ],
    [
      { containerDefaults: { ...props.containerDefaults, max: { cpu: '1', memory: '128Gi' } } },
      'containerDefaults.default.cpu: 2 is more than the maximum 1',
    ],
    [
      { podSecurity: { enforce: 'strict' as never } },
      'podSecurity.enforce: "strict" is not a level; allowed: privileged, baseline, restricted',
    ],
  ])('refuses %j', (override, message) => {
    expect(() => render(override)).toThrow(ConfigurationError);
    expect(() => render(override)).toThrow(message);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    [16, 16],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1.5Ki', 1536],
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });
});
