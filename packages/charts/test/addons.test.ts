import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KARPENTER_CRD_CHART, hasErrors, validateObjects } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { karpenterCapacity } from './karpenter-capacity.js';
import { Subject } from '../../core/src/validation/subject.js';
import { misfit, readPlacement, readPool } from '../../core/src/validation/capacity/placement.js';
import { ancestors, deliveryGraph, layerOf, type AnyObject } from './delivery-graph.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

const ENVIRONMENTS = ['dev', 'prod', 'staging'] as const;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

/** The controller's Helm release (Flux HelmRelease or Argo CD Application) and its values. */
function controllerRelease(result: RenderResult): { path: string; object: AnyObject; values: any } {
  const found = result.objects.find(
    (o) => o.path.startsWith('karpenter/') && (o.object.kind === 'HelmRelease' || o.object.kind === 'Application'),
  );
  expect(found, 'the karpenter/ layer holds the controller release').toBeDefined();
  const object = found!.object as AnyObject;
  return {
    path: found!.path,
    object,
    values: object.kind === 'HelmRelease' ? object.spec.values : object.spec.source.helm.valuesObject,
  };
}

describe.each(ENVIRONMENTS)('Karpenter controller add-on in %s', (env) => {
  const config = load(env);
  const result = renderEnvironment(config);
  const release = controllerRelease(result);

  it("is the karpenter chart at the CRD chart's version, CRDs left to karpenter-crd, values from capacity.controller", () => {
    const { controller } = karpenterCapacity(config);
    expect(release.values).toMatchObject({
      replicas: 2,
      settings: { clusterName: config.cluster.name, interruptionQueue: controller.interruptionQueue },
      serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': controller.roleArn } },
    });
    if (release.object.kind === 'HelmRelease') {
      const source = result.objects.find(
        (o) => o.object.kind === 'OCIRepository' && o.object.metadata.name === release.object.spec.chartRef.name,
      )!.object as AnyObject;
      expect(source.spec).toMatchObject({
        url: 'oci://public.ecr.aws/karpenter/karpenter',
        ref: { tag: KARPENTER_CRD_CHART.version },
      });
      expect(release.object.spec.install.crds).toBe('Skip');
      expect(release.object.spec.upgrade).toMatchObject({
        crds: 'Skip',
        remediation: { retries: 3, strategy: 'rollback' },
      });
      expect(release.object.spec.targetNamespace).toBe('kube-system');
    } else {
      expect(release.object.spec.source).toMatchObject({
        repoURL: 'oci://public.ecr.aws/karpenter/karpenter',
        targetRevision: KARPENTER_CRD_CHART.version,
        helm: { skipCrds: true },
      });
      expect(release.object.spec.destination.namespace).toBe('kube-system');
    }
    // Its values replace the controller-values.yaml artifact.
    expect(result.files.has('artifacts/platform/karpenter/controller-values.yaml')).toBe(false);
    const findings = validateObjects(
      result.objects.filter((o) => o.path.startsWith('karpenter/')),
      { environment: env, production: config.production ?? false, kubernetesVersion: config.cluster.kubernetesVersion },
    );
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('the controller cannot be scheduled on a node of any NodePool the environment renders', () => {
    const pools = result.objects
      .filter((o) => o.applied && o.object.kind === 'NodePool')
      .map((o) => readPool(new Subject(o, env)));
    expect(pools.length).toBeGreaterThanOrEqual(3);
    // The controller's pod as the chart builds it: its nodeSelector default, these values' affinity, and (to test the
    // affinity alone) a toleration of every taint.
    const pod = (affinity: unknown) =>
      readPlacement(
        new Subject(
          {
            path: 'karpenter.yaml',
            applied: true,
            object: {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: { name: 'karpenter', namespace: 'kube-system' },
              spec: {
                nodeSelector: { 'kubernetes.io/os': 'linux' },
                tolerations: [{ operator: 'Exists' }],
                containers: [{ name: 'controller', image: 'karpenter' }],
                ...(affinity ? { affinity } : {}),
              },
            },
          },
          env,
        ),
      )!;
    const controller = pod(release.values.affinity);
    for (const pool of pools)
      expect(misfit(controller, pool), `${pool.name} must not fit the controller`).toBeDefined();
    // Not vacuous: without the affinity the same pod fits the pools.
    expect(pools.filter((pool) => misfit(pod(undefined), pool) === undefined).length).toBe(pools.length);
    // And it still reaches the managed node group it is pinned to.
    const terms = release.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).toEqual([
      {
        matchExpressions: [
          { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
          {
            key: 'eks.amazonaws.com/nodegroup',
            operator: 'In',
            values: karpenterCapacity(config).controller.managedNodeGroups,
          },
        ],
      },
    ]);
    expect(release.values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname' },
    ]);
  });

  it('is installed after the CRDs and before the NodePools and EC2NodeClasses', () => {
    const graph = deliveryGraph(result);
    const crds = [...graph.values()].find((node) => node.chart === KARPENTER_CRD_CHART.url)!;
    const controllerLayer = layerOf(graph, release.path)!;
    expect(controllerLayer.folder).toBe('karpenter');
    expect(ancestors(graph, controllerLayer.id), 'the controller waits for the CRDs').toContain(crds.id);
    if (release.object.kind === 'HelmRelease')
      expect(release.object.spec.dependsOn).toEqual([{ name: KARPENTER_CRD_CHART.name }]);
    const karpenterObjects = result.objects.filter(
      (o) => o.applied && /^karpenter\.(sh|k8s\.aws)\//.test(o.object.apiVersion),
    );
    expect(karpenterObjects.length).toBeGreaterThanOrEqual(3);
    for (const object of karpenterObjects) {
      expect(ancestors(graph, layerOf(graph, object.path)!.id), `${object.path} waits for the controller`).toContain(
        controllerLayer.id,
      );
    }
    // The CRD layer does not wait for the controller (no cycle).
    expect(ancestors(graph, crds.id)).not.toContain(controllerLayer.id);
  });
});

/**
 * Where `values` sets a key the chart's defaults do not have: a path is fine when the chart has it, when the chart's
 * default there is an empty map (free-form, e.g. annotations), or when the chart's default is not a map (the value
 * replaces it whole, e.g. a list).
 */
function unknownValuePaths(values: unknown, defaults: unknown, path = ''): string[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) return [];
  const known = defaults as Record<string, unknown>;
  if (Object.keys(known).length === 0) return [];
  return Object.entries(values).flatMap(([key, value]) =>
    key in known ? unknownValuePaths(value, known[key], `${path}${key}.`) : [`${path}${key}`],
  );
}

