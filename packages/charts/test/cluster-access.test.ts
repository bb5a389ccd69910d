import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { awsRequestProblems } from '@emr-eks-gitops/core';
import { loadEnvironmentText, renderEnvironment, type RenderResult } from '../src/index.js';
import { committedEnvironmentText as environmentText } from './committed-environments.js';

// The documents that let EMR and the Spark nodes into each cluster, and the README steps that use them.

const load = (name: string, edit: (text: string) => string = (t) => t) =>
  loadEnvironmentText(edit(environmentText(name)), `environments/${name}.yaml`).config;
const renders = Object.fromEntries(
  ['dev', 'staging', 'prod', 'sandbox'].map((name) => [name, renderEnvironment(load(name))]),
) as Record<string, RenderResult>;
const FOLDER = 'artifacts/platform/cluster-access/';
const outsideGit = (result: RenderResult) => {
  const readme = result.files.get('README.md')!;
  const start = readme.indexOf('## Outside Git');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
};

describe('cluster access documents and the README steps that use them', () => {
  it.each([
    ['prod', 'self-managed Karpenter, aws-auth', ['eksctl-iam-identity-mappings.yaml']],
    ['dev', 'self-managed Karpenter, access entries', ['node-access-entry.json']],
    ['staging', 'self-managed Karpenter, access entries', ['node-access-entry.json']],
    ['sandbox', 'EKS Auto Mode, access entries', ['node-access-entry.json', 'node-access-policy.json']],
  ])('%s (%s) renders %j, each named in a step with the command that reads it', (name, _, files) => {
    const result = renders[name]!;
    expect(
      [...result.files.keys()].filter((path) => path.startsWith(FOLDER)).map((path) => path.slice(FOLDER.length)),
    ).toEqual(files);
    const section = outsideGit(result);
    const command: Record<string, string> = {
      'eksctl-iam-identity-mappings.yaml': `eksctl create iamidentitymapping -f dist-manifests/${name}/${FOLDER}eksctl-iam-identity-mappings.yaml`,
      'node-access-entry.json': `aws eks create-access-entry --cli-input-json file://dist-manifests/${name}/${FOLDER}node-access-entry.json`,
      'node-access-policy.json': `aws eks associate-access-policy --cli-input-json file://dist-manifests/${name}/${FOLDER}node-access-policy.json`,
    };
    for (const file of files) expect(section).toContain(command[file]);
    // Steps are numbered 1, 2, 3, ... with none missing.
    const numbers = [...section.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(section).toContain('emr-gitops emr apply');
  });

  it('every document fits the shape of the tool that reads it', () => {
    const shapes = {
      'eksctl-iam-identity-mappings.yaml': 'EksctlIamIdentityMappingsClusterConfig',
      'node-access-entry.json': 'CreateAccessEntryRequest',
      'node-access-policy.json': 'AssociateAccessPolicyRequest',
    } as const;
    let checked = 0;
    for (const result of Object.values(renders)) {
      for (const [path, text] of result.files) {
        if (!path.startsWith(FOLDER)) continue;
        const shape = shapes[path.slice(FOLDER.length) as keyof typeof shapes];
        expect(awsRequestProblems(shape, path.endsWith('.json') ? JSON.parse(text) : parse(text)), path).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(5);
  });

  it('aws-auth: the lines the README gives for data.mapRoles are the eksctl mappings, as the string aws-auth holds', () => {
    const result = renders.prod!;
    const section = outsideGit(result);
    const block = /```yaml\n([\s\S]*?)\n {3}```/
      .exec(section)![1]!
      .split('\n')
      .map((line) => line.slice(3))
      .join('\n');
    const mappings = parse(result.files.get(`${FOLDER}eksctl-iam-identity-mappings.yaml`)!)
      .iamIdentityMappings as Array<Record<string, unknown>>;
    expect(parse(block)).toEqual(
      mappings.map(({ arn, username, groups }) => ({ rolearn: arn, username, ...(groups ? { groups } : {}) })),
    );
    expect(section).toContain('Never apply a ConfigMap or a patch with only these lines');
  });

  it('aws-auth on Auto Mode: EMR in aws-auth, the nodes by access entry, in API_AND_CONFIG_MAP', () => {
    const result = renderEnvironment(
      load('sandbox', (t) => t.replace('emrAccess: access-entry', 'emrAccess: aws-auth')),
    );
    const mappings = parse(result.files.get(`${FOLDER}eksctl-iam-identity-mappings.yaml`)!).iamIdentityMappings;
    expect(mappings.map((m: { username: string }) => m.username)).toEqual(['emr-containers']);
    expect(JSON.parse(result.files.get(`${FOLDER}node-access-entry.json`)!).type).toBe('EC2');
    expect(outsideGit(result)).toContain("the cluster's `authenticationMode` must be `API_AND_CONFIG_MAP`;");
  });
});
