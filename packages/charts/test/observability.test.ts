import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  GRAFANA_DASHBOARD_LABEL,
  PROMETHEUS_CHART,
  SERIES_JOBS,
  SPARK_DRIVER_SERIES,
  SPARK_METRICS_NAMESPACE,
  ampRemoteWrite,
  seriesOf,
  sparkDriverMetric,
  validateObjects,
  type AlertGroup,
} from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderError, type RenderResult } from '../src/index.js';
import { renderCommittedEnvironments, committedEnvironmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

type AnyObject = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: any;
};

/** The prometheus chart's values as delivered (Flux HelmRelease, Argo CD Application, or the helm install artifact). */
function releaseValues(result: RenderResult): any {
  for (const { object } of result.objects as readonly { object: any }[]) {
    if (object.kind === 'HelmRelease' && object.metadata.name === PROMETHEUS_CHART.name) return object.spec.values;
    if (object.kind === 'Application' && object.spec.source?.repoURL === PROMETHEUS_CHART.url)
      return object.spec.source.helm.valuesObject;
  }
  return undefined;
}
const dashboardsOf = (result: RenderResult) =>
  result.objects
    .map((o) => o.object as AnyObject)
    .filter(
      (o) =>
        o.kind === 'ConfigMap' && o.metadata.labels?.[GRAFANA_DASHBOARD_LABEL.key] === GRAFANA_DASHBOARD_LABEL.value,
    );
const panelQueries = (result: RenderResult) =>
  dashboardsOf(result).flatMap((map) =>
    Object.values(map.data!).flatMap((text) =>
      (JSON.parse(text).panels as any[]).flatMap((panel) =>
        panel.targets.map((target: any) => ({
          where: `${map.metadata.name}: ${panel.title}`,
          expr: target.expr as string,
        })),
      ),
    ),
  );

/** Prometheus' own parser: `promtool check rules` on a rule file; fails the test with promtool's message. */
function promtoolCheckRules(groups: unknown): void {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    const file = join(dir, 'rules.yml');
    writeFileSync(file, stringify({ groups }));
    try {
      execFileSync('promtool', ['check', 'rules', file], { stdio: 'pipe' });
    } catch (error: any) {
      throw new Error(
        `promtool check rules refused the file: ${error.stderr?.toString() ?? error.message}\n${stringify({ groups })}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
/** Each panel query as a recording rule: what `promtool check rules` parses as PromQL. */
const asRecordingRules = (queries: readonly { expr: string }[]) => [
  {
    name: 'dashboard-panels',
    rules: queries.map((query, index) => ({ record: `dashboard:panel_${index}`, expr: query.expr })),
  },
];

const environments = renderCommittedEnvironments().filter(({ config }) => config.addons?.prometheus);

describe('Spark metric names (MetricsSystem.buildRegistryName + PrometheusServlet.normalizeKey, Spark 3.5)', () => {
  it('carry the constant namespace, never an application id', () => {
    expect(SPARK_METRICS_NAMESPACE).toBe('spark');
    expect(sparkDriverMetric('DAGScheduler', 'stage.failedStages', 'Value')).toBe(
      'metrics_spark_driver_DAGScheduler_stage_failedStages_Value',
    );
    expect(SPARK_DRIVER_SERIES.executorsExitedUnexpectedly).toBe(
      'metrics_spark_driver_ExecutorAllocationManager_executors_numberExecutorsExitedUnexpectedly_Count',
    );
  });
  it.each(environments.map(({ name, result }) => [name, result] as const))(
    "%s: every job's spark-defaults set spark.metrics.namespace",
    (_, result) => {
      const overrides = [...result.files.entries()].filter(([path]) =>
        /artifacts\/tenants\/[^/]+\/configuration-overrides\.json$/.test(path),
      );
      expect(overrides.length).toBeGreaterThan(0);
      for (const [path, text] of overrides) {
        const defaults = JSON.parse(text).applicationConfiguration.find(
          (c: any) => c.classification === 'spark-defaults',
        );
        expect(defaults.properties['spark.metrics.namespace'], path).toBe(SPARK_METRICS_NAMESPACE);
      }
    },
  );
});

describe.each(environments.map(({ name, config, result }) => [name, config, result] as const))(
  'observability of %s',
  (name, config, result) => {
    const values = releaseValues(result);
    const server = config.addons!.prometheus!.mode === 'server';
    const alertGroups: AlertGroup[] = server
      ? values.serverFiles['alerting_rules.yml'].groups
      : (result.objects.find((o) => o.object.kind === 'PrometheusRule')!.object as AnyObject).spec.groups;
    const rules = alertGroups.flatMap((group) => group.rules);
    const queries = panelQueries(result);
    const keptJobs = server
      ? Object.entries(values.scrapeConfigs as Record<string, any>)
          .filter(([, job]) => job.enabled !== false)
          .map(([job]) => job)
      : [];

    it('every alert rule file passes promtool check rules', () => {
      expect(rules.length).toBeGreaterThanOrEqual(8);
      promtoolCheckRules(alertGroups);
    });

    it('every dashboard query parses as PromQL (promtool check rules on them as recording rules)', () => {
      expect(queries.length).toBeGreaterThanOrEqual(15);
      promtoolCheckRules(asRecordingRules(queries.map((q) => ({ expr: q.expr }))));
    });

    it.runIf(server)(
      'every series a rule or panel reads comes from a scrape job the rendered configuration keeps',
      () => {
        const used = [...rules.map((rule) => ({ where: rule.alert, expr: rule.expr })), ...queries];
        for (const { where, expr } of used) {
          const series = seriesOf(expr);
          expect(series.length, `${where}: ${expr}`).toBeGreaterThan(0);
          for (const metric of series) {
            expect(SERIES_JOBS[metric], `${where}: ${metric} is in no scrape job's catalog`).toBeDefined();
            expect(keptJobs, `${where}: ${metric} needs job ${SERIES_JOBS[metric]}`).toContain(SERIES_JOBS[metric]);
          }
        }
      },
    );

    it('each alert has a summary and a runbook line, and the README lists it', () => {
      const readme = result.files.get('README.md')!;
      for (const rule of rules) {
        expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
        expect(rule.annotations.runbook.length, rule.alert).toBeGreaterThan(20);
        expect(readme, `${name} README lists ${rule.alert}`).toContain(`\`${rule.alert}\``);
      }
      for (const map of dashboardsOf(result)) expect(readme).toContain(JSON.parse(Object.values(map.data!)[0]!).title);
    });

    it("Karpenter's dashboard and alerts only where Karpenter runs in the cluster", () => {
      const selfManaged = config.capacity.backend !== 'auto-mode';
      expect(rules.some((rule) => rule.alert.startsWith('Karpenter'))).toBe(selfManaged);
      expect(dashboardsOf(result).some((map) => map.metadata.name === 'dashboard-emr-karpenter')).toBe(selfManaged);
    });
  },
);

