import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  ArgoApplication,
  FluxHelmRelease,
  JUPYTERHUB_CHART,
  JupyterHubNamespace,
  JupyterHubNotebookNetworkPolicies,
  JupyterHubSpawnerRbac,
  coalesceHelmValues,
  jupyterHubTlsValues,
  jupyterHubValues,
  jupyterHubValuesProblems,
  validateObjects,
  type JupyterHubValuesProps,
} from '../src/index.js';
import { configurationErrorOf, synthByName } from './helpers.js';

const validate = (chart: Chart, production = false) =>
  validateObjects(
    Testing.synth(chart).map((object, index) => ({ path: `addons/${index}.yaml`, object, applied: true })),
    { environment: 'test', production, kubernetesVersion: '1.31' },
  );

const props: JupyterHubValuesProps = {
  auth: {
    type: 'github',
    clientId: 'Iv1.abc',
    callbackUrl: 'https://hub.example.com/hub/oauth_callback',
    clientSecret: { secretName: 'oauth', key: 'client-secret' },
    allowedOrganizations: ['acme'],
  },
  proxyServiceType: 'ClusterIP',
  storageClassName: 'jupyterhub-gp3',
  hubDbSize: '1Gi',
  userStorageSize: '10Gi',
  image: { name: 'quay.io/jupyter/pyspark-notebook', tag: 'spark-3.5.3' },
  resources: { cpu: { guarantee: 1, limit: 2 }, memory: { guarantee: '4G', limit: '8G' } },
  hubResources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } },
  cullTimeoutSeconds: 3600,
  profiles: [
    {
      tenant: 'analytics',
      namespace: 'spark-analytics',
      serviceAccount: 'notebook',
      sparkProperties: {
        'spark.driver.memory': '2g',
        'spark.driver.cores': '1',
        'spark.kubernetes.driver.podTemplateFile': 's3://b/driver.yaml',
        'spark.kubernetes.executor.podTemplateFile': 's3://b/executor.yaml',
        'spark.executor.memory': '4g',
      },
      nodeSelector: { role: 'driver' },
      tolerations: [],
    },
  ],
};

