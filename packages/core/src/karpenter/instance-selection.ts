import { KARPENTER_AWS_INSTANCE_LABELS, type InstanceLabelKeys } from './instance-labels.js';
import { instanceTypesMatching } from './instance-types.js';
import type { NodeRequirement } from '../scheduling/requirements.js';

/** Which EC2 instance types a capacity class may launch, in the terms a platform team thinks in. */
export interface InstanceSelection {
  /** CPU architecture. @default 'amd64' */
  readonly arch?: 'amd64' | 'arm64';
  /** Instance categories, e.g. `['r']`; ignored when `families` is given. @default ['c', 'm', 'r'] */
  readonly categories?: readonly string[];
  /** Instance families, e.g. `['r7g', 'r6g']`; replaces categories. @default any family of the categories */
  readonly families?: readonly string[];
  /** Lowest instance generation. @default 6, or none when `families` is given */
  readonly minGeneration?: number;
  /** Instance sizes, e.g. `['4xlarge', '8xlarge']`. @default any size */
  readonly sizes?: readonly string[];
}

/** A selection with its defaults applied: arch, families or else categories, the lowest generation if any, sizes. */
export type EffectiveInstanceSelection = {
  readonly arch: 'amd64' | 'arm64';
  readonly minGeneration?: number;
  readonly sizes?: readonly string[];
} & ({ readonly families: readonly string[] } | { readonly categories: readonly string[] });

/**
 * What a selection selects once its defaults are applied, the default pools' own: amd64, c/m/r, generation > 5 (no
 * lowest generation when families are named). The one place these defaults live; requirements and summaries read it.
 */
export function effectiveInstanceSelection(selection: InstanceSelection): EffectiveInstanceSelection {
  return {
    arch: selection.arch ?? 'amd64',
    ...(selection.families
      ? { families: selection.families }
      : { categories: selection.categories ?? ['c', 'm', 'r'] }),
    minGeneration: selection.minGeneration ?? (selection.families ? undefined : 6),
    sizes: selection.sizes,
  };
}

/**
 * NodePool requirements for an instance selection (its defaults: effectiveInstanceSelection), written through a label
 * vocabulary so another capacity back end (EKS Auto Mode) can name the same facts.
 */
export function instanceSelectionRequirements(
  selection: InstanceSelection,
  labels: InstanceLabelKeys = KARPENTER_AWS_INSTANCE_LABELS,
): NodeRequirement[] {
  const effective = effectiveInstanceSelection(selection);
  const { arch, minGeneration, sizes } = effective;
  return [
    { key: 'kubernetes.io/arch', operator: 'In', values: [arch] },
    'families' in effective
      ? { key: labels.family, operator: 'In', values: [...effective.families] }
      : { key: labels.category, operator: 'In', values: [...effective.categories] },
    ...(minGeneration !== undefined
      ? [{ key: labels.generation, operator: 'Gt' as const, values: [String(minGeneration - 1)] }]
      : []),
    ...(sizes ? [{ key: labels.size, operator: 'In' as const, values: [...sizes] }] : []),
  ];
}

/**
 * Why a selection launches nothing although the catalog knows its families or categories (an arm64 selection of x86
 * families, a generation above every selected family, sizes none of them has), or undefined.
 */
export function emptySelectionProblem(
  selection: InstanceSelection,
  labels: InstanceLabelKeys = KARPENTER_AWS_INSTANCE_LABELS,
): string | undefined {
  if (instanceTypesMatching(instanceSelectionRequirements(selection, labels)).length > 0) return undefined;
  const loose = instanceTypesMatching(
    instanceSelectionRequirements({ families: selection.families, categories: selection.categories }, labels).filter(
      (r) => r.key !== 'kubernetes.io/arch',
    ),
  );
  if (loose.length === 0) return undefined;
  const arches = [...new Set(loose.map((type) => type.arch))].sort().join(', ');
  const generations = [...new Set(loose.map((type) => type.generation))].sort((a, b) => a - b).join(', ');
  const { arch, minGeneration, sizes } = effectiveInstanceSelection(selection);
  return `selects no instance type: its families or categories are ${arches} of generation ${generations}, and arch ${arch}, minGeneration ${minGeneration ?? 'none'} and sizes ${sizes?.join(', ') ?? 'any'} leave none of them; Karpenter would launch no node for the class`;
}

/**
 * Why GPU executors could not run on the instance types `requirements` select, judged from the offline catalog, or
 * undefined when they can (or the catalog knows none of the types: unknown is not wrong). `requirements` are the
 * class's selection without the GPU requirements the pools add.
 */
export function gpuSelectionProblem(requirements: readonly NodeRequirement[], perExecutor: number): string | undefined {
  const selected = instanceTypesMatching(requirements);
  if (selected.length === 0) return undefined;
  const withGpus = selected.filter((type) => type.gpus > 0);
  if (withGpus.length === 0) {
    const families = [...new Set(selected.map((type) => type.family))].sort();
    return `selects only instance types without GPUs (${families.slice(0, 6).join(', ')}${families.length > 6 ? ', ...' : ''}): the GPU pools, which require a GPU, can launch nothing and every executor stays Pending; select GPU families such as g5, g6, g6e (categories [g])`;
  }
  const most = Math.max(...withGpus.map((type) => type.gpus));
  if (most < perExecutor) {
    return `asks ${perExecutor} GPUs per executor, but the largest selected type has ${most} (${withGpus
      .filter((type) => type.gpus === most)
      .map((type) => type.name)
      .slice(0, 3)
      .join(', ')}): no node can hold an executor; lower gpu.perExecutor to at most ${most} or select larger sizes`;
  }
  return undefined;
}
