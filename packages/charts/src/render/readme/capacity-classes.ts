import type { InstanceSelectionSummary, ReadmeSummaries } from '../../charts/summaries.js';
import { renderInline } from './templates.js';

/** The instance types a class selects, in words. */
function instances(selection: InstanceSelectionSummary): string {
  return [
    selection.arch,
    selection.families
      ? `families ${selection.families.join(', ')}`
      : `categories ${(selection.categories ?? []).join(', ')}`,
    ...(selection.minGeneration !== undefined ? [`generation ${selection.minGeneration}+`] : []),
    ...(selection.sizes ? [`sizes ${selection.sizes.join(', ')}`] : []),
  ].join(', ');
}

/**
 * The README's capacity classes: what each class is, who may use it, which classes each tenant's jobs run on and may
 * ask for, and what runs GPU nodes and GPU jobs. Empty for an environment without classes or single-AZ tenants.
 */
export function capacityClassSection({ capacity, admission, tenants, environment }: ReadmeSummaries): string {
  const active = tenants.filter((tenant) => !tenant.retired);
  const singleZone = active.filter((tenant) => tenant.singleZone);
  const named = (kind: 'always' | 'offered') =>
    singleZone.filter((tenant) => tenant.singleZone === kind).map((tenant) => tenant.name);
  return renderInline('capacity-classes', {
    ...environment,
    autoMode: capacity.autoMode !== undefined,
    defaultInstances: instances(capacity.defaultClass.instances),
    nvmeInstanceStore: capacity.defaultClass.nvmeInstanceStore,
    classes: capacity.classes.map((spec) => ({
      ...spec,
      instances: instances(spec.instances),
      onDemandOnly: spec.executorCapacity === 'on-demand',
      nvme: spec.scratchDisk === 'nvme',
    })),
    tenants: active,
    exclusiveClasses: admission.exclusiveClasses.map((scope) => ({ ...scope, checked: [...scope.checked].sort() })),
    offersClasses: active.some((tenant) => tenant.classes.offered.length > 0),
    gpuClasses: capacity.classes.filter((spec) => spec.gpu).map((spec) => spec.name),
    gpuJobs: active.flatMap((tenant) => tenant.gpuJobs.map((job) => ({ ...job, tenant: tenant.name }))),
    singleZone:
      singleZone.length > 0
        ? {
            always: named('always'),
            offered: named('offered'),
            gpuOnDemand: capacity.classes.some((spec) => spec.gpu && spec.executorCapacity === 'on-demand'),
          }
        : undefined,
  });
}
