import { type Command, InvalidArgumentError, Option } from 'commander';
import type { EMRContainersClient } from '@aws-sdk/client-emr-containers';
import type { ResolvedEnvironment, LoadedEnvironment } from '@emr-eks-gitops/charts';
import type { CreateJobTemplateDocument } from '@emr-eks-gitops/core';
import { CliError, EXIT, type CliIO } from '../io.js';
import type { AwsOptions } from '../emr/client.js';
import type { ErrorContext } from '../emr/errors.js';
import type { ALL_STATES, VirtualClusterInfo } from '../emr/inventory.js';
import { LIST_OUTPUT_FORMATS, OUTPUT_FORMATS, type ListOutputFormat, type OutputFormat } from '../emr/format.js';
import type { JobTemplateInfo } from '../emr/job-templates.js';
import type { AwsSide } from '../emr/aws-side.js';

/**
 * What the emr commands run on, loaded when one of them runs: the AWS SDK, the charts and core packages are not
 * needed to define the commands or print their help.
 */
async function emrModules() {
  const [
    project,
    client,
    errors,
    inventory,
    apply,
    destroy,
    report,
    templates,
    templateReport,
    core,
    lookup,
    aws,
    preflight,
    format,
    charts,
    clusterOutput,
  ] = await Promise.all([
    import('../project.js'),
    import('../emr/client.js'),
    import('../emr/errors.js'),
    import('../emr/inventory.js'),
    import('../emr/apply.js'),
    import('../emr/destroy.js'),
    import('../emr/report.js'),
    import('../emr/job-templates.js'),
    import('../emr/job-template-report.js'),
    import('@emr-eks-gitops/core'),
    import('../emr/job-template-lookup.js'),
    import('../emr/aws-side.js'),
    import('../emr/preflight.js'),
    import('../emr/format.js'),
    import('@emr-eks-gitops/charts'),
    import('../emr/cluster-output.js'),
  ]);
  return {
    ...project,
    ...client,
    ...errors,
    ...inventory,
    ...apply,
    ...destroy,
    ...report,
    ...templates,
    ...templateReport,
    ...lookup,
    ...aws,
    ...preflight,
    ...format,
    ...clusterOutput,
    emrRoleTrustPolicy: core.emrRoleTrustPolicy,
    EMR_RESOURCE_TAGS: core.EMR_RESOURCE_TAGS,
    clusterViews: charts.clusterViews,
    clusterRenderResult: charts.clusterRenderResult,
    outputRoot: charts.outputRoot,
    executionRoleTrustInput: charts.executionRoleTrustInput,
  };
}
type EmrModules = Awaited<ReturnType<typeof emrModules>>;

interface CommonOptions {
  readonly env: string;
  readonly output: OutputFormat;
}
interface AwsCommandOptions extends CommonOptions, AwsOptions {
  readonly concurrency: number;
  readonly keepPreviousTemplates?: number;
  readonly cluster?: string;
}

const positiveInteger =
  (what: string, max: number) =>
  (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > max)
      throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
    return number;
  };

/** `--keep-previous-templates`: how many replaced job templates of a tenant stay beside the current one. */
function keepPreviousOption(command: Command): Command {
  return command.option(
    '--keep-previous-templates <n>',
    'replaced job templates kept per tenant beside the current one, newest first (0 deletes a replaced template in the same apply)',
    (value: string) => {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0 || number > 10)
        throw new InvalidArgumentError('--keep-previous-templates must be a whole number from 0 to 10');
      return number;
    },
    1,
  );
}

function commonOptions(command: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  const help = formats.includes('csv')
    ? 'json for machines, table for people, csv for the cost queries'
    : 'json for machines, table for people';
  return command
    .requiredOption('--env <name>', 'environment (environments/<name>.yaml)')
    .addOption(new Option('--output <format>', help).choices(formats).default('table'));
}

