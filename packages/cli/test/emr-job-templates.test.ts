import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeJobTemplate } from './support/fake-emr.js';
import { managedTags, useFakeEmr } from './support/harness.js';

const TENANTS = ['app-dev', 'data-eng', 'ml'];
const HASH_TAG = 'emr-eks-gitops.io/job-template-hash';

const { fixture, emr } = useFakeEmr();

/** The tenant's job template as rendered from the temp project's dev.yaml (emr plan --output json says so). */
async function renderedTemplates(): Promise<Record<string, { name: string; contentHash: string }>> {
  const plan = JSON.parse((await emr(['plan', '--output', 'json'])).stdout);
  return Object.fromEntries(
    plan.jobTemplates.tenants.map((t: { tenant: string; name: string; contentHash: string }) => [t.tenant, t]),
  );
}

/** Live templates per tenant tag. */
function liveByTenant(): Record<string, FakeJobTemplate[]> {
  const result: Record<string, FakeJobTemplate[]> = {};
  for (const template of fixture.fake.liveTemplates())
    (result[template.tags['emr-eks-gitops.io/tenant'] ?? ''] ??= []).push(template);
  return result;
}

async function expectOneCurrentTemplatePerTenant(): Promise<void> {
  const rendered = await renderedTemplates();
  const live = liveByTenant();
  expect(Object.keys(live).sort()).toEqual(TENANTS);
  for (const tenant of TENANTS) {
    expect(live[tenant], tenant).toHaveLength(1);
    expect(live[tenant]![0]).toMatchObject({
      name: rendered[tenant]!.name,
      tags: { ...managedTags(tenant), [HASH_TAG]: rendered[tenant]!.contentHash },
    });
  }
}

