import { describe, expect, it } from 'vitest';
import { ExclusiveCapacityClassPolicy } from '@emr-eks-gitops/core';
import { App, Chart } from 'cdk8s';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { admit } from './admission-harness.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Obj = Record<string, any>;

const GPU = 'capacity class gpu is exclusive to ml (namespace spark-ml): ';
const NVME = 'capacity class memory-nvme is exclusive to ml (namespace spark-ml): ';
const tolerationDenied = (reserved: string, name: string) =>
  `${reserved}pods of this namespace may not tolerate its taint emr-eks-gitops.io/capacity-class=${name}:NoSchedule (a toleration of that key and value, an Exists toleration of that key, or an Exists toleration without a key, which tolerates every taint); remove the toleration`;
const selectionDenied = (reserved: string, name: string) =>
  `${reserved}pods of this namespace may not select its nodes (nodeSelector emr-eks-gitops.io/capacity-class: ${name} or a required node affinity emr-eks-gitops.io/capacity-class In [${name}]); select a class granted to this tenant`;
const nodeNameDenied = (reserved: string) =>
  `${reserved}pods of this namespace may not set spec.nodeName, which skips the scheduler and the class taint; leave placement to the scheduler`;

// What the API server's DefaultTolerationSeconds plugin adds to every pod before validating admission runs.
const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];
const podWith = (spec: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'spark-kubernetes-executor', image: 'i' }], ...spec },
});
const withTolerations = (...tolerations: Obj[]) => podWith({ tolerations: [...tolerations, ...DEFAULT_TOLERATIONS] });

