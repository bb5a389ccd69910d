import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { LABELS, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { ConfigPath } from '../config/source-map.js';

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

/**
 * A chart that knows where its objects go: one folder of `dist-manifests/<env>/`, applied by Flux or Argo CD.
 * Every object gets the project's managed-by, part-of and environment labels.
 */
export class ManifestChart extends Chart {
  readonly folder: string;
  readonly configPath: ConfigPath;

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
}
