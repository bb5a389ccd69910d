import { KARPENTER_CHART, KARPENTER_CRD_CHART, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { argoNamePrefix } from './delivery-chart.js';
import type { AdmissionSummary, DeliverySummary, LayerSummary } from './summaries.js';

/**
 * The wiring deliveryCharts renders (or would, for an environment without `delivery:`) and the layers in their order:
 * the CRD layer unless on EKS Auto Mode, the controller's layer with addons.karpenter and an engine, then platform,
 * tenants and add-ons.
 */
export function deliverySummary(config: ResolvedEnvironment, admission: AdmissionSummary): DeliverySummary {
  const delivery = config.delivery;
  const layers: LayerSummary[] = [
    ...(config.capacity.backend === 'auto-mode' ? [] : [{ name: 'crds' as const, chart: KARPENTER_CRD_CHART }]),
    ...(config.addons?.karpenter !== undefined && delivery !== undefined
      ? [{ name: 'karpenter' as const, chart: KARPENTER_CHART }]
      : []),
    {
      name: 'platform',
      exclusiveClassAdmission: admission.exclusiveClasses.length > 0,
      driverAccountAdmission: admission.driverAccountPolicies,
    },
    {
      name: 'tenants',
      fargateSecurityGroupPolicy: config.tenants.some((tenant) => tenant.fargate?.securityGroupIds !== undefined),
    },
    { name: 'addons' },
  ];
  return {
    engine: delivery?.engine,
    repository: delivery?.repository,
    prune: delivery?.prune,
    selfHeal: delivery?.selfHeal,
    interval: delivery?.interval,
    retryInterval: delivery?.retryInterval,
    timeout: delivery?.timeout,
    argocdNamespace: delivery?.engine === 'argocd' ? delivery.argocd.namespace : undefined,
    projectName: PROJECT_NAME,
    // A cluster of a multi-cluster environment: its Applications name it, its root comes from the ApplicationSet.
    argoName: argoNamePrefix(config.name, config.fleet),
    fleetCluster: config.fleet !== undefined,
    crdChart: KARPENTER_CRD_CHART,
    layers,
  };
}
