import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { messageText } from '@emr-eks-gitops/core';
import {
  EnvironmentFileError,
  formatConfigPath,
  formatProblem,
  inlineTenantFiles,
  loadEnvironmentText,
  mergePatch,
  promotionOrder,
  renderEnvironment,
  tenantFileSchemaJson,
  type TenantFileText,
} from '../src/index.js';
import { committedTenantFiles } from './committed-environments.js';

const ENVIRONMENTS = new URL('../../../environments/', import.meta.url);
const environmentFile = (name: string) => readFileSync(new URL(`${name}.yaml`, ENVIRONMENTS), 'utf8');
const load = (name: string, files: readonly TenantFileText[] = committedTenantFiles(), text = environmentFile(name)) =>
  loadEnvironmentText(text, `environments/${name}.yaml`, files);
const withFile = (path: string, edit: (text: string) => string) =>
  committedTenantFiles().map((file) => (file.path === path ? { path, text: edit(file.text) } : file));
/** The problems of a refused load, as `file:line: path: message` lines. */
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvironmentFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the load was not refused');
};
/** 1-based line of the first line of `text` holding `snippet` at or after the line holding `after`. */
const lineOf = (text: string, snippet: string, after = '') => {
  const lines = text.split('\n');
  const from = after ? lines.findIndex((line) => line.includes(after)) : 0;
  return lines.findIndex((line, index) => index >= from && line.includes(snippet)) + 1;
};

describe('JSON Merge Patch (RFC 7386), the merge rule of tenant files', () => {
  it('merges mappings key by key, removes a key for null, replaces lists and scalars whole', () => {
    expect(
      mergePatch(
        { a: 1, list: [1, 2], nested: { keep: true, drop: 'x', deeper: { x: 1 } } },
        { a: 2, list: [3], nested: { drop: null, deeper: { y: 2 } }, added: 'z' },
      ),
    ).toEqual({ a: 2, list: [3], nested: { keep: true, deeper: { x: 1, y: 2 } }, added: 'z' });
    // RFC 7386 appendix A: a patch that is not a mapping replaces the target
    expect(mergePatch({ a: 'b' }, ['c'])).toEqual(['c']);
    expect(mergePatch(['a'], { b: 'c' })).toEqual({ b: 'c' });
  });
});

