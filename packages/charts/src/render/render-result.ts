import type { RenderIssue } from '../config/render-error.js';

// What a render returns: pure data, written to disk by the CLI (render.ts and render-fleet.ts make it).

/** A Kubernetes object as rendered: plain JSON. */
export type KubernetesObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

/** One rendered object and the file it is written to. */
export interface RenderedObject {
  /** Path relative to `dist-manifests/<env>/`. */
  readonly path: string;
  readonly object: KubernetesObject;
  /** True when Flux/Argo CD applies it (listed in a kustomization); false for artifacts such as pod templates. */
  readonly applied: boolean;
}

/** Everything one environment renders to; pure data, written to disk by the CLI. */
export interface RenderResult {
  readonly environment: string;
  /** Path (relative to `dist-manifests/<env>/`) -> file content, sorted by path. */
  readonly files: ReadonlyMap<string, string>;
  /** The objects behind the YAML files, for validation. */
  readonly objects: readonly RenderedObject[];
  /** What a reviewer should know that does not stop the render, each with the config path it is about. */
  readonly warnings: readonly RenderIssue[];
  /** An environment with `clusters:`: each cluster's objects (also in `objects`), which the rules check cluster by cluster. */
  readonly clusters?: readonly RenderedCluster[];
}

/** One cluster's part of a multi-cluster environment's render: what validation checks on its own. */
export interface RenderedCluster {
  readonly name: string;
  readonly kubernetesVersion: string;
  /** Its objects, paths relative to `dist-manifests/<env>/` (so starting with `<cluster>/`). */
  readonly objects: readonly RenderedObject[];
}
