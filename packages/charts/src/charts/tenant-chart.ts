import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  ARGOCD_PRUNE_DISABLED,
  EmrContainersRbac,
  atConfigPath,
  SESSION_EXECUTOR_TEMPLATE_FILE,
  FLUX_PRUNE_DISABLED,
  LABELS,
  SparkPodTemplates,
  TenantNamespace,
  TenantNetworkPolicies,
  TenantServiceAccounts,
  emrMonitoringConfiguration,
  fargateTenantProblems,
  jobSubmitterClassification,
  jobTemplateRequest,
  sparkDefaults,
  sparkTenantProblems,
  startJobRunRequest,
  jobSubmitterLabelProperties,
  tenantCostLabels,
  type EmrConfigurationOverrides,
  type FargateJobSizes,
  fargateJobSizes,
  type AwsServiceReach,
  type RuntimeProblem,
  type SparkCapacity,
  type SparkJobSize,
  type SparkLocalDisk,
  type SparkTenantRuntime,
  type TenantEgress,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import { ManifestChart } from './manifest-chart.js';
import { underField, type RenderIssue } from '../config/render-error.js';
import type { ConfigPath } from '../config/source-map.js';
import type { TenantPlacementSummary } from './summaries.js';
import { singleZoneGpuWarnings, tenantCapacityClasses } from '../config/capacity-class-semantics.js';
import {
  capacityClassOf,
  classPlacement,
  fargateScratchDisk,
  scratchDisk,
  type ClassPlacement,
} from './tenant-capacity.js';
import { addFargateTenantObjects, fargateClassPlacement } from './fargate-tenant.js';
import { tenantFolder, tenantLocations, type TenantLocations } from '../config/tenant-locations.js';
import { queueWaitClassifications, tenantGang } from './yunikorn-tenant.js';
import { costLabelIssues } from './tenant-cost-labels.js';

/** What tenants share from the platform layer: where Spark pods go and what they may use there. */
export interface SparkPlatform {
  /** The default capacity class (the environment's own pools). */
  readonly capacity: SparkCapacity;
  /** Every capacity class by name, `default` included. */
  readonly classes: ReadonlyMap<string, SparkCapacity>;
  readonly priorityClassNames: { readonly driver: string; readonly executor: string };
  readonly storageClassName: string;
}

/** A tenant's Spark settings with the environment's defaults applied: what its artifacts and the run-time rules use. */
interface TenantSpark {
  readonly jobSize: SparkJobSize;
  readonly localDisk: SparkLocalDisk;
  readonly logs: { readonly locations: TenantLocations; readonly persistentAppUI: boolean };
  readonly templates: SparkPodTemplates;
  /** The tenant's own driver and executor classes. */
  readonly placement: ClassPlacement;
  /** The classes a job may ask for instead (spark.capacityClasses.offered), in file order, with their templates. */
  readonly variants: ReadonlyArray<{ readonly placement: ClassPlacement; readonly templates: SparkPodTemplates }>;
}

/** The logs settings of one tenant, from the environment's. */
type TenantLogs = TenantSpark['logs'];

/**
 * Everything one tenant's namespace holds, isolation (namespace, quota, limits, network policies, service accounts)
 * and EMR's access to it, and the tenant's Spark artifacts: pod templates and the configuration overrides (spark-defaults
 * with the job size, the job runner's placement, where logs go) that every job run or job template uses.
 * After building, it checks what admission, the scheduler, Karpenter, Spark and EMR will make of a job of the tenant's
 * size: `problems` (refusing the render) and `warnings`, each located in the environment file.
 */
export class TenantChart extends ManifestChart {
  /** Run-time errors of this tenant, located in the environment file. */
  readonly problems: RenderIssue[] = [];
  /** The NodePools this tenant's drivers (and job runner) and executors can land on. */
  placement: TenantPlacementSummary | undefined;
  /** The spark-defaults of the tenant's notebook sessions (absent for a retired tenant): the jobs', with the session executor template. */
  sparkProperties: Readonly<Record<string, string>> | undefined;
  /** The Fargate size of each pod of a job of the tenant's size (Fargate tenants only). */
  fargateSizes: FargateJobSizes | undefined;
  /** The tenant's cost allocation labels: on its namespace and pods, and tags of its EMR documents. */
  readonly costLabels: Readonly<Record<string, string>>;
  /**
   * The scratch disk of the tenant's own jobs, as their pod templates mount it (tenant-capacity.ts's scratchDisk
   * decides). A retired tenant starts no job, but the README still lists the disk its jobs had.
   */
  readonly localDisk: SparkLocalDisk;

