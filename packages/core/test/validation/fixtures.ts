// Hand-written plain objects for the rule tests: a valid baseline that each test breaks in one place.
import { validateObjects, type Finding, type ValidationInput } from '../../src/index.js';

type Json = Record<string, unknown>;

export const applied = (path: string, object: Json): ValidationInput => ({ path, object, applied: true });
export const template = (path: string, object: Json): ValidationInput => ({ path, object, applied: false });

/** Validates against the Kubernetes 1.31 schemas unless `kubernetesVersion` says otherwise. */
export function run(
  objects: readonly ValidationInput[],
  production = false,
  schemaDir?: string,
  kubernetesVersion = '1.31',
): Finding[] {
  return validateObjects(objects, {
    environment: 'test',
    production,
    kubernetesVersion,
    ...(schemaDir ? { schemaDir } : {}),
  });
}

/** The findings of one rule. */
export const ofRule = (findings: readonly Finding[], rule: string) => findings.filter((f) => f.rule === rule);

export function nodePool(
  name: string,
  options: {
    capacityTypes?: string[];
    taints?: Json[];
    weight?: number;
    labels?: Record<string, string>;
    limits?: Json;
    requirements?: Json[];
    budgets?: Json[];
  } = {},
): Json {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      ...(options.weight !== undefined ? { weight: options.weight } : {}),
      template: {
        metadata: { labels: options.labels ?? { 'emr-eks-gitops.io/pool': name } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'spark' },
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: options.capacityTypes ?? ['on-demand'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            ...(options.requirements ?? []),
          ],
          ...(options.taints ? { taints: options.taints } : {}),
        },
      },
      disruption: {
        consolidationPolicy: 'WhenEmpty',
        consolidateAfter: '5m',
        ...(options.budgets ? { budgets: options.budgets } : {}),
      },
      ...(options.limits ? { limits: options.limits } : {}),
    },
  };
}

export function ec2NodeClass(spec: Json = {}): Json {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'spark' },
    spec: {
      role: 'KarpenterNodeRole-dev',
      amiSelectorTerms: [{ alias: 'al2023@v20250101' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'dev' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'dev' } }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      ...spec,
    },
  };
}

/** The Spark platform's two pools: drivers on tainted on-demand nodes, executors on tainted spot nodes. */
export const sparkPools = (): ValidationInput[] => [
  applied(
    'platform/nodepool-spark-driver.yaml',
    nodePool('spark-driver', {
      weight: 10,
      taints: [{ key: 'spark', value: 'driver', effect: 'NoSchedule' }],
      limits: { cpu: '100', memory: '400Gi' },
    }),
  ),
  applied(
    'platform/nodepool-spark-executor.yaml',
    nodePool('spark-executor', {
      weight: 50,
      capacityTypes: ['spot', 'on-demand'],
      taints: [{ key: 'spark', value: 'executor', effect: 'NoSchedule' }],
      limits: { cpu: '200', memory: '800Gi' },
    }),
  ),
];

export function podTemplate(role: 'driver' | 'executor', spec: Json = {}, metadata: Json = {}): Json {
  const base: Json =
    role === 'driver'
      ? {
          nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' },
          tolerations: [{ key: 'spark', operator: 'Equal', value: 'driver', effect: 'NoSchedule' }],
        }
      : { tolerations: [{ key: 'spark', operator: 'Equal', value: 'executor', effect: 'NoSchedule' }] };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: { 'emr-eks-gitops.io/tenant': 'ml' }, ...metadata },
    spec: { ...base, containers: [{ name: `spark-kubernetes-${role}` }], ...spec },
  };
}

/** A tenant namespace with everything that isolates it. */
export function tenant(namespace = 'spark-ml', options: { quota?: Json; skip?: string[] } = {}): ValidationInput[] {
  const folder = `tenants/${namespace}`;
  const skip = new Set(options.skip ?? []);
  const objects: ValidationInput[] = [
    applied(`${folder}/namespace-${namespace}.yaml`, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: {
          'emr-eks-gitops.io/tenant': 'ml',
          ...(skip.has('psa') ? {} : { 'pod-security.kubernetes.io/enforce': 'baseline' }),
        },
      },
    }),
  ];
  if (!skip.has('ResourceQuota')) {
    objects.push(
      applied(`${folder}/resourcequota-tenant-quota.yaml`, {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'tenant-quota', namespace },
        spec: { hard: options.quota ?? { 'requests.cpu': '64', 'requests.memory': '256Gi', pods: '200' } },
      }),
    );
  }
  if (!skip.has('LimitRange')) {
    objects.push(
      applied(`${folder}/limitrange-container-defaults.yaml`, {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'container-defaults', namespace },
        spec: {
          limits: [
            { type: 'Container', default: { cpu: '1', memory: '4Gi' }, defaultRequest: { cpu: '500m', memory: '2Gi' } },
          ],
        },
      }),
    );
  }
  if (!skip.has('NetworkPolicy')) {
    objects.push(
      applied(`${folder}/networkpolicy-default-deny.yaml`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      }),
    );
  }
  return objects;
}
