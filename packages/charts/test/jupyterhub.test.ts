import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  JUPYTERHUB_CHART,
  coalesceHelmValues,
  jupyterHubSpawnerRoleRules,
  jupyterHubValuesProblems,
  sparkDriverRoleRules,
  validateObjects,
} from '@emr-eks-gitops/core';
import {
  EnvironmentFileError,
  loadEnvironmentText,
  renderEnvironment,
  type KubernetesObject,
  type RenderResult,
} from '../src/index.js';
import { allows } from '../../core/test/iam-evaluator.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';
import { issueText } from './render-issues.js';

const ENVIRONMENTS = ['dev', 'prod', 'sandbox', 'staging'] as const;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const renders = Object.fromEntries(ENVIRONMENTS.map((name) => [name, renderEnvironment(load(name))])) as Record<
  (typeof ENVIRONMENTS)[number],
  RenderResult
>;

type AnyObject = KubernetesObject & Record<string, any>;
const objectsOf = (result: RenderResult, kind: string) =>
  result.objects.filter((o) => o.object.kind === kind).map((o) => o.object as AnyObject);
/** The release values as rendered: Flux `spec.values`, Argo CD `spec.source.helm.valuesObject`. */
function releaseValues(result: RenderResult): Record<string, any> {
  const release = objectsOf(result, 'HelmRelease').find((o) => o.metadata.name === JUPYTERHUB_CHART.name);
  if (release) return release.spec.values;
  const application = objectsOf(result, 'Application').find((o) => o.spec.source.chart === JUPYTERHUB_CHART.name);
  return application!.spec.source.helm.valuesObject;
}
const validationContext = (name: string) => {
  const config = load(name);
  return {
    environment: name,
    production: config.production ?? false,
    kubernetesVersion: config.cluster.kubernetesVersion,
  };
};

