import type { AddonNotes, ReadmeSummaries, TenantSummary } from '../../charts/summaries.js';
import type { SparkPodSize } from '@emr-eks-gitops/core';
import { renderInline, renderTemplate } from './templates.js';
import { placementSection } from './placement-diagram.js';
import { capacityBackEndSection } from './capacity-back-ends.js';
import { capacityClassSection } from './capacity-classes.js';
import { clusterAccessData } from './cluster-access.js';

/** The README's sections in order, each a template of this folder (the add-ons' notes are theirs, below `addons/`). */
export const README_SECTIONS = [
  'overview',
  'layers',
  'auto-mode',
  'addons',
  'artifacts',
  'tenants',
  'nodepools',
  'job-logs',
  'iam',
  'cost',
  'pod-identity',
  'driver-nodes',
  'cluster-access',
  'removing-tenant',
] as const;

const PURPOSE = {
  'emr-job': 'EMR job (client, driver, executor)',
  notebook: 'notebook',
  'history-server': 'History Server',
} as const;

/** The environment's README: what is rendered, for whom, and what must happen outside Git, from what the charts decided. */
export function environmentReadme(summaries: ReadmeSummaries): string {
  const data = readmeData(summaries);
  const notes = (section: AddonNotes['section']) =>
    summaries.addons
      .flatMap((addon) => addon.notes)
      .filter((note) => note.section === section)
      .sort((a, b) => a.order - b.order);
  const notesOf = (section: AddonNotes['section'], render: typeof renderTemplate) =>
    notes(section)
      .map((note) => render(note.template, { ...data, ...note.data }))
      .join('');
  const sections: Record<(typeof README_SECTIONS)[number], () => string> = {
    overview: () => renderTemplate('overview', data),
    layers: () => renderTemplate('layers', data),
    'auto-mode': () => renderTemplate('auto-mode', data),
    addons: () => renderTemplate('addons', data) + notesOf('addons', renderTemplate),
    artifacts: () => renderTemplate('artifacts', { ...data, addonArtifacts: notesOf('artifacts', renderTemplate) }),
    tenants: () => renderTemplate('tenants', data),
    nodepools: () => {
      const classes = capacityClassSection(summaries);
      const placements =
        placementSection(
          summaries.tenants.flatMap((tenant) => (tenant.placement ? [tenant.placement] : [])),
          summaries.capacity.pools,
        ) +
        capacityBackEndSection(summaries) +
        (classes ? `\n\n${classes}` : '') +
        notesOf('nodepools', renderInline);
      return renderTemplate('nodepools', { placements });
    },
    'job-logs': () => renderTemplate('job-logs', data),
    iam: () => renderTemplate('iam', data),
    cost: () =>
      renderTemplate('cost', {
        ...data,
        ...summaries.cost,
        tenants: summaries.tenants,
        taggedClasses: summaries.capacity.classes.filter((spec) => spec.costTags !== undefined),
      }),
    'pod-identity': () =>
      renderTemplate('pod-identity', {
        ...data,
        ...summaries.podIdentity,
        bindings: summaries.podIdentity.bindings.map((binding) => ({ ...binding, purpose: PURPOSE[binding.purpose] })),
        irsaTenants: summaries.tenants.filter((tenant) => tenant.irsa).map((tenant) => tenant.name),
      }),
    'driver-nodes': () => renderTemplate('driver-nodes', data),
    'cluster-access': () => renderTemplate('cluster-access', clusterAccessData(summaries)),
    'removing-tenant': () => renderTemplate('removing-tenant', data),
  };
  // Sections that are off leave blank lines behind: one blank line between blocks, as Markdown wants.
  return README_SECTIONS.map((name) => sections[name]())
    .join('')
    .replace(/\n{3,}/g, '\n\n');
}

const size = (pod: SparkPodSize) =>
  `${pod.cores} ${pod.cores === 1 ? 'core' : 'cores'}, ${pod.memory}${pod.memoryOverheadFactor ? ` (+${Math.round(pod.memoryOverheadFactor * 100)}% overhead)` : ''}`;

const disk = (tenant: TenantSummary) =>
  tenant.scratchDisk.kind === 'fargate'
    ? `Fargate ephemeral storage ${tenant.scratchDisk.size}`
    : tenant.scratchDisk.kind === 'instance-store'
      ? 'NVMe instance store'
      : `EBS ${tenant.scratchDisk.size}`;