describe('operator mode', () => {
  const dev = renderCommittedEnvironments().find(({ name }) => name === 'dev')!;
  it("renders the alerts as one PrometheusRule, valid against the operator's CRD model, labelled like the PodMonitors", () => {
    const config = {
      ...dev.config,
      addons: {
        ...dev.config.addons,
        prometheus: { mode: 'operator' as const, operator: { podMonitorLabels: { release: 'kube-prometheus-stack' } } },
      },
    };
    const result = renderEnvironment(config);
    const rule = result.objects.filter((o) => o.object.kind === 'PrometheusRule');
    expect(rule).toHaveLength(1);
    expect((rule[0]!.object as AnyObject).metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(
      validateObjects(rule, {
        environment: 'dev',
        production: false,
        kubernetesVersion: config.cluster.kubernetesVersion,
      }),
    ).toEqual([]);
    promtoolCheckRules((rule[0]!.object as AnyObject).spec.groups);
  });
});

describe('the committed environments', () => {
  it("show each Prometheus mode: sandbox with prometheus-operator, the others with the chart's server", () => {
    expect(environments.map(({ name, config }) => [name, config.addons!.prometheus!.mode])).toEqual([
      ['dev', 'server'],
      ['prod', 'server'],
      ['sandbox', 'operator'],
      ['staging', 'server'],
    ]);
  });
  const operators = environments.filter(({ config }) => config.addons!.prometheus!.mode === 'operator');
  it.each(operators.map(({ name, config, result }) => [name, config, result] as const))(
    "%s renders one PrometheusRule and a PodMonitor per tenant, valid against the operator's CRDs and labelled for its Prometheus",
    (name, config, result) => {
      const labels = config.addons!.prometheus!.operator!.podMonitorLabels!;
      const ofKind = (kind: string) => result.objects.filter((o) => o.object.kind === kind);
      const [rule, ...moreRules] = ofKind('PrometheusRule');
      expect(moreRules).toEqual([]);
      expect((rule!.object as AnyObject).metadata).toMatchObject({
        name: 'emr-spark-platform',
        namespace: 'monitoring',
        labels,
      });
      expect(result.files.has('addons/prometheus/prometheusrule-emr-spark-platform.yaml')).toBe(true);
      const monitors = ofKind('PodMonitor').map((o) => o.object as AnyObject);
      for (const tenant of config.tenants) {
        const own = monitors.filter(
          (m) =>
            m.spec.namespaceSelector.matchNames.includes(tenant.namespace) &&
            m.spec.selector.matchLabels?.['spark-role'] === 'driver',
        );
        expect(
          own.map((m) => m.metadata.name),
          tenant.name,
        ).toEqual([`spark-${tenant.name}`]);
      }
      for (const monitor of monitors) expect(monitor.metadata.labels, monitor.metadata.name).toMatchObject(labels);
      expect(ofKind('HelmRelease').filter((o) => o.object.metadata.name === PROMETHEUS_CHART.name)).toEqual([]);
      expect(
        validateObjects([rule!, ...ofKind('PodMonitor')], {
          environment: name,
          production: false,
          kubernetesVersion: config.cluster.kubernetesVersion,
        }),
      ).toEqual([]);
    },
  );
});

describe('Amazon Managed Prometheus remote write', () => {
  const prodText = committedEnvironmentText('prod');
  it("prod writes to its workspace: the chart's remoteWrite with SigV4, the IRSA annotation, the policy artifact", () => {
    const result = renderEnvironment(loadEnvironmentText(prodText, 'environments/prod.yaml').config);
    const values = releaseValues(result);
    expect(values.server.remoteWrite).toEqual([
      {
        url: expect.stringMatching(
          /^https:\/\/aps-workspaces\.ap-northeast-2\.amazonaws\.com\/workspaces\/ws-[^/]+\/api\/v1\/remote_write$/,
        ),
        sigv4: { region: 'ap-northeast-2' },
      },
    ]);
    expect(values.serviceAccounts.server.annotations['eks.amazonaws.com/role-arn']).toMatch(
      /^arn:aws:iam::410987654321:role\//,
    );
    // The server's role gets its document beside the other roles' (artifacts/iam/), granting only the remote write.
    const role = values.serviceAccounts.server.annotations['eks.amazonaws.com/role-arn'] as string;
    const document = JSON.parse(result.files.get(`artifacts/iam/${role.split('/').at(-1)}.json`)!);
    expect(document.Statement).toEqual([
      {
        Sid: 'PrometheusRemoteWrite',
        Effect: 'Allow',
        Action: ['aps:RemoteWrite'],
        Resource: expect.stringMatching(/^arn:aws:aps:ap-northeast-2:410987654321:workspace\/ws-/),
      },
    ]);
    expect(result.files.has('artifacts/addons/prometheus/amp-remote-write-policy.json')).toBe(false);
  });
  it('is refused with prometheus-operator, whose Prometheus this project does not configure; the refusal points at it', () => {
    const operator = prodText.replace(/ {4}mode: server\n {4}server:\n( {6}[^\n]*\n)+/, '    mode: operator\n');
    const config = loadEnvironmentText(operator, 'environments/prod.yaml').config;
    let issues: unknown;
    try {
      renderEnvironment(config);
    } catch (error) {
      issues = (error as RenderError).issues.map(issueText);
    }
    expect(issues).toEqual([
      {
        configPath: ['addons', 'prometheus', 'remoteWrite'],
        message: expect.stringContaining('is only used with mode server'),
      },
    ]);
  });
  const roleArn = 'arn:aws:iam::111122223333:role/prometheus-amp-writer';
  it("derives the endpoint and SigV4 region from the workspace ARN, and the writer's policy", () => {
    const amp = ampRemoteWrite({
      workspaceArn: 'arn:aws:aps:eu-west-1:111122223333:workspace/ws-0123abcd-4567',
      roleArn,
    });
    expect(amp.config).toEqual({
      url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123abcd-4567/api/v1/remote_write',
      sigv4: { region: 'eu-west-1' },
    });
    expect(amp.permissionsPolicy.Statement[0]).toMatchObject({
      Action: ['aps:RemoteWrite'],
      Resource: 'arn:aws:aps:eu-west-1:111122223333:workspace/ws-0123abcd-4567',
    });
    const fromUrl = ampRemoteWrite({ url: amp.config.url, roleArn });
    expect(fromUrl.permissionsPolicy).toEqual(amp.permissionsPolicy);
  });
  it("refuses an endpoint that is not AMP's, and both or neither of workspaceArn and url", () => {
    expect(() => ampRemoteWrite({ url: 'https://prometheus.example.com/api/v1/write', roleArn })).toThrow(
      /remoteWrite\.url.*not an AMP remote write endpoint/,
    );
    expect(() => ampRemoteWrite({ roleArn })).toThrow(/needs workspaceArn or url/);
  });
});
