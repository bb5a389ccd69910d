import type { App } from 'cdk8s';
import {
  KARPENTER_CHART,
  KARPENTER_CLUSTER_NAMESPACE,
  KARPENTER_CRD_CHART,
  PROJECT_NAME,
  helmRelease,
  karpenterControllerHelmValues,
  type HelmDelivery,
} from '@emr-eks-gitops/core';
import type { KarpenterCapacity, ResolvedEnvironment } from '../../config/resolve.js';
import type { ResolvedKarpenterAddon } from './resolve.js';
import { ManifestChart } from '../../charts/manifest-chart.js';
import type { AddonSummary } from '../../charts/summaries.js';

/** The README templates of this folder (paths below `src/`, without `.md.hbs`), which its summary's notes name. */
export const KARPENTER_README_TEMPLATES = { notes: 'addons/karpenter/karpenter' } as const;

/** Where Karpenter's controller is rendered: its own layer, after the CRDs and before the platform's NodePools. */
export const KARPENTER_CONTROLLER_FOLDER = 'karpenter';

/**
 * Karpenter's controller as a Helm release of the chart pinned with its CRDs (KARPENTER_CHART), with the values of
 * karpenterControllerHelmValues (cluster name, interruption queue, IRSA role, kept off Karpenter's own nodes).
 * The chart's `crds/` folder is skipped: the karpenter-crd release owns the CRDs (and upgrades them, which a chart's
 * `crds/` folder never is). Flux: the HelmRelease depends on karpenter-crd's. The karpenter chart ships no
 * values.schema.json at this version, so there is no chart schema to check the values against.
 */
export class KarpenterControllerChart extends ManifestChart {
  readonly values: ReturnType<typeof karpenterControllerHelmValues>;
  override readonly addonSummary: AddonSummary;

  constructor(
    scope: App,
    config: ResolvedEnvironment,
    capacity: KarpenterCapacity,
    addon: ResolvedKarpenterAddon,
    delivery: HelmDelivery,
  ) {
    super(scope, 'addon-karpenter', {
      folder: KARPENTER_CONTROLLER_FOLDER,
      environment: config.name,
      configPath: ['addons', 'karpenter'],
    });
    const { controller } = capacity;
    const { namespace } = addon;
    this.values = karpenterControllerHelmValues({
      clusterName: config.cluster.name,
      interruptionQueue: controller.interruptionQueue,
      controllerRoleArn: controller.roleArn,
      managedNodeGroups: controller.managedNodeGroups,
      replicas: addon.replicas,
    });
    helmRelease(
      this,
      'Controller',
      {
        chart: KARPENTER_CHART,
        namespace,
        values: this.values as unknown as Record<string, unknown>,
        // The CRDs' release lives in flux-system beside this one; with Argo CD the sync waves order them.
        dependsOn: [KARPENTER_CRD_CHART.name],
        skipCrds: true,
        createNamespace: namespace !== KARPENTER_CLUSTER_NAMESPACE,
      },
      delivery,
    );
    this.addonSummary = {
      name: 'karpenter',
      rows: [
        {
          name: 'Karpenter controller',
          chart: `\`${KARPENTER_CHART.url}\` ${KARPENTER_CHART.version}`,
          namespace,
          folder: KARPENTER_CONTROLLER_FOLDER,
          reach: `no UI: \`kubectl logs -n ${namespace} deploy/karpenter\`; metrics on port 8080 of \`svc/karpenter\``,
        },
      ],
      notes: [
        {
          section: 'addons',
          template: KARPENTER_README_TEMPLATES.notes,
          order: 3,
          data: {
            karpenterAddon: {
              namespace,
              replicas: addon.replicas,
              application: `${PROJECT_NAME}-${config.name}-addon-karpenter`,
            },
            controller: {
              interruptionQueue: controller.interruptionQueue,
              roleArn: controller.roleArn,
              managedNodeGroups: controller.managedNodeGroups,
            },
          },
        },
      ],
    };
  }
}
