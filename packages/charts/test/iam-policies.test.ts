import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  IAM_ROLE_INLINE_POLICIES_MAX_SIZE,
  KARPENTER_UNSCOPED_ACTIONS,
  leastPrivilegeProblems,
  putRolePolicyProblems,
  s3Location,
  type PolicyDocument,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, rolePolicyDocuments, type RenderResult } from '../src/index.js';
import { karpenterCapacity } from './karpenter-capacity.js';
import { allows } from '../../core/test/iam-evaluator.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

/**
 * Each committed environment's IAM documents against what its rendered jobs, notebooks, History Servers and Karpenter
 * really use, read from the rendered files (podTemplateFile URIs, spark.eventLog.dir, the fallback path, logUri, the
 * log group, the History Servers' log directories, the controller's Helm values): each role may do exactly that, and
 * nothing on a neighbour tenant's locations.
 */

const ENVIRONMENTS = ['dev', 'staging', 'prod', 'sandbox'] as const;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

/** What one tenant's rendered documents make a role touch. */
interface TenantTargets {
  readonly templates: string[];
  readonly eventLogDirs: string[];
  readonly fallbackPaths: string[];
  readonly logUris: string[];
  readonly logStreams: { group: string; prefix: string }[];
}

function tenantTargets(result: RenderResult, tenant: string): TenantTargets {
  const targets: TenantTargets = { templates: [], eventLogDirs: [], fallbackPaths: [], logUris: [], logStreams: [] };
  for (const [path, text] of result.files) {
    if (!path.startsWith(`artifacts/tenants/${tenant}/`) || !path.endsWith('configuration-overrides.json')) continue;
    const overrides = JSON.parse(text);
    const properties = overrides.applicationConfiguration.find(
      (entry: { classification: string }) => entry.classification === 'spark-defaults',
    ).properties;
    targets.templates.push(
      properties['spark.kubernetes.driver.podTemplateFile'],
      properties['spark.kubernetes.executor.podTemplateFile'],
    );
    if (properties['spark.eventLog.dir']) targets.eventLogDirs.push(properties['spark.eventLog.dir']);
    if (properties['spark.storage.decommission.fallbackStorage.path'])
      targets.fallbackPaths.push(properties['spark.storage.decommission.fallbackStorage.path']);
    const monitoring = overrides.monitoringConfiguration ?? {};
    if (monitoring.s3MonitoringConfiguration) targets.logUris.push(monitoring.s3MonitoringConfiguration.logUri);
    if (monitoring.cloudWatchMonitoringConfiguration) {
      targets.logStreams.push({
        group: monitoring.cloudWatchMonitoringConfiguration.logGroupName,
        prefix: monitoring.cloudWatchMonitoringConfiguration.logStreamNamePrefix,
      });
    }
  }
  return targets;
}

const objectArn = (uri: string) => `arn:aws:s3:::${uri.replace(/^s3:\/\//, '')}`;
const bucketArn = (uri: string) => `arn:aws:s3:::${s3Location(uri).bucket}`;

/** Every check of one kind of use: [action, resource, context] a role must be allowed. */
function needs(
  targets: TenantTargets,
  env: { region: string; accountId: string },
  kind: 'job' | 'notebook',
): [string, string, Record<string, string>?][] {
  const readWrite = (dir: string, file: string) => [
    ...['s3:PutObject', 's3:GetObject', 's3:DeleteObject'].map(
      (action) => [action, objectArn(`${dir}${file}`)] as [string, string],
    ),
    ['s3:ListBucket', bucketArn(dir), { 's3:prefix': s3Location(dir).key }] as [string, string, Record<string, string>],
  ];
  return [
    ...(kind === 'job' ? targets.templates : targets.templates.filter((uri) => uri.endsWith('executor.yaml'))).map(
      (uri) => ['s3:GetObject', objectArn(uri)] as [string, string],
    ),
    ...targets.eventLogDirs.flatMap((dir) => [...readWrite(dir, 'spark-0a1b2c.inprogress'), ...directoryProbes(dir)]),
    ...targets.fallbackPaths.flatMap((dir) => readWrite(dir, 'spark-0a1b2c/shuffle_0_0_0.data')),
    ...(kind === 'job'
      ? [
          ...targets.logUris.map(
            (uri) =>
              ['s3:PutObject', objectArn(`${uri}vc123/jobs/job456/containers/spark-1/driver/stdout.gz`)] as [
                string,
                string,
              ],
          ),
          ...targets.logStreams.flatMap(({ group, prefix }) =>
            ['logs:CreateLogStream', 'logs:PutLogEvents'].map(
              (action) =>
                [
                  action,
                  `arn:aws:logs:${env.region}:${env.accountId}:log-group:${group}:log-stream:${prefix}/vc123/jobs/job456/containers/spark-1/stdout`,
                ] as [string, string],
            ),
          ),
        ]
      : []),
  ];
}

