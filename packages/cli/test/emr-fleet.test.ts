import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEmr } from './support/fake-emr.js';
import { FakeS3 } from './support/fake-s3.js';
import { bufferIO, managedTags, repoEnvironment, runCli, stubAwsEnvironment, tempProject } from './support/harness.js';

// global spans two EKS clusters in two regions: emr apply registers each tenant on each of its clusters (an EMR virtual
// cluster belongs to one EKS cluster and namespace), in that cluster's region, with that cluster's job templates.

const BUCKETS = ['spark-global-artifacts-610987654321', 'spark-global-logs-610987654321'] as const;
const PLACEMENT = {
  'spark-global-seoul': { region: 'ap-northeast-2', tenants: ['app-dev', 'data-eng', 'ml'] },
  'spark-global-tokyo': { region: 'ap-northeast-1', tenants: ['app-dev', 'ml'] },
} as const;

const fixture = {} as { fake: FakeEmr; s3: FakeS3; root: string; cleanup: () => void };
beforeEach(async () => {
  fixture.fake = await new FakeEmr().start();
  fixture.s3 = await new FakeS3().start();
  for (const bucket of BUCKETS) fixture.s3.bucket(bucket);
  Object.assign(fixture, tempProject('global', repoEnvironment('global')));
  stubAwsEnvironment(fixture.root);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', fixture.s3.url);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await fixture.fake.stop();
  await fixture.s3.stop();
  fixture.cleanup();
});

const emr = (args: readonly string[]) =>
  runCli(['emr', ...args, '--env', 'global', '--endpoint-url', fixture.fake.url], bufferIO(fixture.root));

/** The managed virtual clusters alive on each EKS cluster: tenant names, sorted. */
function liveTenants(): Record<string, string[]> {
  const live: Record<string, string[]> = {};
  for (const cluster of fixture.fake.clusters) {
    if (cluster.state !== 'RUNNING') continue;
    (live[cluster.containerProvider.id] ??= []).push(cluster.name);
  }
  return Object.fromEntries(Object.entries(live).map(([eks, tenants]) => [eks, tenants.sort()]));
}

