import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compiledValidators, sourceAjv, validatorFingerprint, type ValidatorSource } from '@emr-eks-gitops/core';
import { committedEnvironmentText } from './committed-environments.js';
// The sources the build compiles, as scripts/compile-validators.mjs lists them (from the built modules).
import { validatorSources } from '../../../scripts/validator-sources.mjs';

/**
 * Every JSON-schema validator the build compiles into JavaScript (ajv's standalone code, so that a process does not
 * compile it again) must be the validator ajv compiles from the same source: same verdicts, same errors (the messages
 * users read are made from them), and it must be in the build, or every run would compile it after all.
 */

const sources = validatorSources();
const fileName = (source: ValidatorSource) => basename(fileURLToPath(source.file));
const repository = new URL('../../../', import.meta.url);
const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as unknown;

/** The committed dist-manifests' files whose name matches, parsed (JSON or YAML). */
function committedArtifacts(match: RegExp): unknown[] {
  const root = new URL('dist-manifests/', repository);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => match.test(path))
    .sort()
    .map((path) => parse(readFileSync(new URL(path, root), 'utf8')) as unknown);
}

/** The committed dist-manifests' objects of a kind. */
function committedObjects(kind: string): unknown[] {
  const root = new URL('dist-manifests/', repository);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.yaml'))
    .sort()
    .map((path) => parse(readFileSync(new URL(path, root), 'utf8')) as { kind?: string } | null)
    .filter((object) => object?.kind === kind);
}

/** Real documents each validator checks: committed environments, the charts' own defaults, rendered AWS requests. */
function realDocuments(source: ValidatorSource, name: string): unknown[] {
  const file = fileName(source);
  if (file === 'environment.validator.cjs')
    return ['dev', 'staging', 'prod', 'sandbox', 'global'].map((env) => parse(committedEnvironmentText(env)));
  if (file.includes('jupyterhub'))
    return [readJson(new URL('packages/core/schemas/helm/jupyterhub/4.4.0/values.json', repository))];
  if (file.includes('prometheus'))
    return [
      parse(readFileSync(new URL('packages/core/schemas/helm/prometheus/29.27.0/values.yaml', repository), 'utf8')),
    ];
  if (file === 'eks-node-class.validator.cjs') return committedObjects('NodeClass');
  if (file.startsWith('crd-vpcresources')) return committedObjects('SecurityGroupPolicy');
  const artifacts: Record<string, RegExp> = {
    StartJobRunRequest: /start-job-run\.json$/,
    CreateJobTemplateRequest: /job-template\.json$/,
    CreateAccessEntryRequest: /node-access-entry\.json$/,
    AssociateAccessPolicyRequest: /node-access-policy\.json$/,
    CreatePodIdentityAssociationRequest: /pod-identity\/associations\/.+\.json$/,
    CreateAddonRequest: /pod-identity\/.+-addon\.json$/,
    CreateFargateProfileRequest: /fargate\/profiles\/.+\.json$/,
    EksctlFargateClusterConfig: /fargate\/eksctl-cluster-config\.yaml$/,
    EksctlIamIdentityMappingsClusterConfig: /cluster-access\/eksctl-iam-identity-mappings\.yaml$/,
  };
  // No committed environment installs the agent add-on (only self-managed capacity with Pod Identity does): the request
  // as PodIdentityChart writes it.
  if (name === 'CreateAddonRequest')
    return [{ clusterName: 'spark-platform-dev', addonName: 'eks-pod-identity-agent', resolveConflicts: 'OVERWRITE' }];
  return artifacts[name] ? committedArtifacts(artifacts[name]) : [];
}

/** Each document broken once per top-level field (a value of another JSON type), and an empty object. */
function broken(documents: readonly unknown[]): unknown[] {
  const otherType = (value: unknown) =>
    typeof value === 'string'
      ? 7
      : typeof value === 'number' || typeof value === 'boolean'
        ? 'seven'
        : Array.isArray(value)
          ? {}
          : [];
  return [
    {},
    ...documents.flatMap((document) =>
      document && typeof document === 'object' && !Array.isArray(document)
        ? Object.entries(document).map(([key, value]) => ({ ...document, [key]: otherType(value) }))
        : [],
    ),
  ];
}

/** The errors as data: TypeBox's symbol keys on the schemas the verbose errors carry are not in the build's copy. */
const asData = (errors: unknown) => JSON.parse(JSON.stringify(errors ?? null));

describe('validators compiled at build time', () => {
  it("are the environment schema, the charts' values schemas, the AWS request shapes and the vendored CRDs", () => {
    expect(sources.map(fileName)).toEqual([
      'environment.validator.cjs',
      'helm-values-jupyterhub-4.4.0.validator.cjs',
      'helm-values-prometheus-29.27.0.validator.cjs',
      'aws-requests-first-error.validator.cjs',
      'aws-requests-all-errors.validator.cjs',
      'eks-node-class.validator.cjs',
      'crd-vpcresources.k8s.aws-securitygrouppolicy-v1beta1.validator.cjs',
    ]);
  });

  it('are in the build, compiled from the sources the modules state now, and used', () => {
    for (const source of sources) {
      const built = createRequire(import.meta.url)(fileURLToPath(source.file)) as Record<string, unknown>;
      expect(built.fingerprint, fileName(source)).toBe(validatorFingerprint(source));
      const validator = compiledValidators(source);
      for (const name of Object.keys(source.exports)) expect(validator(name), name).toBe(built[name]);
    }
  });

  it('give the verdicts and errors ajv gives compiling the same source, on real documents and broken ones', () => {
    let refused = 0;
    let accepted = 0;
    const withoutRealDocument: string[] = [];
    for (const source of sources) {
      // The build's code itself, whatever its fingerprint, against ajv compiling the source now.
      const built = createRequire(import.meta.url)(fileURLToPath(source.file)) as Record<string, ValidateFunction>;
      const ajv = sourceAjv(source);
      for (const [name, ref] of Object.entries(source.exports)) {
        const compiled = ajv.getSchema(ref)!;
        const fromBuild = built[name]!;
        const real = realDocuments(source, name);
        if (real.length === 0) withoutRealDocument.push(`${fileName(source)} ${name}`);
        for (const document of [...real, ...broken(real)]) {
          const verdict = compiled(document);
          const where = `${fileName(source)} ${name}`;
          expect(fromBuild(document), where).toBe(verdict);
          expect(asData(fromBuild.errors), where).toEqual(asData(compiled.errors));
          if (verdict) accepted++;
          else refused++;
        }
      }
    }
    // Both sides of the validators were exercised, not only their errors, and every validator saw a real document.
    expect(withoutRealDocument).toEqual([]);
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(200);
  });
});