  constructor(
    scope: Construct,
    config: ResolvedEnvironment,
    tenant: ResolvedTenant,
    index: number,
    platform: SparkPlatform,
  ) {
    super(scope, `tenant-${tenant.name}`, {
      folder: tenantFolder(tenant.name),
      environment: config.name,
      configPath: ['tenants', index],
      labels: { [LABELS.tenant]: tenant.name },
    });

    this.costLabels = tenantCostLabels(config.costAllocation, tenant);
    const namespace = new TenantNamespace(this, 'Namespace', {
      namespace: tenant.namespace,
      tenant: tenant.name,
      labels: { ...this.costLabels },
      quota: tenant.quota,
      containerDefaults: tenant.containerDefaults,
      podSecurity: { version: `v${config.cluster.kubernetesVersion}` },
    });
    if (tenant.fargate) this.warnings.push(...addFargateTenantObjects(this, namespace, tenant, tenant.fargate, index));

    const network = tenant.network ?? {};
    const awsServiceCidrs = awsServiceCidrsOf(config);
    new TenantNetworkPolicies(this, 'Network', {
      namespace: tenant.namespace,
      allowIngressFromNamespaces: network.allowIngressFromNamespaces,
      egress:
        network.egress?.mode === 'restricted'
          ? {
              mode: 'restricted',
              apiServerCidrs: network.egress.apiServerCidrs ?? [],
              cidrs: network.egress.cidrs ?? [],
              ports: network.egress.ports,
              awsServiceCidrs,
            }
          : ({ mode: 'allow-all' } satisfies TenantEgress),
    });
    if (tenant.serviceAccounts.length > 0) {
      new TenantServiceAccounts(this, 'ServiceAccounts', {
        namespace: tenant.namespace,
        serviceAccounts: tenant.serviceAccounts,
        identity: tenant.identity,
      });
    }

    if (config.cluster.emrAccess === 'aws-auth') {
      new EmrContainersRbac(this, 'EmrAccess', {
        namespace: tenant.namespace,
        kubernetesVersion: config.cluster.kubernetesVersion,
      });
    }

    if (tenant.retired) {
      // Being removed: nothing in the namespace is ever pruned (a later commit drops it from Git while jobs may still
      // run), and no new job gets pod templates or configuration overrides, so no run-time rules either.
      this.localDisk = tenant.fargate
        ? fargateScratchDisk(tenant)
        : scratchDisk(
            capacityClassOf(platform.classes, tenantCapacityClasses(tenant).executor, 'capacityClasses.executor'),
            tenant,
            platform.storageClassName,
          );
      this.keepWhenRemovedFromGit();
      return;
    }
    const spark = underField('spark', () => this.addSparkArtifacts(config, tenant, platform));
    this.localDisk = spark.localDisk;
    this.warnings.push(...singleZoneGpuWarnings(config, tenant, index));
    this.problems.push(...costLabelIssues(config, tenant, index, this.costLabels, spark.templates));
    this.checkRunTime(config, tenant, index, platform, spark);
  }

  private keepWhenRemovedFromGit(): void {
    for (const construct of this.node.findAll()) {
      if (!(construct instanceof ApiObject)) continue;
      for (const [key, value] of Object.entries({ ...FLUX_PRUNE_DISABLED, ...ARGOCD_PRUNE_DISABLED }))
        construct.metadata.addAnnotation(key, value);
    }
  }