/** What the section templates read, every key present (the templates are strict), from the summaries only. */
function readmeData(summaries: ReadmeSummaries) {
  const { environment, capacity, delivery, clusterAccess } = summaries;
  const fargate = summaries.tenants.filter((tenant) => !tenant.retired && tenant.fargate).map((tenant) => tenant.name);
  const notebooks = summaries.addons.find((addon) => addon.notebooks)?.notebooks;
  return {
    ...environment,
    awsAuth: clusterAccess.awsAuth,
    accessSummary: clusterAccess.awsAuth
      ? 'aws-auth (Role and RoleBinding rendered per tenant)'
      : 'access entries (EMR creates its own RBAC)',
    capacitySummary:
      (capacity.autoMode
        ? 'EKS Auto Mode (`capacity.backend: auto-mode`): AWS runs Karpenter; NodeClasses `eks.amazonaws.com/v1`'
        : 'self-managed Karpenter (`capacity.backend: karpenter`): EC2NodeClasses `karpenter.k8s.aws/v1`') +
      (fargate.length > 0 ? `; EKS Fargate for ${fargate.join(', ')}` : ''),
    ...delivery,
    flux: delivery.engine === 'flux',
    argocd: delivery.engine === 'argocd',
    secretName: delivery.repository?.secretName,
    layerRows: layerRows(summaries),
    ...capacityData(summaries),
    hasFargate: fargate.length > 0,
    fargateTenants: fargate.join(', '),
    ...tenantData(summaries),
    // Add-ons and notebooks.
    addonRows: summaries.addons.flatMap((addon) => addon.rows),
    notebookServers: notebooks !== undefined,
    notebookCullMinutes: notebooks?.cullMinutes ?? 0,
    // Artifacts.
    clusterAccessArtifacts: [
      ...(clusterAccess.identityMappings
        ? ['`eksctl-iam-identity-mappings.yaml`, the aws-auth mappings (`eksctl create iamidentitymapping -f`)']
        : []),
      ...(clusterAccess.nodeAccessEntry
        ? ["`node-access-entry.json`, the node role's access entry (`aws eks create-access-entry --cli-input-json`)"]
        : []),
      ...(clusterAccess.nodeAccessEntry?.policyArn
        ? ['`node-access-policy.json`, its access policy (`aws eks associate-access-policy --cli-input-json`)']
        : []),
    ].join('; '),
    podIdentitySection: summaries.podIdentity.bindings.length > 0,
  };
}

/** The capacity back end, the Auto Mode settings and the driver nodes' lifetime. */
function capacityData({ capacity }: ReadmeSummaries) {
  const autoMode = capacity.autoMode;
  return {
    autoMode: autoMode !== undefined,
    gpuClasses: capacity.classes.some((spec) => spec.gpu !== undefined),
    nvmeNodeClass: capacity.nvmeNodeClass,
    autoModeAddonPool: autoMode?.addonPool ?? '',
    autoModeSystemPool: autoMode?.addonPool === 'system',
    autoModeBuiltInPools: autoMode?.builtInPools ?? [],
    autoModeExpireAfter: autoMode?.expireAfter ?? '',
    autoModeTagPolicy: autoMode?.tagPolicyTags,
    driverExpireAfter: capacity.driverNodes.expireAfter,
    driverDrainBound: capacity.driverNodes.terminationGracePeriod,
    controllerValues: capacity.controllerValues !== undefined,
    karpenterChart: capacity.controllerValues?.chart ?? { url: '', version: '' },
  };
}

/** The tenants' table, their logs and IAM documents, and which of their documents exist. */
function tenantData({ tenants, iam }: ReadmeSummaries) {
  const active = tenants.filter((tenant) => !tenant.retired);
  const checks = [
    'quota',
    'LimitRange',
    ...(active.some((tenant) => !tenant.fargate)
      ? ['EBS scratch volumes against `requests.storage`', 'the instance types of the pools each pod reaches']
      : []),
    ...(active.some((tenant) => tenant.fargate) ? ["Fargate's pod sizes"] : []),
  ];
  return {
    offeredClasses: tenants.some((tenant) => tenant.documents.classVariants),
    singleZoneJobs: tenants.some((tenant) => tenant.documents.singleZone),
    sizeChecks: `${checks.slice(0, -1).join(', ')} and ${checks.at(-1)}`,
    tenantRows: tenants.map((tenant) => ({
      ...tenant,
      driver: size(tenant.jobSize.driver),
      executor: size(tenant.jobSize.executor),
      disk: disk(tenant),
      maxJobDuration: tenant.maxJobDuration ?? 'unbounded',
      quotaText: `${tenant.quota.cpu} CPU, ${tenant.quota.memory}, ${tenant.quota.pods} pods, ${tenant.quota.storage} volumes`,
    })),
    logRows: tenants.map(({ name, logs }) => ({
      name,
      group: logs.cloudWatchLogGroup,
      s3: logs.s3LogUri,
      events: logs.eventLogDir,
      both: logs.cloudWatchLogGroup !== undefined && logs.s3LogUri !== undefined,
    })),
    cloudWatch: iam.cloudWatchLogs,
    iam: {
      ...iam,
      kmsKey: iam.kmsKey ?? '',
      // The policies by name: the part of the ARN after its last slash.
      managed: iam.managed.map((entry) => ({
        ...entry,
        policies: entry.managedPolicyArns.map((arn) => arn.split('/').pop()!),
      })),
    },
  };
}

/** The layers in the order they reach the cluster, each row keyed by its layer (the template words each one). */
function layerRows({ delivery, capacity }: ReadmeSummaries) {
  const none = { crds: undefined, karpenter: undefined, platform: undefined, tenants: undefined, addons: undefined };
  return delivery.layers.map((layer, index) => ({
    ...none,
    order: index + 1,
    flux: delivery.engine === 'flux',
    autoMode: capacity.autoMode !== undefined,
    [layer.name]: 'chart' in layer ? layer.chart : layer,
  }));
}