/** The options of an AWS tool; the region defaults to the environment's cluster.region. */
function awsOptions(command: Command, formats: readonly string[] = OUTPUT_FORMATS): Command {
  return commonOptions(command, formats)
    .option('--profile <name>', 'AWS named profile for credentials (default: the standard credential chain)')
    .option('--region <region>', 'AWS region (default: cluster.region of the environment)')
    .option(
      '--endpoint-url <url>',
      "EMR containers endpoint (default: the SDK's, or AWS_ENDPOINT_URL_EMR_CONTAINERS / AWS_ENDPOINT_URL)",
    )
    .option(
      '--max-attempts <n>',
      "attempts per AWS call for the SDK's retry strategy (throttling, 5xx, timeouts)",
      positiveInteger('--max-attempts', 20),
      5,
    )
    .option(
      '--read-timeout <seconds>',
      'seconds to wait for an answer before the attempt is retried',
      positiveInteger('--read-timeout', 600),
      60,
    )
    .option('--concurrency <n>', 'how many tenants to work on at once', positiveInteger('--concurrency', 16), 4)
    .option('--cluster <name>', 'only this cluster of an environment with clusters: (default: each cluster in turn)');
}

/** Everything an EMR command needs on one cluster: the environment as that cluster sees it, a client, and where errors happen. */
interface EmrSession {
  /** The environment, or one cluster's view of an environment with clusters: (its region, its tenants, its render). */
  readonly config: ResolvedEnvironment;
  /** Each tenant's job template as rendered (artifacts/tenants/<tenant>/job-template.json). */
  readonly jobTemplates: () => Map<string, CreateJobTemplateDocument>;
  readonly client: EMRContainersClient;
  readonly context: Omit<ErrorContext, 'operation'>;
  /** The S3, IAM, STS, EKS and SQS side of the environment (artifacts, prefixes, preflight). */
  readonly awsSide: () => AwsSide;
}

/**
 * Adds `emr plan | apply | list | destroy | preflight | trust-policy` to the program. Only these commands talk to
 * AWS: the EMR containers API of the environment's EKS cluster, S3 for the artifacts and log prefixes, and (preflight,
 * reading only) STS, IAM, EKS and SQS.
 *
 * Registration scheme: a tenant's virtual cluster is named after the tenant (`tenants[].name`, as the schema says)
 * on the tenant's namespace, and tagged `emr-eks-gitops.io/managed-by=emr-eks-gitops`,
 * `emr-eks-gitops.io/environment=<env>`, `emr-eks-gitops.io/tenant=<tenant>`; destroy deletes nothing without
 * the first two. The clientToken is a SHA-256 of account, region, EKS cluster, environment, tenant, namespace and
 * generation (the tenant's managed clusters already TERMINATING or TERMINATED), see clientTokenFor().
 * An environment with clusters: is worked on cluster by cluster (or the one --cluster names): a virtual cluster
 * belongs to one EKS cluster and namespace, so each tenant is registered on each of its clusters, in that cluster's
 * region, with that cluster's rendered artifacts and job templates.
 *
 * Exit codes: 0 everything in place (plan: nothing flagged), 1 some tenant failed or needs a person, 2 bad usage,
 * a bad environment file or no credentials.
 */