describe('tenants defined once (environments/tenants/<tenant>.yaml)', () => {
  it('composes each committed environment: the tenant files placed there, after its own tenants, as one file would say them', () => {
    for (const name of ['dev', 'staging', 'prod', 'sandbox']) {
      const composed = load(name).config;
      const oneFile = loadEnvironmentText(
        inlineTenantFiles(environmentFile(name), `environments/${name}.yaml`, committedTenantFiles()),
        `environments/${name}.yaml`,
      ).config;
      expect(composed).toEqual(oneFile);
      expect(renderEnvironment(composed).files).toEqual(renderEnvironment(oneFile).files);
    }
    expect(load('staging').config.tenants.map((tenant) => tenant.name)).toEqual([
      'app-dev',
      'data-eng',
      'ml',
      'reporting',
    ]);
    expect(load('sandbox').config.tenants.map((tenant) => tenant.name)).toEqual(['explore', 'shuffle-lab']);
  });

  it("an override replaces the base's value, merges into its mappings, and null removes a base setting", () => {
    const prod = load('prod').config.tenants;
    const staging = load('staging').config.tenants;
    const ml = prod.find((tenant) => tenant.name === 'ml')!;
    expect(ml.releaseLabel).toBe('emr-7.2.0-20240610');
    expect(staging.find((tenant) => tenant.name === 'ml')!.releaseLabel).toBe('emr-7.5.0-latest');
    expect(ml.spark?.localDisk).toBeUndefined(); // base: ebs; prod: null
    expect(ml.spark?.extraProperties).toEqual({ 'spark.sql.adaptive.enabled': 'true' }); // from the base, beside prod's own spark settings
    expect(ml.spark?.capacityClasses).toEqual({ executor: 'memory-nvme', offered: ['gpu'] });
    const appDev = prod.find((tenant) => tenant.name === 'app-dev')!;
    expect(appDev.spark?.customCode).toEqual({
      image: 'public.ecr.aws/aws-cli/aws-cli:2.17.0',
      command: [
        'sh',
        '-c',
        'aws s3 sync s3://spark-platform-prod-artifacts-410987654321/code/app-dev/ /opt/custom-code/',
      ],
    });
  });

  it("an environment file may still list tenants of its own; the tenant files' come after them", () => {
    const own = `${environmentFile('dev')}
tenants:
  - name: solo
    namespace: spark-solo
    quota: { cpu: 4, memory: 16Gi, pods: 20, storage: 100Gi }
    containerDefaults:
      default: { memory: 2Gi }
      defaultRequest: { cpu: 250m, memory: 512Mi }
    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-solo-job-execution
    releaseLabel: emr-7.5.0-latest
`;
    expect(load('dev', committedTenantFiles(), own).config.tenants.map((tenant) => tenant.name)).toEqual([
      'solo',
      'app-dev',
      'data-eng',
      'ml',
    ]);
  });

  it("tenants: [] in the environment file: the tenant files' tenants are its list, in one file too", () => {
    const empty = `${environmentFile('dev')}tenants: []\n`;
    const composed = load('dev', committedTenantFiles(), empty).config;
    expect(composed.tenants.map((tenant) => tenant.name)).toEqual(['app-dev', 'data-eng', 'ml']);
    expect(
      loadEnvironmentText(
        inlineTenantFiles(empty, 'environments/dev.yaml', committedTenantFiles()),
        'environments/dev.yaml',
      ).config,
    ).toEqual(composed);
  });

  it("a value the rules refuse is located where it is written: the override's line, or the base's", () => {
    const path = 'environments/tenants/data-eng.yaml';
    const overridden = withFile(path, (text) =>
      text.replace('quota: { cpu: 256, memory: 1024Gi, pods: 800', 'quota: { cpu: 256, memory: 1024Gi, pods: -800'),
    );
    const overrideText = overridden.find((file) => file.path === path)!.text;
    expect(problems(() => load('prod', overridden))).toEqual([
      `${path}:${lineOf(overrideText, 'pods: -800')}:46: tenants[1].quota.pods: must be >= 1; expected how many pods may exist at once: a whole number from 1`,
    ]);
    const inBase = withFile(path, (text) =>
      text.replace('    maxJobDuration: 12h', '    maxJobDuration: twelve hours'),
    );
    const baseText = inBase.find((file) => file.path === path)!.text;
    const located = problems(() => load('dev', inBase));
    expect(located).toHaveLength(1);
    expect(located[0]).toMatch(
      new RegExp(
        `^${path}:${lineOf(baseText, 'maxJobDuration: twelve')}:21: tenants\\[1\\]\\.spark\\.maxJobDuration: `,
      ),
    );
    // The same base line refuses every environment it reaches.
    expect(problems(() => load('staging', inBase))[0]).toMatch(
      new RegExp(`^${path}:${lineOf(baseText, 'maxJobDuration: twelve')}:21: `),
    );
  });

  it('a tenant file of the wrong shape is refused at its line, before any environment is composed', () => {
    const path = 'environments/tenants/ml.yaml';
    const files = withFile(path, (text) =>
      text
        .replace('base:\n  namespace: spark-ml', 'base:\n  name: ml\n  namespace: spark-ml')
        .replace('\nenvironments:', '\nenvironmets:'),
    );
    const text = files.find((file) => file.path === path)!.text;
    expect(problems(() => load('dev', files))).toEqual([
      `${path}:${lineOf(text, 'base:')}:1: environments: must be a mapping of at least one environment the tenant is placed in, each with its overrides ({} for none), e.g. environments: { dev: {}, prod: { quota: { cpu: 64 } } }`,
      `${path}:${lineOf(text, '  name: ml')}:3: base.name: the tenant's name is its file name (ml); leave name out`,
      `${path}:${lineOf(text, 'environmets:')}:1: environmets: unknown field; allowed fields here: base, environments`,
    ]);
    expect(
      problems(() =>
        load('dev', [{ path: 'environments/tenants/Bad.yaml', text: 'base: {}\nenvironments: { dev: {} }\n' }]),
      )[0],
    ).toBe(
      'environments/tenants/Bad.yaml:1:1: the file name "Bad" is the tenant name and must be a DNS-1123 label (lowercase letters, digits, "-"; at most 63 characters)',
    );
    expect(problems(() => load('dev', [{ path: 'environments/tenants/x.yaml', text: 'base: {\n' }]))[0]).toMatch(
      /^environments\/tenants\/x\.yaml:\d+:\d+: YAML syntax error: /,
    );
  });

  it('a tenant with a required setting in no file is refused at its placement', () => {
    const files = [
      ...committedTenantFiles(),
      { path: 'environments/tenants/bi.yaml', text: 'base:\n  namespace: spark-bi\nenvironments:\n  dev: {}\n' },
    ];
    const located = problems(() => load('dev', files));
    // placed by name among the tenant files: app-dev, bi, data-eng, ml
    expect(located).toContain(
      'environments/tenants/bi.yaml:4:3: tenants[1].quota: required field is missing: ResourceQuota of the tenant namespace',
    );
    expect(located).toContain(
      'environments/tenants/bi.yaml:4:3: tenants[1].executionRoleArn: required field is missing: IAM role EMR jobs of this tenant run as: arn:<partition>:iam::<account>:role/<name>',
    );
  });

  it('environments/tenants/schema.json describes base and per-environment patches, where null removes a setting', () => {
    const schema = JSON.parse(tenantFileSchemaJson()) as {
      required: string[];
      properties: {
        base: { properties: Record<string, unknown>; required?: unknown };
        environments: { additionalProperties: { anyOf: unknown[] } };
      };
    };
    expect(schema.required).toEqual(['base', 'environments']);
    expect(schema.properties.base.properties).not.toHaveProperty('name');
    expect(schema.properties.base.required).toBeUndefined();
    expect(schema.properties.environments.additionalProperties.anyOf).toContainEqual({ type: 'null' });
    expect(readFileSync(new URL('tenants/schema.json', ENVIRONMENTS), 'utf8')).toBe(tenantFileSchemaJson());
  });
});

