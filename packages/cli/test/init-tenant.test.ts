import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { runCli, tempProject } from './support/project.js';

const read = (root: string, env: string) => readFileSync(join(root, 'environments', `${env}.yaml`), 'utf8');
const emptyRepo = () => mkdtempSync(join(tmpdir(), 'emr-gitops-init-'));

describe('emr-gitops init', () => {
  it.each([
    ['karpenter', 'flux'],
    ['karpenter', 'argocd'],
    ['auto-mode', 'flux'],
    ['auto-mode', 'argocd'],
  ])(
    '%s + %s: a commented file with placeholders and one example tenant that renders and validates at once',
    async (backend, delivery) => {
      const root = emptyRepo();
      const init = await runCli(root, [
        'init',
        '--env',
        'demo',
        '--backend',
        backend,
        '--delivery',
        delivery,
        '--region',
        'eu-west-1',
        '--account',
        '123456789012',
        '--cluster',
        'analytics',
      ]);
      expect(init.stderr).toBe('');
      expect(init.exitCode).toBe(0);
      expect(init.stdout).toContain('wrote environments/demo.yaml');
      expect(init.stdout).toContain('pnpm render (emr-gitops render --env demo)');
      const text = read(root, 'demo');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema.json');
      expect(existsSync(join(root, 'environments', 'schema.json'))).toBe(true);
      expect(text).toMatch(/CHANGE-ME: the EKS cluster's name/);
      const config = parse(text);
      expect(config.cluster).toMatchObject({ name: 'analytics', region: 'eu-west-1', accountId: '123456789012' });
      expect(config.capacity.backend).toBe(backend);
      expect(config.delivery.engine).toBe(delivery);
      expect(config.tenants.map((t: { name: string }) => t.name)).toEqual(['example']);
      expect(config.tenants[0].executionRoleArn).toBe('arn:aws:iam::123456789012:role/emr-demo-example-job-execution');
      if (backend === 'auto-mode') {
        expect(config.capacity.controller).toBeUndefined();
        expect(config.addons).toBeUndefined();
      }
      for (const argv of [['validate'], ['render']]) {
        const result = await runCli(root, argv);
        expect(result.stderr, argv[0]).toBe('');
        expect(result.exitCode, argv[0]).toBe(0);
      }
      expect(existsSync(join(root, 'dist-manifests/demo/tenants/example'))).toBe(true);
    },
  );

  it('the template is written as the yaml library writes it, so setting values keeps every comment where it was', () => {
    const template = readFileSync(new URL('../templates/environment.yaml', import.meta.url), 'utf8');
    expect(parseDocument(template).toString({ lineWidth: 0 })).toBe(template);
  });

  it('never overwrites an existing environment file: exit 2, a clear message, the file untouched', async () => {
    const root = tempProject();
    const before = read(root, 'dev');
    const result = await runCli(root, ['init', '--env', 'dev']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'error: environments/dev.yaml exists already; init never overwrites a file (add teams with `emr-gitops tenant add --env dev`, or choose another name)\n',
    );
    expect(read(root, 'dev')).toBe(before);
  });

  it('a China region gets the aws-cn partition in every ARN it writes, and the file validates', async () => {
    const root = emptyRepo();
    const result = await runCli(root, ['init', '--env', 'cn', '--region', 'cn-north-1']);
    expect(result.stderr).toBe('');
    const config = parse(read(root, 'cn'));
    expect(config.cluster.partition).toBe('aws-cn');
    expect(config.cluster.oidcIssuer).toMatch(/^https:\/\/oidc\.eks\.cn-north-1\.amazonaws\.com\.cn\/id\//);
    expect(config.capacity.controller.roleArn).toMatch(/^arn:aws-cn:iam::/);
    expect(config.tenants[0].executionRoleArn).toMatch(/^arn:aws-cn:iam::/);
  });

  it('an environment name that is not a DNS label is refused before it becomes a path', async () => {
    const root = emptyRepo();
    const result = await runCli(root, ['init', '--env', '../outside']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'error: --env "../outside": the environment name must be a DNS-1123 label (lowercase letters, digits, "-"; at most 63 characters)\n',
    );
    expect(existsSync(join(root, 'outside.yaml'))).toBe(false);
  });

  it('a bad value is refused at its line of the would-be file, and nothing is written', async () => {
    const root = emptyRepo();
    const result = await runCli(root, ['init', '--env', 'demo', '--account', '12345']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^environments\/demo\.yaml:8:\d+: cluster\.accountId: /);
    expect(result.stderr).toContain('nothing was written');
    expect(existsSync(join(root, 'environments', 'demo.yaml'))).toBe(false);
  });
});

describe('emr-gitops tenant add', () => {
  it.each(['small', 'medium', 'large'])(
    '%s: appended with sized defaults, the rest of the file kept byte for byte; it renders',
    async (size) => {
      const root = tempProject();
      const before = read(root, 'dev');
      const result = await runCli(root, ['tenant', 'add', '--env', 'dev', '--name', 'bi', '--size', size]);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`added tenant bi (${size}:`);
      expect(result.stdout).toContain('emr-gitops emr apply --env dev');
      const after = read(root, 'dev');
      expect(after.startsWith(before)).toBe(true);
      const tenant = parse(after).tenants.at(-1);
      expect(tenant).toMatchObject({
        name: 'bi',
        namespace: 'spark-bi',
        releaseLabel: 'emr-7.5.0-latest',
        executionRoleArn: 'arn:aws:iam::210987654321:role/emr-dev-bi-job-execution',
      });
      expect(after.slice(before.length)).toContain('# CHANGE-ME: a placeholder; create the role');
      const rendered = await runCli(root, ['render', '--env', 'dev']);
      // dev's one warning (its Prometheus NodePort) and nothing about the new tenant
      expect(
        rendered.stderr
          .split('\n')
          .filter(Boolean)
          .map((line) => line.match(/\[([a-z0-9-]+)\]$/)?.[1]),
      ).toEqual(['prometheus-node-port']);
      expect(rendered.exitCode).toBe(0);
      const quota = parse(
        readFileSync(join(root, 'dist-manifests/dev/tenants/bi/resourcequota-tenant-quota.yaml'), 'utf8'),
      );
      expect(quota.spec.hard.pods).toBe(String(tenant.quota.pods));
    },
  );

  it("the job duration is at most what the driver drain leaves after EMR's job-start-timeout (sandbox: 13h - 15m), so a large tenant (12h) validates", async () => {
    const root = tempProject();
    const result = await runCli(root, ['tenant', 'add', '--env', 'sandbox', '--name', 'bi', '--size', 'large']);
    expect(result.stderr).toBe('');
    expect(parse(read(root, 'sandbox')).tenants.at(-1).spark.maxJobDuration).toBe('12h');
  });

  it('refuses a taken name or namespace, and an environment that does not exist, writing nothing', async () => {
    const root = tempProject();
    const before = read(root, 'dev');
    for (const [argv, message] of [
      [['--name', 'ml'], 'error: environments/dev.yaml already has a tenant named "ml"\n'],
      [
        ['--name', 'ml2', '--namespace', 'spark-ml'],
        'error: environments/dev.yaml already has a tenant in namespace "spark-ml"; pass another --namespace\n',
      ],
    ] as const) {
      const result = await runCli(root, ['tenant', 'add', '--env', 'dev', ...argv]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(message);
    }
    const missing = await runCli(root, ['tenant', 'add', '--env', 'qa', '--name', 'bi']);
    expect(missing.stderr).toBe(
      'error: unknown environment "qa"; environments: dev, global, prod, sandbox, staging (emr-gitops init --env qa starts one)\n',
    );
    expect(read(root, 'dev')).toBe(before);
  });

  it('a tenant the rules refuse is not written: the located problem, exit 2', async () => {
    const root = tempProject();
    const before = read(root, 'dev');
    const result = await runCli(root, ['tenant', 'add', '--env', 'dev', '--name', 'Bad_Name']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^environments\/dev\.yaml:\d+:\d+: tenants\[3\]\.name: /m);
    expect(read(root, 'dev')).toBe(before);
  });
});

describe('emr-gitops tenant retire', () => {
  it('sets retired: true after the name (nothing else changes) and prints the documented removal; render then keeps the namespace', async () => {
    const root = tempProject({ withOutput: true });
    const before = read(root, 'dev');
    const result = await runCli(root, ['tenant', 'retire', '--env', 'dev', '--name', 'data-eng']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const after = read(root, 'dev');
    const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(added).toEqual([
      '    retired: true # emr-gitops tenant retire: kept, never pruned, no new jobs (README "Removing a tenant")',
    ]);
    expect(parse(after).tenants[1]).toMatchObject({ name: 'data-eng', retired: true });
    expect(result.stdout).toContain('emr-gitops emr destroy --env dev --tenant data-eng');
    expect(result.stdout).toContain('kubectl delete namespace spark-data-eng');
    const rendered = await runCli(root, ['render', '--env', 'dev']);
    expect(rendered.exitCode).toBe(0);
    const namespace = parse(
      readFileSync(join(root, 'dist-manifests/dev/tenants/data-eng/namespace-spark-data-eng.yaml'), 'utf8'),
    );
    expect(namespace.metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');

    const again = await runCli(root, ['tenant', 'retire', '--env', 'dev', '--name', 'data-eng']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('tenant data-eng is retired already');
    expect(read(root, 'dev')).toBe(after);
  });

  it('a retired: false is turned to true in place; an unknown tenant is refused with the tenants there are', async () => {
    const root = tempProject();
    writeFileSync(
      join(root, 'environments', 'dev.yaml'),
      read(root, 'dev').replace('  - name: ml\n', '  - name: ml\n    retired: false\n'),
    );
    expect((await runCli(root, ['tenant', 'retire', '--env', 'dev', '--name', 'ml'])).exitCode).toBe(0);
    expect(read(root, 'dev')).toContain('  - name: ml\n    retired: true\n');
    const unknown = await runCli(root, ['tenant', 'retire', '--env', 'dev', '--name', 'bi']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe(
      'error: environments/dev.yaml has no tenant named "bi"; tenants: app-dev, data-eng, ml\n',
    );
  });
});

describe('the README quick start', () => {
  it('its emr-gitops commands, run in order in a new repository, give an environment that renders', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start: your own environment'));
    const block = /```sh\n([\s\S]*?)```/.exec(quickStart)![1]!;
    const commands = block
      .split('\n')
      .filter((line) => line.startsWith('pnpm exec emr-gitops '))
      .map((line) =>
        line
          .replace(/\s+#.*$/, '')
          .split(/\s+/)
          .slice(3),
      );
    expect(commands.map((argv) => argv.slice(0, 2).join(' '))).toEqual(['init --env', 'tenant add']);
    expect(block).toMatch(/^pnpm render\b/m);
    expect(block).toMatch(/^git add environments\/qa\.yaml dist-manifests\/qa && git commit/m);
    const root = emptyRepo();
    for (const argv of [...commands, ['render']]) {
      const result = await runCli(root, argv);
      expect(result.stderr, argv.join(' ')).toBe('');
      expect(result.exitCode, argv.join(' ')).toBe(0);
    }
    expect(parse(read(root, 'qa')).tenants.map((t: { name: string }) => t.name)).toEqual(['example', 'data-eng']);
    expect(existsSync(join(root, 'dist-manifests/qa/README.md'))).toBe(true);
  });
});

describe('tenant add: the job duration under a short driver drain', () => {
  it("a large tenant on a 6h drain gets 5h45m (the drain less EMR's 15m job-start-timeout), not the drain itself", async () => {
    const { appendTenant } = await import('../src/commands/tenant-entry.js');
    const text = [
      'cluster:',
      '  accountId: "111122223333"',
      'capacity:',
      '  driverNodes:',
      '    terminationGracePeriod: 6h',
      'tenants:',
      '  - name: a',
      '    namespace: spark-a',
      '',
    ].join('\n');
    const added = parse(appendTenant(text, { environment: 'x', name: 'bi', size: 'large' }));
    expect(added.tenants.at(-1).spark.maxJobDuration).toBe('5h45m');
    const longDrain = parse(appendTenant(text.replace('6h', '25h'), { environment: 'x', name: 'bi', size: 'large' }));
    expect(longDrain.tenants.at(-1).spark.maxJobDuration).toBe('12h');
  });
});
