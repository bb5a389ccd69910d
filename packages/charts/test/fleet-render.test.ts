import { readFileSync } from 'node:fs';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { hasErrors, validateObjects, type Finding } from '@emr-eks-gitops/core';
import {
  loadEnvironmentText,
  renderEnvironment,
  validationUnits,
  type EnvironmentConfig,
  type RenderResult,
} from '../src/index.js';

// global spans two EKS clusters: each renders into dist-manifests/global/<cluster>/ with its own capacity and wiring,
// Argo CD's ApplicationSet above them; or, delivered by Flux, one wiring per cluster.

const TEXT = readFileSync(new URL('../../../environments/global.yaml', import.meta.url), 'utf8');
const SEOUL = 'spark-global-seoul';
const TOKYO = 'spark-global-tokyo';

/** global.yaml with `edit` applied to its document. */
function variant(edit: (document: ReturnType<typeof parseDocument>) => void): EnvironmentConfig {
  const document = parseDocument(TEXT);
  edit(document);
  return loadEnvironmentText(document.toString(), 'environments/global.yaml').config;
}

const load = () => loadEnvironmentText(TEXT, 'environments/global.yaml').config;
const objectsIn = (result: RenderResult, folder: string) =>
  result.objects.filter((entry) => entry.path.startsWith(`${folder}/`)).map((entry) => entry.object as any);
const errorsOf = (config: EnvironmentConfig, result: RenderResult): Finding[] =>
  validationUnits(result, config)
    .flatMap((unit) =>
      validateObjects(unit.objects, {
        environment: 'global',
        production: true,
        kubernetesVersion: unit.kubernetesVersion,
      }),
    )
    .filter((finding) => finding.severity === 'error');

