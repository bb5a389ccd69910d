import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT, processIO, type CliIO } from './io.js';
import { addEmrCommands } from './commands/emr.js';
import type { InitOptions } from './commands/init.js';
import type { TenantAddOptions } from './commands/tenant.js';
import type { PromoteOptions } from './commands/promote.js';

// Only commander and this file's small neighbours load up front: a command imports what it needs (the charts, the
// validators and their schemas, the AWS SDK) when it runs, so `--help` and usage errors answer at once.
/** This package's version, read once from its package.json (one small file; src/ and dist/ both sit beside it). */
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const collect = (value: string, previous: string[]) => [...previous, value];

/** Builds the `emr-gitops` program; every action stores its exit code in `result`. */
function buildProgram(io: CliIO, result: { exitCode: number }): Command {
  const program = new Command('emr-gitops')
    .description('Render, check and register a multi-tenant Spark platform on Amazon EMR on EKS, the GitOps way.')
    .version(VERSION, '-V, --version', 'print the version of emr-gitops')
    .option(
      '--root <dir>',
      'project folder holding environments/ and dist-manifests/ (default: nearest one at or above the current folder)',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('render')
    .description('render environments/<env>.yaml to dist-manifests/<env>/ (all environments unless --env is given)')
    .addOption(new Option('--env <name>', 'environment to render; repeat for several').default([]).argParser(collect))
    .option(
      '--check',
      'render in memory and compare with dist-manifests/; exit 1 and show the diff when they differ',
      false,
    )
    .option(
      '--schema-dir <dir>',
      'JSON schemas named as kubeconform names them ({kind}-{group}-{version}.json), used instead of the built-in ones for the kinds they cover',
    )
    .action(async (options: { env: string[]; check: boolean; schemaDir?: string }) => {
      const [{ findProject }, { renderCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/render.js'),
      ]);
      const project = findProject(io.cwd, program.opts<{ root?: string }>().root);
      result.exitCode = await renderCommand(project, options, io);
    });

  program
    .command('validate')
    .description(
      'render in memory and check every object: schemas, Karpenter rules, capacity (pod templates vs node pools) and security; writes nothing',
    )
    .addOption(new Option('--env <name>', 'environment to validate; repeat for several').default([]).argParser(collect))
    .addOption(
      new Option('--output <format>', 'text for people, json for CI annotations')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--schema-dir <dir>',
      'JSON schemas named as kubeconform names them ({kind}-{group}-{version}.json), used instead of the built-in ones for the kinds they cover',
    )
    .action(async (options: { env: string[]; output: 'text' | 'json'; schemaDir?: string }) => {
      const [{ findProject }, { validateCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/validate.js'),
      ]);
      const project = findProject(io.cwd, program.opts<{ root?: string }>().root);
      result.exitCode = validateCommand(project, options, io);
    });

  program
    .command('images')
    .description(
      "list every container image the rendered environments reference (containers, Helm values, each tenant's EMR Spark image), sorted and de-duplicated, for an image scanner",
    )
    .addOption(new Option('--env <name>', 'environment to list; repeat for several').default([]).argParser(collect))
    .addOption(
      new Option('--output <format>', 'text: one image per line; json: each image with where it is used')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (options: { env: string[]; output: 'text' | 'json' }) => {
      const [{ findProject }, { imagesCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/images.js'),
      ]);
      const project = findProject(io.cwd, program.opts<{ root?: string }>().root);
      result.exitCode = imagesCommand(project, options, io);
    });

  program
    .command('diff')
    .description(
      'what `render` would change in dist-manifests/, file by file (A added, M changed, D removed); writes nothing; exit 1 when something would change',
    )
    .addOption(new Option('--env <name>', 'environment to compare; repeat for several').default([]).argParser(collect))
    .option('--unified', 'also print the unified diff of each file', false)
    .option('--stat', 'print a diffstat (lines added and removed per file) instead of the file list', false)
    .option(
      '--schema-dir <dir>',
      'JSON schemas named as kubeconform names them ({kind}-{group}-{version}.json), used instead of the built-in ones for the kinds they cover',
    )
    .action(async (options: { env: string[]; unified: boolean; stat: boolean; schemaDir?: string }) => {
      const [{ findProject }, { diffCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/diff.js'),
      ]);
      const project = findProject(io.cwd, program.opts<{ root?: string }>().root);
      result.exitCode = await diffCommand(project, options, io);
    });
  program
    .command('init')
    .description(
      'write environments/<env>.yaml for a new environment: commented, CHANGE-ME placeholders, one example tenant; it renders and validates as written; never overwrites a file',
    )
    .requiredOption('--env <name>', 'name of the new environment (environments/<name>.yaml)')
    .option('--region <region>', 'AWS region of the cluster', 'us-east-1')
    .option(
      '--account <id>',
      "AWS account of the cluster, 12 digits (default: the AWS documentation's example account, a placeholder)",
      '111122223333',
    )
    .option('--cluster <name>', 'EKS cluster name (default: spark-platform-<env>)')
    .addOption(
      new Option('--backend <backend>', 'capacity back end').choices(['karpenter', 'auto-mode']).default('karpenter'),
    )
    .addOption(
      new Option('--delivery <engine>', 'what applies dist-manifests/<env>/')
        .choices(['flux', 'argocd'])
        .default('flux'),
    )
    .action(async (options: InitOptions) => {
      const { initCommand } = await import('./commands/init.js');
      result.exitCode = initCommand(io.cwd, program.opts<{ root?: string }>().root, options, io);
    });

  const tenant = program.command('tenant').description('add a tenant to an environment file, or start its removal');
  tenant
    .command('add')
    .description(
      "add a tenant with sized defaults (namespace, quota, container limits, job size, a placeholder job role) to environments/<env>.yaml, keeping the file's comments; checked like validate before it is written",
    )
    .requiredOption('--env <name>', 'environment to add the tenant to')
    .requiredOption(
      '--name <tenant>',
      'tenant name, also its EMR virtual cluster name (lowercase letters, digits, "-")',
    )
    .addOption(new Option('--size <size>', 'quota and job size').choices(['small', 'medium', 'large']).default('small'))
    .option('--namespace <namespace>', 'Kubernetes namespace (default: spark-<tenant>)')
    .option('--description <text>', 'one line about the team')
    .action(async (options: TenantAddOptions) => {
      const [{ findProject }, { tenantAddCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/tenant.js'),
      ]);
      result.exitCode = tenantAddCommand(findProject(io.cwd, program.opts<{ root?: string }>().root), options, io);
    });
  tenant
    .command('retire')
    .description(
      'start the documented removal of a tenant: sets retired: true (namespace kept, never pruned, no new jobs) and prints the steps that follow',
    )
    .requiredOption('--env <name>', 'environment of the tenant')
    .requiredOption('--name <tenant>', 'tenant to retire')
    .action(async (options: { env: string; name: string }) => {
      const [{ findProject }, { tenantRetireCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/tenant.js'),
      ]);
      result.exitCode = tenantRetireCommand(findProject(io.cwd, program.opts<{ root?: string }>().root), options, io);
    });
  program
    .command('promote')
    .description(
      "carry the settings of a tenant (or of all) from one environment into another's definition, keeping what the target owns (roles, sizes, network, capacity) and the files' comments; validates the result and prints the change of dist-manifests/<to> before writing",
    )
    .requiredOption(
      '--from <env>',
      'environment whose settings are carried (the one before --to in the promotion chain)',
    )
    .requiredOption('--to <env>', 'environment whose definition is changed')
    .option('--tenant <name>', 'only this tenant (default: every tenant of --from that --to has)')
    .option('--dry-run', 'print what would change and write nothing', false)
    .action(async (options: PromoteOptions) => {
      const [{ findProject }, { promoteCommand }] = await Promise.all([
        import('./project.js'),
        import('./commands/promote.js'),
      ]);
      result.exitCode = promoteCommand(findProject(io.cwd, program.opts<{ root?: string }>().root), options, io);
    });
  addEmrCommands(program, io, result);

  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Errors meant for the user are
 * printed without a stack trace: 2 for bad usage or a bad environment file.
 */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const result = { exitCode: EXIT.ok as number };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // help and version exit 0, usage mistakes 2
    }
    if (error instanceof CliError) {
      io.err(`error: ${error.message}\n`);
      return error.exitCode;
    }
    // Only a command that read environment files throws this, so the charts package is loaded by then.
    const { EnvironmentFileError } = await import('@emr-eks-gitops/charts');
    if (error instanceof EnvironmentFileError) {
      io.err(
        `${error.message}\n${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} found; nothing was written.\n`,
      );
      return EXIT.usage;
    }
    throw error;
  }
}
