import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  loadEnvironmentText,
  renderEnvironment,
  RenderError,
  type KubernetesObject,
  type RenderResult,
} from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

function objectsOf(result: RenderResult, kind: string): KubernetesObject[] {
  return result.objects.filter((o) => o.object.kind === kind).map((o) => o.object);
}

describe('renderEnvironment', () => {
  it('is deterministic: two renders of one config give identical files in sorted order', () => {
    const config = load('prod');
    const first = renderEnvironment(config);
    const second = renderEnvironment(config);
    expect([...second.files]).toEqual([...first.files]);
    const paths = [...first.files.keys()];
    expect(paths).toEqual([...paths].sort());
  });

  it("aws-auth mode renders the emr-containers Role per tenant and the eksctl identity mappings (EMR, Karpenter's nodes); access-entry mode renders neither", () => {
    const awsAuth = renderEnvironment(load('prod'));
    const emrRoles = (result: RenderResult, kind: string) =>
      objectsOf(result, kind).filter((r) => r.metadata.name === 'emr-containers');
    expect(emrRoles(awsAuth, 'Role').map((r) => r.metadata.namespace)).toEqual([
      'spark-app-dev',
      'spark-data-eng',
      'spark-ml',
    ]);
    expect(awsAuth.files.has('artifacts/platform/emr-access/aws-auth-map-roles.yaml')).toBe(false);
    expect(parse(awsAuth.files.get('artifacts/platform/cluster-access/eksctl-iam-identity-mappings.yaml')!)).toEqual({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'spark-platform-prod', region: 'ap-northeast-2' },
      iamIdentityMappings: [
        {
          arn: 'arn:aws:iam::410987654321:role/AWSServiceRoleForAmazonEMRContainers',
          username: 'emr-containers',
          noDuplicateARNs: true,
        },
        {
          arn: 'arn:aws:iam::410987654321:role/KarpenterNodeRole-spark-platform-prod',
          username: 'system:node:{{EC2PrivateDNSName}}',
          groups: ['system:bootstrappers', 'system:nodes'],
          noDuplicateARNs: true,
        },
      ],
    });
    expect(awsAuth.files.get('README.md')).toContain(
      'eksctl create iamidentitymapping -f dist-manifests/prod/artifacts/platform/cluster-access/eksctl-iam-identity-mappings.yaml',
    );

    const accessEntry = renderEnvironment(load('dev'));
    expect(emrRoles(accessEntry, 'Role')).toEqual([]);
    expect(emrRoles(accessEntry, 'RoleBinding')).toEqual([]);
    const entries = JSON.parse(accessEntry.files.get('artifacts/platform/emr-access/access-entries.json')!);
    expect(
      entries.accessPolicies.map((p: { accessScope: { namespaces: string[] } }) => p.accessScope.namespaces[0]),
    ).toEqual(['spark-app-dev', 'spark-data-eng', 'spark-ml']);
    expect(accessEntry.files.get('README.md')).toContain('**EMR.** Nothing to map by hand');
    expect(JSON.parse(accessEntry.files.get('artifacts/platform/cluster-access/node-access-entry.json')!)).toEqual({
      clusterName: 'spark-platform-dev',
      principalArn: 'arn:aws:iam::210987654321:role/KarpenterNodeRole-spark-platform-dev',
      type: 'EC2_LINUX',
    });
    expect([...accessEntry.files.keys()].filter((path) => path.includes('eksctl-iam-identity-mappings'))).toEqual([]);
  });

  it('pod templates are artifacts (not in any kustomization) whose S3 URIs in spark-defaults match their paths', () => {
    const result = renderEnvironment(load('staging'));
    const templates = result.objects.filter((o) => o.object.kind === 'Pod');
    // four tenants (reporting on Fargate), ml's single-zone variant, and app-dev's notebook session executor
    expect(templates).toHaveLength(11);
    expect(templates.every((t) => !t.applied && t.path.startsWith('artifacts/tenants/'))).toBe(true);
    const kustomizations = [...result.files]
      .filter(([path]) => path.endsWith('kustomization.yaml'))
      .map(([, text]) => text)
      .join('\n');
    expect(kustomizations).not.toContain('artifacts');

    const overrides = JSON.parse(result.files.get('artifacts/tenants/ml/configuration-overrides.json')!);
    const properties = overrides.applicationConfiguration[0].properties;
    expect(properties['spark.kubernetes.driver.podTemplateFile']).toBe(
      's3://spark-platform-staging-artifacts-310987654321/emr-eks-gitops/tenants/ml/pod-templates/driver.yaml',
    );
    expect(result.files.has('artifacts/tenants/ml/pod-templates/driver.yaml')).toBe(true);
    expect(properties['spark.sql.adaptive.enabled']).toBe('true');
  });

  it('driver templates select on-demand pools only and tolerate only the driver taint; executors only the executor taint', () => {
    const result = renderEnvironment(load('prod'));
    const pools = objectsOf(result, 'NodePool') as Array<KubernetesObject & { spec: any }>;
    const taintOf = (name: string) => pools.find((p) => p.metadata.name === name)!.spec.template.spec.taints[0];
    const driver = result.objects.find((o) => o.path === 'artifacts/tenants/app-dev/pod-templates/driver.yaml')!
      .object as any;
    const executor = result.objects.find((o) => o.path === 'artifacts/tenants/app-dev/pod-templates/executor.yaml')!
      .object as any;

    expect(driver.spec.nodeSelector['karpenter.sh/capacity-type']).toBe('on-demand');
    expect(driver.metadata.annotations['karpenter.sh/do-not-disrupt']).toBe('true');
    expect(driver.spec.tolerations).toEqual([{ ...taintOf('spark-driver'), operator: 'Equal' }]);
    expect(executor.spec.tolerations).toEqual([{ ...taintOf('spark-executor-spot'), operator: 'Equal' }]);
    expect(taintOf('spark-executor-on-demand')).toEqual(taintOf('spark-executor-spot'));
    const weight = (name: string) => pools.find((p) => p.metadata.name === name)!.spec.weight;
    expect(weight('spark-executor-spot')).toBeGreaterThan(weight('spark-executor-on-demand'));
  });

  it("prod's NVMe executors use instance store through a RAID0 node class (their class's own); dev has a single node class", () => {
    const prod = renderEnvironment(load('prod'));
    const nodeClasses = Object.fromEntries(
      objectsOf(prod, 'EC2NodeClass').map((c) => [c.metadata.name, (c as any).spec.instanceStorePolicy]),
    );
    expect(nodeClasses).toEqual({
      spark: undefined,
      'spark-class-gpu': undefined,
      'spark-class-memory-nvme': undefined,
      'spark-nvme-class-memory-nvme': 'RAID0',
    });
    expect(objectsOf(renderEnvironment(load('dev')), 'EC2NodeClass').map((c) => c.metadata.name)).toEqual(['spark']);
  });

  it('a builder refusing a value reports it under the config path it came from', () => {
    const config = load('dev', (text) => text.replace('executorConsolidateAfter: 5m', 'executorConsolidateAfter: 30s'));
    try {
      renderEnvironment(config);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RenderError);
      expect((error as RenderError).issues.map(issueText)).toEqual([
        {
          configPath: ['capacity', 'executorConsolidateAfter'],
          message: expect.stringContaining('30s must be longer than executorIdleTimeout 60s'),
        },
      ]);
    }
  });

  it('instance-store scratch disk needs NVMe capacity, and pod templates need EMR 6.3.0 or later', () => {
    expect(() =>
      load('dev', (text) =>
        text.replace(
          'localDisk: ebs\n      executorTermination',
          'localDisk: instance-store\n      executorTermination',
        ),
      ),
    ).toThrow(/tenants\[2\]\.spark\.localDisk: instance-store needs capacity\.nvmeInstanceStore: true/);
    expect(() =>
      load('dev', (text) => text.replace(/releaseLabel: emr-7\.5\.0-latest/, 'releaseLabel: emr-6.2.0-latest')),
    ).toThrow(/tenants\[0\]\.releaseLabel: emr-6\.2\.0-latest cannot use pod templates/);
  });

  it('every tenant namespace gets default-deny NetworkPolicies, DNS egress and its configured extras', () => {
    const result = renderEnvironment(load('prod'));
    const policies = (namespace: string) =>
      objectsOf(result, 'NetworkPolicy')
        .filter((p) => p.metadata.namespace === namespace)
        .map((p) => p.metadata.name);
    for (const namespace of ['spark-app-dev', 'spark-data-eng', 'spark-ml']) {
      expect(policies(namespace)).toEqual(
        expect.arrayContaining([
          'default-deny-ingress',
          'default-deny-egress',
          'allow-dns',
          'allow-same-namespace',
          'allow-monitoring-scrape',
        ]),
      );
    }
    expect(policies('spark-app-dev')).toContain('allow-ingress-from-jupyterhub');
    const notebook = objectsOf(result, 'ServiceAccount').find((sa) => sa.metadata.namespace === 'spark-app-dev')!;
    expect(notebook.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      'arn:aws:iam::410987654321:role/emr-prod-app-dev-notebook',
    );
  });

  it('restricted egress needs the API server CIDRs, and allow-all takes no CIDRs', () => {
    const restricted = (egress: string) => (text: string) =>
      text.replace(
        '    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-ml-job',
        `    network:\n      egress: ${egress}\n    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-ml-job`,
      );
    expect(() => load('dev', restricted('{ mode: restricted, cidrs: [10.0.0.0/16] }'))).toThrow(
      /tenants\[2\]\.network\.egress: restricted egress needs apiServerCidrs/,
    );
    expect(() => load('dev', restricted('{ mode: allow-all, cidrs: [10.0.0.0/16] }'))).toThrow(
      /tenants\[2\]\.network\.egress\.cidrs: applies only to mode restricted/,
    );
  });

  it('the README diagram links each namespace to exactly the pools its pod templates select', () => {
    const result = renderEnvironment(load('prod'));
    const readme = result.files.get('README.md')!;
    const pools = objectsOf(result, 'NodePool') as Array<KubernetesObject & { spec: any }>;
    for (const tenant of ['app-dev', 'data-eng', 'ml']) {
      // The box of the tenant (tenants that reach the same pools share one); solid edges are its own pods'.
      const box = new RegExp(`^ {4}(tenants_\\w+)\\["(?:[^"]*<br/>)?${tenant} \\(spark-${tenant}\\)`, 'm').exec(
        readme,
      )![1];
      const edges = {
        driver: new RegExp(`^ {2}pool_([A-Za-z0-9_]+) ---\\|"drivers, on-demand"\\| ${box}$`, 'gm'),
        executor: new RegExp(`^ {2}${box} ---\\|"executors,[^"]*"\\| pool_([A-Za-z0-9_]+)$`, 'gm'),
      };
      for (const role of ['driver', 'executor'] as const) {
        const template = result.objects.find(
          (o) => o.path === `artifacts/tenants/${tenant}/pod-templates/${role}.yaml`,
        )!.object as any;
        // Selected: the pool has every label the template selects and the template tolerates every taint of the pool.
        const selected = pools
          .filter(
            (pool) =>
              Object.entries(template.spec.nodeSelector as Record<string, string>).every(
                ([key, value]) =>
                  key === 'karpenter.sh/capacity-type' || pool.spec.template.metadata.labels[key] === value,
              ) &&
              (pool.spec.template.spec.taints as Array<{ key: string; value?: string }>).every((taint) =>
                (template.spec.tolerations as Array<{ key: string; value?: string }>).some(
                  (t) => t.key === taint.key && (t.value === undefined || t.value === taint.value),
                ),
              ),
          )
          .map((pool) => pool.metadata.name)
          .sort();
        const drawn = [...readme.matchAll(edges[role])]
          .map((m) => pools.find((pool) => pool.metadata.name.replace(/-/g, '_') === m[1])!.metadata.name)
          .sort();
        expect(drawn, `${tenant} ${role}`).toEqual(selected);
      }
    }
    expect(readme).toContain('spark-memory-nvme-executor-nvme-spot');
  });
});