describe('global: two clusters, each in its own folder', () => {
  const config = load();
  const result = renderEnvironment(config);

  it('renders each cluster with its version, its tenants and its own capacity', () => {
    expect(result.clusters?.map((cluster) => [cluster.name, cluster.kubernetesVersion])).toEqual([
      [SEOUL, '1.31'],
      [TOKYO, '1.32'],
    ]);
    const namespaces = (cluster: string) =>
      objectsIn(result, `${cluster}/tenants`)
        .filter((object) => object.kind === 'Namespace')
        .map((object) => object.metadata.name)
        .sort();
    expect(namespaces(SEOUL)).toEqual(['spark-app-dev', 'spark-data-eng', 'spark-ml']);
    expect(namespaces(TOKYO)).toEqual(['spark-app-dev', 'spark-ml']);
    // Each cluster's pools carry its limits; its node classes discover its subnets; its controller its queue and role.
    const driverLimits = (cluster: string) =>
      objectsIn(result, `${cluster}/platform`).find(
        (object) => object.kind === 'NodePool' && object.metadata.name === 'spark-driver',
      )?.spec.limits;
    expect(driverLimits(SEOUL)).toEqual({ cpu: '200', memory: '800Gi' });
    expect(driverLimits(TOKYO)).toEqual({ cpu: '100', memory: '400Gi' });
    for (const cluster of [SEOUL, TOKYO]) {
      const nodeClasses = objectsIn(result, `${cluster}/platform`).filter((object) => object.kind === 'EC2NodeClass');
      expect(nodeClasses.length, cluster).toBeGreaterThan(0);
      for (const nodeClass of nodeClasses)
        expect(nodeClass.spec.subnetSelectorTerms, cluster).toEqual([{ tags: { 'karpenter.sh/discovery': cluster } }]);
      const controller = JSON.stringify(objectsIn(result, `${cluster}/karpenter`));
      expect(controller).toContain(`"interruptionQueue":"${cluster}-karpenter"`);
      expect(controller).toContain(`role/KarpenterController-${cluster}`);
      expect(controller).toContain(`"clusterName":"${cluster}"`);
    }
    // The pod templates name the cluster's region, and the job documents the cluster's artifacts.
    expect(result.files.get(`${TOKYO}/artifacts/tenants/ml/job-template.json`)).toContain(
      `/emr-eks-gitops/${TOKYO}/tenants/ml/pod-templates/driver.yaml`,
    );
    expect(result.files.get(`${TOKYO}/artifacts/tenants/app-dev/pod-templates/driver.yaml`)).not.toContain(
      'ap-northeast-2',
    );
  });

  it('passes every rule, cluster by cluster, the ApplicationSet against its CRD schema; a broken ApplicationSet does not', () => {
    expect(errorsOf(config, result)).toEqual([]);
    const objects = result.objects.map((entry) =>
      entry.path.startsWith('argocd/applicationset-')
        ? {
            ...entry,
            object: {
              ...entry.object,
              spec: {
                ...(entry.object as any).spec,
                strategy: { type: 'RollingSync', rollingSync: { steps: [{ matchLabels: {} }] } },
              },
            },
          }
        : entry,
    );
    const broken = errorsOf(config, { ...result, objects, clusters: result.clusters });
    // matchLabels is no field of a RollingSync step (its selector is matchExpressions): the CRD's schema says so.
    expect(broken.map((finding) => `${finding.rule} ${finding.location.path}`)).toEqual([
      'unknown-field argocd/applicationset-emr-eks-gitops-global-clusters.yaml',
    ]);
  });

  it("wires only folders that exist: the ApplicationSet's elements and each cluster's layer Applications, aimed at that cluster", () => {
    const [applicationSet] = objectsIn(result, 'argocd').filter((object) => object.kind === 'ApplicationSet');
    const elements = applicationSet.spec.generators[0].list.elements as { cluster: string; path: string }[];
    expect(elements.map((element) => element.cluster)).toEqual([SEOUL, TOKYO]);
    for (const { cluster, path } of elements) {
      expect(result.files.has(`${path.replace('dist-manifests/global/', '')}/kustomization.yaml`), path).toBe(true);
      const layers = objectsIn(result, `${cluster}/argocd`);
      expect(layers.map((layer) => layer.metadata.name)).toContain(`emr-eks-gitops-global-${cluster}-tenants`);
      for (const layer of layers) {
        expect(layer.spec.destination.name, layer.metadata.name).toBe(cluster);
        expect(layer.spec.destination.server, layer.metadata.name).toBeUndefined();
        if (layer.spec.source.path !== '.')
          expect(
            result.files.has(`${layer.spec.source.path.replace('dist-manifests/global/', '')}/kustomization.yaml`),
            layer.spec.source.path,
          ).toBe(true);
      }
      // The root comes from the ApplicationSet, not from the cluster's own folder.
      expect(layers.some((layer) => layer.metadata.name === `emr-eks-gitops-global-${cluster}`)).toBe(false);
    }
    // One Argo CD holds every cluster's Applications (layers and add-ons): no two share a name, each names its cluster.
    for (const cluster of [SEOUL, TOKYO]) {
      for (const application of objectsIn(result, cluster).filter((object) => object.kind === 'Application')) {
        expect(
          application.metadata.name.startsWith(`emr-eks-gitops-global-${cluster}-`),
          application.metadata.name,
        ).toBe(true);
        expect(application.spec.destination.name, application.metadata.name).toBe(cluster);
      }
    }
    const applications = result.objects
      .filter((entry) => (entry.object as any).kind === 'Application')
      .map((entry) => entry.object.metadata.name);
    expect(new Set(applications).size).toBe(applications.length);
    const root = objectsIn(result, 'argocd').find((object) => object.kind === 'Application');
    expect(result.files.has(`${root.spec.source.path.replace('dist-manifests/global/', '')}/kustomization.yaml`)).toBe(
      true,
    );
  });

  it('syncs the clusters step by step only when asked; otherwise each root syncs itself', () => {
    const [asked] = objectsIn(result, 'argocd').filter((object) => object.kind === 'ApplicationSet');
    expect(asked.spec.strategy.rollingSync.steps.map((step: any) => step.matchExpressions[0].values)).toEqual([
      [SEOUL],
      [TOKYO],
    ]);
    // RollingSync prunes only as the Application's automated.prune says (progressive_sync.go): the policy stays.
    expect(asked.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(asked.spec.template.metadata.labels['emr-eks-gitops.io/cluster']).toBe('{{.cluster}}');
    const plain = renderEnvironment(
      variant((document) => document.deleteIn(['delivery', 'argocd', 'progressiveSync'])),
    );
    const [applicationSet] = objectsIn(plain, 'argocd').filter((object) => object.kind === 'ApplicationSet');
    expect(applicationSet.spec.strategy).toBeUndefined();
    expect(applicationSet.spec.template.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(plain.files.get('README.md')).not.toContain('--enable-progressive-syncs');
    expect(result.files.get('README.md')).toContain('--enable-progressive-syncs');
  });

  it('gives a role one trust policy naming each cluster its tenants run on, the same document on each cluster', () => {
    const trust = (cluster: string, role: string) =>
      result.files.get(`${cluster}/artifacts/platform/emr-access/trust-policies/${role}.json`);
    const ml = JSON.parse(trust(SEOUL, 'emr-global-ml-job-execution')!);
    expect(trust(TOKYO, 'emr-global-ml-job-execution')).toBe(trust(SEOUL, 'emr-global-ml-job-execution'));
    expect(
      ml.Statement.map((statement: any) =>
        statement.Principal.Federated.replace(/^.*oidc-provider\/oidc\.eks\.([a-z0-9-]+)\..*$/, '$1'),
      ),
    ).toEqual(['ap-northeast-2', 'ap-northeast-1']);
    const dataEng = JSON.parse(trust(SEOUL, 'emr-global-data-eng-job-execution')!);
    expect(dataEng.Statement).toHaveLength(1);
    expect(trust(TOKYO, 'emr-global-data-eng-job-execution')).toBeUndefined();
  });

  it('has a README naming the clusters, their tenants and delivery, and one per cluster naming its cluster', () => {
    const readme = result.files.get('README.md')!;
    expect(readme).toContain(
      `| \`${SEOUL}\` | ap-northeast-2 | 610987654321 | 1.31 | aws-auth | app-dev, data-eng, ml |`,
    );
    expect(readme).toContain(`| \`${TOKYO}\` | ap-northeast-1 | 610987654321 | 1.32 | access-entry | app-dev, ml |`);
    expect(readme).toContain(`argocd cluster add <kube-context of ${TOKYO}> --name ${TOKYO}`);
    expect(readme).toContain(`tenant_data_eng ---|"spark-data-eng"| cluster_0`);
    expect(readme).not.toContain(`tenant_data_eng ---|"spark-data-eng"| cluster_1`);
    const tokyo = result.files.get(`${TOKYO}/README.md`)!;
    expect(tokyo.split('\n')[0]).toBe(`# Environment \`global\`, cluster \`${TOKYO}\``);
    expect(tokyo).toContain(`dist-manifests/global/${TOKYO}/artifacts/`);
    expect(tokyo).not.toMatch(/dist-manifests\/global\/(?!spark-global-tokyo)/);
    expect(tokyo).not.toContain('kubectl apply -n argocd -f'); // the ApplicationSet makes this cluster's root
  });
});

describe('global delivered by Flux: one wiring per cluster', () => {
  const config = variant((document) => {
    document.setIn(
      ['delivery'],
      parse(
        '{ engine: flux, repository: { url: "ssh://git@github.com/acme-data/emr-eks-gitops.git", branch: main, secretName: emr-eks-gitops-deploy-key }, interval: 5m }',
      ),
    );
  });
  const result = renderEnvironment(config);

  it("has no ApplicationSet, and each cluster's GitRepository fetches its own folder, whose layers all exist", () => {
    expect(
      [...result.files.keys()].filter((path) => !path.startsWith(`${SEOUL}/`) && !path.startsWith(`${TOKYO}/`)),
    ).toEqual(['README.md']);
    for (const cluster of [SEOUL, TOKYO]) {
      const flux = objectsIn(result, `${cluster}/flux`);
      const source = flux.find((object) => object.kind === 'GitRepository');
      expect(source.spec.ignore).toBe(
        `${[
          '/*',
          '!/dist-manifests/',
          '/dist-manifests/*',
          '!/dist-manifests/global/',
          '/dist-manifests/global/*',
          `!/dist-manifests/global/${cluster}/`,
          `/dist-manifests/global/${cluster}/artifacts/`,
        ].join('\n')}\n`,
      );
      const kustomizations = flux.filter((object) => object.kind === 'Kustomization');
      expect(kustomizations.length).toBeGreaterThan(3);
      for (const kustomization of kustomizations) {
        const path = kustomization.spec.path.replace(/^\.\/dist-manifests\/global\//, '');
        expect(path.startsWith(`${cluster}/`), kustomization.spec.path).toBe(true);
        expect(result.files.has(`${path}/kustomization.yaml`), kustomization.spec.path).toBe(true);
      }
    }
    expect(errorsOf(config, result)).toEqual([]);
    expect(result.files.get('README.md')).toContain(
      `kubectl --context <${TOKYO}> apply -k dist-manifests/global/${TOKYO}/flux`,
    );
  });

  it('checks each cluster on its own, against its own Kubernetes version', () => {
    const units = validationUnits(result, config);
    expect(
      units.map((unit) => [
        unit.objects.every((entry) => entry.path.startsWith(`${units.indexOf(unit) === 0 ? SEOUL : TOKYO}/`)),
        unit.kubernetesVersion,
      ]),
    ).toEqual([
      [true, '1.31'],
      [true, '1.32'],
    ]);
    // A tenant namespace on each cluster: checked together, the isolation rules would see one namespace twice.
    expect(
      units.map(
        (unit) =>
          unit.objects.filter(
            (entry) => (entry.object as any).kind === 'Namespace' && entry.object.metadata.name === 'spark-ml',
          ).length,
      ),
    ).toEqual([1, 1]);
    expect(
      hasErrors(
        units.flatMap((unit) =>
          validateObjects(unit.objects, {
            environment: 'global',
            production: true,
            kubernetesVersion: unit.kubernetesVersion,
          }),
        ),
      ),
    ).toBe(false);
  });
});
