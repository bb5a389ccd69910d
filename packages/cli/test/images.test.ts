import { describe, expect, it } from 'vitest';
import { addonImages, loadEnvironmentText } from '@emr-eks-gitops/charts';
import { helmValuesImages, objectImages } from '../src/images/container-images.js';
import { EMR_ON_EKS_IMAGE_ACCOUNTS, emrSparkImage } from '../src/images/emr-base-images.js';
import { REPO_ROOT, editEnvironment, repoEnvironmentText, runCli, tempProject } from './support/project.js';

/** Each environment's notebook image: built FROM its tenants' EMR Spark image, in its own account's ECR. */
const NOTEBOOK_IMAGES = {
  dev: '210987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.5.0-20250115',
  staging: '310987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.5.0-20250115',
  prod: '410987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.2.0-20240610',
  sandbox: '510987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.5.0-latest',
  global: '610987654321.dkr.ecr.ap-northeast-2.amazonaws.com/spark-notebook:emr-7.5.0-20250115',
} as const;

const images = (object: Record<string, unknown>) =>
  objectImages(object).references.map(({ image, fieldPath }) => `${image} ${fieldPath}`);

/** What every committed environment renders besides its EMR and notebook images: app-dev's code fetcher, Prometheus. */
const SHARED_IMAGES = [
  'public.ecr.aws/aws-cli/aws-cli:2.17.0',
  'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
  'quay.io/prometheus/prometheus:v3.14.0',
];