/** Makes app-dev's executors bigger in the temp project's dev.yaml: its job template content changes. */
function growAppDevExecutors(): void {
  const file = join(fixture.root, 'environments', 'dev.yaml');
  const before = readFileSync(file, 'utf8');
  const after = before.replace('executor: { cores: 2, memory: 4g }', 'executor: { cores: 2, memory: 6g }');
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

describe('emr apply: job templates', () => {
  it('creates one template per tenant, exactly the rendered job-template.json; a second apply creates nothing', async () => {
    const first = await emr(['apply']);
    expect(first.code).toBe(0);
    expect(fixture.fake.calls('CreateJobTemplate')).toBe(3);
    expect(fixture.fake.calls('DescribeJobTemplate')).toBe(0); // fresh answers: nothing to check
    await expectOneCurrentTemplatePerTenant();
    expect(first.stdout).toMatch(/Job templates: 3 created, 0 replaced, 0 in place, 0 deleted, 0 failed\./);
    expect(first.stdout).toMatch(/--job-template-id <id> --job-template-parameters EntryPoint=/);

    // What was sent is the committed artifact's request, byte for byte in content.
    const committed = JSON.parse(
      readFileSync(
        new URL('../../../dist-manifests/dev/artifacts/tenants/ml/job-template.json', import.meta.url),
        'utf8',
      ),
    );
    const sent = fixture.fake.requests
      .filter((r) => r.operation === 'CreateJobTemplate')
      .map((r) => r.body!)
      .find((body) => body.name === committed.name);
    expect(sent).toEqual(committed);

    const second = await emr(['apply']);
    expect(second.code).toBe(0);
    expect(fixture.fake.calls('CreateJobTemplate')).toBe(3);
    expect(fixture.fake.calls('DeleteJobTemplate')).toBe(0);
    expect(second.stdout).toMatch(/Job templates: 0 created, 0 replaced, 3 in place, 0 deleted, 0 failed\./);
    await expectOneCurrentTemplatePerTenant();
  });

  it('after a job-size change creates the new template and keeps the one it replaces; the next change deletes the oldest', async () => {
    await emr(['apply']);
    const old = liveByTenant()['app-dev']![0]!;
    growAppDevExecutors();

    const plan = await emr(['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(
      new RegExp(`^app-dev\\s+replace\\s+dev-app-dev-[0-9a-f]{8} \\(new\\)\\s+keep previous ${old.id}$`, 'm'),
    );
    expect(plan.stdout).toMatch(/^ml\s+keep\s+dev-ml-[0-9a-f]{8} \(jt\d+\)\s+in place$/m);
    expect(plan.stdout).toMatch(/Job templates: 0 to create, 1 to replace, 2 in place, 0 to delete\./);

    const apply = await emr(['apply', '--output', 'json']);
    expect(apply.code).toBe(0);
    const results = JSON.parse(apply.stdout).jobTemplates as {
      tenant: string;
      status: string;
      deleted: string[];
      previous: string[];
      jobTemplateId: string;
    }[];
    expect(results.map((r) => `${r.tenant}:${r.status}`)).toEqual(['app-dev:replaced', 'data-eng:kept', 'ml:kept']);
    expect(results[0]).toMatchObject({ deleted: [], previous: [old.id] });
    expect(old.deleted).toBeUndefined(); // a scheduler or policy pinned to it keeps working
    expect(fixture.fake.calls('DeleteJobTemplate')).toBe(0);
    const sent = fixture.fake.requests.filter((r) => r.operation === 'CreateJobTemplate').at(-1)!.body as {
      jobTemplateData: {
        configurationOverrides: { applicationConfiguration: { properties: Record<string, string> }[] };
      };
    };
    expect(
      sent.jobTemplateData.configurationOverrides.applicationConfiguration[0]!.properties['spark.executor.memory'],
    ).toBe('6g');
    const list = JSON.parse((await emr(['list', '--output', 'json'])).stdout).jobTemplates as {
      id: string;
      tenant: string;
      state: string;
    }[];
    expect(
      list.filter((r) => r.tenant === 'app-dev').map((r) => `${r.id === old.id ? 'old' : 'new'}:${r.state}`),
    ).toEqual(['new:current', 'old:previous']);

    // The next change keeps the template of the last one and deletes the oldest, never the newest.
    const second = results[0]!.jobTemplateId;
    const file = join(fixture.root, 'environments', 'dev.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('executor: { cores: 2, memory: 6g }', 'executor: { cores: 2, memory: 8g }'),
    );
    const again = JSON.parse((await emr(['apply', '--output', 'json'])).stdout).jobTemplates as {
      tenant: string;
      deleted: string[];
      previous: string[];
    }[];
    expect(again[0]).toMatchObject({ tenant: 'app-dev', deleted: [old.id], previous: [second] });
    expect(old.deleted).toBe(true);
  });

  it('emr template gives the current id and a StartJobRun policy naming the current and the kept templates', async () => {
    await emr(['apply']);
    const old = liveByTenant()['app-dev']![0]!;
    growAppDevExecutors();
    await emr(['apply']);
    const current = liveByTenant()['app-dev']!.find((template) => template.id !== old.id)!;
    const id = await emr(['template', '--tenant', 'app-dev', '--id-only']);
    expect(id.code).toBe(0);
    expect(id.stdout).toBe(`${current.id}\n`);
    const lookup = JSON.parse((await emr(['template', '--tenant', 'app-dev', '--output', 'json'])).stdout);
    expect(lookup.current.id).toBe(current.id);
    expect(lookup.previous.map((t: { id: string }) => t.id)).toEqual([old.id]);
    const cluster = fixture.fake.clusters.find((c) => c.tags['emr-eks-gitops.io/tenant'] === 'app-dev')!;
    // EMR on EKS guide, "Controlling access to job templates": ArnLike on emr-containers:JobTemplateArn.
    expect(lookup.startJobRunPolicy.Statement).toEqual([
      {
        Sid: 'StartJobRunThroughTheTenantsJobTemplates',
        Effect: 'Allow',
        Action: 'emr-containers:StartJobRun',
        Resource: cluster.arn,
        Condition: { ArnLike: { 'emr-containers:JobTemplateArn': [current.arn, old.arn] } },
      },
    ]);
    const table = await emr(['template', '--tenant', 'app-dev']);
    expect(table.stdout).toMatch(new RegExp(`^current  ${current.id}  ${current.arn.replace(/[/.]/g, '\\$&')}$`, 'm'));
    const unknown = await emr(['template', '--tenant', 'nobody']);
    expect(unknown.code).toBe(2);
  });

  it('emr template before the first apply: no id, exit 1, and what to run', async () => {
    const result = await emr(['template', '--tenant', 'ml', '--id-only']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /tenant ml has no job template of its rendered content yet: run emr-gitops emr apply --env dev/,
    );
  });

  it('with --keep-previous-templates 0 deletes the replaced template in the same apply and says so', async () => {
    await emr(['apply']);
    const old = liveByTenant()['app-dev']![0]!;
    growAppDevExecutors();
    const plan = await emr(['plan', '--keep-previous-templates', '0']);
    expect(plan.stdout).toMatch(
      new RegExp(`^app-dev\\s+replace\\s+dev-app-dev-[0-9a-f]{8} \\(new\\)\\s+delete ${old.id}$`, 'm'),
    );
    const apply = await emr(['apply', '--keep-previous-templates', '0']);
    expect(apply.code).toBe(0);
    expect(old.deleted).toBe(true);
    expect(apply.stdout).toMatch(
      new RegExp(
        `app-dev: deleted ${old.id}, which this apply replaced with jt\\d+, in the same run \\(no previous template kept\\): whatever is pinned to ${old.id} \\(schedulers, IAM policies with emr-containers:JobTemplateArn\\) fails until it uses jt\\d+`,
      ),
    );
    await expectOneCurrentTemplatePerTenant();
  });

  it('going back to the content of the kept previous template makes it current again, without a create', async () => {
    const original = readFileSync(join(fixture.root, 'environments', 'dev.yaml'), 'utf8');
    await emr(['apply']);
    const first = liveByTenant()['app-dev']![0]!;
    growAppDevExecutors();
    await emr(['apply']);
    writeFileSync(join(fixture.root, 'environments', 'dev.yaml'), original);
    const creates = fixture.fake.calls('CreateJobTemplate');
    const back = JSON.parse((await emr(['apply', '--output', 'json'])).stdout).jobTemplates as {
      tenant: string;
      status: string;
      jobTemplateId: string;
    }[];
    expect(back[0]).toMatchObject({ tenant: 'app-dev', status: 'kept', jobTemplateId: first.id });
    expect(fixture.fake.calls('CreateJobTemplate')).toBe(creates);
  });

  it('going back to an earlier content gets a fresh template, not the deleted one its clientToken made', async () => {
    const original = readFileSync(join(fixture.root, 'environments', 'dev.yaml'), 'utf8');
    await emr(['apply']);
    const first = liveByTenant()['app-dev']![0]!;
    first.createdAt = '2026-01-01T00:00:00.000Z'; // made long ago
    growAppDevExecutors();
    await emr(['apply', '--keep-previous-templates', '0']);
    writeFileSync(join(fixture.root, 'environments', 'dev.yaml'), original);
    fixture.fake.inject({ operation: 'DescribeJobTemplate', kind: 'unavailable', times: 1 });
    const back = await emr(['apply', '--keep-previous-templates', '0', '--output', 'json']);
    expect(back.code).toBe(0);
    // The stale answer is described (a 503, then the retry that finds it gone); the fresh one is not.
    expect(fixture.fake.calls('DescribeJobTemplate')).toBe(2);
    const appDev = liveByTenant()['app-dev']!;
    expect(appDev).toHaveLength(1);
    expect(appDev[0]!.id).not.toBe(first.id);
    expect(appDev[0]!.tags[HASH_TAG]).toBe(first.tags[HASH_TAG]);
    // The token the first create used was answered with the deleted template; the retry used one derived from it.
    const tokens = fixture.fake.requests
      .filter((r) => r.operation === 'CreateJobTemplate' && (r.body!.name as string).startsWith('dev-app-dev'))
      .map((r) => r.body!.clientToken);
    expect(tokens).toHaveLength(4);
    expect(tokens[2]).toBe(tokens[0]);
    expect(new Set(tokens).size).toBe(3);
    await expectOneCurrentTemplatePerTenant();
  });

  it('ends with exactly one template per tenant under throttling and creates whose answer is lost', async () => {
    fixture.fake.inject({ operation: 'ListJobTemplates', kind: 'throttle', times: 1 });
    fixture.fake.inject({ operation: 'CreateJobTemplate', kind: 'throttle', times: 1 });
    fixture.fake.inject({ operation: 'CreateJobTemplate', kind: 'commit-then-500', times: 2 });
    const result = await emr(['apply', '--concurrency', '1']);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    expect(
      fixture.fake.requests.filter((r) => r.fault !== undefined && r.operation.includes('JobTemplate')),
    ).toHaveLength(4);
    expect(fixture.fake.templates).toHaveLength(3);
    await expectOneCurrentTemplatePerTenant();
  });

  it('finds a create whose every answer was lost by listing again, and reports it created', async () => {
    fixture.fake.inject({ operation: 'CreateJobTemplate', kind: 'commit-then-500', times: 2 });
    const result = await emr(['apply', '--concurrency', '1', '--max-attempts', '2', '--output', 'json']);
    expect(result.code).toBe(0);
    const results = JSON.parse(result.stdout).jobTemplates as { status: string; message?: string }[];
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
    expect(results[0]!.message).toMatch(/answer to the create was lost/);
    expect(fixture.fake.templates).toHaveLength(3);
    await expectOneCurrentTemplatePerTenant();
  });

  it('retries a create that timed out with the same clientToken and gets the template made the first time', async () => {
    fixture.fake.inject({ operation: 'CreateJobTemplate', kind: 'commit-then-hang', times: 1 });
    const result = await emr(['apply', '--concurrency', '1', '--read-timeout', '1']);
    expect(result.code).toBe(0);
    const creates = fixture.fake.requests.filter((r) => r.operation === 'CreateJobTemplate');
    expect(creates).toHaveLength(4);
    expect(creates[1]!.body!.clientToken).toBe(creates[0]!.body!.clientToken);
    expect(fixture.fake.templates).toHaveLength(3);
  });

  it('keeps the newest earlier template, cleans up older ones, and never touches templates it does not manage', async () => {
    const byHand = fixture.fake.seedTemplate({ name: 'ml-by-hand', tags: { 'emr-eks-gitops.io/tenant': 'ml' } });
    const staging = fixture.fake.seedTemplate({ name: 'staging-ml-00000000', tags: managedTags('ml', 'staging') });
    const oldest = fixture.fake.seedTemplate({
      name: 'dev-ml-00000000',
      tags: { ...managedTags('ml'), [HASH_TAG]: '0'.repeat(64) },
    });
    const newer = fixture.fake.seedTemplate({
      name: 'dev-ml-11111111',
      tags: { ...managedTags('ml'), [HASH_TAG]: '1'.repeat(64) },
    });
    await emr(['apply']);
    expect(oldest.deleted).toBe(true);
    expect(newer.deleted).toBeUndefined();
    expect(byHand.deleted).toBeUndefined();
    expect(staging.deleted).toBeUndefined();
    expect(fixture.fake.calls('DeleteJobTemplate')).toBe(1);
  });

  it('names the IAM permission a denied create needs, for its tenant', async () => {
    fixture.fake.inject({
      operation: 'CreateJobTemplate',
      kind: 'error',
      status: 403,
      type: 'AccessDeniedException',
      message: 'not authorized',
      times: 1,
    });
    const result = await emr(['apply', '--concurrency', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /tenant app-dev: CreateJobTemplate failed: AccessDeniedException: not authorized\n\s+-> the identity you run as lacks IAM permission emr-containers:CreateJobTemplate \(with emr-containers:TagResource for the tags\) in ap-northeast-2/,
    );
  });

  it('reports a template EMR refuses for its tenant, does the others, exits 1', async () => {
    fixture.fake.inject({
      operation: 'CreateJobTemplate',
      kind: 'error',
      status: 400,
      type: 'ValidationException',
      message: 'Invalid releaseLabel',
      times: 1,
    });
    const result = await emr(['apply', '--concurrency', '1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^app-dev\s+failed\s+dev-app-dev-[0-9a-f]{8}\s+-\s+-$/m);
    expect(result.stdout).toMatch(
      /tenant app-dev: CreateJobTemplate failed: ValidationException: Invalid releaseLabel\n\s+-> EMR refused the tenant's job template \(artifacts\/tenants\/app-dev\/job-template\.json\)/,
    );
    expect(result.stdout).toMatch(/Job templates: 2 created, 0 replaced, 0 in place, 0 deleted, 1 failed\./);
    expect((await emr(['apply'])).code).toBe(0);
    await expectOneCurrentTemplatePerTenant();
  });
});

describe('emr plan, list and destroy: job templates', () => {
  it('plan shows create per tenant and reads every page of templates; it creates nothing', async () => {
    for (let i = 0; i < 5; i++) fixture.fake.seedTemplate({ name: `other-${i}` });
    const plan = await emr(['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^TENANT\s+ACTION\s+JOB TEMPLATE\s+DETAIL$/m);
    for (const tenant of TENANTS)
      expect(plan.stdout).toMatch(new RegExp(`^${tenant}\\s+create\\s+dev-${tenant}-[0-9a-f]{8} \\(new\\)\\s+-$`, 'm'));
    expect(plan.stdout).toMatch(/Job templates: 3 to create, 0 to replace, 0 in place, 0 to delete\./);
    expect(fixture.fake.requests.some((r) => r.operation === 'ListJobTemplates' && r.query.has('nextToken'))).toBe(
      true,
    );
    expect(fixture.fake.calls('CreateJobTemplate')).toBe(0);
  });

  it('list shows the managed templates, current, obsolete and orphaned', async () => {
    await emr(['apply']);
    fixture.fake.seedTemplate({
      name: 'dev-gone-00000000',
      tags: { ...managedTags('gone'), [HASH_TAG]: '1'.repeat(64) },
    });
    const list = await emr(['list', '--output', 'json']);
    const rows = JSON.parse(list.stdout).jobTemplates as { tenant: string; state: string }[];
    expect(rows.map((r) => `${r.tenant}:${r.state}`)).toEqual([
      'app-dev:current',
      'data-eng:current',
      'ml:current',
      'gone:orphan',
    ]);
    const table = await emr(['list']);
    expect(table.stdout).toMatch(/^jt\d+\s+dev-ml-[0-9a-f]{8}\s+ml\s+current\s+\S+$/m);
  });

  it('destroy deletes the managed templates of the tenants it destroys, and only those', async () => {
    await emr(['apply']);
    const foreign = fixture.fake.seedTemplate({ name: 'staging-ml-00000000', tags: managedTags('ml', 'staging') });
    const one = await emr(['destroy', '--tenant', 'ml', '--yes']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^ml\s+dev-ml-[0-9a-f]{8} \(jt\d+\)\s+deleted$/m);
    expect(Object.keys(liveByTenant()).sort()).toEqual(['app-dev', 'data-eng', 'ml']); // ml: the staging one
    expect(liveByTenant().ml).toEqual([foreign]);

    const refused = await emr(['destroy']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /would delete 2 virtual clusters of dev and there is no terminal to ask: pass --yes to confirm; it would also delete 2 job templates/,
    );

    const all = await emr(['destroy', '--yes', '--output', 'json']);
    expect(all.code).toBe(0);
    expect(
      JSON.parse(all.stdout)
        .jobTemplates.map((r: { tenant: string; status: string }) => `${r.tenant}:${r.status}`)
        .sort(),
    ).toEqual(['app-dev:deleted', 'data-eng:deleted']);
    expect(fixture.fake.liveTemplates()).toEqual([foreign]);
  });
});
