import { describe, expect, it } from 'vitest';
import { loadEnvironmentText, renderEnvironment, type EnvironmentConfig } from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

/**
 * The environment README's "Artifacts" section is what tells a person which documents to take to EMR, IAM and EKS:
 * every file rendered under artifacts/ must be named there, by its folder and its file name (or a placeholder for both).
 */

const load = (name: string) => loadEnvironmentText(environmentText(name), `environments/${name}.yaml`).config;

/** How the README names an artifact: per-tenant, per-class and per-role names become placeholders. */
function named(path: string, config: EnvironmentConfig): { folder: string; file?: string } {
  const rest = path.replace(/^artifacts\//, '');
  const tenant = config.tenants.find((t) => rest.startsWith(`tenants/${t.name}/`));
  if (tenant) {
    const inTenant = rest.slice(`tenants/${tenant.name}/`.length);
    if (inTenant.startsWith('classes/')) return { folder: 'tenants/<tenant>/classes/<class>/' };
    if (inTenant.startsWith('single-zone/')) return { folder: 'tenants/<tenant>/single-zone/' };
    return { folder: 'tenants/<tenant>/', file: inTenant.split('/').at(-1)! };
  }
  if (rest.startsWith('platform/emr-access/trust-policies/'))
    return { folder: 'platform/emr-access/', file: 'trust-policies/<role>.json' };
  if (rest.startsWith('platform/fargate/')) return { folder: 'platform/fargate/' };
  if (rest.startsWith('platform/pod-identity/associations/'))
    return { folder: 'platform/pod-identity/', file: 'associations/<namespace>/<account>.json' };
  if (rest.startsWith('iam/') && !rest.endsWith('/managed-policy-attachments.json'))
    return { folder: 'iam/', file: '<role>.json' };
  const slash = rest.lastIndexOf('/');
  return { folder: rest.slice(0, slash + 1), file: rest.slice(slash + 1) };
}

function artifactsSection(readme: string): string {
  const start = readme.indexOf('## Artifacts (not applied)');
  expect(start).toBeGreaterThanOrEqual(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

const devWithoutDelivery = () => {
  const dev = load('dev');
  // Without delivery nothing installs charts: the Karpenter controller's and Prometheus' values become artifacts.
  return { ...dev, delivery: undefined, addons: { prometheus: dev.addons!.prometheus } };
};

const cases: [string, () => EnvironmentConfig][] = [
  ...['dev', 'prod', 'sandbox', 'staging'].map((name): [string, () => EnvironmentConfig] => [name, () => load(name)]),
  ['dev without delivery', devWithoutDelivery],
];

describe.each(cases)('the Artifacts section of %s', (_name, config) => {
  it('names the folder and file of every artifact', () => {
    const env = config();
    const files = renderEnvironment(env).files;
    const section = artifactsSection(files.get('README.md')!);
    const artifacts = [...files.keys()].filter((path) => path.startsWith('artifacts/'));
    expect(artifacts.length).toBeGreaterThan(5);
    const missing = artifacts.filter((path) => {
      const { folder, file } = named(path, env);
      // A folder is named as itself or as the start of a longer path (`platform/karpenter/controller-values.yaml`).
      return !section.includes(`\`${folder}`) || (file !== undefined && !section.includes(file));
    });
    expect(missing).toEqual([]);
  });
});

describe('the Artifacts section names only what is rendered', () => {
  it('controller values and Prometheus values appear exactly when they are artifacts', () => {
    const without = renderEnvironment(devWithoutDelivery()).files;
    const dev = renderEnvironment(load('dev')).files;
    expect(without.has('artifacts/platform/karpenter/controller-values.yaml')).toBe(true);
    expect(artifactsSection(without.get('README.md')!)).toContain('`platform/karpenter/controller-values.yaml`');
    expect(artifactsSection(without.get('README.md')!)).toContain('`addons/prometheus/values.yaml`');
    expect(dev.has('artifacts/platform/karpenter/controller-values.yaml')).toBe(false);
    expect(artifactsSection(dev.get('README.md')!)).not.toContain('controller-values.yaml');
    expect(artifactsSection(dev.get('README.md')!)).not.toContain('addons/prometheus/values.yaml');
    expect(artifactsSection(dev.get('README.md')!)).not.toContain('platform/fargate/');
  });
});
