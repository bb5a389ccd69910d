import { KARPENTER_CHART, KARPENTER_CRD_CHART, PROJECT_NAME } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import { isAutoMode } from './auto-mode-capacity.js';
import { DELIVERY_DEFAULTS, settings } from './delivery-chart.js';
import type { AdmissionSummary, DeliverySummary, LayerSummary } from './summaries.js';

/**
 * The wiring deliveryCharts renders (or would, for an environment without `delivery:`) and the layers in their order:
 * the CRD layer unless on EKS Auto Mode, the controller's layer with addons.karpenter and an engine, then platform,
 * tenants and add-ons.
 */
export function deliverySummary(config: EnvironmentConfig, admission: AdmissionSummary): DeliverySummary {
  const delivery = config.delivery;
  const applied = delivery ? settings(delivery) : { ...DELIVERY_DEFAULTS, prune: true };
  const layers: LayerSummary[] = [
    ...(isAutoMode(config) ? [] : [{ name: 'crds' as const, chart: KARPENTER_CRD_CHART }]),
    ...(config.addons?.karpenter !== undefined && delivery !== undefined ? [{ name: 'karpenter' as const, chart: KARPENTER_CHART }] : []),
    { name: 'platform', exclusiveClassAdmission: admission.exclusiveClasses.length > 0, driverAccountAdmission: admission.driverAccountPolicies },
    { name: 'tenants', fargateSecurityGroupPolicy: config.tenants.some((tenant) => tenant.fargate?.securityGroupIds !== undefined) },
    { name: 'addons' },
  ];
  return {
    engine: delivery?.engine,
    repository: delivery?.repository,
    prune: applied.prune,
    selfHeal: delivery?.selfHeal ?? true,
    interval: applied.interval,
    retryInterval: applied.retryInterval,
    timeout: applied.timeout,
    argocdNamespace: delivery?.argocd?.namespace ?? 'argocd',
    projectName: PROJECT_NAME,
    crdChart: KARPENTER_CRD_CHART,
    layers,
  };
}
