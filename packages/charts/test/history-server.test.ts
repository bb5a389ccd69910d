import { describe, expect, it } from 'vitest';
import { RESERVED_NAMESPACES } from '@emr-eks-gitops/core';
import { RenderError, loadEnvironmentText, renderEnvironment } from '../src/index.js';
import { karpenterCapacity } from './karpenter-capacity.js';
import { historyServerName } from '../src/charts/history-server-names.js';
import { Subject } from '../../core/src/validation/subject.js';
import { misfit, readPlacement, readPool } from '../../core/src/validation/capacity/placement.js';
import { ancestors, deliveryGraph, layerOf, type AnyObject } from './delivery-graph.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;

describe.each(['staging', 'prod'] as const)('Spark History Server in %s', (env) => {
  const config = load(env);
  const result = renderEnvironment(config);
  const addon = config.addons!.historyServer!;
  const own = result.objects.filter((o) => o.path.startsWith('addons/spark-history/'));
  const byKind = (kind: string) => own.filter((o) => o.object.kind === kind).map((o) => o.object as AnyObject);

  it("one server per tenant, each reading exactly the spark.eventLog.dir its tenant's jobs write", () => {
    const deployments = byKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
      config.tenants.map((t) => `spark-history-${t.name}`).sort(),
    );
    for (const tenant of config.tenants) {
      const overrides = JSON.parse(result.files.get(`artifacts/tenants/${tenant.name}/configuration-overrides.json`)!);
      const eventLogDir = overrides.applicationConfiguration.find(
        (c: { classification: string }) => c.classification === 'spark-defaults',
      ).properties['spark.eventLog.dir'];
      expect(eventLogDir).toBe(`${config.spark.logs!.s3Uri}/${tenant.name}/spark-events/`);
      const deployment = deployments.find((d) => d.metadata.name === `spark-history-${tenant.name}`)!;
      const container = deployment.spec.template.spec.containers[0];
      const opts = container.env.find((e: { name: string }) => e.name === 'SPARK_HISTORY_OPTS').value as string;
      expect(opts.split(' ')).toContain(`-Dspark.history.fs.logDirectory=${eventLogDir}`);
      // No other tenant's prefix.
      for (const other of config.tenants.filter((t) => t.name !== tenant.name))
        expect(opts).not.toContain(`/${other.name}/`);
      expect(container.image).toBe(addon.image);
      expect(container.command).toEqual([
        '/usr/lib/spark/bin/spark-class',
        'org.apache.spark.deploy.history.HistoryServer',
      ]);
      const service = byKind('Service').find((s) => s.metadata.name === deployment.metadata.name)!;
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(service.spec.ports).toEqual([{ name: 'http', port: 18080, targetPort: 'http', protocol: 'TCP' }]);
    }
  });

  it("reads s3:// through EMRFS, which spark-class does not put on the daemon's classpath by itself", () => {
    // aws-emr-containers-best-practices load-test-for-spark-operator.md: an EMR image outside StartJobRun needs the
    // EMRFS jars and conf on the classpath, fs.s3.impl and IRSA's web identity provider for EMRFS.
    for (const deployment of byKind('Deployment')) {
      const env = new Map<string, string>(
        deployment.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
      );
      const classpath = env.get('SPARK_DAEMON_CLASSPATH')!.split(':');
      expect(classpath).toEqual(
        expect.arrayContaining([
          '/usr/share/aws/emr/emrfs/conf',
          '/usr/share/aws/emr/emrfs/lib/*',
          '/usr/share/aws/aws-java-sdk/*',
        ]),
      );
      const opts = env.get('SPARK_HISTORY_OPTS')!.split(' ');
      expect(opts).toEqual(
        expect.arrayContaining([
          '-Dspark.hadoop.fs.s3.impl=com.amazon.ws.emr.hadoop.fs.EmrFileSystem',
          '-Dspark.hadoop.fs.AbstractFileSystem.s3.impl=org.apache.hadoop.fs.s3.EMRFSDelegate',
          '-Dspark.hadoop.fs.s3.customAWSCredentialsProvider=com.amazonaws.auth.WebIdentityTokenCredentialsProvider',
        ]),
      );
      expect(opts.find((opt) => opt.startsWith('-Dspark.history.fs.logDirectory='))).toMatch(/=s3:\/\//);
    }
  });

  it('restricted Pod Security, requests and limits, readiness on the UI port, read-only IRSA role', () => {
    const [namespace] = byKind('Namespace');
    expect(namespace!.metadata.name).toBe('spark-history');
    expect(namespace!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const accounts = new Map(byKind('ServiceAccount').map((sa) => [sa.metadata.name as string, sa]));
    for (const sa of accounts.values()) expect(sa.automountServiceAccountToken).toBe(false);
    for (const deployment of byKind('Deployment')) {
      const pod = deployment.spec.template.spec;
      // A tenant's own role (least privilege) comes with an account of its own; the others share one.
      const tenant =
        deployment.metadata.labels === undefined
          ? undefined
          : (deployment.metadata.name as string).replace(/^spark-history-/, '');
      const own = addon.tenantRoleArns?.[tenant!];
      expect(pod.serviceAccountName).toBe(own ? deployment.metadata.name : 'spark-history-server');
      expect(accounts.get(pod.serviceAccountName)!.metadata.annotations).toEqual({
        'eks.amazonaws.com/role-arn': own ?? addon.roleArn,
      });
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 999,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const container = pod.containers[0];
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } });
      expect(container.ports).toEqual([{ name: 'http', containerPort: 18080, protocol: 'TCP' }]);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    }
  });

  it('runs on no Spark pool (no NodePool fits it) and only on the managed node group', () => {
    const pools = result.objects
      .filter((o) => o.applied && o.object.kind === 'NodePool')
      .map((o) => readPool(new Subject(o, env)));
    expect(pools.length).toBeGreaterThanOrEqual(3);
    for (const deployment of own.filter((o) => o.object.kind === 'Deployment')) {
      const placement = readPlacement(new Subject(deployment, env))!;
      // Even tolerating every taint, the affinity alone keeps it off every pool.
      const tolerant = { ...placement, spec: { ...placement.spec, tolerations: [{ operator: 'Exists' }] } };
      for (const pool of pools) expect(misfit(tolerant, pool), `${deployment.path} on ${pool.name}`).toBeDefined();
      expect(
        (deployment.object as AnyObject).spec.template.spec.affinity.nodeAffinity
          .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions,
      ).toContainEqual({
        key: 'eks.amazonaws.com/nodegroup',
        operator: 'In',
        values: karpenterCapacity(config).controller.managedNodeGroups,
      });
    }
  });

  it("ingress: denied by default, the UI port only from the namespaces the environment lists and the tenant's own notebooks", () => {
    const policies = byKind('NetworkPolicy');
    expect(policies.find((p) => p.metadata.name === 'default-deny-ingress')!.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    // No namespace listed: only kubectl port-forward, and each notebook tenant's servers to that tenant's server.
    expect(addon.allowIngressFromNamespaces).toBeUndefined();
    expect(policies.find((p) => p.metadata.name === 'allow-ui')).toBeUndefined();
    const notebookTenants = config.tenants.filter((t) => t.serviceAccounts?.some((a) => a.sparkDriver));
    expect(notebookTenants.map((t) => t.name)).toEqual(['app-dev']);
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'allow-ui-clients-spark-history-app-dev',
      'default-deny-ingress',
    ]);
    const withListed = renderEnvironment(
      load(env, (text) =>
        text.replace(/^( {4}image: 996579266876.*\n)/m, '$1    allowIngressFromNamespaces: [ingress-nginx]\n'),
      ),
    );
    const allow = withListed.objects.find((o) => o.path === 'addons/spark-history/networkpolicy-allow-ui.yaml')!
      .object as AnyObject;
    expect(allow.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: {
              matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress-nginx'] }],
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 18080 }],
      },
    ]);
  });

  it('is delivered in the add-ons layer, after the tenants; the README says how to reach it and what the role needs', () => {
    const graph = deliveryGraph(result);
    const layer = layerOf(graph, own[0]!.path)!;
    expect(layer.folder).toBe('addons');
    expect(ancestors(graph, layer.id)).toContain(layerOf(graph, 'tenants/kustomization.yaml')!.id);
    const readme = result.files.get('README.md')!;
    expect(readme).toContain('kubectl port-forward -n spark-history svc/spark-history-');
    expect(readme).toContain('| Spark History Server |');
    expect(readme).toContain("Each role reads its servers' event logs and nothing else");
    for (const role of new Set(config.tenants.map((tenant) => addon.tenantRoleArns?.[tenant.name] ?? addon.roleArn!))) {
      expect(readme).toContain(`| \`${role}\` | `);
      expect(readme).toContain(`[\`artifacts/iam/${role.split('/').pop()}.json\`]`);
    }
    for (const tenant of config.tenants) {
      const role = addon.tenantRoleArns?.[tenant.name];
      expect(readme).toContain(
        role
          ? `| \`${role}\` | \`spark-history-${tenant.name}\` |`
          : `| \`${addon.roleArn}\` (shared) | \`spark-history-server\` |`,
      );
    }
  });
});

