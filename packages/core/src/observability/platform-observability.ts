import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { assertDnsLabel } from '../primitives/names.js';
import { platformAlertGroups, type AlertGroup, type PlatformAlertsProps } from './alert-rules.js';
import { grafanaDashboardJson, platformDashboards } from './dashboards.js';

/**
 * The label Grafana's dashboard sidecar watches ConfigMaps by (grafana/helm-charts charts/grafana values.yaml
 * `sidecar.dashboards.label: grafana_dashboard`, `labelValue: "1"`); kube-prometheus-stack's Grafana uses the same.
 */
export const GRAFANA_DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;

export interface PlatformObservabilityProps extends PlatformAlertsProps {
  /** Namespace of the dashboards' ConfigMaps (and of the PrometheusRule). @default 'monitoring' */
  readonly namespace?: string;
  /**
   * With prometheus-operator: render the alerts as a `monitoring.coreos.com/v1` PrometheusRule with these labels
   * (what the Prometheus resource's `ruleSelector` selects, e.g. `{ release: kube-prometheus-stack }`). Without it the
   * caller puts `alertGroups` into its own Prometheus (the chart's `serverFiles`).
   */
  readonly prometheusRuleLabels?: Readonly<Record<string, string>>;
}

/**
 * Dashboards and alerts of the platform: one ConfigMap per Grafana dashboard (labelled for Grafana's sidecar), and the
 * alert groups, either as a PrometheusRule (prometheus-operator) or as `alertGroups` for a rule file.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { PlatformObservability } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'observability');
 * new PlatformObservability(chart, 'observability', { namespaces: ['spark-analytics'], karpenter: true, prometheusRuleLabels: { release: 'kube-prometheus-stack' } });
 * ```
 */
export class PlatformObservability extends Construct {
  readonly namespace: string;
  readonly alertGroups: readonly AlertGroup[];

  constructor(scope: Construct, id: string, props: PlatformObservabilityProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'monitoring';
    assertDnsLabel(this.namespace, 'namespace');
    this.alertGroups = platformAlertGroups(props);
    for (const dashboard of platformDashboards({ karpenter: props.karpenter })) {
      new k8s.KubeConfigMap(this, `Dashboard-${dashboard.uid}`, {
        metadata: {
          name: `dashboard-${dashboard.uid}`,
          namespace: this.namespace,
          labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value },
        },
        data: {
          [`${dashboard.uid}.json`]: `${JSON.stringify(grafanaDashboardJson(dashboard, props.namespaces), null, 2)}\n`,
        },
      });
    }
    if (props.prometheusRuleLabels === undefined) return;
    new ApiObject(this, 'PrometheusRule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'emr-spark-platform', namespace: this.namespace, labels: { ...props.prometheusRuleLabels } },
      spec: {
        groups: this.alertGroups.map((group) => ({
          name: group.name,
          rules: group.rules.map((rule) => ({ ...rule })),
        })),
      },
    });
  }
}