describe('exclusive capacity classes at admission (prod)', () => {
  const prod = renderEnvironment(load('prod'));
  const template = (path: string) => structuredClone(prod.objects.find((o) => o.path === path)!.object as Obj);
  const gpuExecutor = () => template('artifacts/tenants/ml/classes/gpu/pod-templates/executor.yaml');

  it('renders one policy and binding per exclusive class, bound to the namespaces of the tenants not granted it', () => {
    const paths = prod.objects
      .map((o) => o.path)
      .filter((path) => path.startsWith('platform/admission/') && path.includes('capacity-class'));
    expect(paths).toEqual([
      'platform/admission/validatingadmissionpolicy-emr-eks-gitops-capacity-class-gpu.yaml',
      'platform/admission/validatingadmissionpolicy-emr-eks-gitops-capacity-class-memory-nvme.yaml',
      'platform/admission/validatingadmissionpolicybinding-emr-eks-gitops-capacity-class-gpu.yaml',
      'platform/admission/validatingadmissionpolicybinding-emr-eks-gitops-capacity-class-memory-nvme.yaml',
    ]);
    for (const path of paths.filter((p) => p.includes('binding'))) {
      expect(
        (prod.objects.find((o) => o.path === path)!.object as Obj).spec.matchResources.namespaceSelector
          .matchExpressions,
      ).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['spark-app-dev', 'spark-data-eng'] }]);
    }
    expect(prod.files.get('platform/kustomization.yaml')).toContain('- admission');
  });

  it('admits the rendered ml gpu executor template in spark-ml, and refuses it in spark-data-eng', () => {
    expect(admit(prod, 'spark-ml', gpuExecutor())).toEqual([]);
    expect(admit(prod, 'spark-data-eng', gpuExecutor())).toEqual([
      tolerationDenied(GPU, 'gpu'),
      selectionDenied(GPU, 'gpu'),
    ]);
  });

  it("admits every rendered pod template in its own tenant's namespace", () => {
    const namespaces: Record<string, string> = {
      'app-dev': 'spark-app-dev',
      'data-eng': 'spark-data-eng',
      ml: 'spark-ml',
    };
    const templates = prod.objects.filter((o) => o.object.kind === 'Pod');
    expect(templates.length).toBe(11); // with app-dev's notebook session executor
    for (const { path, object } of templates) {
      expect(admit(prod, namespaces[path.split('/')[2]!]!, structuredClone(object as Obj)), path).toEqual([]);
    }
  });

  it.each([
    [
      'an Exists toleration without a key (tolerates every taint)',
      { operator: 'Exists' },
      [tolerationDenied(GPU, 'gpu'), tolerationDenied(NVME, 'memory-nvme')],
    ],
    [
      'an Exists toleration with an empty key and the NoSchedule effect',
      { key: '', operator: 'Exists', effect: 'NoSchedule' },
      [tolerationDenied(GPU, 'gpu'), tolerationDenied(NVME, 'memory-nvme')],
    ],
    [
      'an Exists toleration of the class key',
      { key: 'emr-eks-gitops.io/capacity-class', operator: 'Exists' },
      [tolerationDenied(GPU, 'gpu'), tolerationDenied(NVME, 'memory-nvme')],
    ],
    [
      'an Equal toleration of the gpu class',
      { key: 'emr-eks-gitops.io/capacity-class', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      [tolerationDenied(GPU, 'gpu')],
    ],
    [
      'a toleration of the gpu class with no operator (Equal) and no effect (every effect)',
      { key: 'emr-eks-gitops.io/capacity-class', value: 'gpu' },
      [tolerationDenied(GPU, 'gpu')],
    ],
  ])('refuses %s in spark-data-eng', (_, toleration, messages) => {
    expect(admit(prod, 'spark-data-eng', withTolerations(toleration))).toEqual(messages);
    expect(admit(prod, 'spark-ml', withTolerations(toleration))).toEqual([]);
  });

  it.each([
    [
      'a toleration of a class it may use (graviton)',
      withTolerations({
        key: 'emr-eks-gitops.io/capacity-class',
        operator: 'Equal',
        value: 'graviton',
        effect: 'NoSchedule',
      }),
    ],
    [
      'a toleration of the class taint with another effect only',
      withTolerations({ key: 'emr-eks-gitops.io/capacity-class', operator: 'Exists', effect: 'NoExecute' }),
    ],
    ["only the API server's default tolerations", withTolerations()],
    // What the DaemonSet controller adds to every DaemonSet pod: a tenant's DaemonSet is admitted and skips class nodes.
    [
      "the DaemonSet controller's tolerations",
      withTolerations(
        ...['disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable'].map((condition) => ({
          key: `node.kubernetes.io/${condition}`,
          operator: 'Exists',
          effect: 'NoSchedule',
        })),
      ),
    ],
    ['no tolerations at all', podWith({})],
    [
      'a node affinity that keeps off the class',
      podWith({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'emr-eks-gitops.io/capacity-class', operator: 'DoesNotExist' }] },
              ],
            },
          },
        },
      }),
    ],
  ])('admits a pod with %s in spark-data-eng', (_, pod) => {
    expect(admit(prod, 'spark-data-eng', pod)).toEqual([]);
  });

  it('refuses a node selector or a required node affinity on the class, and spec.nodeName', () => {
    expect(
      admit(prod, 'spark-app-dev', podWith({ nodeSelector: { 'emr-eks-gitops.io/capacity-class': 'gpu' } })),
    ).toEqual([selectionDenied(GPU, 'gpu')]);
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] },
            {
              matchExpressions: [
                { key: 'emr-eks-gitops.io/capacity-class', operator: 'In', values: ['graviton', 'memory-nvme'] },
              ],
            },
          ],
        },
      },
    };
    expect(admit(prod, 'spark-app-dev', podWith({ affinity }))).toEqual([selectionDenied(NVME, 'memory-nvme')]);
    expect(admit(prod, 'spark-app-dev', podWith({ nodeName: 'ip-10-40-1-2.ap-northeast-2.compute.internal' }))).toEqual(
      [nodeNameDenied(GPU), nodeNameDenied(NVME)],
    );
  });

  it('lets an update keep what the pod had, but not add a toleration', () => {
    const tolerating = withTolerations({ operator: 'Exists' });
    // A pod admitted before the policy existed can still be labelled or finalized; a bound pod keeps its nodeName.
    const labelled = {
      ...structuredClone(tolerating),
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { ...tolerating.spec, nodeName: 'n' },
    };
    expect(
      admit(prod, 'spark-data-eng', labelled, 'UPDATE', { ...tolerating, spec: { ...tolerating.spec, nodeName: 'n' } }),
    ).toEqual([]);
    expect(admit(prod, 'spark-data-eng', tolerating, 'UPDATE', withTolerations())).toEqual([
      tolerationDenied(GPU, 'gpu'),
      tolerationDenied(NVME, 'memory-nvme'),
    ]);
  });

  it('leaves notebook pods, system and add-on namespaces alone', () => {
    // The notebook server of app-dev's profile, as KubeSpawner creates it in spark-app-dev (plus Z2JH's user-pod tolerations).
    const hub = prod.objects.find((o) => o.path === 'addons/jupyterhub/helmrelease-jupyterhub.yaml')!.object as Obj;
    const profile = hub.spec.values.singleuser.profileList[0].kubespawner_override;
    const notebook = podWith({
      nodeSelector: profile.node_selector,
      tolerations: [
        ...profile.tolerations,
        { key: 'hub.jupyter.org/dedicated', operator: 'Equal', value: 'user', effect: 'NoSchedule' },
        { key: 'hub.jupyter.org_dedicated', operator: 'Equal', value: 'user', effect: 'NoSchedule' },
        ...DEFAULT_TOLERATIONS,
      ],
    });
    expect(profile.namespace).toBe('spark-app-dev');
    expect(admit(prod, 'spark-app-dev', notebook)).toEqual([]);
    // The NVIDIA device plugin's DaemonSet tolerates every taint to run on GPU nodes; kube-system is not bound.
    for (const namespace of ['kube-system', 'jupyterhub', 'monitoring', 'karpenter']) {
      expect(admit(prod, namespace, withTolerations({ operator: 'Exists' })), namespace).toEqual([]);
    }
  });
});