/**
 * What S3A's and EMRFS's getFileStatus asks of an event-log directory before Spark uses it (hadoop-aws
 * S3AFileSystem.s3GetFileStatus): HEAD of the bare key (only a 404 goes on), HEAD of `<dir>/`, then LIST with prefix
 * `<dir>/`; FsHistoryProvider then lists below it. A HEAD needs s3:GetObject on the key (S3 API reference, HeadObject).
 */
function directoryProbes(dir: string): [string, string, Record<string, string>?][] {
  const { key } = s3Location(dir);
  const bare = key.replace(/\/$/, '');
  return [
    ['s3:GetObject', objectArn(dir.replace(/\/$/, ''))],
    ['s3:GetObject', objectArn(dir)],
    ...[bare, `${bare}/`, `${bare}/spark-0a1b2c`].map(
      (prefix) =>
        ['s3:ListBucket', bucketArn(dir), { 's3:prefix': prefix }] as [string, string, Record<string, string>],
    ),
  ];
}

const denied = (document: PolicyDocument, checks: [string, string, Record<string, string>?][]) =>
  checks
    .filter(([action, resource, context]) => allows(document, action, resource, context))
    .map(([action, resource]) => `${action} ${resource}`);
const missing = (document: PolicyDocument, checks: [string, string, Record<string, string>?][]) =>
  checks
    .filter(([action, resource, context]) => !allows(document, action, resource, context))
    .map(([action, resource]) => `${action} ${resource}`);

/** Every IRSA role annotation of the rendered objects (service accounts, Helm values), anywhere in them. */
function annotatedRoles(result: RenderResult): Set<string> {
  const roles = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'eks.amazonaws.com/role-arn' && typeof inner === 'string') roles.add(inner);
        else walk(inner);
      }
    }
  };
  result.objects.forEach(({ object }) => {
    walk(object);
  });
  return roles;
}

/** The Karpenter controller's Helm values (settings and service account), wherever the environment renders them. */
type KarpenterValues = { settings: { clusterName: string; interruptionQueue: string } };
function karpenterValues(result: RenderResult): KarpenterValues | undefined {
  let found: KarpenterValues | undefined;
  const walk = (value: unknown): void => {
    if (found || !value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.settings && typeof (record.settings as Record<string, unknown>).interruptionQueue === 'string')
      found = record as unknown as KarpenterValues;
    else Object.values(record).forEach(walk);
  };
  result.objects.forEach(({ object }) => {
    walk(object);
  });
  return found;
}

