import { describe, expect, it } from 'vitest';
import { applied, ec2NodeClass, ofRule, run, tenant } from './fixtures.js';

describe('rbac-wildcard', () => {
  const role = (kind: string, rules: Record<string, unknown>[]) =>
    applied('r.yaml', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name: 'r', ...(kind === 'Role' ? { namespace: 'spark-ml' } : {}) },
      rules,
    });

  it('refuses * in verbs, resources and apiGroups', () => {
    expect(
      ofRule(run([role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }])]), 'rbac-wildcard').map(
        (f) => f.location.fieldPath,
      ),
    ).toEqual(['rules[0].verbs']);
    expect(
      ofRule(run([role('ClusterRole', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }])]), 'rbac-wildcard')
        .map((f) => f.location.fieldPath)
        .sort(),
    ).toEqual(['rules[0].apiGroups', 'rules[0].resources']);
  });

  it('accepts explicit rules', () => {
    expect(run([role('Role', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }])])).toEqual(
      [],
    );
  });
});

describe('tenant-isolation-missing', () => {
  it('passes a tenant namespace with quota, limits, network policy and an enforced PSA level', () => {
    expect(run(tenant())).toEqual([]);
  });

  it.each(['ResourceQuota', 'LimitRange', 'NetworkPolicy'])('reports a missing %s', (kind) => {
    const findings = ofRule(run(tenant('spark-ml', { skip: [kind] })), 'tenant-isolation-missing');
    expect(findings.map((f) => f.message)).toEqual([`tenant namespace spark-ml has no ${kind}`]);
  });

  it('reports a missing pod-security enforce label, and ignores namespaces that are not tenants', () => {
    expect(
      ofRule(run(tenant('spark-ml', { skip: ['psa'] })), 'tenant-isolation-missing').map((f) => f.location.fieldPath),
    ).toEqual(['metadata.labels']);
    expect(
      run([applied('ns.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } })]),
    ).toEqual([]);
  });
});

describe('tenant-pod-security-level', () => {
  const enforcing = (level: string) =>
    tenant('spark-ml').map((input) =>
      input.object.kind === 'Namespace'
        ? {
            ...input,
            object: {
              ...input.object,
              metadata: {
                ...(input.object.metadata as object),
                labels: { ...(input.object.metadata as any).labels, 'pod-security.kubernetes.io/enforce': level },
              },
            },
          }
        : input,
    );

  it("refuses restricted on a tenant namespace, which EMR's job pods cannot meet, and accepts baseline", () => {
    const findings = ofRule(run(enforcing('restricted')), 'tenant-pod-security-level');
    expect(findings.map((f) => [f.location.fieldPath, f.severity, f.message])).toEqual([
      [
        'metadata.labels["pod-security.kubernetes.io/enforce"]',
        'error',
        'tenant namespace spark-ml enforces Pod Security restricted, which EMR\'s job-runner, driver and executor pods do not meet: a pod template may set no securityContext on the pod or the Spark container (EMR on EKS guide, "Pod template fields")',
      ],
    ]);
    expect(run(enforcing('baseline'))).toEqual([]);
  });
});

describe('secret-value', () => {
  const configMap = (data: Record<string, string>) =>
    applied('cm.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'spark-defaults', namespace: 'spark-ml' },
      data,
    });
  const jupyterhub = (values: Record<string, unknown>, production = false) =>
    run(
      [
        applied('addons/helmrelease-jupyterhub.yaml', {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'jupyterhub', namespace: 'jupyterhub' },
          spec: {
            interval: '10m',
            chart: { spec: { chart: 'jupyterhub', sourceRef: { kind: 'HelmRepository', name: 'jupyterhub' } } },
            values,
          },
        }),
      ],
      production,
    );

  it('refuses Secrets that carry values, and accepts one that only names them', () => {
    const secret = (extra: Record<string, unknown>) =>
      applied('s.yaml', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'spark-ml' }, ...extra });
    expect(
      ofRule(run([secret({ stringData: { token: 'x' } })]), 'secret-value').map((f) => f.location.fieldPath),
    ).toContain('stringData');
    expect(
      ofRule(run([secret({ data: { password: 'aHVudGVyMg==' } })]), 'secret-value').map((f) => f.location.fieldPath),
    ).toEqual(['data']);
    expect(run([secret({ type: 'Opaque' })])).toEqual([]);
  });

  it('finds token-like strings anywhere', () => {
    const tokens = [
      'AKIAIOSFODNN7EXAMPLE',
      'aws_session ASIAIOSFODNN7EXAMPLE',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE',
      `ghp_${'a1B2'.repeat(9)}`,
      'xoxb-1234567890-abcdefghij',
    ];
    for (const token of tokens) {
      expect(ofRule(run([configMap({ 'notes.txt': token })]), 'secret-value'), token).toHaveLength(1);
    }
  });

  it('accepts ARNs, role names, S3 URIs and placeholders', () => {
    expect(
      run([
        configMap({
          executionRole: 'arn:aws:iam::123456789012:role/emr-job-role-ml',
          logUri: 's3://emr-logs-123456789012/spark/',
          'spark-defaults.conf':
            'spark.hadoop.fs.s3.password=${S3_PASSWORD}\nspark.kubernetes.namespace=spark-ml\npassword: <from-secret>',
          passwordFile: '/etc/secrets/password',
        }),
      ]),
    ).toEqual([]);
  });

  it('refuses literal passwords in config text and in Helm values', () => {
    expect(
      ofRule(run([configMap({ 'app.properties': 'db.user=spark\ndb.password=hunter2' })]), 'secret-value'),
    ).toHaveLength(1);
    expect(ofRule(run([configMap({ password: 'hunter2' })]), 'secret-value')).toHaveLength(1);
    const findings = ofRule(
      jupyterhub({
        hub: { cookieSecret: 'f00dbabe', existingSecret: 'jupyterhub-secrets' },
        proxy: { secretToken: '${PROXY_TOKEN}' },
      }),
      'secret-value',
    );
    expect(findings.map((f) => f.location.fieldPath)).toEqual(['spec.values.hub.cookieSecret']);
  });

  describe('prod-dummy-auth', () => {
    const dummy = { hub: { config: { JupyterHub: { authenticator_class: 'dummy' } } } };
    it('refuses the dummy authenticator in production only', () => {
      expect(ofRule(jupyterhub(dummy, true), 'prod-dummy-auth').map((f) => f.location.fieldPath)).toEqual([
        'spec.values.hub.config.JupyterHub.authenticator_class',
      ]);
      expect(
        ofRule(
          jupyterhub(
            { hub: { config: { JupyterHub: { authenticator_class: 'dummyauthenticator.DummyAuthenticator' } } } },
            true,
          ),
          'prod-dummy-auth',
        ),
      ).toHaveLength(1);
      expect(jupyterhub(dummy, false)).toEqual([]);
      expect(jupyterhub({ hub: { config: { JupyterHub: { authenticator_class: 'generic-oauth' } } } }, true)).toEqual(
        [],
      );
    });
  });
});

describe('imds-v2 and prod-latest-ami', () => {
  const nodeClass = (spec: Record<string, unknown>, production = false) =>
    run([applied('platform/ec2nodeclass-spark.yaml', ec2NodeClass(spec))], production);

  it('requires httpTokens: required', () => {
    expect(
      ofRule(nodeClass({ metadataOptions: { httpTokens: 'optional' } }), 'imds-v2').map((f) => f.location.fieldPath),
    ).toEqual(['spec.metadataOptions.httpTokens']);
    expect(ofRule(nodeClass({ metadataOptions: undefined }), 'imds-v2')).toHaveLength(1);
    expect(nodeClass({})).toEqual([]);
  });

  it('makes @latest an error in production and a warning elsewhere', () => {
    const latest = { amiSelectorTerms: [{ alias: 'al2023@latest' }] };
    expect(ofRule(nodeClass(latest, true), 'prod-latest-ami').map((f) => f.severity)).toEqual(['error']);
    expect(ofRule(nodeClass(latest, false), 'prod-latest-ami').map((f) => f.severity)).toEqual(['warning']);
    expect(nodeClass({}, true)).toEqual([]);
  });
});