  private addSparkArtifacts(config: ResolvedEnvironment, tenant: ResolvedTenant, platform: SparkPlatform): TenantSpark {
    const spark = tenant.spark;
    const logs: TenantLogs = {
      locations: tenantLocations(config, tenant),
      persistentAppUI: config.spark.logs.persistentAppUI,
    };
    const chosen = tenantCapacityClasses(tenant);
    const placement = tenant.fargate
      ? fargateClassPlacement(platform.classes, tenant, tenant.fargate)
      : classPlacement(
          platform.classes,
          tenant,
          chosen.driver,
          chosen.executor,
          platform.storageClassName,
          config.cluster,
        );
    const templates = this.addJobArtifacts(
      config,
      tenant,
      platform,
      placement,
      logs,
      '',
      spark.singleZone === 'always',
    );
    // Single-AZ on request: the tenant's own classes, executors held in the driver's zone (same pools: no new rules).
    if (spark.singleZone === 'offered')
      this.addJobArtifacts(config, tenant, platform, placement, logs, 'single-zone/', true);
    // A variant per offered class: both pods on that class, selected per job by its own configuration overrides.
    const variants = chosen.offered.map((name, index) =>
      underField(`capacityClasses.offered[${index}]`, () => {
        const variant = classPlacement(platform.classes, tenant, name, name, platform.storageClassName, config.cluster);
        return {
          placement: variant,
          templates: this.addJobArtifacts(
            config,
            tenant,
            platform,
            variant,
            logs,
            `classes/${name}/`,
            spark.singleZone === 'always',
          ),
        };
      }),
    );
    return { jobSize: spark.jobSize, localDisk: placement.localDisk, logs, templates, placement, variants };
  }

  /**
   * Pod templates, spark-defaults and EMR job documents for jobs on one pair of classes, below `prefix` in the tenant's
   * artifacts ('' for the tenant's own classes). The job template (registered by emr apply) is the tenant's own only.
   */
  private addJobArtifacts(
    config: ResolvedEnvironment,
    tenant: ResolvedTenant,
    platform: SparkPlatform,
    placement: ClassPlacement,
    logs: TenantLogs,
    prefix: string,
    singleZone: boolean,
  ): SparkPodTemplates {
    const spark = tenant.spark;
    const templates = new SparkPodTemplates({
      placements: placement.placements,
      podLabels: { ...placement.podLabels, ...this.costLabels },
      priorityClassNames: platform.priorityClassNames,
      localDisk: placement.localDisk,
      maxJobDuration: spark.maxJobDuration,
      executorTerminationGracePeriodSeconds: spark.executorTerminationGracePeriodSeconds,
      customCode: spark.customCode && { ...spark.customCode, region: config.cluster.region },
      singleZone,
      yunikorn: tenantGang(config, tenant, spark.jobSize),
    });
    const locations = logs.locations;
    const templateUri = (role: string) => `${locations.artifactsPrefix}${prefix}pod-templates/${role}.yaml`;
    this.addArtifact({
      path: `${prefix}pod-templates/driver.yaml`,
      value: templates.driver,
      format: 'yaml',
      kubernetesObject: true,
    });
    this.addArtifact({
      path: `${prefix}pod-templates/executor.yaml`,
      value: templates.executor,
      format: 'yaml',
      kubernetesObject: true,
    });
    const defaults = sparkDefaults({
      placements: placement.placements,
      podTemplates: templates,
      driverPodTemplateUri: templateUri('driver'),
      executorPodTemplateUri: templateUri('executor'),
      jobSize: spark.jobSize,
      eventLogDir: locations.eventLogDir,
      decommissionFallbackStoragePath: locations.fallbackStoragePath,
      extraProperties: { ...placement.gpuProperties, ...spark.extraProperties },
    });
    if (prefix === '') {
      // Notebook sessions start their executors through Spark, not EMR: their template keeps the pod securityContext.
      const served =
        config.addons?.jupyterhub !== undefined && tenant.serviceAccounts.some((account) => account.sparkDriver);
      if (served)
        this.addArtifact({
          path: `pod-templates/${SESSION_EXECUTOR_TEMPLATE_FILE}`,
          value: templates.sessionExecutor,
          format: 'yaml',
          kubernetesObject: true,
        });
      this.sparkProperties = served
        ? {
            ...defaults.properties,
            'spark.kubernetes.executor.podTemplateFile': `${config.spark.artifactsS3Uri}/${this.artifactKey(`pod-templates/${SESSION_EXECUTOR_TEMPLATE_FILE}`)}`,
          }
        : defaults.properties;
    }
    const configurationOverrides: EmrConfigurationOverrides = {
      applicationConfiguration: [
        defaults,
        // The job runner starts and watches the driver: losing it fails the job, so it goes where drivers go. On
        // Fargate the profile takes it like every pod of the namespace, and a node selector would only keep it Pending.
        placement.fargateProfile
          ? { classification: 'emr-job-submitter', properties: jobSubmitterLabelProperties(this.costLabels) }
          : jobSubmitterClassification(placement.driver.driverPlacement, this.costLabels),
        // Queued jobs wait for their turn in the tenant's YuniKorn queue instead of failing after EMR's 15 minutes.
        ...queueWaitClassifications(tenant),
      ],
      monitoringConfiguration: emrMonitoringConfiguration({
        cloudWatch: locations.cloudWatchLogGroup
          ? { logGroupName: locations.cloudWatchLogGroup, logStreamNamePrefix: tenant.name }
          : undefined,
        s3LogUri: locations.s3LogUri,
        persistentAppUI: logs.persistentAppUI,
      }),
    };
    this.addArtifact({
      path: `${prefix}configuration-overrides.json`,
      format: 'json',
      kubernetesObject: false,
      value: configurationOverrides,
    });
    // The same overrides as a StartJobRun request and as the tenant's EMR job template, which emr apply registers.
    const documents = {
      environment: config.name,
      tenant: tenant.name,
      executionRoleArn: tenant.executionRoleArn,
      releaseLabel: placement.releaseLabel ?? tenant.releaseLabel,
      configurationOverrides,
      costTags: this.costLabels,
    };
    this.addArtifact({
      path: `${prefix}start-job-run.json`,
      format: 'json',
      kubernetesObject: false,
      value: startJobRunRequest(documents),
    });
    if (prefix === '')
      this.addArtifact({
        path: 'job-template.json',
        format: 'json',
        kubernetesObject: false,
        value: jobTemplateRequest(documents),
      });
    return templates;
  }