describe('JupyterHub add-on', () => {
  it('is delivered per engine with the pinned chart: Flux HelmRepository + HelmRelease with remediation, Argo CD a Helm-source Application', () => {
    for (const name of ['dev', 'prod'] as const) {
      const [repository] = objectsOf(renders[name], 'HelmRepository');
      expect(repository!.spec.url).toBe('https://hub.jupyter.org/helm-chart/');
      const release = objectsOf(renders[name], 'HelmRelease').find((o) => o.metadata.name === 'jupyterhub')!;
      expect(release.spec.chart.spec).toMatchObject({
        chart: 'jupyterhub',
        version: JUPYTERHUB_CHART.version,
        sourceRef: { kind: 'HelmRepository', name: 'jupyterhub' },
      });
      expect(release.spec.targetNamespace).toBe('jupyterhub');
      expect(release.spec.install.remediation.retries).toBeGreaterThan(0);
      expect(release.spec.upgrade.remediation).toMatchObject({ remediateLastFailure: true, strategy: 'rollback' });
    }
    const application = objectsOf(renders.staging, 'Application').find((o) => o.spec.source.chart === 'jupyterhub')!;
    expect(application.spec.source).toMatchObject({
      repoURL: 'https://hub.jupyter.org/helm-chart/',
      targetRevision: JUPYTERHUB_CHART.version,
    });
    expect(application.spec.destination.namespace).toBe('jupyterhub');
    for (const name of ENVIRONMENTS) {
      expect(renders[name].objects.filter((o) => o.path.startsWith('addons/jupyterhub/')).length).toBeGreaterThan(0);
      // The addons layer is wired after the tenants.
      const files = [...renders[name].files.keys()];
      expect(
        files.some((path) =>
          /(kustomization-emr-eks-gitops-addons|application-emr-eks-gitops-staging-addons)\.yaml$/.test(path),
        ),
      ).toBe(true);
    }
  });

  it('with Argo CD, the values the chart generates through lookup (tokens, cookie secret, their checksums) stay as installed', () => {
    const application = objectsOf(renders.staging, 'Application').find((o) => o.spec.source.chart === 'jupyterhub')!;
    expect(application.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    const ignored = application.spec.ignoreDifferences as Array<{ kind: string; name: string; jsonPointers: string[] }>;
    expect(ignored.find((entry) => entry.kind === 'Secret' && entry.name === 'hub')!.jsonPointers).toEqual([
      '/data/hub.config.ConfigurableHTTPProxy.auth_token',
      '/data/hub.config.JupyterHub.cookie_secret',
      '/data/hub.config.CryptKeeper.keys',
    ]);
    expect(ignored.find((entry) => entry.kind === 'Deployment' && entry.name === 'hub')!.jsonPointers).toEqual([
      '/spec/template/metadata/annotations/checksum~1secret',
    ]);
    expect(ignored.find((entry) => entry.kind === 'Deployment' && entry.name === 'proxy')!.jsonPointers).toContain(
      '/spec/template/metadata/annotations/checksum~1auth-token',
    );
    // Nothing else of the chart is ignored: its configuration (the Secret's values.yaml) still syncs.
    expect(ignored.flatMap((entry) => entry.jsonPointers)).not.toContain('/data/values.yaml');
    expect(renders.staging.files.get('README.md')).toContain('kubectl -n jupyterhub rollout restart deploy/hub');
    // Flux runs Helm, whose lookup finds the installed values: nothing to ignore there.
    expect(JSON.stringify(objectsOf(renders.prod, 'HelmRelease'))).not.toContain('ignoreDifferences');
  });

  it('dev: dummy auth and small volumes; staging: GitHub OAuth, prod: OIDC, each client secret from an existing Secret', () => {
    const dev = releaseValues(renders.dev);
    expect(dev.hub.config.JupyterHub.authenticator_class).toBe('dummy');
    expect(dev.singleuser.storage.capacity).toBe('5Gi');
    expect(dev.hub.db.pvc.storage).toBe('1Gi');
    const staging = releaseValues(renders.staging);
    expect(staging.hub.config.JupyterHub.authenticator_class).toBe('github');
    expect(staging.hub.config.GitHubOAuthenticator.client_id).toMatch(/^Iv1\./);
    expect(staging.hub.config.GitHubOAuthenticator).not.toHaveProperty('client_secret');
    expect(staging.hub.extraEnv.OAUTH_CLIENT_SECRET).toEqual({
      valueFrom: { secretKeyRef: { name: 'jupyterhub-github-oauth', key: 'client-secret' } },
    });
    const prod = releaseValues(renders.prod);
    // OAuthenticator's entry point for GenericOAuthenticator; it reads the client secret from OAUTH_CLIENT_SECRET.
    expect(prod.hub.config.JupyterHub.authenticator_class).toBe('generic-oauth');
    expect(prod.hub.config.GenericOAuthenticator).toEqual({
      client_id: 'jupyterhub-spark-platform-prod',
      oauth_callback_url: 'https://jupyter.spark.acme-data.example/hub/oauth_callback',
      authorize_url: 'https://sso.acme-data.example/realms/acme/protocol/openid-connect/auth',
      token_url: 'https://sso.acme-data.example/realms/acme/protocol/openid-connect/token',
      userdata_url: 'https://sso.acme-data.example/realms/acme/protocol/openid-connect/userinfo',
      scope: ['openid', 'profile', 'email'],
      username_claim: 'preferred_username',
      manage_groups: true,
      auth_state_groups_key: 'oauth_user.groups',
      allowed_groups: ['spark-notebook-users'],
      admin_groups: ['spark-platform-admins'],
      login_service: 'Acme SSO',
    });
    // The chart's hub (4.4.0) runs OAuthenticator 17.4, whose allowed_groups, admin_groups and auth_state_groups_key
    // raise at hub start unless manage_groups is true, and whose claim_groups_key is deprecated: the hub would crash-loop.
    for (const name of ENVIRONMENTS) {
      const authenticator = releaseValues(renders[name]).hub.config.GenericOAuthenticator;
      if (!authenticator) continue;
      const usesGroups = ['allowed_groups', 'admin_groups', 'auth_state_groups_key'].some(
        (key) => authenticator[key] !== undefined,
      );
      expect({
        name,
        manage_groups: authenticator.manage_groups,
        claim_groups_key: authenticator.claim_groups_key,
      }).toEqual({ name, manage_groups: usesGroups ? true : undefined, claim_groups_key: undefined });
    }
    expect(prod.hub.extraEnv.OAUTH_CLIENT_SECRET).toEqual({
      valueFrom: { secretKeyRef: { name: 'jupyterhub-oidc', key: 'client-secret' } },
    });
    // Nobody is let in by default: no allow_all with an OAuth authenticator.
    expect(prod.hub.config.Authenticator?.allow_all).toBeUndefined();
    expect(prod.singleuser.storage.capacity).toBe('20Gi');
  });

  it("the add-on has its own encrypted gp3 StorageClass for the hub database and the users' volumes", () => {
    for (const name of ENVIRONMENTS) {
      const storageClass = objectsOf(renders[name], 'StorageClass').find((o) => o.metadata.name === 'jupyterhub-gp3')!;
      expect(storageClass.parameters).toMatchObject({ type: 'gp3', encrypted: 'true' });
      const values = releaseValues(renders[name]);
      expect(values.singleuser.storage.dynamic.storageClass).toBe('jupyterhub-gp3');
      expect(values.hub.db.pvc.storageClassName).toBe('jupyterhub-gp3');
    }
  });

  it("the release values pass the chart's own values schema (vendored at the pinned version); a wrong value does not", () => {
    for (const name of ENVIRONMENTS) expect(jupyterHubValuesProblems(releaseValues(renders[name]))).toEqual([]);
    const bad = structuredClone(releaseValues(renders.dev));
    bad.proxy.service.type = 'Ingress';
    bad.singleuser.storage.dynamic.storageClassName = 'typo';
    bad.cull.timeout = '1h';
    const problems = jupyterHubValuesProblems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^proxy\.service\.type: must be equal to one of the allowed values/),
        expect.stringMatching(/^singleuser\.storage\.dynamic: must NOT have additional properties "storageClassName"/),
        expect.stringMatching(/^cull\.timeout: must be integer/),
      ]),
    );
    expect(problems[0]).toContain(`jupyterhub chart ${JUPYTERHUB_CHART.version} values schema`);
  });

  it('every rendered object passes the strict schema of its kind and every rule; no rendered file holds a secret value', () => {
    for (const name of ENVIRONMENTS) {
      const findings = validateObjects(renders[name].objects, validationContext(name));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      // Independently of the rules: no credential-looking literal anywhere in the rendered text.
      for (const [path, text] of renders[name].files) {
        expect(text, path).not.toMatch(
          /client_secret:|clientSecret:\s*\S|cookie_secret:|secretToken:|-----BEGIN [A-Z ]*PRIVATE KEY-----/,
        );
      }
    }
  });

  it('the secret scan catches a literal client secret in Flux and Argo CD release values', () => {
    for (const [name, authenticator] of [
      ['prod', 'GenericOAuthenticator'],
      ['staging', 'GitHubOAuthenticator'],
    ] as const) {
      const objects = renders[name].objects.map((o) => {
        if (!o.path.startsWith('addons/jupyterhub/') || !['HelmRelease', 'Application'].includes(o.object.kind))
          return o;
        const object = structuredClone(o.object) as AnyObject;
        const values = object.kind === 'HelmRelease' ? object.spec.values : object.spec.source.helm.valuesObject;
        values.hub.config[authenticator].client_secret = 'd1e2a3d4b5e6e7f8';
        return { ...o, object };
      });
      const findings = validateObjects(objects, validationContext(name)).filter((f) => f.rule === 'secret-value');
      expect(findings).toHaveLength(1);
      expect(findings[0]!.location.fieldPath).toMatch(new RegExp(`hub\\.config\\.${authenticator}\\.client_secret$`));
    }
  });

  it('production refuses dummy auth: at load, located in the environment file, and as a rule on the rendered release', () => {
    const text = environmentText('prod');
    const edited = text.replace(/(\n {4}auth:[^\n]*\n) {6}type: oidc\n(?: {6}[^\n]*\n)+/, '$1      type: dummy\n');
    expect(edited).not.toBe(text);
    let error: unknown;
    try {
      loadEnvironmentText(edited, 'environments/prod.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentFileError);
    const line = edited.split('\n').indexOf('      type: dummy') + 1;
    expect((error as Error).message).toContain(
      `environments/prod.yaml:${line}:13: addons.jupyterhub.auth.type: dummy authentication lets anyone in`,
    );
    // The same file without production: true renders.
    expect(() =>
      loadEnvironmentText(edited.replace('production: true', 'production: false'), 'environments/prod.yaml'),
    ).not.toThrow();

    // The rendered-object rule, for both engines, in a production environment only.
    for (const name of ['dev', 'staging'] as const) {
      const objects = renders[name].objects.map((o) => {
        if (!['HelmRelease', 'Application'].includes(o.object.kind) || !o.path.startsWith('addons/jupyterhub/'))
          return o;
        const object = structuredClone(o.object) as AnyObject;
        const values = object.kind === 'HelmRelease' ? object.spec.values : object.spec.source.helm.valuesObject;
        values.hub.config.JupyterHub.authenticator_class = 'dummy';
        return { ...o, object };
      });
      expect(
        validateObjects(objects, { ...validationContext(name), production: true }).filter(
          (f) => f.rule === 'prod-dummy-auth',
        ),
      ).toHaveLength(1);
      expect(
        validateObjects(objects, { ...validationContext(name), production: false }).filter(
          (f) => f.rule === 'prod-dummy-auth',
        ),
      ).toEqual([]);
    }
  });

  it('one profile per tenant with a sparkDriver account: the server runs in the tenant namespace as that account, with client-mode Spark', () => {
    for (const name of ENVIRONMENTS) {
      const config = load(name);
      const servedTenants = config.tenants.filter((t) => !t.retired && t.serviceAccounts?.some((a) => a.sparkDriver));
      const profiles = releaseValues(renders[name]).singleuser.profileList as any[];
      expect(profiles.map((p) => p.slug)).toEqual(servedTenants.map((t) => t.name));
      for (const [index, tenant] of servedTenants.entries()) {
        const override = profiles[index].kubespawner_override;
        const account = tenant.serviceAccounts!.find((a) => a.sparkDriver)!.name;
        expect(override.namespace).toBe(tenant.namespace);
        expect(override.service_account).toBe(account);
        expect(override.automount_service_account_token).toBe(true);
        expect(override.environment.POD_IP).toEqual({ valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
        const args: string = override.environment.PYSPARK_SUBMIT_ARGS;
        expect(args).toMatch(/^--master k8s:\/\/https:\/\/kubernetes\.default\.svc:443 /);
        expect(args).toMatch(/ pyspark-shell$/);
        for (const conf of [
          `spark.kubernetes.namespace=${tenant.namespace}`,
          'spark.submit.deployMode=client',
          'spark.driver.host=$(POD_IP)',
          'spark.driver.port=7078',
          'spark.blockManager.port=7079',
          `spark.kubernetes.authenticate.driver.serviceAccountName=${account}`,
          // Spark alone reads the session executor template: it keeps the pod securityContext EMR's templates may not carry.
          `spark.kubernetes.executor.podTemplateFile=${config.spark.artifactsS3Uri}/tenants/${tenant.name}/pod-templates/session-executor.yaml`,
          // Executors take the notebook account's IRSA role (S3 data, custom code, fallback storage), not the default account's none.
          `spark.kubernetes.authenticate.executor.serviceAccountName=${account}`,
        ])
          expect(args).toContain(` --conf ${conf} `);
        // The role's document the README links covers the pod template the session really reads.
        const template = / --conf spark\.kubernetes\.executor\.podTemplateFile=s3:\/\/(\S+) /.exec(args)![1];
        const roleArn = tenant.serviceAccounts!.find((a) => a.sparkDriver)!.roleArn!;
        const documentPath = `artifacts/iam/${roleArn.split('/').pop()}.json`;
        expect(renders[name].files.get('README.md')).toContain(
          `| \`${roleArn}\` | [\`${documentPath}\`](${documentPath})`,
        );
        expect(
          allows(JSON.parse(renders[name].files.get(documentPath)!), 's3:GetObject', `arn:aws:s3:::${template}`),
        ).toBe(true);
        // The tenant's executor size from its spark-defaults; nothing of a cluster-mode driver pod.
        const defaults = JSON.parse(
          renders[name].files.get(`artifacts/tenants/${tenant.name}/configuration-overrides.json`)!,
        ).applicationConfiguration[0].properties;
        expect(args).toContain(` --conf spark.executor.memory=${defaults['spark.executor.memory']} `);
        expect(args).not.toMatch(/spark\.kubernetes\.driver\.podTemplateFile|spark\.driver\.memoryOverhead/);
        expect(override.extra_container_config.ports.map((p: any) => p.containerPort)).toEqual([
          8888, 7078, 7079, 4040,
        ]);
        // The account is the tenant's driver-capable one: the spark-driver Role, exactly a driver's rules, is bound to it.
        const binding = renders[name].objects.find(
          (o) => o.path === `tenants/${tenant.name}/rolebinding-spark-driver.yaml`,
        )!.object as AnyObject;
        expect(binding.subjects).toContainEqual({ kind: 'ServiceAccount', name: account, namespace: tenant.namespace });
        const role = renders[name].objects.find((o) => o.path === `tenants/${tenant.name}/role-spark-driver.yaml`)!
          .object as AnyObject;
        expect(role.rules).toEqual(sparkDriverRoleRules());
      }
    }
  });

  it("the notebook runs as the EMR image's user, as the executor pods do (the image's USER; init containers explicitly), with its home volume there", () => {
    for (const name of ENVIRONMENTS) {
      const singleuser = releaseValues(renders[name]).singleuser;
      expect([
        singleuser.uid,
        singleuser.fsGid,
        releaseValues(renders[name]).hub.config.KubeSpawner.gid,
        singleuser.storage.homeMountPath,
      ]).toEqual([999, 1000, 1000, '/home/hadoop']);
      for (const path of [...renders[name].files.keys()].filter((p) =>
        /^artifacts\/tenants\/[^/]+\/pod-templates\/executor\.yaml$/.test(p),
      )) {
        // EMR allows no user on the pod or the Spark container: executors run as the image's USER (hadoop, 999).
        const template = renders[name].files.get(path)!;
        expect(
          [...template.matchAll(/runAsUser: (\d+)/g)].map((m) => m[1]).filter((uid) => uid !== '999'),
          path,
        ).toEqual([]);
        expect(
          [...template.matchAll(/runAsGroup: (\d+)/g)].map((m) => m[1]).filter((gid) => gid !== '1000'),
          path,
        ).toEqual([]);
      }
      // An EMR-based image is several GB: its first pull on a new node must not time the spawn out.
      expect(singleuser.startTimeout).toBeGreaterThanOrEqual(600);
      expect(singleuser.image.name).not.toMatch(/jupyter\//);
    }
  });

  it("notebook servers reach the hub's API and the proxy reaches them, with each tenant's own policies (restricted egress too)", () => {
    // prod's data-eng has restricted egress: serve it notebooks too.
    const text = environmentText('prod').replace(
      '    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution',
      '    serviceAccounts:\n      - { name: notebook-spark, roleArn: "arn:aws:iam::410987654321:role/emr-prod-data-eng-notebook", sparkDriver: true }\n    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution',
    );
    const result = renderEnvironment(loadEnvironmentText(text, 'environments/prod.yaml').config);
    const values = releaseValues(result);
    // The labels the pods get: the chart's default extra labels coalesced with ours (the hub's own ingress policy
    // admits pods with hub.jupyter.org/network-access-hub; the tenant policies select ours).
    const chartDefaults = JSON.parse(
      readFileSync(
        new URL(`../../core/schemas/helm/jupyterhub/${JUPYTERHUB_CHART.version}/values.json`, import.meta.url),
        'utf8',
      ),
    );
    const podLabels = (coalesceHelmValues(chartDefaults, values) as any).singleuser.extraLabels;
    expect(podLabels).toMatchObject(values.hub.networkPolicy.ingress[0].from[0].podSelector.matchLabels);
    const hubPort = values.hub.networkPolicy.ingress[0].ports[0].port;
    // Servers in the tenant namespaces find the hub by its namespaced Service name (the chart's default, http://hub:8081,
    // resolves only inside the jupyterhub namespace), on the port their egress policy opens.
    expect(values.hub.config.JupyterHub.hub_connect_url).toBe(`http://hub.jupyterhub.svc:${hubPort}`);
    for (const tenant of ['app-dev', 'data-eng']) {
      const namespace = `spark-${tenant}`;
      const profile = (values.singleuser.profileList as any[]).find((p) => p.slug === tenant)!;
      const serverPort = profile.kubespawner_override.extra_container_config.ports.find(
        (p: any) => p.name === 'notebook-port',
      ).containerPort;
      const policies = result.objects
        .filter((o) => o.path.startsWith(`addons/jupyterhub/tenant-${tenant}/`) && o.object.kind === 'NetworkPolicy')
        .map((o) => o.object as AnyObject);
      expect(new Set(policies.map((p) => p.metadata.namespace))).toEqual(new Set([namespace]));
      const selects = (policy: AnyObject) =>
        Object.entries(policy.spec.podSelector.matchLabels).every(([key, value]) => podLabels[key] === value);
      const ingress = policies.find((p) => p.metadata.name === 'allow-jupyterhub-to-notebook')!;
      const egress = policies.find((p) => p.metadata.name === 'allow-notebook-to-hub')!;
      // Both select the notebook server pods (the label the hub's values put on them), and nothing of the Spark jobs.
      expect(selects(ingress) && selects(egress)).toBe(true);
      expect(Object.keys(ingress.spec.podSelector.matchLabels)).not.toContain('spark-role');
      expect(ingress.spec.ingress).toEqual([
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jupyterhub' } } }],
          ports: [{ protocol: 'TCP', port: serverPort }],
        },
      ]);
      expect(egress.spec.egress).toEqual([
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jupyterhub' } } }],
          ports: [{ protocol: 'TCP', port: hubPort }],
        },
      ]);
    }
    // data-eng's own restricted egress does not reach the hub: only the add-on's policy does.
    const dataEngEgress = result.objects
      .filter((o) => o.path.startsWith('tenants/data-eng/') && o.object.kind === 'NetworkPolicy')
      .flatMap((o) => (o.object as AnyObject).spec.egress ?? []);
    expect(JSON.stringify(dataEngEgress)).not.toContain('"jupyterhub"');
  });

  it('the hub may spawn in each served tenant namespace with exactly the spawner rules, bound to its own ServiceAccount only', () => {
    for (const name of ENVIRONMENTS) {
      const config = load(name);
      const profiles = releaseValues(renders[name]).singleuser.profileList as any[];
      const values = releaseValues(renders[name]);
      expect(values.hub.serviceAccount).toEqual({ create: true, name: 'hub' });
      for (const profile of profiles) {
        const namespace = profile.kubespawner_override.namespace;
        const roles = objectsOf(renders[name], 'Role').filter((r) => r.metadata.name === 'jupyterhub-spawner');
        const role = roles.find((r) => r.metadata.namespace === namespace)!;
        expect(role.rules).toEqual(jupyterHubSpawnerRoleRules());
        const resources = role.rules.flatMap((rule: any) => rule.resources);
        expect(resources).not.toContain('secrets');
        expect(resources).not.toContain('services');
        expect(role.rules.flatMap((rule: any) => rule.verbs)).not.toContain('*');
        const binding = objectsOf(renders[name], 'RoleBinding').find(
          (b) => b.metadata.name === 'jupyterhub-spawner' && b.metadata.namespace === namespace,
        )!;
        expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'hub', namespace: 'jupyterhub' }]);
        expect(binding.roleRef).toEqual({
          kind: 'Role',
          name: 'jupyterhub-spawner',
          apiGroup: 'rbac.authorization.k8s.io',
        });
      }
      // No spawner rights anywhere else, nothing cluster-wide.
      const spawnerNamespaces = objectsOf(renders[name], 'Role')
        .filter((r) => r.metadata.name === 'jupyterhub-spawner')
        .map((r) => r.metadata.namespace)
        .sort();
      expect(spawnerNamespaces).toEqual(profiles.map((p) => p.kubespawner_override.namespace).sort());
      expect(
        objectsOf(renders[name], 'ClusterRoleBinding').filter((b) => JSON.stringify(b.subjects).includes('jupyterhub')),
      ).toEqual([]);
      expect(config.tenants.length).toBeGreaterThan(spawnerNamespaces.length);
      // The hub's NetworkPolicy admits the servers from those namespaces.
      expect(
        values.hub.networkPolicy.ingress[0].from.map(
          (f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
        ),
      ).toEqual(spawnerNamespaces);
    }
  });

  it("the jupyterhub Namespace has Pod Security labels and is selected by the tenants' allow-ingress-from-jupyterhub NetworkPolicy", () => {
    const selects = (
      selector: {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      },
      labels: Record<string, string>,
    ) =>
      Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
      (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) =>
        operator === 'In'
          ? values.includes(labels[key]!)
          : operator === 'NotIn'
            ? !values.includes(labels[key]!)
            : operator === 'Exists'
              ? key in labels
              : !(key in labels),
      );
    for (const name of ENVIRONMENTS) {
      const namespace = objectsOf(renders[name], 'Namespace').find((n) => n.metadata.name === 'jupyterhub')!;
      const labels = namespace.metadata.labels!;
      expect(labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
      const namespaces = objectsOf(renders[name], 'Namespace');
      const policies = objectsOf(renders[name], 'NetworkPolicy').filter(
        (p) => p.metadata.name === 'allow-ingress-from-jupyterhub',
      );
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        const peers = policy.spec.ingress
          .flatMap((rule: any) => rule.from)
          .filter((peer: any) => peer.namespaceSelector);
        expect(peers.some((peer: any) => selects(peer.namespaceSelector, labels))).toBe(true);
        // ... and no other rendered namespace.
        for (const other of namespaces.filter((n) => n.metadata.name !== 'jupyterhub')) {
          expect(peers.some((peer: any) => selects(peer.namespaceSelector, other.metadata.labels ?? {}))).toBe(false);
        }
      }
    }
  });

  it("idle servers are culled with the environment's timeout; the image and resources are pinned per environment", () => {
    expect(releaseValues(renders.dev).cull).toMatchObject({ enabled: true, timeout: 3600 });
    expect(releaseValues(renders.prod).cull).toMatchObject({ enabled: true, timeout: 7200 });
    const prod = releaseValues(renders.prod).singleuser;
    expect(prod.image.tag).not.toBe('latest');
    expect(prod.cpu).toEqual({ guarantee: 1, limit: 4 });
    expect(prod.memory).toEqual({ guarantee: '8G', limit: '16G' });
    // The notebook pod also hosts the driver: too little memory for it is refused at render, located.
    const config = load('dev', (text) =>
      text.replace('memory: { guarantee: 2G, limit: 4G }', 'memory: { guarantee: 1G, limit: 2G }'),
    );
    expect(() => renderEnvironment(config)).toThrow(/2G leaves too little for the Spark driver of app-dev/);
  });

  it("warns where a notebook session's executors run the notebook image on an arm64 capacity class [notebook-image-arch]", () => {
    const notebookDataEng = (t: string) =>
      t.replace(
        '    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution\n',
        '    serviceAccounts:\n      - { name: notebook-spark, roleArn: "arn:aws:iam::410987654321:role/emr-prod-data-eng-notebook", sparkDriver: true }\n' +
          '    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution\n',
      );
    const archWarnings = (result: RenderResult) =>
      result.warnings.filter((w) => w.rule === 'notebook-image-arch').map(issueText);
    // data-eng's executors are on the Graviton class; the notebook server itself stays on the amd64 default driver pool.
    const result = renderEnvironment(load('prod', notebookDataEng));
    expect(archWarnings(result)).toEqual([
      {
        configPath: ['tenants', 1, 'spark', 'capacityClasses', 'executor'],
        message:
          'the notebook sessions of tenant data-eng run their executors on the arm64 capacity class graviton with the notebook image 410987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.2.0-20240610: an image built for amd64 only fails there (exec format error) and the session gets no executors; build it for both platforms (docker buildx build --platform linux/amd64,linux/arm64, as images/notebook/Dockerfile shows) [notebook-image-arch]',
      },
    ]);
    const profile = releaseValues(result).singleuser.profileList.find((p: any) => p.slug === 'data-eng');
    expect(profile.kubespawner_override.node_selector).toEqual({
      'emr-eks-gitops.io/workload': 'spark-driver',
      'karpenter.sh/capacity-type': 'on-demand',
    });
    expect(archWarnings(renders.prod)).toEqual([]);
    expect(readFileSync(new URL('../../../images/notebook/Dockerfile', import.meta.url), 'utf8')).toContain(
      'docker buildx build --platform linux/amd64,linux/arm64 --push',
    );
  });

  it("the notebook server's limits must pass the LimitRange of each tenant it runs in; the hub and proxy never reach instance metadata", () => {
    const config = load('dev', (text) =>
      text
        .replace('cpu: { guarantee: 0.5, limit: 2 }', 'cpu: { guarantee: 0.5, limit: 12 }')
        .replace('memory: { guarantee: 2G, limit: 4G }', 'memory: { guarantee: 2G, limit: 40G }'),
    );
    expect(() => renderEnvironment(config)).toThrow(
      /CPU limit 12 is above the LimitRange max\.cpu 8 of tenant app-dev/,
    );
    expect(() => renderEnvironment(config)).toThrow(
      /memory limit 40G is above the LimitRange max\.memory 32Gi of tenant app-dev/,
    );
    for (const name of ENVIRONMENTS) {
      const values = releaseValues(renders[name]);
      expect(values.hub.networkPolicy.egressAllowRules.cloudMetadataServer).toBe(false);
      expect(values.proxy.chp.networkPolicy.egressAllowRules.cloudMetadataServer).toBe(false);
      expect(values.singleuser.cloudMetadata.blockWithIptables).toBe(false); // NET_ADMIN: refused by the tenants' baseline
    }
  });

  it('the environment README lists the add-on, its chart and version and how to reach it', () => {
    for (const name of ENVIRONMENTS) {
      const readme = renders[name].files.get('README.md')!;
      expect(readme).toContain('## Add-ons');
      expect(readme).toContain(
        `| JupyterHub | \`jupyterhub\` ${JUPYTERHUB_CHART.version} from https://hub.jupyter.org/helm-chart/ | \`jupyterhub\` | \`addons/jupyterhub/\` |`,
      );
    }
    expect(renders.dev.files.get('README.md')).toContain('kubectl -n jupyterhub port-forward svc/proxy-public 8080:80');
    expect(renders.prod.files.get('README.md')).toContain(
      '| https://jupyter.spark.acme-data.example/ (Ingress `jupyterhub`, an Application Load Balancer, TLS with the ACM certificate; see below) |',
    );
    expect(renders.staging.files.get('README.md')).toContain(
      '| https://jupyter.staging.spark.acme-data.example/ (Service `proxy-public`, a Network Load Balancer, TLS with the ACM certificate; see below) |',
    );
  });

  it('github auth needs its settings, and the add-on needs a delivery section', () => {
    expect(() => load('staging', (text) => text.replace(/ {6}allowedOrganizations: \[acme-data\]\n/, ''))).toThrow(
      /addons\.jupyterhub\.auth: github needs allowedOrganizations/,
    );
    expect(() => load('dev', (text) => text.replace('type: dummy ', 'type: dummy\n      clientId: abc '))).toThrow(
      /addons\.jupyterhub\.auth\.clientId: applies only to type github and oidc/,
    );
  });

  it('oidc auth needs its endpoints and allowed groups, takes no GitHub settings, and only https endpoints; located at the line', () => {
    const prod = environmentText('prod');
    const refusal = (edit: (text: string) => string) => {
      const edited = edit(prod);
      expect(edited).not.toBe(prod);
      try {
        loadEnvironmentText(edited, 'environments/prod.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(EnvironmentFileError);
        return { message: (error as Error).message, lines: edited.split('\n') };
      }
      return expect.unreachable();
    };
    const withoutGroups = refusal((text) => text.replace(/ {6}allowedGroups: \[spark-notebook-users\]\n/, ''));
    const authLine = withoutGroups.lines.findIndex((l) => l.startsWith('    auth:')) + 1;
    expect(withoutGroups.message).toContain(
      `environments/prod.yaml:${authLine + 1}:7: addons.jupyterhub.auth: oidc needs allowedGroups`,
    );
    expect(refusal((text) => text.replace(/ {6}tokenUrl: [^\n]*\n/, '')).message).toContain(
      'addons.jupyterhub.auth: oidc needs tokenUrl',
    );
    const github = refusal((text) =>
      text.replace('      groupsClaim: groups', '      allowedOrganizations: [acme-data]\n      groupsClaim: groups'),
    );
    const line = github.lines.findIndex((l) => l.startsWith('      allowedOrganizations:')) + 1;
    expect(github.message).toContain(
      `environments/prod.yaml:${line}:29: addons.jupyterhub.auth.allowedOrganizations: applies only to type github`,
    );
    // An endpoint over plain http would carry the authorization code and tokens in the clear.
    expect(refusal((text) => text.replace('tokenUrl: https://', 'tokenUrl: http://')).message).toMatch(
      /addons\.jupyterhub\.auth\.tokenUrl: /,
    );
    // staging's GitHub settings do not carry over to oidc.
    expect(() => load('staging', (text) => text.replace('type: github', 'type: oidc'))).toThrow(
      /addons\.jupyterhub\.auth\.allowedOrganizations: applies only to type github/,
    );
  });

  it('an environment without the add-on renders nothing of it', () => {
    // dev's only add-on in the addons layer is JupyterHub (Karpenter's controller has a layer of its own).
    const config = load('dev', (text) => text.replace(/\n {2}jupyterhub:[^\n]*\n(?: {4,}[^\n]*\n)+/, '\n'));
    expect(config.addons?.jupyterhub).toBeUndefined();
    const result = renderEnvironment(config);
    expect([...result.files.keys()].filter((path) => path.startsWith('addons/jupyterhub'))).toEqual([]);
    expect(result.files.get('README.md')).not.toContain('| JupyterHub |');
  });
});