describe('rule promotion-order', () => {
  const chain = (name: string) => load(name).config.promotion?.from;
  const names = ['dev', 'prod', 'sandbox', 'staging'];

  it('the committed chain dev -> staging -> prod passes: prod is behind staging (emr-7.2.0 < emr-7.5.0), never ahead', () => {
    for (const [name, from] of [
      ['staging', 'dev'],
      ['prod', 'staging'],
    ] as const) {
      expect(promotionOrder(load(name), load(from).config, names, chain)).toEqual({ errors: [], warnings: [] });
    }
  });

  it("refuses a release label the environment before never rendered, at the override's line; a hotfix makes it a warning", () => {
    const path = 'environments/tenants/data-eng.yaml';
    const ahead = withFile(path, (text) =>
      text.replace('releaseLabel: emr-7.2.0-20240610', 'releaseLabel: emr-7.9.0-20250425'),
    );
    const text = ahead.find((file) => file.path === path)!.text;
    const report = promotionOrder(load('prod', ahead), load('staging').config, names, chain);
    expect(report.warnings).toEqual([]);
    const line = lineOf(text, 'releaseLabel: emr-7.9.0', '  prod:');
    const message =
      'release label emr-7.9.0-20250425 was never rendered by staging, the environment before prod (promotion.from): data-eng in staging runs emr-7.5.0-latest. Render it in staging first and promote it (emr-gitops promote --from staging --to prod --tenant data-eng), or, for a fix that cannot wait, say why on this tenant: promotion: { hotfix: "<ticket>: <reason>" }';
    expect(report.errors).toEqual([
      {
        rule: 'promotion-order',
        severity: 'error',
        message,
        location: { kind: 'config', path: ['tenants', 1, 'releaseLabel'], source: { file: path, line, column: 19 } },
      },
    ]);
    expect(report.errors.map(formatProblem)).toEqual([
      `${path}:${line}:19: tenants[1].releaseLabel: ${message} [promotion-order]`,
    ]);
    const hotfix = withFile(path, (text) =>
      text.replace(
        'releaseLabel: emr-7.2.0-20240610',
        'releaseLabel: emr-7.9.0-20250425\n    promotion: { hotfix: "INC-1234: CVE-2025-0001 in Spark, straight to prod" }',
      ),
    );
    const hotfixText = hotfix.find((file) => file.path === path)!.text;
    const allowed = promotionOrder(load('prod', hotfix), load('staging').config, names, chain);
    expect(allowed.errors).toEqual([]);
    expect(allowed.warnings).toEqual([
      expect.objectContaining({
        rule: 'promotion-order',
        severity: 'warning',
        location: {
          kind: 'config',
          path: ['tenants', 1, 'promotion', 'hotfix'],
          source: expect.objectContaining({ file: path, line: lineOf(hotfixText, 'hotfix: "INC-1234') }),
        },
      }),
    ]);
    expect(allowed.warnings.map(messageText)).toEqual([
      expect.stringMatching(
        /^release label emr-7\.9\.0-20250425 was never rendered by staging, .*; let through as a hotfix: INC-1234: CVE-2025-0001 in Spark, straight to prod \[promotion-order\]$/,
      ),
    ]);
  });

  it('refuses an image newer than, or unknown to, the environment before (registries aside: each account has its own)', () => {
    const path = 'environments/tenants/app-dev.yaml';
    const newer = withFile(path, (text) =>
      text.replace(
        /( {2}prod:\n[\s\S]*? {4}spark:\n {6}customCode:\n)/,
        '$1        image: public.ecr.aws/aws-cli/aws-cli:2.18.0\n',
      ),
    );
    expect(
      promotionOrder(load('prod', newer), load('staging').config, names, chain).errors.map(
        (problem) => `${formatConfigPath(problem.location.path)}: ${problem.message.slice(0, 110)}`,
      ),
    ).toEqual([
      'tenants[0].spark.customCode.image: image public.ecr.aws/aws-cli/aws-cli:2.18.0 was never rendered by staging, the environment before prod (promot',
    ]);
    const older = withFile(path, (text) =>
      text.replace(
        /( {2}prod:\n[\s\S]*? {4}spark:\n {6}customCode:\n)/,
        '$1        image: 410987654321.dkr.ecr.ap-northeast-2.amazonaws.com/aws-cli/aws-cli:2.9.0\n',
      ),
    );
    expect(promotionOrder(load('prod', older), load('staging').config, names, chain).errors).toEqual([]);
  });

  it('refuses an unknown environment to promote from, and a circular chain', () => {
    const unknown = environmentFile('staging').replace('promotion: { from: dev }', 'promotion: { from: qa }');
    expect(
      promotionOrder(load('staging', committedTenantFiles(), unknown), undefined, names, chain).errors.map(
        (problem) =>
          `${problem.location.source.file}:${problem.location.source.line}:${problem.location.source.column}: ${messageText(problem)}`,
      ),
    ).toEqual([
      'environments/staging.yaml:10:20: no environment "qa" (no environments/qa.yaml) to promote from; environments: dev, prod, sandbox, staging [promotion-order]',
    ]);
    const circle = (name: string) =>
      (({ dev: 'prod', staging: 'dev', prod: 'staging' }) as Record<string, string>)[name];
    expect(promotionOrder(load('prod'), load('staging').config, names, circle).errors.map(messageText)[0]).toBe(
      'the promotion chain runs in a circle (prod -> staging -> dev -> prod): one environment must come first, with no promotion.from [promotion-order]',
    );
  });
});