describe('exclusive capacity classes: configuration', () => {
  it('refuses an exclusive class on Kubernetes 1.29, where ValidatingAdmissionPolicy v1 is not served', () => {
    const edit = (t: string) => t.replace('kubernetesVersion: "1.30"', 'kubernetesVersion: "1.29"');
    const text = edit(environmentText('prod'));
    const message = (index: number) =>
      `capacity.classes[${index}].exclusiveTo: exclusivity is enforced at admission by a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1), served from Kubernetes 1.30; on 1.29 it is a beta API behind a feature gate that is off by default (and EKS does not let you turn it on), so any other tenant could still reach this class with its own pod template or node selector; upgrade cluster.kubernetesVersion to 1.30 or later, or remove exclusiveTo [capacity-class-admission]`;
    const lines = [...text.matchAll(/exclusiveTo: \[ml\]/g)].map((m) => text.slice(0, m.index).split('\n').length);
    expect(lines.length).toBe(2);
    expect(() => load('prod', edit)).toThrow(
      new RegExp(`^environments/prod\\.yaml:${lines[0]}:\\d+: ${escapeRegExp(message(1))}$`, 'm'),
    );
    expect(() => load('prod', edit)).toThrow(
      new RegExp(`^environments/prod\\.yaml:${lines[1]}:\\d+: ${escapeRegExp(message(2))}$`, 'm'),
    );
    // A class every tenant is granted needs no policy, so 1.29 is fine then (for the classes: notebook accounts need one too).
    const noNotebooks = (t: string) => t.replace(/^ +sparkDriver: true.*\n/m, '');
    expect(() =>
      load('prod', (t) => noNotebooks(edit(t)).replaceAll('exclusiveTo: [ml]', 'exclusiveTo: [ml, data-eng, app-dev]')),
    ).not.toThrow();
  });

  it('renders no policy when every tenant is granted the class', () => {
    const result = renderEnvironment(
      load('prod', (t) => t.replaceAll('exclusiveTo: [ml]', 'exclusiveTo: [ml, data-eng, app-dev]')),
    );
    expect(
      result.objects.filter((o) => o.path.startsWith('platform/admission/') && o.path.includes('capacity-class')),
    ).toEqual([]);
    expect(result.files.get('platform/admission/kustomization.yaml')).not.toContain('capacity-class');
  });

  it('warns about single-zone jobs on an on-demand-only GPU class', () => {
    const render = (mode: string) =>
      renderEnvironment(
        load('prod', (t) =>
          t
            .replace('kubernetesVersion: "1.30"', 'kubernetesVersion: "1.31"')
            .replace('offered: [gpu]', `offered: [gpu]\n      singleZone: ${mode}`),
        ),
      );
    const gpuWarnings = (result: RenderResult) =>
      result.warnings.filter((w) => w.rule === 'single-zone-gpu').map(issueText);
    expect(gpuWarnings(render('always'))).toEqual([
      {
        configPath: ['tenants', 2, 'spark', 'singleZone'],
        message:
          'single-zone jobs on GPU class gpu (on-demand executors only) start their executors only in the zone the driver was placed in, and on-demand GPU instances are often short in one zone (InsufficientInstanceCapacity): Karpenter cannot try another zone, so executors stay Pending until capacity frees up there; use singleZone: offered, so GPU jobs keep multi-zone documents [single-zone-gpu]',
      },
    ]);
    // "offered" makes only the tenant's own classes (memory-nvme) single-zone: GPU jobs stay multi-zone.
    expect(gpuWarnings(render('offered'))).toEqual([]);
    expect(gpuWarnings(renderEnvironment(load('prod')))).toEqual([]);
  });

  it('the builder refuses a binding that would match every namespace, and a granted namespace among the checked', () => {
    const chart = () => new Chart(new App(), 'c');
    expect(
      () =>
        new ExclusiveCapacityClassPolicy(chart(), 'p', {
          capacityClass: 'gpu',
          grantedTo: [{ tenant: 'ml', namespace: 'spark-ml' }],
          checkedNamespaces: [],
        }),
    ).toThrow(
      'checkedNamespaces: must list at least one namespace: a binding without namespaces would match every namespace',
    );
    expect(
      () =>
        new ExclusiveCapacityClassPolicy(chart(), 'p', {
          capacityClass: 'gpu',
          grantedTo: [{ tenant: 'ml', namespace: 'spark-ml' }],
          checkedNamespaces: ['spark-ml'],
        }),
    ).toThrow('checkedNamespaces: spark-ml is granted the class and cannot be checked against it');
  });
});