describe('Spark History Server: rules', () => {
  it('is refused without spark.logs.s3Uri, located at addons.historyServer', () => {
    const withoutS3 = (text: string) => text.replace(/^ {4}s3Uri: .*\n/m, '');
    expect(() => load('prod', withoutS3)).toThrow(
      /environments\/prod\.yaml:\d+:\d+: addons\.historyServer: the history server reads the tenants' Spark event logs/,
    );
  });

  it('refuses an image without tag or digest, and a bad role', () => {
    expect(() => load('prod', (t) => t.replace(/(image: 996579266876[^:]+):[^ ]+/, '$1'))).toThrow(
      /addons\.historyServer\.image/,
    );
    expect(() =>
      load('staging', (t) => t.replace(/role\/spark-history-server-spark-platform-staging/, 'user/x')),
    ).toThrow(/addons\.historyServer\.roleArn/);
    expect(() => load('prod', (t) => t.replace('role/spark-history-prod-ml', 'user/x'))).toThrow(
      /addons\.historyServer\.tenantRoleArns\.ml/,
    );
  });

  it('per-tenant roles: each tenant needs its own or the shared one; a role for no active tenant is refused at its line', () => {
    const prod = environmentText('prod');
    // prod lists a role per tenant and no shared one: leaving ml out leaves its server without a role.
    const withoutMl = prod.replace(/^ {6}ml: arn:aws:iam::410987654321:role\/spark-history-prod-ml\n/m, '');
    expect(withoutMl).not.toBe(prod);
    const refusal = (text: string) => {
      try {
        renderEnvironment(loadEnvironmentText(text, 'environments/prod.yaml').config);
      } catch (error) {
        expect(error).toBeInstanceOf(RenderError);
        return (error as RenderError).issues.map(issueText);
      }
      return expect.unreachable();
    };
    expect(refusal(withoutMl)).toEqual([
      {
        configPath: ['addons', 'historyServer'],
        message:
          "the history server of tenant ml has no IAM role and could not read its event logs; add tenantRoleArns.ml (a role of the tenant's own, which reads only its event logs), or a roleArn shared by the servers without one [history-server-role]",
      },
    ]);
    // A shared role covers the tenants not listed.
    const shared = withoutMl.replace(
      '    tenantRoleArns:',
      '    roleArn: arn:aws:iam::410987654321:role/spark-history-prod-shared\n    tenantRoleArns:',
    );
    const rendered = renderEnvironment(loadEnvironmentText(shared, 'environments/prod.yaml').config);
    const ml = rendered.objects.find((o) => o.path === 'addons/spark-history/deployment-spark-history-ml.yaml')!
      .object as AnyObject;
    expect(ml.spec.template.spec.serviceAccountName).toBe('spark-history-server');
    expect(rendered.files.get('addons/spark-history/serviceaccount-spark-history-server.yaml')).toContain(
      'role/spark-history-prod-shared',
    );
    expect(rendered.files.get('README.md')).toContain('Tenant(s) ml still read with the shared role.');
    // A typo would quietly leave ml on the shared role (or none): refused at its own line.
    const typo = prod.replace(
      '      ml: arn:aws:iam::410987654321:role/spark-history-prod-ml',
      '      mll: arn:aws:iam::410987654321:role/spark-history-prod-ml',
    );
    expect(refusal(typo)).toEqual([
      {
        configPath: ['addons', 'historyServer', 'tenantRoleArns', 'mll'],
        message:
          'names no tenant (the tenants are app-dev, data-eng, ml): its role would serve no history server, and the tenant it was meant for falls back to the shared role or has none; name the role after one of the tenants [history-server-role]',
      },
      {
        configPath: ['addons', 'historyServer'],
        message: expect.stringContaining('the history server of tenant ml has no IAM role'),
      },
    ]);
    // A retired tenant's role stays harmlessly: its server is gone with it.
    const retiredMl = prod.replace(/(\n {2}- name: ml\n)/, '$1    retired: true\n');
    expect(retiredMl).not.toBe(prod);
    const retired = renderEnvironment(loadEnvironmentText(retiredMl, 'environments/prod.yaml').config);
    expect([...retired.files.keys()].filter((path) => path.includes('spark-history-ml'))).toEqual([]);
  });

  it('with every tenant retired there is no server to run: refused, located at addons.historyServer', () => {
    const config = load('prod');
    const retired = { ...config, tenants: config.tenants.map((tenant) => ({ ...tenant, retired: true })) };
    try {
      renderEnvironment(retired);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RenderError);
      expect((error as RenderError).issues.map(issueText)).toContainEqual({
        configPath: ['addons', 'historyServer', 'servers'],
        message: expect.stringContaining('must name at least one server'),
      });
    }
  });

  it('dev has none; spark-history is reserved, never a tenant namespace', () => {
    expect(
      [...renderEnvironment(load('dev')).files.keys()].filter((path) => path.startsWith('addons/spark-history')),
    ).toEqual([]);
    expect(RESERVED_NAMESPACES).toContain('spark-history');
    expect(() =>
      renderEnvironment(load('dev', (t) => t.replace('namespace: spark-ml', 'namespace: spark-history'))),
    ).toThrow(/"spark-history" is reserved/);
  });

  it('a long tenant name still gives a DNS label, stable and distinct', () => {
    const long = 'a'.repeat(60);
    const name = historyServerName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(historyServerName(long)).toBe(name);
    expect(historyServerName(`${'a'.repeat(59)}b`)).not.toBe(name);
    expect(historyServerName('ml')).toBe('spark-history-ml');
  });
});
