import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PlatformObservability, SERIES_JOBS, platformAlertGroups, platformDashboards, seriesOf } from '../src/index.js';
import { configurationErrorOf } from './helpers.js';

const props = { namespaces: ['spark-analytics', 'spark-ml'], karpenter: true };

describe('platform alerts', () => {
  it("group the tenants' alerts, Karpenter's when it runs in the cluster, the History Servers' when there are any", () => {
    const names = (groups: ReturnType<typeof platformAlertGroups>) => groups.map((group) => group.name);
    expect(names(platformAlertGroups(props))).toEqual(['spark-tenants', 'spark-jobs', 'karpenter']);
    expect(names(platformAlertGroups({ ...props, karpenter: false }))).toEqual(['spark-tenants', 'spark-jobs']);
    expect(
      names(
        platformAlertGroups({
          ...props,
          historyServers: { namespace: 'spark-history', deployments: ['spark-history-analytics'] },
        }),
      ),
    ).toEqual(['spark-tenants', 'spark-jobs', 'karpenter', 'spark-history']);
  });

  it("select kube-state-metrics' series by the tenants' namespaces, and take the thresholds given", () => {
    const rules = platformAlertGroups({ ...props, pendingFor: '20m', quotaRatio: 0.8 }).flatMap((group) => group.rules);
    const pending = rules.find((rule) => rule.alert === 'SparkPodPendingTooLong')!;
    expect(pending.for).toBe('20m');
    expect(pending.expr).toContain('namespace=~"spark-analytics|spark-ml"');
    expect(rules.find((rule) => rule.alert === 'SparkTenantQuotaNearLimit')!.expr).toMatch(/> 0\.8$/);
  });

  it('every series a rule or a panel reads is one a scrape job of the project produces', () => {
    const exprs = [
      ...platformAlertGroups(props).flatMap((group) => group.rules.map((rule) => rule.expr)),
      ...platformDashboards({ karpenter: true }).flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => q.expr))),
    ];
    for (const expr of exprs)
      for (const series of seriesOf(expr)) expect(SERIES_JOBS[series], `${series} in ${expr}`).toBeDefined();
  });

  it('refuse a threshold that is no duration or no share, and no tenant namespace', () => {
    expect(configurationErrorOf(() => platformAlertGroups({ ...props, pendingFor: 'soon' })).field).toBe('pendingFor');
    expect(configurationErrorOf(() => platformAlertGroups({ ...props, quotaRatio: 1.2 })).field).toBe('quotaRatio');
    expect(configurationErrorOf(() => platformAlertGroups({ ...props, namespaces: [] })).field).toBe('namespaces');
  });
});

describe('PlatformObservability', () => {
  it("one sidecar ConfigMap per dashboard; a PrometheusRule only with the operator's rule labels", () => {
    const chart = new Chart(Testing.app(), 'observability');
    new PlatformObservability(chart, 'observability', props);
    const objects = Testing.synth(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      platformDashboards({ karpenter: true }).map((d) => `ConfigMap/dashboard-${d.uid}`),
    );
    expect(
      objects.every((o) => o.metadata.labels.grafana_dashboard === '1' && o.metadata.namespace === 'monitoring'),
    ).toBe(true);
    const withOperator = new Chart(new App(), 'operator');
    new PlatformObservability(withOperator, 'observability', {
      ...props,
      prometheusRuleLabels: { release: 'kube-prometheus-stack' },
    });
    const rule = Testing.synth(withOperator).find((o) => o.kind === 'PrometheusRule')!;
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(rule.spec.groups.map((g: { name: string }) => g.name)).toEqual(['spark-tenants', 'spark-jobs', 'karpenter']);
  });
});
