import { readFileSync } from 'node:fs';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  EnvironmentFileError,
  RenderError,
  formatProblem,
  loadEnvironmentText,
  renderEnvironment,
} from '../src/index.js';

// The rules of clusters: and tenants[].clusters, each refusal at the file, line and path that holds the value.

const TEXT = readFileSync(new URL('../../../environments/global.yaml', import.meta.url), 'utf8');

/** The problems of global.yaml with `edit` applied, formatted as the CLI prints them. */
function problems(edit: (document: ReturnType<typeof parseDocument>) => void): string[] {
  const document = parseDocument(TEXT);
  edit(document);
  const text = document.toString();
  try {
    loadEnvironmentText(text, 'environments/global.yaml');
  } catch (error) {
    if (error instanceof EnvironmentFileError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

/** The rule ids global.yaml's problems report with `edit` applied (the text output does not print these ids). */
function rules(edit: (document: ReturnType<typeof parseDocument>) => void): string[] {
  const document = parseDocument(TEXT);
  edit(document);
  try {
    loadEnvironmentText(document.toString(), 'environments/global.yaml');
  } catch (error) {
    if (error instanceof EnvironmentFileError)
      return [...new Set(error.problems.map((problem) => problem.rule))].sort();
    throw error;
  }
  throw new Error('expected the file to be refused');
}

/** `environments/global.yaml:<line>:<column>` of the value at `path` once `edit` is applied. */
function at(edit: (document: ReturnType<typeof parseDocument>) => void, path: (string | number)[]): string {
  const document = parseDocument(TEXT);
  edit(document);
  const reparsed = parseDocument(document.toString(), { keepSourceTokens: true });
  const node = reparsed.getIn(path, true) as { range: [number, number, number] };
  const text = document.toString().slice(0, node.range[0]);
  const line = text.split('\n').length;
  return `environments/global.yaml:${line}:${node.range[0] - text.lastIndexOf('\n')}`;
}

describe('the clusters of an environment, refused where they are written', () => {
  it('a tenant placed on a cluster the environment does not have', () => {
    const edit = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(['tenants', 1, 'clusters'], parse('[spark-global-osaka]'));
    expect(problems(edit)).toEqual([
      `${at(edit, ['tenants', 1, 'clusters', 0])}: tenants[1].clusters[0]: unknown cluster "spark-global-osaka"; clusters of this environment: spark-global-seoul, spark-global-tokyo`,
    ]);
  });

  it('two clusters of one name', () => {
    const edit = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(['clusters', 1, 'name'], 'spark-global-seoul');
    expect(problems(edit)).toContain(
      `${at(edit, ['clusters', 1, 'name'])}: clusters[1].name: the cluster name "spark-global-seoul" is also clusters[0]'s: each cluster renders into dist-manifests/<env>/<name>/ and registers its tenants under its name; give each its own`,
    );
  });

  it('an OIDC issuer of another region', () => {
    const edit = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(
        ['clusters', 1, 'oidcIssuer'],
        'https://oidc.eks.ap-northeast-2.amazonaws.com/id/9B2D4F6A8C0E1B3D5F7A9C2E4B6D8F0A',
      );
    expect(problems(edit)).toEqual([
      `${at(edit, ['clusters', 1, 'oidcIssuer'])}: clusters[1].oidcIssuer: the issuer is of region ap-northeast-2, the cluster is in ap-northeast-1: copy it from aws eks describe-cluster --name spark-global-tokyo --region ap-northeast-1 --query cluster.identity.oidc.issuer`,
    ]);
  });

  it('a cluster in the account and region of another (their job templates would collide)', () => {
    const edit = (document: ReturnType<typeof parseDocument>) => {
      document.setIn(['clusters', 1, 'region'], 'ap-northeast-2');
      document.setIn(
        ['clusters', 1, 'oidcIssuer'],
        'https://oidc.eks.ap-northeast-2.amazonaws.com/id/9B2D4F6A8C0E1B3D5F7A9C2E4B6D8F0A',
      );
    };
    const found = problems(edit);
    expect(
      found.some((problem) =>
        problem.startsWith(
          `${at(edit, ['clusters', 1, 'region'])}: clusters[1].region: clusters[0] is in the same account and region (610987654321, ap-northeast-2)`,
        ),
      ),
    ).toBe(true);
  });

  it('a controller role of another account, and (the TLS rule, on each cluster) a certificate of another region, on the cluster that inherits them', () => {
    const role = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(
        ['clusters', 1, 'capacity', 'controller', 'roleArn'],
        'arn:aws:iam::999999999999:role/KarpenterController-spark-global-tokyo',
      );
    expect(problems(role)).toEqual([
      `${at(role, ['clusters', 1, 'capacity', 'controller', 'roleArn'])}: clusters[1].capacity.controller.roleArn: on cluster spark-global-tokyo the Karpenter controller's role is of account 999999999999, the cluster is in account 610987654321: its IRSA trust names this cluster's OIDC provider, which lives in the cluster's account; set clusters[].capacity.controller.roleArn`,
    ]);
    // Without Tokyo's own certificate, Seoul's (in the environment's addons) would be used there: located at Seoul's.
    const certificate = (document: ReturnType<typeof parseDocument>) => document.deleteIn(['clusters', 1, 'addons']);
    expect(problems(certificate)).toEqual([
      `${at(certificate, ['addons', 'jupyterhub', 'tls', 'certificateArn'])}: addons.jupyterhub.tls.certificateArn: on cluster spark-global-tokyo: is a certificate of region ap-northeast-2, not the cluster's ap-northeast-1: a load balancer can use only ACM certificates of its own account and region, so the controller cannot create the TLS listener; request (or import) the certificate in 610987654321 ap-northeast-1 [jupyterhub-tls-certificate]`,
    ]);
  });

  it('cluster: beside clusters:, neither of them, and placements or rollout steps without clusters:', () => {
    const both = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(['cluster'], document.getIn(['clusters', 0]));
    expect(problems(both)).toContain(
      `${at(both, ['clusters'])}: clusters: cluster: and clusters: cannot both be set: cluster: is the one EKS cluster of an environment, clusters: lists them when it spans several; move cluster: into clusters:`,
    );
    const single = (document: ReturnType<typeof parseDocument>) => {
      const seoul = (document.getIn(['clusters', 0]) as { toJSON(): Record<string, unknown> }).toJSON();
      document.delete('clusters');
      document.set('cluster', seoul);
    };
    const found = problems(single);
    expect(found).toContain(
      `${at(single, ['tenants', 1, 'clusters'])}: tenants[1].clusters: applies only to an environment with clusters:; this one has the one cluster of cluster:`,
    );
    expect(found).toContain(
      `${at(single, ['delivery', 'argocd', 'progressiveSync'])}: delivery.argocd.progressiveSync: applies only to an environment with clusters: (it orders the clusters an ApplicationSet syncs)`,
    );
    const neither = (document: ReturnType<typeof parseDocument>) => document.delete('clusters');
    expect(
      problems(neither).some((problem) =>
        problem.includes('cluster: required field is missing: cluster (the EKS cluster of this environment'),
      ),
    ).toBe(true);
  });

  it('rollout steps that leave a cluster out, name an unknown one, or name one twice', () => {
    const edit = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(
        ['delivery', 'argocd', 'progressiveSync', 'steps'],
        parse('[[spark-global-seoul], [spark-global-seoul, spark-global-osaka]]'),
      );
    expect(problems(edit).sort()).toEqual(
      [
        `${at(edit, ['delivery', 'argocd', 'progressiveSync', 'steps'])}: delivery.argocd.progressiveSync.steps: every cluster needs a step, these have none: spark-global-tokyo (an Application no step selects is never synced by RollingSync)`,
        `${at(edit, ['delivery', 'argocd', 'progressiveSync', 'steps', 0, 0])}: delivery.argocd.progressiveSync.steps[0][0]: cluster spark-global-seoul is in more than one step; each cluster syncs in exactly one`,
        `${at(edit, ['delivery', 'argocd', 'progressiveSync', 'steps', 1, 0])}: delivery.argocd.progressiveSync.steps[1][0]: cluster spark-global-seoul is in more than one step; each cluster syncs in exactly one`,
        `${at(edit, ['delivery', 'argocd', 'progressiveSync', 'steps', 1, 1])}: delivery.argocd.progressiveSync.steps[1][1]: unknown cluster "spark-global-osaka"; clusters of this environment: spark-global-seoul, spark-global-tokyo`,
      ].sort(),
    );
  });

  it('a single-cluster rule broken on one cluster only: said for that cluster, at the override that breaks it', () => {
    const edit = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(['clusters', 1, 'kubernetesVersion'], '1.22');
    const found = problems(edit);
    expect(
      found.some((problem) =>
        problem.startsWith(
          `${at(edit, ['clusters', 1, 'kubernetesVersion'])}: clusters[1].kubernetesVersion: on cluster spark-global-tokyo: `,
        ),
      ),
    ).toBe(true);
    expect(found.some((problem) => problem.includes('on cluster spark-global-seoul'))).toBe(false);
    // A tenant's problem on every cluster it runs on is said once, naming them.
    const tenant = (document: ReturnType<typeof parseDocument>) =>
      document.setIn(['tenants', 2, 'releaseLabel'], 'emr-6.2.0-latest');
    expect(problems(tenant)).toEqual([
      `${at(tenant, ['tenants', 2, 'releaseLabel'])}: tenants[2].releaseLabel: on clusters spark-global-seoul, spark-global-tokyo: emr-6.2.0-latest cannot use pod templates, which this platform relies on for placement; use emr-6.3.0 or later`,
    ]);
  });

  it('each refusal is a Diagnostic of its catalogued rule', () => {
    expect(rules((document) => document.setIn(['tenants', 1, 'clusters'], parse('[spark-global-osaka]')))).toEqual([
      'fleet-placement',
    ]);
    expect(rules((document) => document.setIn(['clusters', 1, 'name'], 'spark-global-seoul'))).toContain(
      'fleet-cluster-unique',
    );
    expect(
      rules((document) =>
        document.setIn(
          ['clusters', 1, 'oidcIssuer'],
          'https://oidc.eks.ap-northeast-2.amazonaws.com/id/9B2D4F6A8C0E1B3D5F7A9C2E4B6D8F0A',
        ),
      ),
    ).toEqual(['fleet-region']);
    expect(rules((document) => document.setIn(['cluster'], document.getIn(['clusters', 0])))).toContain(
      'fleet-settings',
    );
    expect(
      rules((document) =>
        document.setIn(['delivery', 'argocd', 'progressiveSync', 'steps'], parse('[[spark-global-seoul]]')),
      ),
    ).toEqual(['fleet-progressive-sync']);
    expect(rules((document) => document.delete('clusters'))).toContain('config-schema');
    // A single-cluster rule on one cluster's view keeps its own id.
    expect(rules((document) => document.setIn(['tenants', 2, 'releaseLabel'], 'emr-6.2.0-latest'))).toEqual([
      'release-pod-templates',
    ]);
  });

  it('a value a builder refuses on one cluster is located in the file, naming the cluster', () => {
    const document = parseDocument(TEXT);
    document.setIn(['clusters', 1, 'capacity', 'limits', 'driver', 'cpu'], '1');
    const config = loadEnvironmentText(document.toString(), 'environments/global.yaml').config;
    let refused: RenderError | undefined;
    try {
      renderEnvironment(config);
    } catch (error) {
      if (error instanceof RenderError) refused = error;
      else throw error;
    }
    expect(refused?.issues.length).toBeGreaterThan(0);
    for (const issue of refused!.issues) {
      expect(issue.message).toMatch(/^on cluster spark-global-tokyo: /);
      expect(
        issue.location.path[0] === 'clusters' || issue.location.path[0] === 'tenants',
        issue.location.path.join('.'),
      ).toBe(true);
    }
  });
});
