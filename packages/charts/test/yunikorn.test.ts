import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  EMR_POD_TEMPLATE_CONTRACT,
  SPARK_TASK_GROUP_NAMES,
  YUNIKORN_CHART,
  YUNIKORN_QUEUE_LABEL,
  YUNIKORN_TASK_GROUPS_ANNOTATION,
  YUNIKORN_TASK_GROUP_NAME_ANNOTATION,
  classificationContractViolations,
  effectiveLimitRange,
  jobFootprint,
  podTemplateContractViolations,
  tenantQueueName,
  valuesKeysBeyondDefaults,
  vendoredHelmValuesUrl,
  yunikornConfigProblems,
  type YunikornQueue,
  type YunikornSchedulerConfig,
  type YunikornTaskGroup,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type EnvironmentConfig, type RenderResult } from '../src/index.js';
import { Subject } from '../../core/src/validation/subject.js';
import { misfit, readPlacement, readPool } from '../../core/src/validation/capacity/placement.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const defaults = parse(readFileSync(vendoredHelmValuesUrl(YUNIKORN_CHART), 'utf8'));

/** Staging as committed, and sandbox (EKS Auto Mode) with YuniKorn and a queue for its tenants. */
const sandboxOnYunikorn = (text: string) =>
  text
    .replace(/^addons:\n/m, 'addons:\n  yunikorn: {}\n')
    .replace(
      /( {4}executionRoleArn: .*\n)/g,
      '$1    queue: { guaranteed: { cpu: 4, memory: 16Gi }, gangMinExecutors: 1, maxQueueWait: 30m }\n',
    );
const variants: Array<[string, EnvironmentConfig]> = [
  ['staging', load('staging')],
  ['sandbox on YuniKorn', load('sandbox', sandboxOnYunikorn)],
];
const rendered = variants.map(([name, config]) => ({ name, config, result: renderEnvironment(config) }));

const objectAt = (result: RenderResult, path: string) => result.objects.find((o) => o.path === path)?.object as any;
/** The release values, from a Flux HelmRelease or an Argo CD Application. */
function values(result: RenderResult): any {
  const object = result.objects.find(
    (o) =>
      o.path.startsWith('addons/yunikorn/') && (o.object.kind === 'HelmRelease' || o.object.kind === 'Application'),
  )!.object as any;
  return object.kind === 'HelmRelease' ? object.spec.values : object.spec.source.helm.valuesObject;
}
const leavesOf = (config: YunikornSchedulerConfig): YunikornQueue[] =>
  config.partitions[0]!.queues[0]!.queues![0]!.queues as YunikornQueue[];

