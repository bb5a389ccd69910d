import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTree } from '../src/output/tree.js';
import { runCli, tempProject } from './support/project.js';
import { at } from './support/refused.js';

// The repository's own layout (environments/tenants/) with its committed output.
const project = () => tempProject({ tenantFiles: true, withOutput: true });
const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const edit = (root: string, path: string, change: (text: string) => string) => {
  const before = read(root, path);
  const after = change(before);
  if (after === before) throw new Error(`the edit changed nothing in ${path}`);
  writeFileSync(join(root, path), after);
};
/** The lines of `after` that differ from `before` (both split into lines), as `-` and `+` lines. */
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  return [
    ...a.filter((line) => !b.includes(line)).map((line) => `-${line}`),
    ...b.filter((line) => !a.includes(line)).map((line) => `+${line}`),
  ];
};

describe('emr-gitops promote', () => {
  it("one tenant: carries staging's release of app-dev into prod, keeping prod's roles, quota, bucket and every other line", async () => {
    const root = project();
    const before = read(root, 'environments/tenants/app-dev.yaml');
    const result = await runCli(root, ['promote', '--from', 'staging', '--to', 'prod', '--tenant', 'app-dev']);
    expect(result.stderr.split('\n').filter((line) => line && !line.includes('[prometheus-node-port]'))).toEqual([]);
    expect(result.exitCode).toBe(0);
    const after = read(root, 'environments/tenants/app-dev.yaml');
    // The override's release goes (the base's is staging's); nothing else of the file moves, comments included.
    expect(changedLines(before, after)).toEqual([
      '-    releaseLabel: emr-7.2.0-20240610           # behind staging on purpose until emr-gitops promote --from staging',
    ]);
    const prod = parse(after).environments.prod;
    expect(prod.executionRoleArn).toBe('arn:aws:iam::410987654321:role/emr-prod-app-dev-job-execution');
    expect(prod.quota).toEqual({ cpu: 64, memory: '256Gi', pods: 240, storage: '1600Gi' });
    expect(prod.spark.customCode.command[2]).toContain('s3://spark-platform-prod-artifacts-410987654321/');
    // The rendered change of dist-manifests/prod, printed before the write: the job documents name the new release.
    expect(result.stdout).toContain('M dist-manifests/prod/artifacts/tenants/app-dev/start-job-run.json\n');
    expect(result.stdout).toContain('-  "releaseLabel": "emr-7.2.0-20240610",\n+  "releaseLabel": "emr-7.5.0-latest",');
    expect(result.stdout).not.toContain('dist-manifests/prod/artifacts/tenants/data-eng/');
    expect(result.stdout).toContain('wrote environments/tenants/app-dev.yaml\n');
    // What was written renders to what was shown.
    const rendered = await runCli(root, ['render', '--env', 'prod']);
    expect(rendered.exitCode).toBe(0);
    expect(
      JSON.parse(read(root, 'dist-manifests/prod/artifacts/tenants/app-dev/start-job-run.json')).releaseLabel,
    ).toBe('emr-7.5.0-latest');
    expect(JSON.parse(read(root, 'dist-manifests/prod/artifacts/tenants/ml/start-job-run.json')).releaseLabel).toBe(
      'emr-7.2.0-20240610',
    );
  });

  it("all tenants: each of dev's changes goes into staging's override, merged into the mappings it has there", async () => {
    const root = project();
    edit(root, 'environments/tenants/app-dev.yaml', (text) =>
      text.replace(
        '    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-app-dev-job-execution\n',
        '    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-app-dev-job-execution\n    releaseLabel: emr-7.9.0-20250425   # trying 7.9.0 in dev\n',
      ),
    );
    edit(root, 'environments/tenants/data-eng.yaml', (text) =>
      text.replace(
        '      decommissionFallbackStorage: s3://spark-platform-dev-shuffle-210987654321/data-eng\n',
        '      decommissionFallbackStorage: s3://spark-platform-dev-shuffle-210987654321/data-eng\n      maxJobDuration: 10h\n',
      ),
    );
    const appDev = read(root, 'environments/tenants/app-dev.yaml');
    const dataEng = read(root, 'environments/tenants/data-eng.yaml');
    const ml = read(root, 'environments/tenants/ml.yaml');
    const result = await runCli(root, ['promote', '--from', 'dev', '--to', 'staging']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('promote dev -> staging: app-dev, data-eng, ml\n');
    expect(changedLines(appDev, read(root, 'environments/tenants/app-dev.yaml'))).toEqual([
      '+    releaseLabel: emr-7.9.0-20250425',
    ]);
    const stagingBucket =
      '      decommissionFallbackStorage: s3://spark-platform-staging-shuffle-310987654321/data-eng\n';
    expect(read(root, 'environments/tenants/data-eng.yaml')).toBe(
      dataEng.replace(stagingBucket, `${stagingBucket}      maxJobDuration: 10h\n`),
    );
    expect(read(root, 'environments/tenants/ml.yaml')).toBe(ml);
    const staging = parse(read(root, 'environments/tenants/data-eng.yaml')).environments.staging;
    expect(staging.spark).toEqual({
      singleZone: 'always',
      decommissionFallbackStorage: 's3://spark-platform-staging-shuffle-310987654321/data-eng',
      maxJobDuration: '10h',
    });
    expect(staging.queue.ordering).toBe('fifo');
    // reporting is staging's alone: nothing to carry from dev, nothing said about it; prod is untouched
    expect(result.stdout).not.toContain('reporting: not in');
    expect(result.stdout).not.toMatch(/^M dist-manifests\/staging\/artifacts\/tenants\/reporting\//m);
    const prod = await runCli(root, ['render', '--check', '--env', 'prod']);
    expect(prod.exitCode).toBe(0);
    expect((await runCli(root, ['promote', '--from', 'dev', '--to', 'staging'])).stdout).toBe(
      "nothing to promote: staging runs dev's settings of app-dev, data-eng, ml already\n",
    );
  });

  it('--dry-run prints the same diffs and writes nothing', async () => {
    const root = project();
    const files = readTree(join(root, 'environments'));
    const output = readTree(join(root, 'dist-manifests'));
    const result = await runCli(root, [
      'promote',
      '--from',
      'staging',
      '--to',
      'prod',
      '--tenant',
      'data-eng',
      '--dry-run',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      '--- a/environments/tenants/data-eng.yaml\t(now)\n+++ b/environments/tenants/data-eng.yaml\t(promoted)\n',
    );
    expect(result.stdout).toContain(
      '-    releaseLabel: emr-7.2.0-20240610           # behind staging on purpose until emr-gitops promote --from staging\n',
    );
    expect(result.stdout).toContain('M dist-manifests/prod/artifacts/tenants/data-eng/job-template.json\n');
    expect(result.stdout).toContain('dry run: nothing was written (environments/tenants/data-eng.yaml unchanged)\n');
    expect(readTree(join(root, 'environments'))).toEqual(files);
    expect(readTree(join(root, 'dist-manifests'))).toEqual(output);
  });

  it("a promotion the rules refuse is a located error, exit 2, nothing written (ml's GPU jobs have no RAPIDS build of emr-7.5.0)", async () => {
    const root = project();
    const files = readTree(join(root, 'environments'));
    const result = await runCli(root, ['promote', '--from', 'staging', '--to', 'prod']);
    expect(result.exitCode).toBe(2);
    const ml = read(root, 'environments/tenants/ml.yaml');
    expect(result.stderr).toContain(
      `environments/tenants/ml.yaml:${at(ml, 'emr-7.5.0-latest')}: tenants[2].releaseLabel: jobs of ml on GPU class gpu need the RAPIDS Accelerator image of their release`,
    );
    expect(result.stderr).toContain('nothing was written');
    expect(readTree(join(root, 'environments'))).toEqual(files);
  });

  it('a promotion that would leave the next environment ahead of its target is refused there, at its line', async () => {
    const root = project();
    edit(root, 'environments/tenants/app-dev.yaml', (text) =>
      text.replace(
        '    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-app-dev-job-execution\n',
        '    executionRoleArn: arn:aws:iam::210987654321:role/emr-dev-app-dev-job-execution\n    releaseLabel: emr-6.15.0-20231109   # back to 6.15 in dev\n',
      ),
    );
    const files = readTree(join(root, 'environments'));
    const result = await runCli(root, ['promote', '--from', 'dev', '--to', 'staging', '--tenant', 'app-dev']);
    expect(result.exitCode).toBe(2);
    const text = read(root, 'environments/tenants/app-dev.yaml');
    expect(result.stderr).toContain(
      `environments/tenants/app-dev.yaml:${at(text, 'emr-7.2.0-20240610')}: tenants[0].releaseLabel: release label emr-7.2.0-20240610 was never rendered by staging, the environment before prod (promotion.from): app-dev in staging runs emr-6.15.0-20231109.`,
    );
    expect(result.stderr).toContain('nothing was written');
    expect(readTree(join(root, 'environments'))).toEqual(files);
  });

  it('refuses unknown environments and tenants, and a tenant not placed in the target, writing nothing', async () => {
    const root = project();
    for (const [argv, message] of [
      [
        ['--from', 'qa', '--to', 'prod'],
        'error: unknown environment "qa"; environments: dev, global, prod, sandbox, staging\n',
      ],
      [
        ['--from', 'prod', '--to', 'prod'],
        'error: --from and --to are both prod; promote carries settings from one environment to another\n',
      ],
      [
        ['--from', 'staging', '--to', 'prod', '--tenant', 'bi'],
        'error: staging has no tenant "bi"; tenants: app-dev, data-eng, ml, reporting\n',
      ],
    ] as const) {
      const result = await runCli(root, ['promote', ...argv]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(message);
    }
    const unplaced = await runCli(root, ['promote', '--from', 'staging', '--to', 'prod', '--tenant', 'reporting']);
    expect(unplaced.exitCode).toBe(2);
    expect(unplaced.stderr).toMatch(
      /^error: prod has no tenant "reporting" to promote into: place it first \(environments\/tenants\/reporting\.yaml: environments\.prod with what prod owns: executionRoleArn, serviceAccounts, /,
    );
  });
});

describe('rule promotion-order in render', () => {
  it("refuses a release prod runs ahead of staging at the override's line, exit 2, nothing written; a hotfix renders with a warning", async () => {
    const root = project();
    const output = readTree(join(root, 'dist-manifests'));
    edit(root, 'environments/tenants/data-eng.yaml', (text) =>
      text.replace('releaseLabel: emr-7.2.0-20240610', 'releaseLabel: emr-7.9.0-20250425'),
    );
    const refused = await runCli(root, ['render']);
    expect(refused.exitCode).toBe(2);
    const text = read(root, 'environments/tenants/data-eng.yaml');
    expect(refused.stderr).toContain(
      `environments/tenants/data-eng.yaml:${at(text, 'emr-7.9.0-20250425')}: tenants[1].releaseLabel: release label emr-7.9.0-20250425 was never rendered by staging, the environment before prod (promotion.from): data-eng in staging runs emr-7.5.0-latest.`,
    );
    expect(refused.stderr).toContain('nothing was written');
    expect(readTree(join(root, 'dist-manifests'))).toEqual(output);

    edit(root, 'environments/tenants/data-eng.yaml', (text) =>
      text.replace(
        'releaseLabel: emr-7.9.0-20250425',
        'releaseLabel: emr-7.9.0-20250425\n    promotion: { hotfix: "INC-1234: executor leak fixed in 7.9.0" }',
      ),
    );
    const hotfix = await runCli(root, ['render', '--env', 'prod']);
    expect(hotfix.exitCode).toBe(0);
    const withHotfix = read(root, 'environments/tenants/data-eng.yaml');
    expect(hotfix.stderr).toContain(
      `warning: environments/tenants/data-eng.yaml:${at(withHotfix, '"INC-1234')}: tenants[1].promotion.hotfix: release label emr-7.9.0-20250425 was never rendered by staging, the environment before prod (promotion.from): data-eng in staging runs emr-7.5.0-latest; let through as a hotfix: INC-1234: executor leak fixed in 7.9.0 [promotion-order]\n`,
    );
  });

  it('a tenant file placing its tenant in an environment that does not exist is refused at that key', async () => {
    const root = project();
    edit(root, 'environments/tenants/ml.yaml', (text) => text.replace('\n  prod:\n', '\n  prdo:\n'));
    const result = await runCli(root, ['validate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `environments/tenants/ml.yaml:${at(read(root, 'environments/tenants/ml.yaml'), 'prdo:')}: environments.prdo: no environment "prdo" (no environments/prdo.yaml); environments: dev, global, prod, sandbox, staging\n`,
    );
  });

  it("render reports a tenant file's problem once, though each environment it is placed in reads the file", async () => {
    const root = project();
    edit(root, 'environments/tenants/ml.yaml', (text) => text.replace('\nenvironments:', '\nname: ml\nenvironments:'));
    const result = await runCli(root, ['render', '--check']);
    expect(result.exitCode).toBe(2);
    const line = `environments/tenants/ml.yaml:${at(read(root, 'environments/tenants/ml.yaml'), 'name: ml', '\nname: ml\nenvironments:')}: name: unknown field; allowed fields here: base, environments\n`;
    expect(result.stderr.split(line)).toHaveLength(2);
  });
});

describe('tenant add and retire with tenant files', () => {
  it('add: a new tenant file, what the environment owns under its name, the rest in base; it renders', async () => {
    const root = project();
    const environment = read(root, 'environments/staging.yaml');
    const added = await runCli(root, ['tenant', 'add', '--env', 'staging', '--name', 'bi']);
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toContain(
      'added tenant bi (small: 16 CPUs, 64Gi memory, 60 pods, 400Gi storage) to staging (environments/tenants/bi.yaml)',
    );
    expect(read(root, 'environments/staging.yaml')).toBe(environment);
    const file = read(root, 'environments/tenants/bi.yaml');
    expect(file).toMatch(/^# yaml-language-server: \$schema=\.\/schema\.json\n/);
    expect(file).toContain('# CHANGE-ME: a placeholder; create the role');
    const { base, environments } = parse(file);
    expect(base).toMatchObject({
      namespace: 'spark-bi',
      releaseLabel: 'emr-7.5.0-latest',
      spark: { maxJobDuration: '4h' },
    });
    expect(Object.keys(environments)).toEqual(['staging']);
    expect(environments.staging).toMatchObject({
      executionRoleArn: 'arn:aws:iam::310987654321:role/emr-staging-bi-job-execution',
      quota: { pods: 60 },
      spark: { localDiskSize: '50Gi' },
    });
    expect((await runCli(root, ['render', '--env', 'staging'])).exitCode).toBe(0);
    expect(readTree(join(root, 'dist-manifests/staging/tenants/bi')).size).toBeGreaterThan(0);
    // A second environment: placed in the same file, its base shared.
    expect((await runCli(root, ['tenant', 'add', '--env', 'dev', '--name', 'bi'])).exitCode).toBe(0);
    const placed = parse(read(root, 'environments/tenants/bi.yaml'));
    expect(Object.keys(placed.environments)).toEqual(['staging', 'dev']);
    expect(placed.environments.dev.executionRoleArn).toBe('arn:aws:iam::210987654321:role/emr-dev-bi-job-execution');
    expect(placed.base).toEqual(base);
  });

  it('add in a project without tenant files, to an environment listing none of its own: the first tenant file, with its editor schema', async () => {
    const root = tempProject();
    edit(root, 'environments/dev.yaml', (text) => text.slice(0, text.indexOf('\ntenants:') + 1));
    const added = await runCli(root, ['tenant', 'add', '--env', 'dev', '--name', 'bi', '--size', 'medium']);
    expect(added.stderr.split('\n').filter((line) => line && !line.includes('[prometheus-node-port]'))).toEqual([]);
    expect(added.exitCode).toBe(0);
    expect(parse(read(root, 'environments/tenants/bi.yaml')).environments.dev.quota.cpu).toBe(64);
    expect(JSON.parse(read(root, 'environments/tenants/schema.json')).title).toBe('emr-eks-gitops tenant');
    expect((await runCli(root, ['render', '--env', 'dev'])).exitCode).toBe(0);
  });

  it("retire: retired: true in the environment's override only, then the removal steps name the file", async () => {
    const root = project();
    const before = read(root, 'environments/tenants/ml.yaml');
    const result = await runCli(root, ['tenant', 'retire', '--env', 'staging', '--name', 'ml']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      'retired tenant ml in environments/tenants/ml.yaml (environments.staging) (retired: true)',
    );
    expect(result.stdout).toContain(
      "remove environments.staging from environments/tenants/ml.yaml (the file when it was the tenant's last environment), pnpm render, commit",
    );
    const after = read(root, 'environments/tenants/ml.yaml');
    expect(changedLines(before, after)).toEqual(['+    retired: true']);
    expect(parse(after).environments.staging.retired).toBe(true);
    expect(parse(after).environments.prod.retired).toBeUndefined();
  });
});

describe('removing a tenant defined in a tenant file', () => {
  it("dropping its placement before retiring it is refused at the file's environments: key, nothing written", async () => {
    const root = project();
    const output = readTree(join(root, 'dist-manifests'));
    edit(root, 'environments/tenants/ml.yaml', (text) => text.replace(/\n {2}staging:\n[\s\S]*?\n\n/, '\n'));
    const result = await runCli(root, ['render']);
    expect(result.exitCode).toBe(2);
    const file = read(root, 'environments/tenants/ml.yaml');
    expect(result.stderr).toContain(
      `environments/tenants/ml.yaml:${at(file, 'environments:', '\nenvironments:')}: environments: tenant "ml" was removed, but its committed namespace (dist-manifests/staging/tenants/ml/namespace-spark-ml.yaml) was never retired`,
    );
    expect(result.stderr).toContain('Put environments.staging in environments/tenants/ml.yaml back with retired: true');
    expect(readTree(join(root, 'dist-manifests'))).toEqual(output);
  });
});

describe("the README's worked promotion", () => {
  it("dev -> staging -> prod: a Spark setting tried in dev reaches staging, then prod with staging's release, each keeping its own", async () => {
    const root = project();
    edit(root, 'environments/tenants/data-eng.yaml', (text) =>
      text.replace(
        '      decommissionFallbackStorage: s3://spark-platform-dev-shuffle-210987654321/data-eng\n',
        '      decommissionFallbackStorage: s3://spark-platform-dev-shuffle-210987654321/data-eng\n      extraProperties: { spark.sql.adaptive.skewJoin.enabled: "true" }   # data-eng\'s jobs in dev only\n',
      ),
    );
    const composed = async (env: string) => {
      const result = await runCli(root, ['render', '--env', env]);
      expect(result.exitCode).toBe(0);
      return JSON.parse(read(root, `dist-manifests/${env}/artifacts/tenants/data-eng/start-job-run.json`)) as {
        releaseLabel: string;
        configurationOverrides: {
          applicationConfiguration: { classification: string; properties: Record<string, string> }[];
        };
      };
    };
    const skewJoin = (run: Awaited<ReturnType<typeof composed>>) =>
      run.configurationOverrides.applicationConfiguration.find((entry) => entry.classification === 'spark-defaults')!
        .properties['spark.sql.adaptive.skewJoin.enabled'];
    expect(skewJoin(await composed('dev'))).toBe('true');
    expect(skewJoin(await composed('staging'))).toBeUndefined();

    const dryRun = await runCli(root, [
      'promote',
      '--from',
      'dev',
      '--to',
      'staging',
      '--tenant',
      'data-eng',
      '--dry-run',
    ]);
    expect(dryRun.exitCode).toBe(0);
    expect(dryRun.stdout).toContain('+      extraProperties:\n+        spark.sql.adaptive.skewJoin.enabled: "true"\n');
    expect((await runCli(root, ['promote', '--from', 'dev', '--to', 'staging', '--tenant', 'data-eng'])).exitCode).toBe(
      0,
    );
    const staging = await composed('staging');
    expect(skewJoin(staging)).toBe('true');
    expect(parse(read(root, 'environments/tenants/data-eng.yaml')).environments.staging.queue.ordering).toBe('fifo');

    const toProd = await runCli(root, [
      'promote',
      '--from',
      'staging',
      '--to',
      'prod',
      '--tenant',
      'data-eng',
      '--dry-run',
    ]);
    expect(toProd.stdout).toContain(
      '-    releaseLabel: emr-7.2.0-20240610           # behind staging on purpose until emr-gitops promote --from staging\n',
    );
    expect(
      (await runCli(root, ['promote', '--from', 'staging', '--to', 'prod', '--tenant', 'data-eng'])).exitCode,
    ).toBe(0);
    const prod = await composed('prod');
    expect(skewJoin(prod)).toBe('true');
    expect(prod.releaseLabel).toBe('emr-7.5.0-latest');
    expect(parse(read(root, 'environments/tenants/data-eng.yaml')).environments.prod.spark.capacityClasses.driver).toBe(
      'graviton',
    );
  });
});
