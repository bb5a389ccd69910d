import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The `@example` blocks of the builders' doc comments (what `pnpm run docs` shows) are programs: each must
 * type-check against the sources and run against the build, so the documentation cannot drift from the API.
 */

const coreDir = fileURLToPath(new URL('../', import.meta.url));
const srcDir = join(coreDir, 'src');

/** Every exported builder class and builder function that documents itself with an example. */
const DOCUMENTED = [
  'TenantNamespace',
  'EmrContainersRbac',
  'TenantNetworkPolicies',
  'TenantServiceAccounts',
  'Ec2NodeClass',
  'EksNodeClass',
  'NodePool',
  'ExclusiveCapacityClassPolicy',
  'DriverAccountPodPolicy',
  'SparkCapacity',
  'SparkPodTemplates',
  'Gp3StorageClass',
  'SparkPriorityClasses',
  'sparkDefaults',
  'karpenterControllerHelmValues',
  'emrRoleTrustPolicy',
  'SparkHistoryServers',
  'PrometheusServer',
  'SparkPodMonitors',
  'PlatformObservability',
  'FargateProfile',
  'PodSecurityGroups',
  'nvidiaDevicePluginHelmValues',
  'yunikornHelmValues',
];

interface Example {
  readonly name: string;
  readonly file: string;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The ```ts blocks after `@example` in the doc comment right above `export class|function <name>`. */
function examples(): Example[] {
  const found: Example[] = [];
  const pattern = /\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*\nexport (?:class|function) (\w+)/g;
  for (const file of sourceFiles(srcDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const block = /@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/.exec(match[1]!);
      if (!block) continue;
      const code = block[1]!
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n');
      found.push({ name: match[2]!, file: relative(coreDir, file), code });
    }
  }
  return found;
}

const all = examples();
const importsOf = (code: string) => [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('doc comment examples', () => {
  it('every exported builder has one, importing only the package and its peers', () => {
    expect(all.map((example) => example.name).sort()).toEqual([...DOCUMENTED].sort());
    for (const example of all) {
      expect(
        importsOf(example.code).every((spec) => ['@emr-eks-gitops/core', 'cdk8s', 'constructs'].includes(spec)),
        example.name,
      ).toBe(true);
    }
  });

  it('they type-check against the sources (strict, as the package compiles)', () => {
    // In-memory files beside the sources, so `cdk8s` resolves from packages/core/node_modules.
    const virtualDir = join(coreDir, 'test', '.doc-examples');
    const virtual = new Map(
      all.map((example) => [
        join(virtualDir, `${example.name}.ts`),
        `${example.code.replaceAll("'@emr-eks-gitops/core'", "'../../src/index.js'")}\nexport {};\n`,
      ]),
    );
    const config = ts.getParsedCommandLineOfConfigFile(
      join(coreDir, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    )!;
    const options: ts.CompilerOptions = {
      ...config.options,
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      incremental: false,
    };
    delete options.rootDir;
    delete options.outDir;
    delete options.tsBuildInfoFile;
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
    host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
    host.getSourceFile = (name, language, ...rest) => {
      const text = virtual.get(name);
      return text !== undefined
        ? ts.createSourceFile(name, text, language)
        : getSourceFile.call(host, name, language, ...rest);
    };
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && virtual.has(diagnostic.file.fileName))
      .map(
        (diagnostic) =>
          `${relative(virtualDir, diagnostic.file!.fileName)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      );
    expect(problems).toEqual([]);
  }, 120_000);

  describe('they run against the build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emr-eks-gitops-doc-examples-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('each one, in one node process', () => {
      const dist = join(coreDir, 'dist', 'index.js');
      if (!existsSync(dist)) throw new Error('packages/core/dist is missing: run pnpm build first');
      const requireFromCore = createRequire(join(coreDir, 'package.json'));
      const target = (spec: string) =>
        pathToFileURL(spec === '@emr-eks-gitops/core' ? dist : requireFromCore.resolve(spec)).href;
      for (const example of all) {
        const js = ts
          .transpileModule(example.code, {
            compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
          })
          .outputText.replace(/from '([^']+)'/g, (_, spec: string) => `from '${target(spec)}'`);
        writeFileSync(join(dir, `${example.name}.mjs`), js);
      }
      const runner = all
        .map((example) => `await import('./${example.name}.mjs'); console.log('ran ${example.name}');`)
        .join('\n');
      writeFileSync(join(dir, 'run.mjs'), `${runner}\n`);
      const ran = spawnSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8' });
      expect(ran.stderr).toBe('');
      expect(ran.stdout.trim().split('\n')).toEqual(all.map((example) => `ran ${example.name}`));
      expect(ran.status).toBe(0);
    }, 120_000);
  });
});