describe.each(rendered)('YuniKorn in $name', ({ name, config, result }) => {
  const release = values(result);
  const queues = parse(release.yunikornDefaults['queues.yaml']) as YunikornSchedulerConfig;
  const queued = config.tenants.filter((tenant) => tenant.queue && !tenant.fargate);
  const pools = result.objects
    .filter((o) => o.applied && o.object.kind === 'NodePool')
    .map((o) => readPool(new Subject(o, name)));

  it('renders root -> tenants -> one queue per tenant with a queue: guaranteed its setting, max its quota, its ordering', () => {
    expect(queues.partitions[0]!.queues.map((q) => q.name)).toEqual(['root']);
    expect(queues.partitions[0]!.queues[0]!.queues!.map((q) => q.name)).toEqual(['tenants']);
    expect(leavesOf(queues).map((q) => q.name)).toEqual(queued.map((t) => t.namespace).sort());
    for (const tenant of queued) {
      const leaf = leavesOf(queues).find((q) => q.name === tenant.namespace)!;
      expect(leaf.resources).toEqual({
        guaranteed: { vcore: String(tenant.queue!.guaranteed.cpu), memory: String(tenant.queue!.guaranteed.memory) },
        max: { vcore: String(tenant.quota.cpu), memory: String(tenant.quota.memory) },
      });
      expect(leaf.properties).toEqual({ 'application.sort.policy': tenant.queue!.ordering ?? 'fifo' });
    }
    expect(queues.partitions[0]!.placementrules).toEqual([
      { name: 'tag', value: 'namespace', create: false, parent: { name: 'fixed', value: 'root.tenants' } },
    ]);
  });

  it("delivers the pinned chart from YuniKorn's Helm repository into namespace yunikorn (Argo CD on staging, Flux on sandbox)", () => {
    const delivered = result.objects.filter((o) => o.path.startsWith('addons/yunikorn/')).map((o) => o.object as any);
    const release = delivered.find((o) => o.kind === 'HelmRelease');
    const application = delivered.find((o) => o.kind === 'Application');
    if (config.delivery!.engine === 'flux') {
      expect(release.spec.chart.spec).toMatchObject({
        chart: 'yunikorn',
        version: YUNIKORN_CHART.version,
        sourceRef: { kind: 'HelmRepository', name: 'yunikorn' },
      });
      expect(release.spec.targetNamespace).toBe('yunikorn');
      expect(delivered.find((o) => o.kind === 'HelmRepository').spec.url).toBe(
        'https://apache.github.io/yunikorn-release',
      );
    } else {
      expect(application.spec.source).toMatchObject({
        repoURL: 'https://apache.github.io/yunikorn-release',
        chart: 'yunikorn',
        targetRevision: YUNIKORN_CHART.version,
      });
      expect(application.spec.destination.namespace).toBe('yunikorn');
    }
  });

  it("passes yunikorn-core's configuration checks (configvalidator.go, re-stated)", () => {
    expect(yunikornConfigProblems(queues)).toEqual([]);
  });

  it("the admission controller processes exactly the queued tenants' namespaces", () => {
    expect(release.yunikornDefaults['admissionController.filtering.processNamespaces'].split(',')).toEqual(
      queued.map((t) => `^${t.namespace}$`).sort(),
    );
  });

  it("writes only keys of the chart's vendored defaults (yunikornDefaults is a free map the chart copies into the ConfigMap)", () => {
    expect(valuesKeysBeyondDefaults(release, defaults, [])).toEqual([]);
    expect(defaults.yunikornDefaults).toEqual({});
  });

  it('the scheduler and the admission controller run on no Spark pool', () => {
    expect(pools.length).toBeGreaterThanOrEqual(3);
    for (const [pod, spec] of [
      ['scheduler', release],
      ['admission', release.admissionController],
    ] as const) {
      const object = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: 'yunikorn' },
        spec: { affinity: spec.affinity, tolerations: spec.tolerations, containers: [] },
      };
      const placement = readPlacement(new Subject({ path: `addons/yunikorn/${pod}`, object, applied: true }, name))!;
      for (const pool of pools) expect(misfit(placement, pool), `${pod} on ${pool.name}`).toBeDefined();
    }
  });

  const templates = result.objects.filter((o) =>
    /^artifacts\/tenants\/[^/]+\/(.*\/)?pod-templates\/(driver|executor)\.yaml$/.test(o.path),
  );
  it.each(queued.map((tenant) => [tenant.name, tenant] as const))(
    "%s: every template names YuniKorn and its queue, and passes EMR's pod-template contract",
    (_, tenant) => {
      const own = templates.filter((o) => o.path.startsWith(`artifacts/tenants/${tenant.name}/`));
      expect(own.length).toBeGreaterThanOrEqual(2);
      for (const { path, object } of own) {
        const pod = object as any;
        expect(pod.spec.schedulerName, path).toBe('yunikorn');
        expect(pod.metadata.labels[YUNIKORN_QUEUE_LABEL], path).toBe(tenantQueueName(tenant.namespace));
        expect(leavesOf(queues).map((q) => `root.tenants.${q.name}`)).toContain(
          pod.metadata.labels[YUNIKORN_QUEUE_LABEL],
        );
        expect(EMR_POD_TEMPLATE_CONTRACT.podSpecFields).toContain('schedulerName');
        expect(podTemplateContractViolations(pod), path).toEqual([]);
      }
    },
  );

  it.each(queued.map((tenant) => [tenant.name, tenant] as const))(
    '%s: the gang is the driver and gangMinExecutors executors, sized as admission counts them, and its placeholders land exactly where the real pods do',
    (_, tenant) => {
      const job = jobFootprint(
        tenant.spark?.jobSize ?? { driver: { cores: 1, memory: '4g' }, executor: { cores: 2, memory: '8g' } },
        effectiveLimitRange(tenant.containerDefaults),
        {
          emrLogging: true,
          initContainer: tenant.spark?.customCode !== undefined,
        },
      );
      const drivers = templates.filter(
        (o) => o.path.startsWith(`artifacts/tenants/${tenant.name}/`) && o.path.endsWith('/driver.yaml'),
      );
      for (const { path, object } of drivers) {
        const driver = object as any;
        const executor = objectAt(result, path.replace(/driver\.yaml$/, 'executor.yaml'));
        expect(driver.metadata.annotations[YUNIKORN_TASK_GROUP_NAME_ANNOTATION]).toBe(SPARK_TASK_GROUP_NAMES.driver);
        expect(executor.metadata.annotations[YUNIKORN_TASK_GROUP_NAME_ANNOTATION]).toBe(
          SPARK_TASK_GROUP_NAMES.executor,
        );
        const groups = JSON.parse(driver.metadata.annotations[YUNIKORN_TASK_GROUPS_ANNOTATION]) as YunikornTaskGroup[];
        expect(groups.map((g) => [g.name, g.minMember])).toEqual([
          [SPARK_TASK_GROUP_NAMES.driver, 1],
          [SPARK_TASK_GROUP_NAMES.executor, tenant.queue!.gangMinExecutors ?? 1],
        ]);
        if (tenant.spark?.jobSize) {
          expect(groups[0]!.minResource).toEqual({
            cpu: `${Math.ceil(job.driver.cores * 1000)}m`,
            memory: `${Math.ceil(job.driver.memoryRequestMiB)}Mi`,
          });
          expect(groups[1]!.minResource).toEqual({
            cpu: `${Math.ceil(job.executor.cores * 1000)}m`,
            memory: `${Math.ceil(job.executor.memoryRequestMiB)}Mi`,
          });
        }
        // A placeholder as yunikorn-k8shim builds it (pkg/cache/placeholder.go): the group's nodeSelector, tolerations, affinity.
        for (const [group, real] of [
          [groups[0]!, driver],
          [groups[1]!, executor],
        ] as const) {
          const placeholder = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'tg-placeholder', labels: group.labels ?? {} },
            spec: {
              nodeSelector: group.nodeSelector,
              tolerations: group.tolerations,
              affinity: group.affinity,
              containers: [{ name: 'pause' }],
            },
          };
          const asPlaced = (pod: unknown, at: string) =>
            readPlacement(new Subject({ path: at, object: pod as any, applied: false }, name))!;
          const fits = (pod: unknown, at: string) =>
            pools.filter((pool) => misfit(asPlaced(pod, at), pool) === undefined).map((pool) => pool.name);
          const realPools = fits(real, path);
          expect(realPools.length, `${path} ${group.name}`).toBeGreaterThan(0);
          expect(fits(placeholder, `${path}#${group.name}`), `${path} ${group.name}`).toEqual(realPools);
        }
      }
    },
  );

  it.each(queued.map((tenant) => [tenant.name, tenant] as const))(
    "%s: queued jobs wait maxQueueWait (EMR's job-start-timeout in seconds)",
    (_, tenant) => {
      const overrides = JSON.parse(
        result.files.get(`artifacts/tenants/${tenant.name}/configuration-overrides.json`)!.replace(/^\/\/.*\n/gm, ''),
      );
      const entry = overrides.applicationConfiguration.find((c: any) => c.classification === 'emr-containers-defaults');
      const seconds = (d: string) =>
        [...d.matchAll(/(\d+)([hms])/g)].reduce((s, [, n, u]) => s + Number(n) * { h: 3600, m: 60, s: 1 }[u as 'h'], 0);
      expect(entry?.properties).toEqual(
        tenant.queue!.maxQueueWait ? { 'job-start-timeout': String(seconds(tenant.queue!.maxQueueWait)) } : undefined,
      );
      expect(classificationContractViolations(overrides.applicationConfiguration)).toEqual([]);
    },
  );
});