describe('emr apply on an environment spanning two clusters', () => {
  it("registers each tenant once on each of its clusters, through each cluster's region, and creates nothing the second time", async () => {
    const first = await emr(['apply', '--output', 'json']);
    expect(first.stderr).not.toMatch(/error|warning/);
    expect(first.code).toBe(0);
    expect(liveTenants()).toEqual(
      Object.fromEntries(Object.entries(PLACEMENT).map(([eks, { tenants }]) => [eks, [...tenants]])),
    );
    for (const cluster of fixture.fake.clusters) {
      expect(cluster.tags).toMatchObject(managedTags(cluster.name, 'global'));
      const { tenants } = PLACEMENT[cluster.containerProvider.id as keyof typeof PLACEMENT];
      expect(cluster.containerProvider.info.eksInfo.namespace).toBe(`spark-${cluster.name}`);
      expect(tenants).toContain(cluster.name);
    }
    // Each cluster's calls are signed for its region: the EMR API of that region.
    const creates = fixture.fake.requests.filter((request) => request.operation === 'CreateVirtualCluster');
    expect(
      creates
        .map((request) => [
          (request.body as { containerProvider: { id: string } }).containerProvider.id,
          request.region,
        ])
        .sort(),
    ).toEqual([
      ['spark-global-seoul', 'ap-northeast-2'],
      ['spark-global-seoul', 'ap-northeast-2'],
      ['spark-global-seoul', 'ap-northeast-2'],
      ['spark-global-tokyo', 'ap-northeast-1'],
      ['spark-global-tokyo', 'ap-northeast-1'],
    ]);
    // A job template per tenant and cluster, made in the cluster's region, naming its cluster's pod templates.
    const templates = fixture.fake.liveTemplates();
    expect(
      templates.map((template) => `${template.region} ${template.tags['emr-eks-gitops.io/tenant']}`).sort(),
    ).toEqual([
      'ap-northeast-1 app-dev',
      'ap-northeast-1 ml',
      'ap-northeast-2 app-dev',
      'ap-northeast-2 data-eng',
      'ap-northeast-2 ml',
    ]);
    for (const template of templates) {
      const cluster = template.region === 'ap-northeast-1' ? 'spark-global-tokyo' : 'spark-global-seoul';
      expect(JSON.stringify(template.jobTemplateData)).toContain(
        `s3://${BUCKETS[0]}/emr-eks-gitops/${cluster}/tenants/`,
      );
    }
    // One JSON document, an entry per cluster.
    const report = JSON.parse(first.stdout) as {
      environment: string;
      clusters: { cluster: string; region: string; summary: { created: number } }[];
    };
    expect(report.environment).toBe('global');
    expect(report.clusters.map(({ cluster, region, summary }) => [cluster, region, summary.created])).toEqual([
      ['spark-global-seoul', 'ap-northeast-2', 3],
      ['spark-global-tokyo', 'ap-northeast-1', 2],
    ]);
    // Each cluster's artifacts below a prefix of its own: the pod templates name the cluster's region.
    const keys = [...fixture.s3.bucket(BUCKETS[0]).keys()];
    expect(keys.filter((key) => key.startsWith('emr-eks-gitops/spark-global-tokyo/tenants/data-eng/'))).toEqual([]);
    expect(keys.filter((key) => key.endsWith('/tenants/app-dev/pod-templates/driver.yaml')).sort()).toEqual([
      'emr-eks-gitops/spark-global-seoul/tenants/app-dev/pod-templates/driver.yaml',
      'emr-eks-gitops/spark-global-tokyo/tenants/app-dev/pod-templates/driver.yaml',
    ]);

    const second = await emr(['apply']);
    expect(second.code).toBe(0);
    expect(fixture.fake.calls('CreateVirtualCluster')).toBe(5);
    expect(fixture.fake.liveTemplates()).toHaveLength(5);
    expect(second.stdout).toContain('== cluster spark-global-seoul (ap-northeast-2) ==');
    expect(second.stdout).toContain('== cluster spark-global-tokyo (ap-northeast-1) ==');
    expect(second.stdout.match(/all \d virtual clusters of global are in place/g)).toEqual([
      'all 3 virtual clusters of global are in place',
      'all 2 virtual clusters of global are in place',
    ]);
  });

  it('--cluster works on that cluster alone; an unknown one, or --region across regions, is a usage error', async () => {
    const tokyo = await emr(['apply', '--cluster', 'spark-global-tokyo']);
    expect(tokyo.code).toBe(0);
    expect(liveTenants()).toEqual({ 'spark-global-tokyo': ['app-dev', 'ml'] });
    expect(tokyo.stdout).toContain('== cluster spark-global-tokyo (ap-northeast-1) ==');
    expect(tokyo.stdout).not.toContain('== cluster spark-global-seoul (');

    const unknown = await emr(['plan', '--cluster', 'spark-global-osaka']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown cluster "spark-global-osaka": clusters of global: spark-global-seoul, spark-global-tokyo',
    );
    const region = await emr(['plan', '--region', 'ap-northeast-2']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain(
      "--region names one region, and global's clusters are in ap-northeast-2, ap-northeast-1: pass --cluster too",
    );
  });
});

describe('emr trust-policy on an environment spanning two clusters', () => {
  it('gives each role one statement per cluster and namespace its tenants run on', async () => {
    const result = await runCli(['emr', 'trust-policy', '--env', 'global', '--output', 'json'], bufferIO(fixture.root));
    expect(result.code).toBe(0);
    const policies = JSON.parse(result.stdout) as {
      roleName: string;
      tenants: string[];
      document: {
        Statement: { Principal: { Federated: string }; Condition: { StringLike: Record<string, string> } }[];
      };
    }[];
    const issuers = Object.fromEntries(
      policies.map((policy) => [
        policy.roleName,
        policy.document.Statement.map((statement) => {
          const [key, value] = Object.entries(statement.Condition.StringLike)[0]!;
          return `${key.replace(/^oidc\.eks\.([a-z0-9-]+)\..*$/, '$1')} ${value.split(':')[2]}`;
        }),
      ]),
    );
    expect(issuers).toEqual({
      'emr-global-app-dev-job-execution': ['ap-northeast-2 spark-app-dev', 'ap-northeast-1 spark-app-dev'],
      'emr-global-data-eng-job-execution': ['ap-northeast-2 spark-data-eng'],
      'emr-global-ml-job-execution': ['ap-northeast-2 spark-ml', 'ap-northeast-1 spark-ml'],
    });
    // The same document as each cluster renders for the role.
    const rendered = await import('node:fs').then((fs) =>
      fs.readFileSync(
        new URL(
          '../../../dist-manifests/global/spark-global-tokyo/artifacts/platform/emr-access/trust-policies/emr-global-ml-job-execution.json',
          import.meta.url,
        ),
        'utf8',
      ),
    );
    expect(JSON.parse(rendered)).toEqual(
      policies.find((policy) => policy.roleName === 'emr-global-ml-job-execution')!.document,
    );
  });
});

describe('images of an environment spanning two regions', () => {
  it("lists each cluster's EMR Spark image from its region's registry, named by the tenant entry that uses it", async () => {
    const result = await runCli(['images', '--env', 'global', '--output', 'json'], bufferIO(fixture.root));
    expect(result.code).toBe(0);
    const images = (JSON.parse(result.stdout) as { images: { image: string; usedBy: string[] }[] }).images;
    const emr = images.filter(({ image }) => /\/spark\/emr-7\.5\.0/.test(image));
    expect(emr.map(({ image }) => image.replace(/^\d+\.dkr\.ecr\.([a-z0-9-]+)\..*$/, '$1')).sort()).toEqual([
      'ap-northeast-1',
      'ap-northeast-2',
    ]);
    const tokyo = emr.find(({ image }) => image.includes('.ap-northeast-1.'))!;
    // data-eng runs in Seoul only: Tokyo's image is app-dev's and ml's.
    expect(tokyo.usedBy).toEqual([
      'global environments/global.yaml tenants[0].releaseLabel',
      'global environments/global.yaml tenants[2].releaseLabel',
    ]);
  });
});
