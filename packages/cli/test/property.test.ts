import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EnvironmentFileError, RenderError, loadEnvironmentText, renderEnvironment } from '@emr-eks-gitops/charts';
import { effectiveLimitRange, formatFinding, jobFootprint, validateObjects } from '@emr-eks-gitops/core';

const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/);
const cidr = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 }))
  .map(([a, b, bits]) => `${a}.${b}.0.0/${bits}`);

const tenant = (name: string, nvme: boolean) =>
  fc
    .record({
      executorCores: fc.integer({ min: 1, max: 8 }),
      executorMemoryGi: fc.integer({ min: 1, max: 32 }),
      driverCores: fc.integer({ min: 1, max: 4 }),
      driverMemoryGi: fc.integer({ min: 1, max: 16 }),
      executors: fc.integer({ min: 1, max: 50 }),
      defaultMemoryGi: fc.integer({ min: 1, max: 8 }),
      requestMilliCpu: fc.integer({ min: 100, max: 1000 }),
      localDisk: fc.constantFrom(...(nvme ? ['ebs', 'instance-store', undefined] : ['ebs', undefined])),
      localDiskGi: fc.integer({ min: 10, max: 500 }),
      grace: fc.option(fc.integer({ min: 1, max: 119 }), { nil: undefined }),
      egress: fc.option(
        fc.record({
          apiServerCidrs: fc.array(cidr, { minLength: 1, maxLength: 2 }),
          cidrs: fc.array(cidr, { minLength: 1, maxLength: 3 }),
        }),
        { nil: undefined },
      ),
      notebook: fc.constantFrom('none', 'plain', 'driver'),
    })
    .map((t) => {
      const jobSize = {
        driver: { cores: t.driverCores, memory: `${t.driverMemoryGi}g` },
        executor: { cores: t.executorCores, memory: `${t.executorMemoryGi}g` },
      };
      const containerDefaults = {
        default: { memory: `${t.defaultMemoryGi}Gi` },
        defaultRequest: { cpu: `${t.requestMilliCpu}m`, memory: '512Mi' },
      };
      // A quota sized for one driver, the job runner and `executors` executors, as admission counts them.
      const job = jobFootprint(jobSize, effectiveLimitRange(containerDefaults), {
        emrLogging: true,
        initContainer: false,
      });
      const pods = [job.jobRunner, job.driver, ...Array.from({ length: t.executors }, () => job.executor)];
      const cores = Math.ceil(pods.reduce((sum, pod) => sum + pod.cores, 0));
      const memoryGi = Math.ceil(
        pods.reduce((sum, pod) => sum + Math.max(pod.memoryRequestMiB, pod.memoryLimitMiB), 0) / 1024,
      );
      const volumes = Math.floor(cores / job.executor.cores) + 1;
      return {
        name,
        namespace: `spark-${name}`,
        quota: { cpu: cores, memory: `${memoryGi}Gi`, pods: pods.length, storage: `${volumes * t.localDiskGi}Gi` },
        containerDefaults,
        executionRoleArn: `arn:aws:iam::123456789012:role/emr-${name}`,
        releaseLabel: 'emr-7.5.0-latest',
        ...(t.egress ? { network: { egress: { mode: 'restricted', ...t.egress } } } : {}),
        ...(t.notebook !== 'none'
          ? {
              serviceAccounts: [
                {
                  name: 'notebook',
                  roleArn: `arn:aws:iam::123456789012:role/nb-${name}`,
                  ...(t.notebook === 'driver' ? { sparkDriver: true } : {}),
                },
              ],
            }
          : {}),
        spark: {
          jobSize,
          ...(t.localDisk ? { localDisk: t.localDisk } : {}),
          ...(t.localDisk !== 'instance-store' ? { localDiskSize: `${t.localDiskGi}Gi` } : {}),
          ...(t.grace ? { executorTerminationGracePeriodSeconds: t.grace } : {}),
        },
      };
    });

/** Random environment files that are valid by construction. */
const validEnvironment = fc
  .record({
    minor: fc.integer({ min: 29, max: 33 }), // the minors with bundled schemas
    accessEntry: fc.boolean(),
    nvme: fc.boolean(),
    production: fc.boolean(),
    windows: fc.array(fc.record({ hour: fc.integer({ min: 0, max: 23 }), hours: fc.integer({ min: 1, max: 12 }) }), {
      maxLength: 2,
    }),
    names: fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 4 }),
    engine: fc.constantFrom('flux', 'argocd', undefined),
    retiredFirst: fc.boolean(),
  })
  .chain((env) => fc.tuple(fc.constant(env), fc.tuple(...env.names.map((name) => tenant(name, env.nvme)))))
  .map(([env, tenants]) => ({
    ...(env.production ? { production: true } : {}),
    cluster: {
      name: 'spark-platform',
      region: 'ap-northeast-2',
      accountId: '123456789012',
      kubernetesVersion: `1.${env.minor}`,
      oidcIssuer: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
      emrAccess: env.accessEntry && env.minor >= 23 ? 'access-entry' : 'aws-auth',
    },
    capacity: {
      amiAlias: 'al2023@v20250115',
      nodeRole: 'KarpenterNodeRole',
      nvmeInstanceStore: env.nvme,
      noDisruptionWindows: env.windows.map((w) => ({ schedule: `0 ${w.hour} * * 1-5`, duration: `${w.hours}h` })),
      controller: {
        roleArn: 'arn:aws:iam::123456789012:role/KarpenterController',
        interruptionQueue: 'spark-platform-karpenter',
      },
    },
    spark: {
      artifactsS3Uri: 's3://spark-platform-artifacts/emr-eks-gitops',
      logs: { cloudWatchLogGroupPrefix: '/emr-on-eks/spark-platform', s3Uri: 's3://spark-platform-logs' },
    },
    network: { awsServices: { interfaceEndpoints: { cidrs: ['10.0.96.0/24'], services: ['s3', 'sts', 'logs'] } } },
    ...(env.engine
      ? {
          delivery: {
            engine: env.engine,
            repository: { url: 'https://git.example.com/platform/gitops.git', branch: 'main' },
          },
        }
      : {}),
    tenants: tenants
      .map((t, index) => (index === 0 && env.retiredFirst ? { ...t, retired: true } : t))
      // Before 1.30 nothing holds a sparkDriver account's pods to itself (driver-account-admission): plain accounts only.
      .map((t) =>
        env.minor >= 30 || !t.serviceAccounts
          ? t
          : { ...t, serviceAccounts: t.serviceAccounts.map(({ name, roleArn }) => ({ name, roleArn })) },
      ),
  }));