describe.each(ENVIRONMENTS)('IAM documents of %s', (name) => {
  const config = load(name);
  const result = renderEnvironment(config);
  const policies = rolePolicyDocuments(config);
  const byRole = new Map(policies.map((policy) => [policy.roleArn, policy]));
  const env = { region: config.cluster.region, accountId: config.cluster.accountId };
  const active = config.tenants.filter((tenant) => !tenant.retired);

  it('are the committed files, one per role, each fitting PutRolePolicy, the size limit and least privilege', () => {
    for (const policy of policies) {
      expect(result.files.get(policy.artifactPath)).toBe(`${JSON.stringify(policy.document, null, 2)}\n`);
      expect(
        putRolePolicyProblems({
          RoleName: policy.roleName,
          PolicyName: policy.policyName,
          PolicyDocument: JSON.stringify(policy.document),
        }),
      ).toEqual([]);
      expect(policy.size).toBeLessThanOrEqual(IAM_ROLE_INLINE_POLICIES_MAX_SIZE);
      expect(leastPrivilegeProblems(policy.document, KARPENTER_UNSCOPED_ACTIONS)).toEqual([]);
    }
    expect(
      [...result.files.keys()]
        .filter((path) => path.startsWith('artifacts/iam/') && path !== 'artifacts/iam/managed-policy-attachments.json')
        .sort(),
    ).toEqual(policies.map((policy) => policy.artifactPath).sort());
  });

  it('cover every role the rendered output names: job documents, service accounts, Helm values', () => {
    const named = new Set([...annotatedRoles(result)]);
    for (const [path, text] of result.files)
      if (path.endsWith('start-job-run.json')) named.add(JSON.parse(text).executionRoleArn);
    expect([...named].filter((role) => !byRole.has(role))).toEqual([]);
  });

  it.each(active.map((tenant) => tenant.name))(
    "tenant %s: its job role does what its jobs do, and nothing on a neighbour's locations",
    (tenantName) => {
      const tenant = config.tenants.find((entry) => entry.name === tenantName)!;
      const document = byRole.get(tenant.executionRoleArn)!.document;
      const own = tenantTargets(result, tenantName);
      expect(own.templates.length).toBeGreaterThan(0);
      expect(missing(document, needs(own, env, 'job'))).toEqual([]);
      for (const neighbour of active.filter(
        (other) => other.name !== tenantName && other.executionRoleArn !== tenant.executionRoleArn,
      )) {
        expect(denied(document, needs(tenantTargets(result, neighbour.name), env, 'job'))).toEqual([]);
      }
    },
  );

  it('notebook roles read the executor template and write event logs and fallback storage of their tenant only', () => {
    const accounts = config.addons?.jupyterhub
      ? active.flatMap((tenant) =>
          (tenant.serviceAccounts ?? [])
            .filter((account) => account.sparkDriver && account.roleArn)
            .map((account) => ({ tenant, roleArn: account.roleArn! })),
        )
      : [];
    for (const { tenant, roleArn } of accounts) {
      const document = byRole.get(roleArn)!.document;
      expect(missing(document, needs(tenantTargets(result, tenant.name), env, 'notebook'))).toEqual([]);
      // The bare key of the event-log directory is probed, never written: a file there would hide the directory.
      for (const dir of tenantTargets(result, tenant.name).eventLogDirs)
        expect(allows(document, 's3:PutObject', objectArn(dir.replace(/\/$/, '')))).toBe(false);
      // EMR's job logs are not the notebook's.
      expect(
        denied(
          document,
          needs(tenantTargets(result, tenant.name), env, 'job').filter(([action]) => action.startsWith('logs:')),
        ),
      ).toEqual([]);
      for (const neighbour of active.filter((other) => other.name !== tenant.name)) {
        expect(denied(document, needs(tenantTargets(result, neighbour.name), env, 'job'))).toEqual([]);
      }
    }
  });

  it('History Server roles read the log directory of the servers that use them, and write nothing', () => {
    const deployments = result.objects.filter(
      ({ path, object }) => path.startsWith('addons/spark-history/') && object.kind === 'Deployment',
    );
    const serviceAccounts = new Map(
      result.objects
        .filter(({ path, object }) => path.startsWith('addons/spark-history/') && object.kind === 'ServiceAccount')
        .map(({ object }) => [object.metadata.name, object.metadata.annotations?.['eks.amazonaws.com/role-arn']]),
    );
    const directories = deployments.map(({ object }) => {
      const spec = (
        object as unknown as {
          spec: {
            template: {
              spec: { serviceAccountName: string; containers: { env: { name: string; value: string }[] }[] };
            };
          };
        }
      ).spec.template.spec;
      const opts = spec.containers[0]!.env.find((entry) => entry.name === 'SPARK_HISTORY_OPTS')!.value;
      return {
        role: serviceAccounts.get(spec.serviceAccountName)!,
        dir: /-Dspark\.history\.fs\.logDirectory=(\S+)/.exec(opts)![1]!,
      };
    });
    expect(directories.length).toBe(config.addons?.historyServer && config.spark.logs?.s3Uri ? active.length : 0);
    for (const { role, dir } of directories) {
      const document = byRole.get(role)!.document;
      expect(missing(document, [['s3:GetObject', objectArn(`${dir}spark-0a1b2c`)], ...directoryProbes(dir)])).toEqual(
        [],
      );
      expect(
        denied(document, [
          ['s3:PutObject', objectArn(`${dir}spark-0a1b2c`)],
          ['s3:DeleteObject', objectArn(`${dir}spark-0a1b2c`)],
          ['s3:PutObject', objectArn(dir.replace(/\/$/, ''))],
        ]),
      ).toEqual([]);
      const others = directories.filter((other) => other.role !== role).map((other) => other.dir);
      expect(
        denied(
          document,
          others.flatMap(
            (other) =>
              [
                ['s3:GetObject', objectArn(`${other}spark-0a1b2c`)],
                ['s3:ListBucket', bucketArn(other), { 's3:prefix': s3Location(other).key }],
              ] as [string, string, Record<string, string>?][],
          ),
        ),
      ).toEqual([]);
    }
  });

  it("roles without a document of their own get the managed policies upstream names: Fargate pod execution roles, Karpenter's node role", () => {
    const attachments = JSON.parse(result.files.get('artifacts/iam/managed-policy-attachments.json') ?? '[]') as {
      roleArn: string;
      managedPolicyArns: string[];
    }[];
    const byArn = new Map(attachments.map((entry) => [entry.roleArn, entry.managedPolicyArns]));
    const profiles = [...result.files]
      .filter(([path]) => /^artifacts\/platform\/fargate\/profiles\/.+\.json$/.test(path))
      .map(([, text]) => JSON.parse(text) as { podExecutionRoleArn: string });
    for (const profile of profiles)
      expect(byArn.get(profile.podExecutionRoleArn)).toEqual([
        'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy',
      ]);
    const nodeClassRoles = result.objects
      .filter(({ object }) => object.kind === 'EC2NodeClass')
      .map(({ object }) => (object as unknown as { spec: { role: string } }).spec.role);
    for (const role of nodeClassRoles) expect(byArn.get(`arn:aws:iam::${env.accountId}:role/${role}`)).toHaveLength(4);
    expect(attachments.length).toBe(
      new Set([...profiles.map((profile) => profile.podExecutionRoleArn), ...nodeClassRoles]).size,
    );
  });

  it('the Karpenter controller role passes the EC2NodeClass role, reads its interruption queue and describes its cluster', () => {
    const values = karpenterValues(result);
    // As written: Auto Mode keeps the section (unused) in the file, and its role must get no policy.
    const controller = (
      parse(environmentText(name)) as { capacity: { controller?: { roleArn: string; interruptionQueue: string } } }
    ).capacity.controller;
    if (config.capacity.backend === 'auto-mode' || !controller) {
      expect(byRole.has(controller?.roleArn ?? '')).toBe(false);
      return;
    }
    const document = byRole.get(controller.roleArn)!.document;
    const nodeRoles = result.objects
      .filter(({ object }) => object.kind === 'EC2NodeClass')
      .map(({ object }) => (object as unknown as { spec: { role: string } }).spec.role);
    expect(nodeRoles.length).toBeGreaterThan(0);
    for (const role of nodeRoles) {
      expect(
        allows(document, 'iam:PassRole', `arn:aws:iam::${env.accountId}:role/${role}`, {
          'iam:PassedToService': 'ec2.amazonaws.com',
        }),
      ).toBe(true);
    }
    expect(
      allows(
        document,
        'iam:PassRole',
        `arn:aws:iam::${env.accountId}:role/${config.tenants[0]!.executionRoleArn.split('/').pop()}`,
        { 'iam:PassedToService': 'ec2.amazonaws.com' },
      ),
    ).toBe(false);
    // Without addons.karpenter the values are an artifact, not an object: the settings then come from the config.
    const settings = values?.settings ?? {
      clusterName: config.cluster.name,
      interruptionQueue: controller.interruptionQueue,
    };
    expect(
      allows(
        document,
        'sqs:ReceiveMessage',
        `arn:aws:sqs:${env.region}:${env.accountId}:${settings.interruptionQueue}`,
      ),
    ).toBe(true);
    expect(
      allows(
        document,
        'eks:DescribeCluster',
        `arn:aws:eks:${env.region}:${env.accountId}:cluster/${settings.clusterName}`,
      ),
    ).toBe(true);
    expect(allows(document, 'eks:DescribeCluster', `arn:aws:eks:${env.region}:${env.accountId}:cluster/another`)).toBe(
      false,
    );
  });
});

