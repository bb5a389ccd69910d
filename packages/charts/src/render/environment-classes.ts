import type { ResolvedCapacityClass, ResolvedEnvironment } from '../config/resolve.js';
import { emrRapidsRelease } from '@emr-eks-gitops/core';
import { tenantCapacityClasses } from '../config/capacity-class-semantics.js';
import { exclusiveClassScopes } from '../charts/admission-chart.js';

/** The instance types a class selects, in words. */
function instances(spec: Partial<ResolvedCapacityClass>): string {
  const minGeneration = spec.minGeneration ?? (spec.families ? undefined : 6);
  return [
    spec.arch ?? 'amd64',
    spec.families ? `families ${spec.families.join(', ')}` : `categories ${(spec.categories ?? ['c', 'm', 'r']).join(', ')}`,
    ...(minGeneration !== undefined ? [`generation ${minGeneration}+`] : []),
    ...(spec.sizes ? [`sizes ${spec.sizes.join(', ')}`] : []),
  ].join(', ');
}

/**
 * The README's capacity classes: what each class is, who may use it, which classes each tenant's jobs run on and may
 * ask for, and what runs GPU nodes and GPU jobs. Empty for an environment without classes or single-AZ tenants.
 */
export function capacityClassSection(config: ResolvedEnvironment): string {
  const classes = config.capacity.classes;
  const tenants = config.tenants.filter((tenant) => !tenant.retired);
  const singleZone = tenants.filter((tenant) => tenant.spark.singleZone);
  if (classes.length === 0 && singleZone.length === 0) return '';
  const lines: string[] = [];
  if (classes.length > 0) {
    const artifacts = config.spark.artifactsS3Uri;
    lines.push(
      '### Capacity classes',
      'Each named class has its own on-demand driver pool and executor pools, labelled and tainted (`NoSchedule`)',
      '`emr-eks-gitops.io/capacity-class=<class>`: only pod templates that select and tolerate the class land there, so the',
      'default pools\' pods never do. `default` is the environment\'s own pools, which carry no class label or taint. Drivers and',
      'EMR\'s job runner always run on the on-demand driver pool of the class their tenant chose for drivers.',
      '',
      '| class | instances | executors | scratch disk | GPUs | who may use it |',
      '|---|---|---|---|---|---|',
      `| \`default\` | ${instances({})} | spot first, on-demand fallback | EBS volume per pod${config.capacity.nvmeInstanceStore ? ' or NVMe instance store (tenants with localDisk instance-store)' : ''} | none | every tenant |`,
      ...classes.map((spec) => `| \`${spec.name}\` | ${instances(spec)}${spec.description ? ` (${spec.description})` : ''} | ${spec.executorCapacity === 'on-demand' ? 'on-demand only' : 'spot first, on-demand fallback'} | ${spec.localDisk === 'nvme' ? 'NVMe instance store (RAID0)' : 'EBS volume per pod'} | ${spec.gpu ? `${spec.gpu.perExecutor} \`${spec.gpu.resource}\` per executor, taint \`${spec.gpu.taintKey}:NoSchedule\`` : 'none'} | ${spec.exclusiveTo ? `only ${spec.exclusiveTo.join(', ')}` : 'every tenant'} |`),
      '',
      '| tenant | drivers | executors | a job may ask for |',
      '|---|---|---|---|',
      ...tenants.map((tenant) => {
        const chosen = tenantCapacityClasses(tenant);
        return `| ${tenant.name} | \`${chosen.driver}\` | \`${chosen.executor}\` | ${chosen.offered.map((name) => `\`${name}\``).join(', ') || '-'} |`;
      }),
    );
    const scopes = exclusiveClassScopes(config);
    if (scopes.length > 0) lines.push('', ...exclusivityLines(scopes));
    if (tenants.some((tenant) => tenantCapacityClasses(tenant).offered.length > 0)) {
      lines.push(
        '',
        'A job runs on an offered class with that class\'s documents: `artifacts/tenants/<tenant>/classes/<class>/` holds its pod',
        'templates, `configuration-overrides.json` and `start-job-run.json` (drivers and executors on the class; GPU classes add',
        'Spark\'s `spark.executor.resource.gpu.*` properties). Pass its `configuration-overrides.json` to',
        '`aws emr-containers start-job-run --configuration-overrides`, or set `spark.kubernetes.driver.podTemplateFile` and',
        `\`spark.kubernetes.executor.podTemplateFile\` to \`${artifacts}/tenants/<tenant>/classes/<class>/pod-templates/{driver,executor}.yaml\`.`,
        'The tenant\'s EMR job template uses its own classes.',
      );
    }
    const gpu = classes.filter((spec) => spec.gpu);
    if (gpu.length > 0) lines.push('', ...gpuLines(config, gpu.map((spec) => spec.name)));
  }
  if (singleZone.length > 0) {
    const always = singleZone.filter((tenant) => tenant.spark.singleZone === 'always').map((tenant) => tenant.name);
    const offered = singleZone.filter((tenant) => tenant.spark.singleZone === 'offered').map((tenant) => tenant.name);
    lines.push(
      '',
      '### Single-AZ jobs',
      ...(always.length > 0 ? [`Every job of ${always.join(', ')} keeps its executors in its driver's Availability Zone.`] : []),
      ...(offered.length > 0 ? [`Jobs of ${offered.join(', ')} do so when submitted with the documents under \`artifacts/tenants/<tenant>/single-zone/\``,
        '(its `configuration-overrides.json` or `start-job-run.json`; the other jobs spread over zones).'] : []),
      'Executors carry a required pod affinity to their job\'s driver on `topology.kubernetes.io/zone`, with',
      '`matchLabelKeys: [spark-app-selector]`, which the API server merges into the selector from Kubernetes 1.31 (so',
      'Karpenter provisions in that zone too). The zone is chosen per job when the driver is placed; shuffle stays in one',
      'zone. Executors can only use spot capacity of that zone: when it is short, they fall back to the on-demand executor',
      'pool in the same zone, and a reclaimed executor is replaced there.',
      ...(classes.some((spec) => spec.gpu && spec.executorCapacity === 'on-demand')
        ? ['On-demand GPU capacity is often short in one zone: single-zone jobs on such a class are warned about',
          '(`[single-zone-gpu]`), since their executors wait in the driver\'s zone instead of starting in another.'] : []),
    );
  }
  return lines.join('\n');
}

