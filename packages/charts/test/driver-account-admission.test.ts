import { describe, expect, it } from 'vitest';
import { JUPYTERHUB_CHART } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { ADMIN, admit } from './admission-harness.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

type Obj = Record<string, any>;
const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const renders = Object.fromEntries(
  ['dev', 'staging', 'prod', 'sandbox'].map((name) => [name, renderEnvironment(load(name))]),
) as Record<string, RenderResult>;

function hubValues(result: RenderResult): Obj {
  const objects = result.objects.map((o) => o.object as Obj);
  const release = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === JUPYTERHUB_CHART.name);
  if (release) return release.spec.values;
  return objects.find((o) => o.kind === 'Application' && o.spec.source?.chart === JUPYTERHUB_CHART.name)!.spec.source
    .helm.valuesObject;
}

/** Each notebook profile: its namespace, account and the `--conf` values its Spark session starts with. */
function profiles(
  result: RenderResult,
): Array<{ tenant: string; namespace: string; account: string; conf: Record<string, string> }> {
  return hubValues(result).singleuser.profileList.map((profile: Obj) => {
    const override = profile.kubespawner_override;
    const conf = Object.fromEntries(
      [...String(override.environment.PYSPARK_SUBMIT_ARGS).matchAll(/--conf ([^=\s]+)=(\S+)/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    return { tenant: profile.slug, namespace: override.namespace, account: override.service_account, conf };
  });
}

/**
 * The executor pod a notebook's Spark session creates from a rendered executor template (Spark's
 * BasicExecutorFeatureStep and ExecutorKubernetesCredentialsFeatureStep): the main container gets
 * spark.kubernetes.container.image, the pod the executor service account, as the template names none.
 */
function executorPod(template: Obj, conf: Record<string, string>): Obj {
  const pod = structuredClone(template);
  expect(pod.spec.serviceAccountName).toBeUndefined();
  pod.metadata = { name: 'session-exec-1', labels: { 'spark-role': 'executor' } };
  pod.spec.serviceAccountName = conf['spark.kubernetes.authenticate.executor.serviceAccountName'];
  pod.spec.containers = pod.spec.containers.map((container: Obj) =>
    container.name === 'spark-kubernetes-executor'
      ? { ...container, image: conf['spark.kubernetes.container.image'] }
      : container,
  );
  return pod;
}

const user = (namespace: string, account: string) => `system:serviceaccount:${namespace}:${account}`;
const accountDenied = (namespace: string, account = 'notebook-spark') =>
  `pods created by the Spark-driver service account ${account} of namespace ${namespace} must run as the account that creates them (spec.serviceAccountName, and in its own namespace): another account, such as EMR's emr-containers-sa-* (the job execution role), would lend its identity to whoever runs code as this one`;
const imageDenied = (namespace: string, images: string) =>
  `pods created by the Spark-driver service account notebook-spark of namespace ${namespace} may run only the images ${images}: set spark.kubernetes.container.image and the pod template's containers to one of them`;
const HUB = user('jupyterhub', 'hub');
const volumeDenied = (namespace: string) =>
  `pods created by the Spark-driver service account notebook-spark of namespace ${namespace} or by ${HUB} in it may mount only volumes of the types configMap, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected (projected: configMap, downwardAPI, serviceAccountToken): a secret, hostPath, csi or other volume would hand them credentials their account has no right to read`;
const hubDenied = (namespace: string) =>
  `pods ${HUB} creates in namespace ${namespace} must run as its Spark-driver account notebook-spark (spec.serviceAccountName): any other, such as EMR's emr-containers-sa-* (the job execution role), would lend its identity to whoever controls the spawner`;

/**
 * The notebook server pod as KubeSpawner 7 builds it from a profile (make_pod): the profile's account and image, the
 * user's PVC of singleuser.storage type dynamic (volume-<user>), and the API server's kube-api-access projected volume
 * (ServiceAccount admission plugin, automount_service_account_token: true).
 */
function notebookPod(result: RenderResult, index = 0): { namespace: string; pod: Obj } {
  const values = hubValues(result).singleuser;
  const override = values.profileList[index].kubespawner_override;
  expect(values.storage.type).toBe('dynamic');
  expect(values.cloudMetadata.blockWithIptables).toBe(false); // else an init container of another image
  return {
    namespace: override.namespace,
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'jupyter-alice', labels: { component: 'singleuser-server' } },
      spec: {
        serviceAccountName: override.service_account,
        containers: [
          {
            name: 'notebook',
            image: override.image ?? `${values.image.name}:${values.image.tag}`,
            volumeMounts: [{ name: 'volume-alice', mountPath: values.storage.homeMountPath }],
          },
        ],
        volumes: [
          { name: 'volume-alice', persistentVolumeClaim: { claimName: 'claim-alice' } },
          {
            name: 'kube-api-access-x1y2z',
            projected: {
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                {
                  downwardAPI: {
                    items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  };
}

const DEV_IMAGES =
  '210987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.5.0-20250115, 996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest, public.ecr.aws/aws-cli/aws-cli:2.17.0';

describe('pods of Spark-driver accounts at admission', () => {
  it('renders one policy and binding per tenant with sparkDriver accounts, matched by who creates the pod', () => {
    for (const [name, result] of Object.entries(renders)) {
      const served = profiles(result);
      expect(served.length, name).toBeGreaterThan(0);
      for (const { namespace, account } of served) {
        const policy = result.objects.find(
          (o) => o.path === `platform/admission/validatingadmissionpolicy-emr-eks-gitops-driver-pods-${namespace}.yaml`,
        )!.object as Obj;
        expect(policy.spec.matchConditions).toEqual([
          {
            name: 'created-by-a-driver-account',
            expression: `request.userInfo.username in ["${user(namespace, account)}"] || (request.userInfo.username in ["${HUB}"] && request.namespace == "${namespace}")`,
          },
        ]);
        expect(result.files.get('platform/admission/kustomization.yaml'), name).toContain(
          `validatingadmissionpolicybinding-emr-eks-gitops-driver-pods-${namespace}.yaml`,
        );
        expect(result.files.get('platform/kustomization.yaml'), name).toContain('- admission');
      }
    }
  });

  it("admits the executor pods every notebook session creates from each of its tenant's rendered executor templates", () => {
    let checked = 0;
    for (const [name, result] of Object.entries(renders)) {
      for (const { tenant, namespace, account, conf } of profiles(result)) {
        const templates = result.objects.filter(
          (o) => o.path.startsWith(`artifacts/tenants/${tenant}/`) && o.path.endsWith('pod-templates/executor.yaml'),
        );
        expect(templates.length).toBeGreaterThan(0);
        for (const { path, object } of templates) {
          const pod = executorPod(object as Obj, conf);
          expect(admit(result, namespace, pod, 'CREATE', null, user(namespace, account)), `${name} ${path}`).toEqual(
            [],
          );
          // Spark labels executors while decommissioning: an update that keeps the images.
          const labelled = {
            ...pod,
            metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, 'spark-exec-inactive': 'true' } },
          };
          expect(
            admit(result, namespace, labelled, 'UPDATE', pod, user(namespace, account)),
            `${name} ${path}`,
          ).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  const dev = renders.dev!;
  const [session] = profiles(dev);
  const template = dev.objects.find((o) => o.path === 'artifacts/tenants/app-dev/pod-templates/executor.yaml')!
    .object as Obj;
  const notebook = user('spark-app-dev', 'notebook-spark');

  it.each([
    [
      'an EMR job account (the job execution role)',
      'emr-containers-sa-spark-executor-210987654321-31k61zpmb7mlsiqq1k5',
    ],
    ["the namespace's default account", 'default'],
    ["the tenant's EMR job runner account", 'emr-containers-sa-spark-client-210987654321-31k61zpmb7mlsiqq1k5'],
  ])('refuses a pod a notebook creates as %s', (_, account) => {
    const pod = executorPod(template, session!.conf);
    pod.spec.serviceAccountName = account;
    expect(admit(dev, 'spark-app-dev', pod, 'CREATE', null, notebook)).toEqual([accountDenied('spark-app-dev')]);
  });

  it("refuses a pod of the account's own name in another namespace (a binding elsewhere would not lend that namespace's account)", () => {
    const pod = executorPod(template, session!.conf);
    expect(admit(dev, 'spark-data-eng', pod, 'CREATE', null, notebook)).toEqual([accountDenied('spark-app-dev')]);
  });

  it.each([
    [
      'a foreign main container image',
      (pod: Obj) => {
        pod.spec.containers[0].image = 'docker.io/library/alpine:3.20';
      },
    ],
    [
      'another tag of the notebook image',
      (pod: Obj) => {
        pod.spec.containers[0].image = '210987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:dev';
      },
    ],
    [
      'a foreign init container',
      (pod: Obj) => {
        pod.spec.initContainers.push({ name: 'x', image: 'docker.io/library/alpine:3.20' });
      },
    ],
    [
      'a sidecar with a foreign image',
      (pod: Obj) => {
        pod.spec.containers.push({ name: 'x', image: 'ghcr.io/attacker/tool:1' });
      },
    ],
  ])('refuses %s', (_, edit) => {
    const pod = executorPod(template, session!.conf);
    edit(pod);
    expect(admit(dev, 'spark-app-dev', pod, 'CREATE', null, notebook)).toEqual([
      imageDenied('spark-app-dev', DEV_IMAGES),
    ]);
  });

  it('refuses both at once, and an update that adds a foreign image', () => {
    const pod = executorPod(template, session!.conf);
    const foreign = {
      ...pod,
      spec: {
        ...pod.spec,
        serviceAccountName: 'default',
        containers: [{ name: 'spark-kubernetes-executor', image: 'alpine' }],
      },
    };
    expect(admit(dev, 'spark-app-dev', foreign, 'CREATE', null, notebook)).toEqual([
      accountDenied('spark-app-dev'),
      imageDenied('spark-app-dev', DEV_IMAGES),
    ]);
    const changed = { ...pod, spec: { ...pod.spec, containers: [{ ...pod.spec.containers[0], image: 'alpine' }] } };
    expect(admit(dev, 'spark-app-dev', changed, 'UPDATE', pod, notebook)).toEqual([
      imageDenied('spark-app-dev', DEV_IMAGES),
    ]);
  });

  it('admits pods made by others: an administrator, the hub spawning a server, EMR, a controller; and their updates by the notebook', () => {
    const pod = executorPod(template, session!.conf);
    const foreign: Obj = {
      ...pod,
      spec: {
        ...pod.spec,
        serviceAccountName: 'emr-containers-sa-spark-driver-1',
        containers: [{ name: 'c', image: 'alpine' }],
      },
    };
    for (const creator of [
      ADMIN,
      'emr-containers',
      user('kube-system', 'replicaset-controller'),
      user('spark-app-dev', 'other'),
    ]) {
      expect(admit(dev, 'spark-app-dev', foreign, 'CREATE', null, creator), creator).toEqual([]);
    }
    // The hub outside the tenant namespaces (its own pods) is not held.
    expect(admit(dev, 'jupyterhub', foreign, 'CREATE', null, HUB)).toEqual([]);
    // The notebook's account labelling a pod someone else made keeps its images: admitted.
    const labelled = { ...foreign, metadata: { ...foreign.metadata, labels: { a: 'b' } } };
    expect(admit(dev, 'spark-app-dev', labelled, 'UPDATE', foreign, notebook)).toEqual([]);
  });

  it('admits the notebook server pods the hub spawns, as KubeSpawner builds them, in every environment', () => {
    for (const [name, result] of Object.entries(renders)) {
      hubValues(result).singleuser.profileList.forEach((_: Obj, index: number) => {
        const { namespace, pod } = notebookPod(result, index);
        expect(admit(result, namespace, pod, 'CREATE', null, HUB), `${name} ${namespace}`).toEqual([]);
      });
    }
  });

  it('refuses a pod the hub creates in a tenant namespace as any account but the notebook account', () => {
    const { namespace, pod } = notebookPod(dev);
    for (const account of ['emr-containers-sa-spark-driver-210987654321-31k61zpmb7mlsiqq1k5', 'default']) {
      expect(
        admit(dev, namespace, { ...pod, spec: { ...pod.spec, serviceAccountName: account } }, 'CREATE', null, HUB),
        account,
      ).toEqual([hubDenied(namespace)]);
    }
  });

  it.each([
    ['a Secret of the namespace', { secret: { secretName: 'emr-containers-job-secret' } }],
    ['a host path', { hostPath: { path: '/var/lib/kubelet' } }],
    [
      'a CSI secrets-store volume',
      { csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { secretProviderClass: 'x' } } },
    ],
    ['a projected Secret', { projected: { sources: [{ secret: { name: 'emr-containers-job-secret' } }] } }],
    ['an NFS share', { nfs: { server: '10.0.0.1', path: '/' } }],
  ])('refuses %s in pods of the notebook account and of the hub', (_, volume) => {
    const executor = executorPod(template, session!.conf);
    executor.spec.volumes = [...(executor.spec.volumes ?? []), { name: 'x', ...volume }];
    expect(admit(dev, 'spark-app-dev', executor, 'CREATE', null, notebook)).toEqual([volumeDenied('spark-app-dev')]);
    const { namespace, pod } = notebookPod(dev);
    pod.spec.volumes.push({ name: 'x', ...volume });
    expect(admit(dev, namespace, pod, 'CREATE', null, HUB)).toEqual([volumeDenied(namespace)]);
  });

  it("holds every sparkDriver account of a tenant, and a retired tenant's accounts too", () => {
    const edited = renderEnvironment(
      load('dev', (t) =>
        t.replace(
          '        sparkDriver: true ',
          '        sparkDriver: true\n      - name: batch-client\n        sparkDriver: true\n        roleArn: arn:aws:iam::210987654321:role/emr-dev-app-dev-notebook ',
        ),
      ),
    );
    const policy = edited.objects.find(
      (o) => o.path === 'platform/admission/validatingadmissionpolicy-emr-eks-gitops-driver-pods-spark-app-dev.yaml',
    )!.object as Obj;
    expect(policy.spec.matchConditions[0].expression).toBe(
      `request.userInfo.username in ["${user('spark-app-dev', 'batch-client')}", "${notebook}"] || (request.userInfo.username in ["${HUB}"] && request.namespace == "spark-app-dev")`,
    );
    const pod = executorPod(template, {
      ...session!.conf,
      'spark.kubernetes.authenticate.executor.serviceAccountName': 'batch-client',
    });
    expect(admit(edited, 'spark-app-dev', pod, 'CREATE', null, user('spark-app-dev', 'batch-client'))).toEqual([]);
    expect(admit(edited, 'spark-app-dev', pod, 'CREATE', null, notebook)[0]).toMatch(
      /^pods created by the Spark-driver service accounts batch-client, notebook-spark of namespace spark-app-dev must run as/,
    );

    const retired = renderEnvironment(
      load('dev', (t) =>
        t.replace('    namespace: spark-app-dev\n', '    namespace: spark-app-dev\n    retired: true\n'),
      ),
    );
    const kept = retired.objects.find(
      (o) => o.path === 'platform/admission/validatingadmissionpolicy-emr-eks-gitops-driver-pods-spark-app-dev.yaml',
    )!.object as Obj;
    expect(kept.spec.variables[0].expression).toBe(
      '["210987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.5.0-20250115", "996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest"]',
    );
  });

  it('refuses sparkDriver accounts on Kubernetes 1.29, where ValidatingAdmissionPolicy v1 is not served, at each account', () => {
    const edit = (t: string) => t.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: "1.29"');
    const text = edit(environmentText('dev'));
    const line = text.slice(0, text.indexOf('sparkDriver: true')).split('\n').length;
    const column = text.split('\n')[line - 1]!.indexOf('true') + 1;
    const message =
      "tenants[0].serviceAccounts[0].sparkDriver: a sparkDriver account may create pods, and RBAC lets it name any service account of the namespace in them, EMR's emr-containers-sa-* accounts (the job execution role) included; the ValidatingAdmissionPolicy that holds its pods to its own account and the tenant's images (admissionregistration.k8s.io/v1) is served from Kubernetes 1.30, and on 1.29 it is a beta API behind a feature gate EKS does not turn on; upgrade cluster.kubernetesVersion to 1.30 or later, or remove sparkDriver (no notebooks for this tenant) [driver-account-admission]";
    expect(() => load('dev', edit)).toThrow(
      new RegExp(`^environments/dev\\.yaml:${line}:${column}: ${escapeRegExp(message)}$`, 'm'),
    );
  });
});