describe('random environment files (fast-check)', () => {
  it('valid ones render to output that passes every rule', () => {
    fc.assert(
      fc.property(validEnvironment, (file) => {
        const { config } = loadEnvironmentText(stringify(file), 'environments/random.yaml');
        const result = renderEnvironment(config);
        const errors = validateObjects(result.objects, {
          environment: config.name,
          production: config.production ?? false,
          kubernetesVersion: config.cluster.kubernetesVersion,
        }).filter((finding) => finding.severity === 'error');
        expect(errors.map(formatFinding)).toEqual([]);
        expect(result.files.has('kustomization.yaml')).toBe(false);
        expect(result.files.has('tenants/kustomization.yaml')).toBe(true);
        const wiring = config.delivery ? `${config.delivery.engine}/kustomization.yaml` : undefined;
        if (wiring) expect(result.files.get(wiring)).toMatch(/tenants\.yaml/);
      }),
      { numRuns: 60 },
    );
  });

  /** Ways to break a file: a wrong value anywhere, a field removed, an unknown field, a duplicate tenant, broken YAML. */
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      pick: fc.nat(),
      value: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 2 }),
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
      ),
    }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('unknown-field' as const), pick: fc.nat(), key: fc.string({ minLength: 1 }) }),
    fc.record({ kind: fc.constant('duplicate-tenant' as const) }),
    fc.record({
      kind: fc.constant('yaml' as const),
      at: fc.nat(),
      junk: fc.constantFrom(': :', '[', '{a: 1', '\t- x', '"', '- - :', '&a *b'),
    }),
  );

  it('invalid ones are refused with located messages, never a crash', () => {
    fc.assert(
      fc.property(validEnvironment, mutation, (file, change) => {
        let text: string;
        if (change.kind === 'yaml') {
          const valid = stringify(file);
          const at = change.at % valid.length;
          text = valid.slice(0, at) + change.junk + valid.slice(at);
        } else {
          text = stringify(mutate(structuredClone(file), change));
        }
        try {
          const { config } = loadEnvironmentText(text, 'environments/random.yaml');
          renderEnvironment(config); // the mutation may have produced another valid file: then it must render
        } catch (error) {
          if (error instanceof EnvironmentFileError) {
            expect(error.problems.length).toBeGreaterThan(0);
            for (const problem of error.problems) {
              expect(problem.location.source.line).toBeGreaterThanOrEqual(1);
              expect(problem.location.source.column).toBeGreaterThanOrEqual(1);
              expect(problem.message.length).toBeGreaterThan(5);
            }
          } else if (error instanceof RenderError) {
            expect(error.issues.length).toBeGreaterThan(0);
          } else {
            throw error; // anything else is a crash
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

type Json = Record<string, unknown> | unknown[];

/** Applies a mutation at the `pick`-th (modulo) path of the file. */
function mutate(
  file: Record<string, unknown>,
  change: { kind: string; pick?: number; value?: unknown; key?: string },
): unknown {
  if (change.kind === 'duplicate-tenant') {
    const tenants = file.tenants as unknown[];
    tenants.push(structuredClone(tenants[0]));
    return file;
  }
  const containers: Array<[Json, string | number]> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node))
      node.forEach((child, i) => {
        containers.push([node, i]);
        walk(child);
      });
    else if (node && typeof node === 'object')
      for (const [key, child] of Object.entries(node)) {
        containers.push([node as Json, key]);
        walk(child);
      }
  };
  walk(file);
  const [parent, key] = containers[(change.pick ?? 0) % containers.length]!;
  if (change.kind === 'set') (parent as Record<string | number, unknown>)[key] = change.value;
  else if (change.kind === 'delete')
    Array.isArray(parent) ? parent.splice(key as number, 1) : delete (parent as Record<string, unknown>)[key];
  else if (change.kind === 'unknown-field') {
    const target = (parent as Record<string | number, unknown>)[key];
    if (target && typeof target === 'object' && !Array.isArray(target))
      (target as Record<string, unknown>)[`x-${change.key}`] = 1;
    else (parent as Record<string | number, unknown>)[key] = { [`x-${change.key}`]: 1 };
  }
  return file;
}