describe('YuniKorn stays off where it is not asked for', () => {
  it.each(['dev', 'prod', 'sandbox'])('%s renders no release and no template naming a scheduler', (name) => {
    const result = renderEnvironment(load(name));
    expect(result.objects.some((o) => o.path.startsWith('addons/yunikorn/'))).toBe(false);
    expect(
      result.objects
        .filter((o) => o.path.includes('pod-templates/'))
        .every((o) => (o.object as any).spec.schedulerName === undefined),
    ).toBe(true);
  });

  it('a Fargate tenant (staging reporting) has no queue and keeps its own scheduler', () => {
    const staging = rendered[0]!.result;
    for (const role of ['driver', 'executor'])
      expect(
        objectAt(staging, `artifacts/tenants/reporting/pod-templates/${role}.yaml`).spec.schedulerName,
      ).toBeUndefined();
  });

  it('notebook sessions keep the queue but join no gang: their driver is the running notebook server', () => {
    const session = objectAt(rendered[0]!.result, 'artifacts/tenants/app-dev/pod-templates/session-executor.yaml');
    expect(session.spec.schedulerName).toBe('yunikorn');
    expect(session.metadata.labels[YUNIKORN_QUEUE_LABEL]).toBe('root.tenants.spark-app-dev');
    expect(session.metadata.annotations?.[YUNIKORN_TASK_GROUP_NAME_ANNOTATION]).toBeUndefined();
  });
});