/** Who enforces `exclusiveTo`, and how: the admission policies of `platform/admission/`. */
function exclusivityLines(scopes: ReturnType<typeof exclusiveClassScopes>): string[] {
  return [
    'Exclusivity is enforced by the API server, not only by the rendered pod templates: for each exclusive class,',
    '`platform/admission/` holds a ValidatingAdmissionPolicy and its binding (`validationActions: [Deny]`,',
    '`failurePolicy: Fail`) that refuse the CREATE or UPDATE of a Pod in the namespaces of the tenants not granted the',
    'class when the pod tolerates the class taint (that key and value, `Exists` on that key, or an `Exists` toleration',
    'without a key, which tolerates every taint), selects the class label (nodeSelector, or a required node affinity',
    '`In` the class), or is created with `spec.nodeName` (which skips the scheduler and its taint check). This covers',
    'pod templates, `spark.kubernetes.{driver,executor}.node.selector.*` and pods a tenant writes itself. An update may',
    'keep what a pod already had, but not add it. The granted tenants\' namespaces, system namespaces and add-on',
    'namespaces are not bound, so DaemonSets that must run on every node (the NVIDIA device plugin in `kube-system`,',
    'log and metrics agents) are untouched; a tenant cannot run such a DaemonSet onto a class it is not granted.',
    '',
    '| class | granted to | pods refused in |',
    '|---|---|---|',
    ...scopes.map((scope) => `| \`${scope.name}\` | ${scope.granted.map((grant) => `${grant.tenant} (\`${grant.namespace}\`)`).join(', ')} | ${[...scope.checked].sort().map((namespace) => `\`${namespace}\``).join(', ')} |`),
  ];
}

/** What runs GPU executors: the AMI, the device plugin (or Auto Mode's), and the RAPIDS image of each GPU tenant's jobs. */
function gpuLines(config: ResolvedEnvironment, gpuClasses: readonly string[]): string[] {
  const names = gpuClasses.map((name) => `\`${name}\``).join(', ');
  const plugin = config.capacity.backend === 'auto-mode'
    ? ['EKS Auto Mode runs the NVIDIA driver and device plugin on its GPU nodes itself; nothing of it is rendered here.']
    : [
      'Karpenter launches them from the `al2023` alias\'s NVIDIA variant (the accelerated AL2023 AMI with the NVIDIA driver and',
      'container toolkit, SSM `.../amazon-linux-2023/x86_64/nvidia/...` of the pinned version). NVIDIA\'s device plugin',
      '(`addons/nvidia-device-plugin/`, see Add-ons) runs on those nodes only (the class label and `instance-gpu-count > 0`), tolerating exactly their taints, and advertises',
      '`nvidia.com/gpu`; without it GPU executors stay Pending, so a GPU class without `addons.nvidiaDevicePlugin` is refused.',
    ];
  const jobs = config.tenants.filter((tenant) => !tenant.retired && !tenant.fargate).flatMap((tenant) => {
    const chosen = tenantCapacityClasses(tenant);
    const variants = [...(gpuClasses.includes(chosen.executor) ? [['its jobs', '']] : []),
      ...chosen.offered.filter((name) => gpuClasses.includes(name)).map((name) => [`jobs on \`${name}\``, `classes/${name}/`])];
    const rapids = emrRapidsRelease(config.cluster.region, tenant.releaseLabel, config.cluster.partition);
    if (variants.length === 0 || 'unknown' in rapids) return [];
    return variants.map(([what, prefix]) => `- **${tenant.name}**, ${what} (\`artifacts/tenants/${tenant.name}/${prefix}\`): release \`${rapids.releaseLabel}\`, image \`${rapids.image}\``);
  });
  return [
    `GPU nodes (${names}): ${plugin.join('\n')}`,
    ...(jobs.length > 0 ? [
      '',
      'GPU jobs run on their release\'s RAPIDS Accelerator image (CUDA libraries, the RAPIDS jar and its GPU discovery',
      'script): their `start-job-run.json` names the `spark-rapids` release label, and their `configuration-overrides.json`',
      'sets `spark.kubernetes.container.image` to it and `spark.plugins=com.nvidia.spark.SQLPlugin`, with Spark\'s',
      '`spark.executor.resource.gpu.*` and `spark.task.resource.gpu.amount`:',
      ...jobs,
    ] : []),
  ];
}
