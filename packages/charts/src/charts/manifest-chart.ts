import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { LABELS, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { ConfigPath } from '../config/source-map.js';
import type { RenderIssue } from '../config/render-error.js';
import type { AddonSummary } from './summaries.js';

export interface ManifestChartProps {
  /** Output folder of the chart's objects, relative to `dist-manifests/<env>/`, e.g. `tenants/analytics`. */
  readonly folder: string;
  /** Environment name, written to a label on every object. */
  readonly environment: string;
  /** Where in the environment file this chart's settings live, so builder errors point at the right line. */
  readonly configPath: ConfigPath;
  /** Extra labels for every object of the chart. */
  readonly labels?: Record<string, string>;
}

/** A document that goes with the chart but is not applied: a pod template, a policy, Helm values. */
export interface Artifact {
  /** Path below `artifacts/<chart folder>/`; it is also the key below the environment's artifactsS3Uri. */
  readonly path: string;
  readonly value: unknown;
  /** `text`: a string written as it is (an SQL query). */
  readonly format: 'yaml' | 'json' | 'text';
  /** True when `value` is a Kubernetes object (a pod template): it is validated like the applied ones. */
  readonly kubernetesObject: boolean;
}

/**
 * A chart that knows where its objects go: one folder of `dist-manifests/<env>/`, applied by Flux or Argo CD,
 * and the same folder below `artifacts/` for documents that are not applied.
 * Every object gets the project's managed-by, part-of and environment labels.
 */
export class ManifestChart extends Chart {
  readonly folder: string;
  readonly configPath: ConfigPath;
  readonly artifacts: Artifact[] = [];
  /** Things a reviewer should know that do not stop the render (e.g. a trust policy near IAM's size limit), located. */
  readonly warnings: RenderIssue[] = [];
  /** What an add-on's chart contributes to the environment README: its rows and notes (add-on charts only). */
  readonly addonSummary?: AddonSummary;

  constructor(scope: Construct, id: string, props: ManifestChartProps) {
    super(scope, id, {
      disableResourceNameHashes: true,
      labels: {
        [LABELS.managedBy]: PROJECT_NAME,
        [LABELS.partOf]: PROJECT_NAME,
        [LABELS.environment]: props.environment,
        ...props.labels,
      },
    });
    this.folder = props.folder;
    this.configPath = props.configPath;
  }

  /** Path of an artifact of this chart relative to `artifacts/`, as synced to S3. */
  artifactKey(path: string): string {
    return `${this.folder}/${path}`;
  }

  protected addArtifact(artifact: Artifact): void {
    this.artifacts.push(artifact);
  }
}