describe("Karpenter controller add-on: the chart's values", () => {
  const chartValues = parse(
    readFileSync(
      new URL(`../../core/schemas/helm/karpenter/${KARPENTER_CRD_CHART.version}/values.yaml`, import.meta.url),
      'utf8',
    ),
  );

  it.each(ENVIRONMENTS)(
    "%s: every key the release sets is one of the pinned chart's values (it ships no values.schema.json)",
    (env) => {
      const { values } = controllerRelease(renderEnvironment(load(env)));
      expect(unknownValuePaths(values, chartValues)).toEqual([]);
      expect(Object.keys(values).sort()).toEqual(['affinity', 'replicas', 'serviceAccount', 'settings']);
    },
  );

  it('the check is not vacuous: a misspelt setting is caught', () => {
    expect(
      unknownValuePaths(
        { settings: { clusterName: 'c', interruptionQueueName: 'q' }, serviceAccount: { annotations: { any: 'x' } } },
        chartValues,
      ),
    ).toEqual(['settings.interruptionQueueName']);
  });
});

describe('Karpenter controller add-on: switches', () => {
  it('off: no karpenter/ layer, the platform waits for the CRDs, and the values stay an artifact', () => {
    const config = load('dev');
    const result = renderEnvironment({ ...config, addons: { ...config.addons, karpenter: undefined } });
    expect([...result.files.keys()].filter((path) => path.startsWith('karpenter/'))).toEqual([]);
    expect(result.files.has('artifacts/platform/karpenter/controller-values.yaml')).toBe(true);
    const platform = result.objects.find(
      (o) => o.object.kind === 'Kustomization' && o.object.metadata.name === 'emr-eks-gitops-platform',
    )!.object as AnyObject;
    expect(platform.spec.dependsOn).toEqual([{ name: 'emr-eks-gitops-crds' }]);
  });

  it("namespace karpenter: the release creates it; replicas are the environment's", () => {
    const edit = (text: string) =>
      text.replace('  karpenter: {}', '  karpenter: { namespace: karpenter, replicas: 3 }');
    for (const env of ['dev', 'staging'] as const) {
      const release = controllerRelease(renderEnvironment(load(env, edit)));
      expect(release.values.replicas).toBe(3);
      if (release.object.kind === 'HelmRelease') {
        expect(release.object.spec).toMatchObject({ targetNamespace: 'karpenter', install: { createNamespace: true } });
      } else {
        expect(release.object.spec.destination.namespace).toBe('karpenter');
        expect(release.object.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
      }
    }
  });

  it('refuses addons.karpenter without a delivery: section, located, and an unknown field', () => {
    const noDelivery = (text: string) => text.replace(/^delivery:.*\n((?: {2}.*\n)*)/m, '');
    expect(() => load('dev', noDelivery)).toThrow(
      /environments\/dev\.yaml:\d+:\d+: addons\.karpenter: a Helm release needs a delivery: section/,
    );
    expect(() =>
      load('dev', (text) => text.replace('  karpenter: {}', '  karpenter: { chartVersion: 1.0.0 }')),
    ).toThrow(/addons\.karpenter\.chartVersion: unknown field/);
  });

  it('a broken release is caught by the HelmRelease schema (the check is not vacuous)', () => {
    const config = load('dev');
    const objects = renderEnvironment(config)
      .objects.filter((o) => o.path.startsWith('karpenter/'))
      .map((o) =>
        o.object.kind === 'HelmRelease'
          ? { ...o, object: { ...o.object, spec: { ...(o.object as AnyObject).spec, install: { crds: 'Never' } } } }
          : o,
      );
    expect(
      hasErrors(
        validateObjects(objects, {
          environment: 'dev',
          production: false,
          kubernetesVersion: config.cluster.kubernetesVersion,
        }),
      ),
    ).toBe(true);
  });
});