  /** The run-time rules over the same figures the builders were given; errors go to `problems`, the rest to `warnings`. */
  private checkRunTime(
    config: ResolvedEnvironment,
    tenant: ResolvedTenant,
    index: number,
    _platform: SparkPlatform,
    spark: TenantSpark,
  ): void {
    const egress = tenant.network?.egress;
    const runtimeOn = (
      placement: ClassPlacement,
      templates: SparkPodTemplates,
      localDisk: SparkLocalDisk,
    ): SparkTenantRuntime => ({
      quota: tenant.quota,
      containerDefaults: tenant.containerDefaults,
      jobSize: spark.jobSize,
      localDisk,
      logs: {
        cloudWatch: spark.logs.locations.cloudWatchLogGroup !== undefined,
        s3: spark.logs.locations.s3LogUri !== undefined,
      },
      customCode: tenant.spark.customCode !== undefined,
      maxJobDuration: tenant.spark.maxJobDuration,
      serviceAccounts: tenant.serviceAccounts.map(({ name, sparkDriver, automountServiceAccountToken }) => ({
        name,
        sparkDriver,
        automountServiceAccountToken,
      })),
      // A Fargate tenant reaches no NodePool: its profile takes every pod of the namespace.
      driverPools: placement.fargateProfile ? [] : placement.driver.poolsOf(placement.driver.driverPlacement),
      executorPools: placement.fargateProfile ? [] : placement.executor.poolsOf(templates.executorPlacement),
      jobRunnerPlacement: placement.driver.driverPlacement,
      egress:
        egress?.mode === 'restricted'
          ? { mode: 'restricted', reaches: awsServiceReach(config) }
          : { mode: 'allow-all' },
      gang:
        templates.driver.spec?.schedulerName === undefined || !tenant.queue
          ? undefined
          : { minExecutors: tenant.queue.gangMinExecutors },
      jobStartTimeout: tenant.fargate ? undefined : tenant.queue?.maxQueueWait,
    });
    const runtime = runtimeOn(spark.placement, spark.templates, spark.localDisk);
    const own = new Set([...runtime.driverPools, ...runtime.executorPools].map((pool) => pool.name));
    const offeredPools = [
      ...new Set(
        spark.variants.flatMap(({ placement, templates }) =>
          [
            ...placement.driver.poolsOf(placement.driver.driverPlacement),
            ...placement.executor.poolsOf(templates.executorPlacement),
          ].map((pool) => pool.name),
        ),
      ),
    ].filter((name) => !own.has(name));
    this.placement = {
      tenant: tenant.name,
      namespace: tenant.namespace,
      driverPools: runtime.driverPools.map((pool) => pool.name),
      executorPools: runtime.executorPools.map((pool) => pool.name),
      ...(offeredPools.length > 0 ? { offeredPools } : {}),
      ...(spark.placement.fargateProfile ? { fargateProfile: spark.placement.fargateProfile } : {}),
    };
    const classIndex = (name: string) => config.capacity.classes.findIndex((c) => c.name === name);
    const report = (problem: RuntimeProblem, configPath: ConfigPath, prefix = '') => {
      (problem.severity === 'error' ? this.problems : this.warnings).push(atConfigPath(problem, configPath, prefix));
    };
    const classes = {
      driver: classIndex(spark.placement.driverClass),
      executor: classIndex(spark.placement.executorClass),
      executorOnDemandOnly: spark.placement.executor.executorPlacement.capacityTypes.every(
        (type) => type === 'on-demand',
      ),
    };
    if (spark.placement.fargateProfile) this.fargateSizes = fargateJobSizes(runtime);
    const problems = spark.placement.fargateProfile ? fargateTenantProblems(runtime) : sparkTenantProblems(runtime);
    for (const problem of problems) report(problem, configPathOf(problem.location.path, index, tenant, classes));
    // A variant differs from the tenant's own jobs only in its pools: report what its pools break, at the offered entry.
    spark.variants.forEach(({ placement, templates }, j) => {
      // A class with another scratch disk (EBS volumes where the tenant's own jobs use NVMe) meets the storage quota anew.
      const diskChanged = placement.localDisk.kind !== spark.localDisk.kind;
      const problems = sparkTenantProblems(runtimeOn(placement, templates, placement.localDisk)).filter(
        (p) => VARIANT_RULES.has(p.rule) || (diskChanged && p.rule === 'quota-storage-volumes'),
      );
      for (const problem of problems) {
        report(
          problem,
          ['tenants', index, 'spark', 'capacityClasses', 'offered', j],
          `jobs asking for capacity class ${placement.driverClass}: `,
        );
      }
    });
  }
}