export function addEmrCommands(program: Command, io: CliIO, result: { exitCode: number }): void {
  const emr = program
    .command('emr')
    .description('register the tenants of an environment as EMR on EKS virtual clusters, idempotently');
  const load = (m: EmrModules, env: string): LoadedEnvironment => {
    const project = m.findProject(io.cwd, program.opts<{ root?: string }>().root);
    return m.loadEnvironments(project, [env])[0]!;
  };
  const environment = (m: EmrModules, env: string): ResolvedEnvironment => load(m, env).environment;
  /**
   * One session per cluster the command works on (a single-cluster environment has one). Each cluster's region,
   * client and rendered artifacts are its own: a tenant is registered on each of its clusters.
   */
  const sessions = (
    m: EmrModules,
    options: Omit<AwsCommandOptions, 'output'> & { readonly output?: string },
  ): { readonly fleet: boolean; readonly all: EmrSession[] } => {
    const loaded = load(m, options.env);
    // The render refuses a broken environment file at its line (exit 2), before any AWS call; made once.
    let rendered: ReturnType<EmrModules['renderAll']>[number] | undefined;
    const render = () => (rendered ??= m.renderAll([loaded])[0]!);
    const fleet = loaded.environment.clusterViews !== undefined;
    const views = m.chosenClusters(m.clusterViews(loaded.environment), loaded.environment, options);
    return {
      fleet,
      all: views.map(({ config, cluster }) => {
        const clusterRender = fleet ? () => m.clusterRenderResult(render(), cluster) : render;
        const region = options.region ?? config.cluster.region;
        return {
          config,
          awsSide: () => new m.AwsSide(config, clusterRender, options),
          jobTemplates: () => m.desiredJobTemplates(config, clusterRender()),
          client: m.createEmrClient(options, config.cluster.region),
          context: { eksCluster: config.cluster.name, region, sourcePath: config.sourcePath, profile: options.profile },
        };
      }),
    };
  };
  /** Runs `body` on each cluster in turn, prints their answers (one per cluster of a fleet), exits with the worst code. */
  const eachCluster = async (
    m: EmrModules,
    options: Omit<AwsCommandOptions, 'output'> & { readonly output: string },
    body: (session: EmrSession) => Promise<{ out: string; exitCode: number }>,
  ) => {
    const { fleet, all } = sessions(m, options);
    const answers: { config: ResolvedEnvironment; out: string; exitCode: number }[] = [];
    for (const session of all) answers.push({ config: session.config, ...(await body(session)) });
    io.out(m.clustersOutput(options.env, answers, fleet, options.output));
    result.exitCode = worstExit(answers.map((answer) => answer.exitCode));
  };

  keepPreviousOption(awsOptions(emr.command('plan')))
    .description(
      'show what apply would do per tenant (virtual cluster: create, keep, or flag for a person; job template: create, keep, replace); changes nothing; exit 1 when a tenant is flagged',
    )
    .action(async (options: AwsCommandOptions) => {
      const m = await emrModules();
      await eachCluster(m, options, async ({ config, client, context, jobTemplates, awsSide }) => {
        const desired = jobTemplates();
        const side = awsSide();
        const s3 = await side.planS3();
        const associations = await side.planAssociations();
        const plan = m.planRegistration(config, await listAll(m, client, context, m.ALL_STATES));
        const templates = m.planJobTemplates(
          config,
          desired,
          await listTemplates(m, client, context),
          options.keepPreviousTemplates,
        );
        const out = m.renderPlan(
          plan,
          options.output,
          m.combineReports(
            { json: { jobTemplates: m.templatePlanJson(templates) }, text: m.renderTemplatePlan(templates) },
            m.s3PlanReport(s3),
            m.associationPlanReport(associations),
          ),
        );
        // 1 tells CI that some tenant or S3 object needs a person (ARRESTED, duplicate, another name, an object not
        // written by emr-gitops); creates and uploads are the normal case.
        return {
          out,
          exitCode:
            plan.tenants.some((entry) => entry.action === 'flag') ||
            m.s3PlanNeedsPerson(s3) ||
            associations.some((entry) => entry.action === 'flag')
              ? EXIT.failed
              : EXIT.ok,
        };
      });
    });

  keepPreviousOption(awsOptions(emr.command('apply')))
    .description(
      "upload the rendered artifacts jobs and notebooks read whose bytes differ and create the missing event-log prefixes, then create the missing virtual clusters (name = tenant name, tagged as managed), then create or replace each tenant's job template; safe to repeat",
    )
    .option(
      '--s3-only',
      'only the S3 side (bootstrap: before Flux or Argo CD syncs the add-ons that read S3; register once the namespaces are synced)',
      false,
    )
    .action(async (options: AwsCommandOptions & { s3Only: boolean }) => {
      const m = await emrModules();
      await eachCluster(m, options, async ({ config, client, context, jobTemplates, awsSide }) => {
        const desired = jobTemplates();
        // S3 first: the pod templates a job template names and the event-log prefixes exist before any job can start.
        const side = awsSide();
        const s3 = await side.applyS3();
        if (options.s3Only) {
          const report = m.s3ApplyReport(s3);
          return {
            out:
              options.output === 'json'
                ? m.toJson({ environment: config.name, ...report.json })
                : report.text.replace(/^\n/, ''),
            exitCode: worstExit(m.s3ApplyExitCodes(s3)),
          };
        }
        // The Pod Identity associations before the virtual clusters: a job's accounts have their roles when it starts.
        const associationOutcomes = await side.applyAssociations(context);
        const plan = m.planRegistration(config, await listAll(m, client, context, m.ALL_STATES));
        const outcomes = await m.applyPlan(client, plan, io, { concurrency: options.concurrency, context });
        // Then each tenant's job template, from a fresh listing: create or replace what the render says.
        const templatePlan = m.planJobTemplates(
          config,
          desired,
          await listTemplates(m, client, context),
          options.keepPreviousTemplates,
        );
        const templateOutcomes = await m.applyJobTemplates(client, templatePlan, io, {
          concurrency: options.concurrency,
          context,
        });
        const out = m.renderApply(
          plan,
          outcomes,
          options.output,
          m.combineReports(
            {
              json: {
                jobTemplates: templateOutcomes.map(m.withoutExitCode),
                jobTemplateSummary: m.templateApplySummary(templateOutcomes),
              },
              text: m.renderTemplateApply(config.name, templateOutcomes),
            },
            m.s3ApplyReport(s3),
            m.associationOutcomeReport(associationOutcomes),
          ),
        );
        return {
          out,
          exitCode: worstExit([
            ...m.s3ApplyExitCodes(s3),
            ...associationOutcomes.map((outcome) =>
              outcome.status === 'failed' || outcome.status === 'flagged' ? (outcome.exitCode ?? EXIT.failed) : EXIT.ok,
            ),
            ...outcomes.map((outcome) =>
              outcome.status === 'failed' || outcome.status === 'flagged' ? (outcome.exitCode ?? EXIT.failed) : EXIT.ok,
            ),
            ...templateOutcomes.map((outcome) =>
              outcome.status === 'failed' ? (outcome.exitCode ?? EXIT.failed) : EXIT.ok,
            ),
          ]),
        };
      });
    });

  keepPreviousOption(awsOptions(emr.command('list'), LIST_OUTPUT_FORMATS))
    .description(
      "list the virtual clusters on the environment's EKS cluster (RUNNING, ARRESTED, TERMINATING) and its managed job templates; --output csv: the virtual clusters and their tenants alone",
    )
    .action(async (options: Omit<AwsCommandOptions, 'output'> & { readonly output: ListOutputFormat }) => {
      const m = await emrModules();
      await eachCluster(m, options, async ({ config, client, context, jobTemplates }) => {
        const desired = jobTemplates();
        const clusters = await listAll(m, client, context, m.LIVE_STATES);
        const templates = m.planJobTemplates(
          config,
          desired,
          await listTemplates(m, client, context),
          options.keepPreviousTemplates,
        );
        const rows = [
          ...templates.tenants.flatMap((entry) => [
            ...(entry.current ? [{ template: entry.current, state: 'current' }] : []),
            ...entry.previous.map((template) => ({ template, state: 'previous' })),
            ...entry.obsolete.map((template) => ({ template, state: 'obsolete' })),
          ]),
          ...templates.orphans.map((template) => ({ template, state: 'orphan' })),
        ];
        return {
          out: m.renderList(m.planRegistration(config, clusters), clusters, options.output, {
            json: { jobTemplates: rows.map((row) => ({ ...m.templateJson(row.template), state: row.state })) },
            text: m.renderTemplateList(config.name, rows),
          }),
          exitCode: EXIT.ok,
        };
      });
    });

  keepPreviousOption(awsOptions(emr.command('template')))
    .description(
      "print a tenant's current job template (id, ARN), the previous ones apply keeps, and a StartJobRun policy that allows exactly those; exit 1 when apply has not created it",
    )
    .requiredOption('--tenant <name>', 'the tenant')
    .option(
      '--id-only',
      "print only the current template's id (for --job-template-id in scripts and schedulers)",
      false,
    )
    .action(async (options: AwsCommandOptions & { tenant: string; idOnly: boolean }) => {
      const m = await emrModules();
      if (options.idOnly && options.cluster === undefined && environment(m, options.env).clusters) {
        throw new CliError(
          `--id-only prints one template id, and ${options.env} has a template per cluster: pass --cluster`,
        );
      }
      await eachCluster(m, options, async ({ config, client, context, jobTemplates }) => {
        const entry = m
          .planJobTemplates(
            config,
            jobTemplates(),
            await listTemplates(m, client, context),
            options.keepPreviousTemplates,
          )
          .tenants.find((candidate) => candidate.tenant === options.tenant);
        if (!entry)
          throw new CliError(
            `unknown tenant "${options.tenant}" (or retired): tenants of ${config.name}: ${config.tenants
              .filter((t) => !t.retired)
              .map((t) => t.name)
              .join(', ')}`,
          );
        const cluster = (await listAll(m, client, context, m.LIVE_STATES)).find(
          (candidate) =>
            candidate.state === 'RUNNING' &&
            m.isManagedBy(candidate, config.name) &&
            candidate.tags[m.TAG.tenant] === options.tenant,
        );
        const lookup = m.templateLookup(entry, cluster?.arn);
        if (!lookup.current)
          io.err(
            `tenant ${options.tenant} has no job template of its rendered content yet: run emr-gitops emr apply --env ${config.name}\n`,
          );
        return {
          out: options.idOnly
            ? lookup.current
              ? `${lookup.current.id}\n`
              : ''
            : options.output === 'json'
              ? `${JSON.stringify(lookup, null, 2)}\n`
              : m.renderTemplateLookup(lookup, config.name),
          exitCode: lookup.current ? EXIT.ok : EXIT.failed,
        };
      });
    });

  awsOptions(emr.command('destroy'))
    .description(
      'delete the virtual clusters and job templates emr-gitops made for this environment (never any other); asks first',
    )
    .option('--tenant <name>', "only this tenant's virtual cluster and job templates")
    .option('--yes', 'do not ask for confirmation (required without a terminal)', false)
    .action(async (options: AwsCommandOptions & { tenant?: string; yes: boolean }) => {
      const m = await emrModules();
      await eachCluster(m, options, async ({ config, client, context, awsSide }) => {
        const clusters = await listAll(m, client, context, m.LIVE_STATES);
        const templates = await listTemplates(m, client, context);
        if (
          options.tenant !== undefined &&
          !config.tenants.some((tenant) => tenant.name === options.tenant) &&
          !clusters.some((cluster) => cluster.tags[m.TAG.tenant] === options.tenant) &&
          !templates.some((template) => m.isManagedTemplate(template, config.name, options.tenant))
        ) {
          throw new CliError(
            `unknown tenant "${options.tenant}": tenants of ${config.name}: ${config.tenants.map((t) => t.name).join(', ')}`,
          );
        }
        const targets = m.destroyTargets(clusters, config.cluster.name, config.name, options.tenant);
        const templateTargets = m.jobTemplateTargets(templates, config.name, options.tenant);
        if (targets.length + templateTargets.length > 0 && !options.yes)
          await confirmDestroy(m, io, config, targets, templateTargets);
        const outcomes = await m.destroyClusters(client, targets, io, { concurrency: options.concurrency, context });
        const templateOutcomes = await m.destroyJobTemplates(client, templateTargets, io, {
          concurrency: options.concurrency,
          context,
        });
        // The artifacts emr-gitops uploaded go too, once confirmed (asked above, or --yes); event logs are data and stay.
        const confirmed = options.yes || targets.length + templateTargets.length > 0;
        const side = awsSide();
        const s3Outcomes = confirmed ? await side.destroyS3(options.tenant) : undefined;
        // The Pod Identity associations emr-gitops made for the environment (or the tenant) go with the clusters.
        const associationOutcomes = confirmed ? await side.destroyAssociations(context, options.tenant) : [];
        const out = m.renderDestroy(
          config.name,
          outcomes,
          options.output,
          m.combineReports(
            {
              json: { jobTemplates: templateOutcomes.map(m.withoutExitCode) },
              text: m.renderTemplateDestroy(templateOutcomes),
            },
            s3Outcomes
              ? m.s3DestroyReport(s3Outcomes)
              : {
                  json: {},
                  text: '\nS3: artifacts left in place; emr destroy --yes deletes the ones emr-gitops uploaded.\n',
                },
            m.associationOutcomeReport(associationOutcomes),
          ),
        );
        return {
          out,
          exitCode: worstExit(
            [...outcomes, ...templateOutcomes, ...(s3Outcomes ?? []), ...associationOutcomes].map((outcome) =>
              outcome.status === 'failed' ? (outcome.exitCode ?? EXIT.failed) : EXIT.ok,
            ),
          ),
        };
      });
    });

  awsOptions(emr.command('preflight'))
    .description(
      'check, reading only, that the account holds what the environment needs before its first job: buckets, uploaded artifacts and log prefixes, the EKS cluster and its OIDC provider, job role trust and permissions (IAM policy simulator), cluster access entries, the interruption queue, Fargate profiles; exit 1 when something is missing or could not be checked',
    )
    .action(async (options: AwsCommandOptions) => {
      const m = await emrModules();
      await eachCluster(m, options, async ({ awsSide }) => {
        const side = awsSide();
        const checks = await m.runPreflight(side, options.concurrency);
        return {
          out: m.renderPreflight(side.config.name, checks, options.output),
          exitCode: m.preflightExitCode(checks),
        };
      });
    });

  commonOptions(emr.command('trust-policy'))
    .description(
      "print the IRSA trust policy each tenant's job execution role needs, as aws emr-containers update-role-trust-policy writes it",
    )
    .option('--tenant <name>', "only this tenant's statement")
    .action(async (options: CommonOptions & { tenant?: string }) => {
      const m = await emrModules();
      const config = environment(m, options.env);
      const tenants = config.tenants.filter((tenant) => options.tenant === undefined || tenant.name === options.tenant);
      if (tenants.length === 0) {
        throw new CliError(
          `unknown tenant "${options.tenant ?? ''}": tenants of ${config.name}: ${config.tenants.map((t) => t.name).join(', ')}`,
        );
      }
      // Per cluster (one, unless the environment has clusters:): a tenant's statements name each cluster it runs on.
      const views = m.clusterViews(config).map(({ config: view }) => ({
        view,
        tenants: view.tenants.filter((tenant) => tenants.some((t) => t.name === tenant.name)),
      }));
      // Tenants on Pod Identity need no statement per namespace: their role trusts pods.eks.amazonaws.com once.
      for (const { view, tenants: placed } of views) {
        for (const tenant of placed.filter((t) => t.identity === 'pod-identity')) {
          io.err(
            `tenant ${tenant.name} uses EKS Pod Identity: its role's trust policy is ${m.outputRoot(view)}/artifacts/platform/emr-access/trust-policies/${tenant.executionRoleArn.replace(/^.*\//, '')}.json (one statement for pods.eks.amazonaws.com)\n`,
          );
        }
      }
      // Tenants sharing a role share one trust policy: one statement each (per cluster they run on), checked against
      // IAM's size limit together.
      const clusters = views.map(({ view, tenants: placed }) => ({ cluster: view.cluster, tenants: placed }));
      const irsa = views.flatMap(({ tenants: placed }) => placed.filter((t) => t.identity === 'irsa'));
      const policies = [...new Set(irsa.map((tenant) => tenant.executionRoleArn))].map((roleArn) => ({
        ...m.emrRoleTrustPolicy(m.executionRoleTrustInput(roleArn, clusters)!),
        tenants: [
          ...new Set(irsa.filter((tenant) => tenant.executionRoleArn === roleArn).map((tenant) => tenant.name)),
        ],
      }));
      for (const warning of policies.flatMap((policy) => policy.warnings)) io.err(`warning: ${warning}\n`);
      io.out(m.renderTrustPolicies(policies, options.output));
    });
}