describe('objectImages', () => {
  it("reads containers, init containers and ephemeral containers of Pods and of every workload kind's pod template", () => {
    const podSpec = {
      initContainers: [{ name: 'init', image: 'busybox:1.36' }],
      containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'no-image' }],
      ephemeralContainers: [{ name: 'debug', image: 'debian:12' }],
    };
    expect(images({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec })).toEqual([
      'busybox:1.36 spec.initContainers[0].image',
      'nginx:1.27 spec.containers[0].image',
      'debian:12 spec.ephemeralContainers[0].image',
    ]);
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
      expect(
        images({ apiVersion: 'apps/v1', kind, metadata: { name: 'w' }, spec: { template: { spec: podSpec } } }),
        kind,
      ).toContain('nginx:1.27 spec.template.spec.containers[0].image');
    }
    expect(
      images({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: podSpec } } }),
    ).toContain('busybox:1.36 spec.template.spec.initContainers[0].image');
    expect(
      images({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: { jobTemplate: { spec: { template: { spec: podSpec } } } },
      }),
    ).toContain('debian:12 spec.jobTemplate.spec.template.spec.ephemeralContainers[0].image');
  });

  it('ignores `image` fields of kinds that are no workload (a ConfigMap, a custom resource)', () => {
    expect(
      images({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { image: 'nginx:1.27' } }),
    ).toEqual([]);
    expect(
      images({
        apiVersion: 'example.com/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { template: { spec: { containers: [{ image: 'x:1' }] } } },
      }),
    ).toEqual([]);
  });

  it("reads a Flux HelmRelease's values as charts write images: strings, { registry, repository, tag, digest }, kube-prometheus-stack's sha, JupyterHub's name", () => {
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'addons', namespace: 'flux-system' },
      spec: {
        chart: { spec: { chart: 'x' } },
        values: {
          // kube-prometheus-stack
          prometheus: {
            prometheusSpec: {
              image: { registry: 'quay.io', repository: 'prometheus/prometheus', tag: 'v3.1.0', sha: '' },
            },
          },
          prometheusOperator: {
            image: {
              registry: 'quay.io',
              repository: 'prometheus-operator/prometheus-operator',
              tag: 'v0.79.2',
              sha: 'abc123',
            },
          },
          // JupyterHub
          hub: { image: { name: 'quay.io/jupyterhub/k8s-hub', tag: '4.0.0' } },
          singleuser: {
            profileList: [
              { display_name: 'spark', kubespawner_override: { image: 'quay.io/jupyter/pyspark-notebook:2024-12-09' } },
            ],
          },
          // Bitnami-style digest, and an image whose tag the chart fills in
          redis: { image: { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.4.1', digest: 'sha256:0123' } },
          karpenter: { controller: { image: { repository: 'public.ecr.aws/karpenter/controller', tag: '' } } },
          notAnImage: { image: { pullPolicy: 'IfNotPresent' } },
        },
      },
    };
    const { references, problems } = objectImages(release);
    expect(problems).toEqual([]);
    expect(references.map(({ image, fieldPath }) => `${image} ${fieldPath}`)).toEqual([
      'quay.io/prometheus/prometheus:v3.1.0 spec.values.prometheus.prometheusSpec.image',
      'quay.io/prometheus-operator/prometheus-operator:v0.79.2@sha256:abc123 spec.values.prometheusOperator.image',
      'quay.io/jupyterhub/k8s-hub:4.0.0 spec.values.hub.image',
      'quay.io/jupyter/pyspark-notebook:2024-12-09 spec.values.singleuser.profileList[0].kubespawner_override.image',
      'docker.io/bitnami/redis:7.4.1@sha256:0123 spec.values.redis.image',
      'public.ecr.aws/karpenter/controller spec.values.karpenter.controller.image',
    ]);
    expect(references.find((reference) => reference.image === 'public.ecr.aws/karpenter/controller')?.note).toMatch(
      /no tag or digest: the chart picks one/,
    );
    expect(references.filter((reference) => reference.note)).toHaveLength(1);
  });

  it("reads an Argo CD Application's helm.valuesObject and its helm.values YAML string, for source and each of sources", () => {
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'jupyterhub', namespace: 'argocd' },
      spec: {
        source: {
          repoURL: 'https://hub.jupyter.org/helm-chart/',
          chart: 'jupyterhub',
          helm: { valuesObject: { hub: { image: { name: 'quay.io/jupyterhub/k8s-hub', tag: '4.0.0' } } } },
        },
        sources: [
          {
            repoURL: 'https://prometheus-community.github.io/helm-charts',
            chart: 'kube-prometheus-stack',
            helm: {
              values:
                'grafana:\n  image:\n    registry: docker.io\n    repository: grafana/grafana\n    tag: "11.4.0"\n',
            },
          },
          { repoURL: 'https://example.com', chart: 'broken', helm: { values: 'a: [' } },
        ],
      },
    };
    const { references, problems } = objectImages(application);
    expect(references.map(({ image, fieldPath }) => `${image} ${fieldPath}`)).toEqual([
      'quay.io/jupyterhub/k8s-hub:4.0.0 spec.source.helm.valuesObject.hub.image',
      'docker.io/grafana/grafana:11.4.0 spec.sources[0].helm.values:grafana.image',
    ]);
    expect(problems).toEqual([
      {
        fieldPath: 'spec.sources[1].helm.values',
        message: expect.stringMatching(/^not YAML, so no images were read from it/),
      },
    ]);
  });

  it("helmValuesImages takes values on their own, e.g. a chart's values artifact", () => {
    expect(helmValuesImages({ image: 'ghcr.io/org/app:1.0' }, []).map((reference) => reference.fieldPath)).toEqual([
      'image',
    ]);
  });
});