/** The run-time rules whose outcome depends on the pools, checked again for every offered class. */
const VARIANT_RULES = new Set<RuntimeProblem['rule']>([
  'node-fits-pod',
  'pool-limit-holds-pod',
  'job-runner-placement',
  'yunikorn-gang-fits',
]);

/** Where in the environment file each field of SparkTenantRuntime comes from. */
function configPathOf(
  field: ConfigPath,
  index: number,
  tenant: ResolvedTenant,
  classes: { readonly driver: number; readonly executor: number; readonly executorOnDemandOnly: boolean },
): ConfigPath {
  const [head, ...rest] = field;
  const own: ConfigPath = ['tenants', index];
  switch (head) {
    case 'quota':
    case 'containerDefaults':
    case 'serviceAccounts':
      return [...own, head, ...rest];
    case 'jobSize':
    case 'maxJobDuration':
      return [...own, 'spark', head, ...rest];
    case 'localDisk':
      return [...own, 'spark', tenant.spark.localDiskSizeWritten ? 'localDiskSize' : 'localDisk'];
    case 'egress':
      return [...own, 'network', 'egress', ...rest];
    case 'gang':
      return [...own, 'queue', 'gangMinExecutors'];
    // Pool limits of a named class live in its entry of capacity.classes; node lifetimes are the environment's.
    case 'driverPools':
      if (rest[0] !== 'limits') return ['capacity', 'driverNodes', ...rest];
      return classes.driver < 0
        ? ['capacity', 'limits', 'driver', ...rest.slice(1)]
        : ['capacity', 'classes', classes.driver, 'limits', 'driver', ...rest.slice(1)];
    case 'executorPools':
      if (classes.executor < 0) return ['capacity', 'limits', 'executorSpot', ...rest.slice(1)];
      return [
        'capacity',
        'classes',
        classes.executor,
        'limits',
        classes.executorOnDemandOnly ? 'executorOnDemand' : 'executorSpot',
        ...rest.slice(1),
      ];
    default:
      return own;
  }
}

/** HTTPS destinations of AWS services that tenants with restricted egress are allowed. */
function awsServiceCidrsOf(config: ResolvedEnvironment): string[] {
  const services = config.network?.awsServices;
  return [...(services?.interfaceEndpoints?.cidrs ?? []), ...(services?.s3GatewayPrefixListCidrs ?? [])];
}

/** Which AWS services restricted egress reaches through the VPC endpoints the environment declares. */
function awsServiceReach(config: ResolvedEnvironment): AwsServiceReach {
  const services = config.network?.awsServices;
  const interfaces = new Set<string>(services?.interfaceEndpoints?.services ?? []);
  return {
    s3: interfaces.has('s3') || (services?.s3GatewayPrefixListCidrs?.length ?? 0) > 0,
    sts: interfaces.has('sts'),
    logs: interfaces.has('logs'),
  };
}