/** Lists the EKS cluster's virtual clusters; a failure here stops the command with the explained error. */
async function listAll(
  m: EmrModules,
  client: EMRContainersClient,
  context: Omit<ErrorContext, 'operation'>,
  states: typeof ALL_STATES,
): Promise<VirtualClusterInfo[]> {
  try {
    return await m.listVirtualClusters(client, context.eksCluster, states);
  } catch (error) {
    const explained = m.explainAwsError(error, { ...context, operation: 'ListVirtualClusters' });
    throw new CliError(explained.message, explained.exitCode);
  }
}

/** Every job template of the account and region; a failure here stops the command with the explained error. */
async function listTemplates(
  m: EmrModules,
  client: EMRContainersClient,
  context: Omit<ErrorContext, 'operation'>,
): Promise<JobTemplateInfo[]> {
  try {
    return await m.listJobTemplates(client);
  } catch (error) {
    const explained = m.explainAwsError(error, { ...context, operation: 'ListJobTemplates' });
    throw new CliError(explained.message, explained.exitCode);
  }
}

async function confirmDestroy(
  m: EmrModules,
  io: CliIO,
  config: ResolvedEnvironment,
  targets: readonly VirtualClusterInfo[],
  templates: readonly JobTemplateInfo[],
): Promise<void> {
  const templateCount = `${templates.length} job template${templates.length === 1 ? '' : 's'}`;
  const alsoTemplates = templates.length > 0 ? ` (and ${templateCount})` : '';
  if (!io.confirm) {
    throw new CliError(
      `emr destroy would delete ${targets.length} virtual cluster${targets.length === 1 ? '' : 's'} of ${config.name} ` +
        `and there is no terminal to ask: pass --yes to confirm${templates.length > 0 ? `; it would also delete ${templateCount}` : ''}`,
    );
  }
  io.err(
    `About to delete ${targets.length} virtual cluster(s) of ${config.name} on EKS cluster ${config.cluster.name}${alsoTemplates}:\n` +
      targets.map((cluster) => `  ${cluster.name} (${cluster.id}, namespace ${cluster.namespace})\n`).join('') +
      templates
        .map(
          (template) =>
            `  job template ${template.name} (${template.id}, tenant ${template.tags[m.EMR_RESOURCE_TAGS.tenant] ?? '?'})\n`,
        )
        .join(''),
  );
  if (!(await io.confirm('Delete them?'))) throw new CliError('nothing deleted: not confirmed', EXIT.failed);
}

/** 2 beats 1 beats 0: a usage problem anywhere is the answer. */
function worstExit(codes: readonly number[]): number {
  return codes.reduce((worst, code) => Math.max(worst, code), EXIT.ok as number);
}