describe('JupyterHub builders', () => {
  it('Helm coalescing: maps merge, lists and scalars replace, null removes', () => {
    expect(coalesceHelmValues({ a: { b: 1, c: [1] }, d: 1, e: 2 }, { a: { c: [2] }, d: null, f: 3 })).toEqual({
      a: { b: 1, c: [2] },
      e: 2,
      f: 3,
    });
  });

  it('values: GitHub OAuth with the client secret from a Secret, client-mode Spark without the cluster-mode driver settings; they pass the chart schema', () => {
    const values = jupyterHubValues(props) as any;
    expect(jupyterHubValuesProblems(values)).toEqual([]);
    expect(values.hub.extraEnv.OAUTH_CLIENT_SECRET.valueFrom.secretKeyRef).toEqual({
      name: 'oauth',
      key: 'client-secret',
    });
    const args: string = values.singleuser.profileList[0].kubespawner_override.environment.PYSPARK_SUBMIT_ARGS;
    expect(args).toContain('--conf spark.driver.memory=2g ');
    // Spark on Kubernetes needs an executor image; executors run the notebook's, so driver and executors match.
    expect(args).toContain(`--conf spark.kubernetes.container.image=${props.image.name}:${props.image.tag} `);
    expect(args).toContain('--conf spark.kubernetes.executor.podTemplateFile=s3://b/executor.yaml ');
    expect(args).not.toContain('spark.driver.cores');
    expect(args).not.toContain('driver.podTemplateFile');
    // Executors run as the notebook's account (its IRSA role), not the namespace's default account.
    expect(args).toContain('--conf spark.kubernetes.authenticate.executor.serviceAccountName=notebook ');
    // The EMR image's user, and the label the tenant NetworkPolicies select.
    expect([
      values.singleuser.uid,
      values.singleuser.fsGid,
      values.hub.config.KubeSpawner.gid,
      values.singleuser.storage.homeMountPath,
    ]).toEqual([999, 1000, 1000, '/home/hadoop']);
    expect(values.singleuser.extraLabels).toEqual({ 'emr-eks-gitops.io/notebook-server': 'true' });
    expect(
      configurationErrorOf(() => jupyterHubValues({ ...props, notebookUser: { uid: 0, gid: 0, home: '/root' } })).field,
    ).toBe('notebookUser');
  });

  it('notebook NetworkPolicies: the hub namespace in to the server port, the server out to the hub API, nothing else', () => {
    const chart = new Chart(Testing.app(), 'tenant');
    new JupyterHubNotebookNetworkPolicies(chart, 'Network', { namespace: 'spark-analytics' });
    const [ingress, egress] = Testing.synth(chart) as any[];
    expect(ingress.spec).toEqual({
      podSelector: { matchLabels: { 'emr-eks-gitops.io/notebook-server': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jupyterhub' } } }],
          ports: [{ protocol: 'TCP', port: 8888 }],
        },
      ],
    });
    expect(egress.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jupyterhub' } } }],
        ports: [{ protocol: 'TCP', port: 8081 }],
      },
    ]);
    expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(
      configurationErrorOf(
        () => new JupyterHubNotebookNetworkPolicies(new Chart(Testing.app(), 'x'), 'N', { namespace: 'Bad_NS' }),
      ).field,
    ).toBe('namespace');
  });

  it('notebook NetworkPolicies with monitoring and a history server: only the driver label in from monitoring, only the server out', () => {
    const chart = new Chart(Testing.app(), 'tenant');
    new JupyterHubNotebookNetworkPolicies(chart, 'Network', {
      namespace: 'spark-analytics',
      monitoringNamespace: 'monitoring',
      historyServer: {
        namespace: 'spark-history',
        podLabels: { 'app.kubernetes.io/instance': 'spark-history-analytics' },
        port: 18080,
      },
    });
    const byName = synthByName(chart) as Record<string, any>;
    expect(byName['NetworkPolicy/allow-monitoring-to-notebook-driver'].spec).toEqual({
      podSelector: { matchLabels: { 'emr-eks-gitops.io/spark-client-driver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ protocol: 'TCP', port: 4040 }],
        },
      ],
    });
    expect(byName['NetworkPolicy/allow-notebook-to-history-server'].spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'spark-history' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'spark-history-analytics' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 18080 }],
      },
    ]);
    expect(validate(chart).filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(
      configurationErrorOf(
        () =>
          new JupyterHubNotebookNetworkPolicies(new Chart(Testing.app(), 'x'), 'N', {
            namespace: 'spark-analytics',
            historyServer: { namespace: 'spark-history', podLabels: {}, port: 18080 },
          }),
      ).field,
    ).toBe('historyServer.podLabels');
  });

  it('values: hub and proxy off every Karpenter node, on the managed node groups; each profile labels its server a client-mode driver', () => {
    const values = jupyterHubValues({ ...props, managedNodeGroups: ['system', 'core'] }) as any;
    expect(jupyterHubValuesProblems(values)).toEqual([]);
    for (const spec of [values.hub.extraPodSpec, values.proxy.chp.extraPodSpec]) {
      expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        {
          matchExpressions: [
            { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
            { key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['core', 'system'] },
          ],
        },
      ]);
    }
    expect(values.scheduling.corePods).toEqual({ nodeAffinity: { matchNodePurpose: 'ignore' } });
    expect(values.singleuser.profileList[0].kubespawner_override.extra_labels).toEqual({
      'emr-eks-gitops.io/spark-client-driver': 'true',
    });
  });

  it("TLS values: an NLB with the certificate on the chart's https port (offload, no port 80), or an ALB Ingress; bad input refused", () => {
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/5b0c2f4e-7d3a-4c1e-9f6b-2a8d1e3c4b5a';
    const nlb = jupyterHubValues({
      ...props,
      proxyServiceType: 'LoadBalancer',
      tls: { loadBalancer: 'nlb', certificateArn, scheme: 'internet-facing' },
    }) as any;
    expect(
      configurationErrorOf(() => jupyterHubValues({ ...props, tls: { loadBalancer: 'nlb', certificateArn } })).field,
    ).toBe('proxyServiceType');
    expect(jupyterHubValuesProblems(nlb)).toEqual([]);
    expect(nlb.proxy.https).toEqual({ enabled: true, type: 'offload' });
    expect(nlb.proxy.service).toMatchObject({ type: 'LoadBalancer', disableHttpPort: true });
    expect(nlb.proxy.service.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe(
      'internet-facing',
    );
    expect(nlb.proxy.chp.networkPolicy).toBeDefined(); // the TLS settings do not replace the proxy's own
    const alb = jupyterHubValues({
      ...props,
      tls: { loadBalancer: 'alb', certificateArn, host: 'hub.example.com' },
    }) as any;
    expect(jupyterHubValuesProblems(alb)).toEqual([]);
    expect(alb.ingress).toMatchObject({ enabled: true, ingressClassName: 'alb', hosts: ['hub.example.com'] });
    expect(alb.ingress.annotations['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(alb.proxy.service).toEqual({ type: 'ClusterIP' });
    expect(
      configurationErrorOf(() =>
        jupyterHubTlsValues({ loadBalancer: 'nlb', certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' }),
      ).field,
    ).toBe('tls.certificateArn');
    expect(
      configurationErrorOf(() =>
        jupyterHubTlsValues({ loadBalancer: 'alb', certificateArn, host: 'https://hub.example.com' }),
      ).field,
    ).toBe('tls.host');
  });

  it('values: OIDC through GenericOAuthenticator, defaults for scopes and claims, secret from a Secret; passes the chart schema', () => {
    const oidc = {
      type: 'oidc',
      clientId: 'jupyterhub',
      callbackUrl: 'https://hub.example.com/hub/oauth_callback',
      clientSecret: { secretName: 'oidc', key: 'secret' },
      authorizeUrl: 'https://idp.example.com/oauth2/v1/authorize',
      tokenUrl: 'https://idp.example.com/oauth2/v1/token',
      userdataUrl: 'https://idp.example.com/oauth2/v1/userinfo',
      allowedGroups: ['spark-users'],
    } as const;
    const values = jupyterHubValues({ ...props, auth: oidc }) as any;
    expect(jupyterHubValuesProblems(values)).toEqual([]);
    expect(values.hub.config).toEqual({
      KubeSpawner: { gid: 1000 },
      JupyterHub: { authenticator_class: 'generic-oauth', hub_connect_url: 'http://hub.jupyterhub.svc:8081' },
      GenericOAuthenticator: {
        client_id: 'jupyterhub',
        oauth_callback_url: oidc.callbackUrl,
        authorize_url: oidc.authorizeUrl,
        token_url: oidc.tokenUrl,
        userdata_url: oidc.userdataUrl,
        scope: ['openid', 'profile', 'email'],
        username_claim: 'preferred_username',
        manage_groups: true,
        auth_state_groups_key: 'oauth_user.groups',
        allowed_groups: ['spark-users'],
      },
    });
    expect(values.hub.extraEnv.OAUTH_CLIENT_SECRET.valueFrom.secretKeyRef).toEqual({ name: 'oidc', key: 'secret' });
    const nested = jupyterHubValues({
      ...props,
      auth: { ...oidc, groupsClaim: 'realm_access.roles', adminGroups: ['admins'], adminUsers: ['root'] },
    }) as any;
    expect(nested.hub.config.GenericOAuthenticator).toMatchObject({
      manage_groups: true,
      auth_state_groups_key: 'oauth_user.realm_access.roles',
      admin_groups: ['admins'],
    });
    expect(nested.hub.config.Authenticator).toEqual({ admin_users: ['root'] });
    expect(
      configurationErrorOf(() =>
        jupyterHubValues({ ...props, auth: { ...oidc, tokenUrl: 'http://idp.example.com/token' } }),
      ).field,
    ).toBe('auth.tokenUrl');
    const noGroups = configurationErrorOf(() => jupyterHubValues({ ...props, auth: { ...oidc, allowedGroups: [] } }));
    expect([noGroups.field, noGroups.problem]).toEqual([
      'auth.allowedGroups',
      'must name at least one group: without it nobody may log in',
    ]);
  });

  it('refuses a notebook too small for the Spark driver it hosts', () => {
    const error = configurationErrorOf(() =>
      jupyterHubValues({ ...props, resources: { ...props.resources, memory: { guarantee: '1G', limit: '2G' } } }),
    );
    expect(error.field).toBe('resources.memory.limit');
  });

  it('Flux: an HTTPS chart repository as HelmRepository + HelmRelease with values; an http:// repository is refused', () => {
    const chart = Testing.chart();
    new FluxHelmRelease(chart, 'Hub', {
      chart: JUPYTERHUB_CHART,
      values: { cull: { enabled: true } },
      interval: '5m',
      timeout: '10m',
      keepWhenRemovedFromGit: false,
    });
    const objects = synthByName(chart);
    expect(objects['HelmRepository/jupyterhub'].spec).toEqual({
      interval: '5m',
      url: 'https://hub.jupyter.org/helm-chart/',
    });
    expect(objects['HelmRelease/jupyterhub'].spec.chart.spec).toEqual({
      chart: 'jupyterhub',
      version: JUPYTERHUB_CHART.version,
      sourceRef: { kind: 'HelmRepository', name: 'jupyterhub' },
      interval: '5m',
    });
    expect(objects['HelmRelease/jupyterhub'].metadata.annotations).toBeUndefined();
    expect(validate(chart)).toEqual([]);
    expect(
      configurationErrorOf(
        () =>
          new FluxHelmRelease(Testing.chart(), 'Bad', {
            chart: { ...JUPYTERHUB_CHART, url: 'http://hub.jupyter.org/helm-chart/' },
            interval: '5m',
            timeout: '10m',
          }),
      ).field,
    ).toBe('chart.url');
  });

  it('Argo CD: a Helm-repository source with valuesObject passes the Application schema; dummy auth is refused in production', () => {
    const chart = Testing.chart();
    new ArgoApplication(chart, 'Hub', {
      name: 'jupyterhub',
      namespace: 'argocd',
      project: 'default',
      destinationServer: 'https://kubernetes.default.svc',
      source: { helm: JUPYTERHUB_CHART, values: jupyterHubValues({ ...props, auth: { type: 'dummy' } }) },
      prune: true,
      selfHeal: true,
      retry: { limit: 5, backoff: '1m', maxBackoff: '10m' },
    });
    const app = synthByName(chart)['Application/jupyterhub'];
    expect(app.spec.source).toMatchObject({
      repoURL: JUPYTERHUB_CHART.url,
      chart: 'jupyterhub',
      targetRevision: JUPYTERHUB_CHART.version,
    });
    expect(app.spec.destination.namespace).toBe('jupyterhub');
    expect(validate(chart)).toEqual([]);
    expect(validate(chart, true).map((f) => f.rule)).toEqual(['prod-dummy-auth']);
  });

  it('the namespace and the spawner RBAC pass the schemas and the RBAC rules', () => {
    const chart = Testing.chart();
    new JupyterHubNamespace(chart, 'Namespace', { podSecurityVersion: 'v1.31' });
    new JupyterHubSpawnerRbac(chart, 'Spawner', { namespace: 'spark-analytics' });
    expect(validate(chart)).toEqual([]);
    expect(
      configurationErrorOf(() => new JupyterHubNamespace(Testing.chart(), 'N', { podSecurityVersion: '1.31' })).field,
    ).toBe('podSecurityVersion');
  });
});