describe('emrSparkImage', () => {
  it("names EMR's image in the region's registry account: the release label's last part is the tag", () => {
    expect(emrSparkImage('ap-northeast-2', 'emr-7.5.0-latest')).toEqual({
      image: '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest',
    });
    expect(emrSparkImage('us-west-2', 'emr-7.2.0-20240610')).toEqual({
      image: '895885662937.dkr.ecr.us-west-2.amazonaws.com/spark/emr-7.2.0:20240610',
    });
    expect(emrSparkImage('eu-west-1', 'emr-6.11.0-java17-latest')).toEqual({
      image: '483788554619.dkr.ecr.eu-west-1.amazonaws.com/spark/emr-6.11.0-java17:latest',
    });
  });

  it('says so instead of guessing when the region or partition is not in the table', () => {
    expect(emrSparkImage('me-central-1', 'emr-7.5.0-latest')).toEqual({
      unknown: expect.stringContaining('no EMR on EKS image registry account known for region me-central-1'),
    });
    expect(emrSparkImage('cn-north-1', 'emr-7.5.0-latest', 'aws-cn')).toEqual({
      unknown: expect.stringContaining('partition aws-cn'),
    });
  });

  it('the table holds 12-digit accounts keyed by region names', () => {
    for (const [region, account] of Object.entries(EMR_ON_EKS_IMAGE_ACCOUNTS)) {
      expect(region).toMatch(/^[a-z]{2}-[a-z]+-[0-9]$/);
      expect(account).toMatch(/^[0-9]{12}$/);
    }
  });
});