describe('an environment whose buckets use SSE-KMS (spark.s3KmsKeyArn)', () => {
  const key = 'arn:aws:kms:ap-northeast-2:410987654321:key/0a1b2c3d-1111-2222-3333-444455556666';
  const config = load('prod', (text) => text.replace('  artifactsS3Uri:', `  s3KmsKeyArn: ${key}\n  artifactsS3Uri:`));
  const byRole = new Map(rolePolicyDocuments(config).map((policy) => [policy.roleArn, policy.document]));
  const viaS3 = { 'kms:ViaService': 's3.ap-northeast-2.amazonaws.com' };

  it('job and notebook roles decrypt and encrypt with the key, through S3 only', () => {
    for (const role of [config.tenants[0]!.executionRoleArn, config.tenants[0]!.serviceAccounts![0]!.roleArn!]) {
      const document = byRole.get(role)!;
      expect(allows(document, 'kms:Decrypt', key, viaS3)).toBe(true);
      expect(allows(document, 'kms:GenerateDataKey', key, viaS3)).toBe(true);
      expect(allows(document, 'kms:Decrypt', key, { 'kms:ViaService': 'ec2.ap-northeast-2.amazonaws.com' })).toBe(
        false,
      );
      expect(allows(document, 'kms:Decrypt', key)).toBe(false);
    }
  });

  it('History Server roles only decrypt; the Karpenter controller gets nothing of the key', () => {
    const history = byRole.get(config.addons!.historyServer!.tenantRoleArns!['app-dev']!)!;
    expect(allows(history, 'kms:Decrypt', key, viaS3)).toBe(true);
    expect(allows(history, 'kms:GenerateDataKey', key, viaS3)).toBe(false);
    expect(allows(byRole.get(karpenterCapacity(config).controller.roleArn)!, 'kms:Decrypt', key, viaS3)).toBe(false);
  });

  it('without the setting, no role gets a kms: action', () => {
    for (const policy of rolePolicyDocuments(load('prod')))
      expect(JSON.stringify(policy.document)).not.toContain('"kms:');
  });
});

describe('IAM rules', () => {
  it("a job role shared by two tenants is a warning at the second tenant's role", () => {
    const config = load('dev', (text) =>
      text.replace('role/emr-dev-data-eng-job-execution', 'role/emr-dev-app-dev-job-execution'),
    );
    const warnings = renderEnvironment(config)
      .warnings.filter((warning) => warning.rule === 'iam-role-shared')
      .map(issueText);
    expect(warnings).toEqual([
      {
        configPath: ['tenants', 1, 'executionRoleArn'],
        message:
          "role emr-dev-app-dev-job-execution is also the job execution role of tenant app-dev: IAM merges what both need into one policy (artifacts/iam/emr-dev-app-dev-job-execution.json), so the job execution role of tenant data-eng may read and write tenant app-dev's prefixes and the other way round; give each tenant a role of its own [iam-role-shared]",
      },
    ]);
  });

  it('the committed environments share no tenant role', () => {
    for (const name of ENVIRONMENTS) {
      expect(renderEnvironment(load(name)).warnings.filter((warning) => warning.rule === 'iam-role-shared')).toEqual(
        [],
      );
    }
  });
});
