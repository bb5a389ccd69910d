import { parse } from 'yaml';
import { formatFieldPath } from '@emr-eks-gitops/core';

/** One image a rendered object references, and where in the object. */
export interface ImageReference {
  readonly image: string;
  /** Field path in the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly fieldPath: string;
  /** Set when the reference is incomplete (no tag or digest: the chart picks one). */
  readonly note?: string;
}

/** The images of one object, and the places images could not be read from. */
export interface ObjectImages {
  readonly references: ImageReference[];
  readonly problems: { readonly fieldPath: string; readonly message: string }[];
}

type Segment = string | number;
type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/** Where the pod spec sits in each workload kind (core, apps and batch groups). */
const POD_SPEC_AT: Readonly<Record<string, readonly Segment[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every container image `object` references: the containers, init containers and ephemeral containers of a pod spec
 * (Pods, pod templates such as EMR's, and the workload kinds), and the images in the Helm values of a Flux
 * HelmRelease (`spec.values`) or an Argo CD Application (`spec.source(s).helm.valuesObject` and `values`).
 */
export function objectImages(object: Readonly<Json>): ObjectImages {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const found: ImageReference[] = [];
  const problems: ObjectImages['problems'] = [];
  const podSpecPath = POD_SPEC_AT[kind];
  if (podSpecPath && (apiVersion === 'v1' || /^(apps|batch)\//.test(apiVersion))) {
    found.push(...podSpecImages(at(object, podSpecPath), podSpecPath));
  }
  if (kind === 'HelmRelease' && apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
    found.push(...helmValuesImages(at(object, ['spec', 'values']), ['spec', 'values']));
  }
  if (kind === 'Application' && apiVersion.startsWith('argoproj.io/')) {
    const spec = asRecord(object.spec);
    const sources: [unknown, Segment[]][] = [[spec?.source, ['spec', 'source']]];
    if (Array.isArray(spec?.sources))
      spec.sources.forEach((source, index) => {
        sources.push([source, ['spec', 'sources', index]]);
      });
    for (const [source, path] of sources) found.push(...argoHelmImages(asRecord(source), path, problems));
  }
  return { references: found, problems };
}

function podSpecImages(podSpec: unknown, path: readonly Segment[]): ImageReference[] {
  const spec = asRecord(podSpec);
  if (!spec) return [];
  const found: ImageReference[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      const image = asRecord(container)?.image;
      if (typeof image === 'string' && image !== '')
        found.push({ image, fieldPath: formatFieldPath([...path, list, index, 'image']) });
    });
  }
  return found;
}

function argoHelmImages(
  source: Json | undefined,
  path: readonly Segment[],
  problems: ObjectImages['problems'],
): ImageReference[] {
  const helm = asRecord(source?.helm);
  if (!helm) return [];
  const found = helmValuesImages(helm.valuesObject, [...path, 'helm', 'valuesObject']);
  if (typeof helm.values === 'string') {
    // `values` is a YAML document in a string: its field paths follow the string's own field path after a colon.
    const prefix = formatFieldPath([...path, 'helm', 'values']);
    let values: unknown;
    try {
      values = parse(helm.values);
    } catch (error) {
      problems.push({
        fieldPath: prefix,
        message: `not YAML, so no images were read from it: ${(error as Error).message.split('\n')[0]}`,
      });
      return found;
    }
    for (const reference of helmValuesImages(values, []))
      found.push({ ...reference, fieldPath: `${prefix}:${reference.fieldPath}` });
  }
  return found;
}

/**
 * Images in a chart's values, as charts write them: `image: "<ref>"`, or an object `image: { registry?, repository,
 * tag?, digest? }` (Bitnami, Karpenter, kube-prometheus-stack with `sha` for the digest, JupyterHub with `name` for
 * the repository).
 */
export function helmValuesImages(values: unknown, path: readonly Segment[]): ImageReference[] {
  const found: ImageReference[] = [];
  const walk = (node: unknown, here: Segment[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, [...here, index]);
      });
      return;
    }
    const record = asRecord(node);
    if (!record) return;
    for (const [key, value] of Object.entries(record)) {
      const next = [...here, key];
      if (key === 'image') {
        if (typeof value === 'string' && value.trim() !== '') {
          found.push({ image: value.trim(), fieldPath: formatFieldPath(next) });
          continue;
        }
        const reference = imageObject(asRecord(value));
        if (reference) {
          found.push({ ...reference, fieldPath: formatFieldPath(next) });
          continue;
        }
      }
      walk(value, next);
    }
  };
  walk(values, [...path]);
  return found;
}

const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;

function imageObject(image: Json | undefined): Omit<ImageReference, 'fieldPath'> | undefined {
  if (!image) return undefined;
  const repository = scalar(image.repository) ?? scalar(image.name);
  if (!repository) return undefined;
  const registry = scalar(image.registry);
  const tag = scalar(image.tag);
  const sha = scalar(image.sha);
  const digest = scalar(image.digest) ?? (sha && (sha.startsWith('sha256:') ? sha : `sha256:${sha}`));
  const ref = `${registry ? `${registry.replace(/\/+$/, '')}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  const pinned = tag || digest || /[:@][^/]*$/.test(repository);
  return pinned
    ? { image: ref }
    : {
        image: ref,
        note: 'no tag or digest: the chart picks one (often its appVersion), so the image scanned may not be the one run',
      };
}

function at(object: Readonly<Json>, path: readonly Segment[]): unknown {
  let node: unknown = object;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