describe('emr-gitops images', () => {
  it("lists the committed environments' images sorted and de-duplicated, one per line", async () => {
    const result = await runCli(REPO_ROOT, ['images']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        // global's Tokyo cluster runs EMR's image from the Tokyo registry.
        '059004520145.dkr.ecr.ap-northeast-1.amazonaws.com/spark/emr-7.5.0:20250115',
        NOTEBOOK_IMAGES.dev,
        NOTEBOOK_IMAGES.staging,
        NOTEBOOK_IMAGES.prod,
        NOTEBOOK_IMAGES.sandbox,
        NOTEBOOK_IMAGES.global,
        '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.2.0-spark-rapids:20240610',
        '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.2.0:20240610',
        '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:20250115',
        '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest',
        'apache/yunikorn:admission-1.8.0',
        'apache/yunikorn:scheduler-1.8.0',
        'apache/yunikorn:web-1.8.0',
        'nvcr.io/nvidia/k8s-device-plugin:v0.20.0',
        ...SHARED_IMAGES,
        '',
      ].join('\n'),
    );
  });

  it("lists the RAPIDS image of GPU jobs and the NVIDIA device plugin's image, each with where it comes from", async () => {
    const result = await runCli(REPO_ROOT, ['images', '--env', 'prod', '--output', 'json']);
    expect(result.exitCode).toBe(0);
    const { images } = JSON.parse(result.stdout) as { images: { image: string; usedBy: string[] }[] };
    const usedBy = (image: string) => images.find((entry) => entry.image === image)?.usedBy;
    expect(usedBy('996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.2.0-spark-rapids:20240610')).toEqual([
      'prod environments/prod.yaml tenants[2].releaseLabel (GPU jobs: emr-7.2.0-spark-rapids-20240610)',
    ]);
    expect(usedBy('nvcr.io/nvidia/k8s-device-plugin:v0.20.0')).toEqual([
      'prod dist-manifests/prod/addons/nvidia-device-plugin/helmrelease-nvidia-device-plugin.yaml spec.values.image',
    ]);
  });

  it('--output json says where each image is used: environment, file and field', async () => {
    const result = await runCli(REPO_ROOT, ['images', '--env', 'dev', '--output', 'json']);
    expect(result.exitCode).toBe(0);
    const { images } = JSON.parse(result.stdout) as { images: { image: string; usedBy: string[] }[] };
    expect(images.map((entry) => entry.image)).toEqual([
      NOTEBOOK_IMAGES.dev,
      '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest',
      ...SHARED_IMAGES,
    ]);
    expect(images[0]!.usedBy).toEqual([
      'dev dist-manifests/dev/addons/jupyterhub/helmrelease-jupyterhub.yaml spec.values.singleuser.image',
    ]);
    expect(images[4]!.usedBy).toEqual([
      'dev dist-manifests/dev/addons/prometheus/helmrelease-prometheus.yaml spec.values.server.image',
    ]);
    expect(images[1]!.usedBy).toEqual(
      [0, 1, 2].map((index) => `dev environments/dev.yaml tenants[${index}].releaseLabel`),
    );
    expect(images[2]!.usedBy).toEqual([
      'dev dist-manifests/dev/artifacts/tenants/app-dev/pod-templates/driver.yaml spec.initContainers[0].image',
      'dev dist-manifests/dev/artifacts/tenants/app-dev/pod-templates/executor.yaml spec.initContainers[0].image',
      'dev dist-manifests/dev/artifacts/tenants/app-dev/pod-templates/session-executor.yaml spec.initContainers[0].image',
    ]);
  });

  it('a region missing from the table is named on stderr, its EMR image left out; a custom Spark image is listed', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) =>
      text
        .replace('region: ap-northeast-2', 'region: me-central-1')
        .replace(
          'spark.sql.adaptive.enabled: "true"',
          'spark.sql.adaptive.enabled: "true"\n        spark.kubernetes.container.image: 210987654321.dkr.ecr.me-central-1.amazonaws.com/ml-spark:7.5.0-1',
        ),
    );
    const result = await runCli(root, ['images', '--env', 'dev']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      [
        NOTEBOOK_IMAGES.dev,
        '210987654321.dkr.ecr.me-central-1.amazonaws.com/ml-spark:7.5.0-1',
        ...SHARED_IMAGES,
        '',
      ].join('\n'),
    );
    expect(result.stderr).toContain(
      'note: environments/dev.yaml: tenants[0].releaseLabel: EMR Spark image of app-dev not listed: no EMR on EKS image registry account known for region me-central-1',
    );
    expect(result.stderr.match(/^note: /gm)).toHaveLength(3);
  });

  it('lists every image each add-on module declares, where a rendered object of the environment names it', async () => {
    let declared = 0;
    for (const env of ['dev', 'staging', 'prod', 'sandbox']) {
      const config = loadEnvironmentText(repoEnvironmentText(env), `environments/${env}.yaml`).config;
      const result = await runCli(REPO_ROOT, ['images', '--env', env, '--output', 'json']);
      const { images } = JSON.parse(result.stdout) as { images: { image: string; usedBy: string[] }[] };
      for (const { key, images: own } of addonImages(config)) {
        for (const image of own) {
          declared++;
          const usedBy = images.find((entry) => entry.image === image)?.usedBy ?? [];
          expect(
            usedBy.some((place) => place.startsWith(`${env} dist-manifests/${env}/`)),
            `${env} addons.${key}: ${image} in ${usedBy.join(', ')}`,
          ).toBe(true);
        }
      }
    }
    // The notebook, Prometheus, History Server, device plugin and YuniKorn images.
    expect(declared).toBeGreaterThanOrEqual(8);
  });

  it("lists an add-on's images that only an artifact names (Prometheus' values without a delivery engine) at its section", async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', (text) =>
      text
        .replace(/^delivery:.*\n((?: {2}.*\n)*)/m, '')
        .replace(/^ {2}karpenter:.*\n/m, '')
        .replace(/^ {2}jupyterhub:.*\n((?: {4}.*\n)*)/m, ''),
    );
    const result = await runCli(root, ['images', '--env', 'dev', '--output', 'json']);
    expect(result.exitCode).toBe(0);
    const { images } = JSON.parse(result.stdout) as { images: { image: string; usedBy: string[] }[] };
    const usedBy = (image: string) => images.find((entry) => entry.image === image)?.usedBy;
    expect(usedBy('quay.io/prometheus/prometheus:v3.14.0')).toEqual(['dev environments/dev.yaml addons.prometheus']);
    expect(usedBy('quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1')).toEqual([
      'dev environments/dev.yaml addons.prometheus',
    ]);
  });

  it('bad usage and unknown environments exit 2', async () => {
    expect((await runCli(REPO_ROOT, ['images', '--output', 'yaml'])).exitCode).toBe(2);
    const unknown = await runCli(REPO_ROOT, ['images', '--env', 'qa']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown environment "qa"');
  });
});
