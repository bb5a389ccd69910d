import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentText, renderEnvironment, type EnvironmentFileError } from '../src/index.js';
import { FARGATE_POD_SECURITY_GROUP_RULES } from '@emr-eks-gitops/core';
import { committedEnvironmentText } from './committed-environments.js';
import { problemText } from './render-issues.js';

// Where each tenant's pods run, from the committed environments: a Fargate tenant's pods (EMR's job runner, drivers,
// executors) are taken by exactly one rendered Fargate profile and carry nothing that places them on Karpenter's pools;
// every other tenant's pods by no profile. Profiles are checked against the EKS API's and eksctl's shapes.

const ENVIRONMENTS = ['dev', 'prod', 'staging'];
const schema = JSON.parse(
  readFileSync(new URL('../../core/schemas/eks/fargate-profile.schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addSchema(schema);
const createRequest = ajv.getSchema(`${schema.$id}#/definitions/CreateFargateProfileRequest`)!;
const eksctlConfig = ajv.getSchema(`${schema.$id}#/definitions/EksctlFargateClusterConfig`)!;
const errorsOf = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');

interface Profile {
  fargateProfileName: string;
  selectors: Array<{ namespace: string; labels?: Record<string, string> }>;
}

/** EKS's matching, written independently of the builder: namespace equal, all selector labels on the pod, and a pod naming a profile only matches that one. */
const selects = (profile: Profile, namespace: string, labels: Record<string, string>) =>
  (labels['eks.amazonaws.com/fargate-profile'] ?? profile.fargateProfileName) === profile.fargateProfileName &&
  profile.selectors.some(
    (s) => s.namespace === namespace && Object.entries(s.labels ?? {}).every(([k, v]) => labels[k] === v),
  );

const rendered = ENVIRONMENTS.map((env) => {
  const text = committedEnvironmentText(env);
  const config = loadEnvironmentText(text, `environments/${env}.yaml`).config;
  return { env, config, result: renderEnvironment(config) };
});

describe('Fargate tenants', () => {
  it('at least one committed tenant runs on Fargate', () => {
    expect(
      rendered.flatMap(({ config }) => config.tenants.filter((t) => t.fargate).map((t) => t.name)).length,
    ).toBeGreaterThan(0);
  });

  it.each(rendered.map((r) => [r.env, r] as const))(
    "%s: each tenant's pods are selected by exactly one profile (Fargate) or none (Karpenter)",
    (_, { config, result }) => {
      const profiles = [...result.files]
        .filter(([path]) => path.startsWith('artifacts/platform/fargate/profiles/'))
        .map(([, content]) => JSON.parse(content) as Profile);
      for (const tenant of config.tenants.filter((t) => !t.retired)) {
        const template = (role: string) =>
          parse(result.files.get(`artifacts/tenants/${tenant.name}/pod-templates/${role}.yaml`)!);
        const driver = template('driver');
        const executor = template('executor');
        // The job runner's pod carries no label of ours: it is matched by namespace alone.
        const overrides = JSON.parse(
          result.files.get(`artifacts/tenants/${tenant.name}/configuration-overrides.json`)!,
        );
        const submitter = overrides.applicationConfiguration.find(
          (c: { classification: string }) => c.classification === 'emr-job-submitter',
        );
        // The job runner's labels are its classification's jobsubmitter.label.* (the tenant's cost labels).
        const jobRunnerLabels = Object.fromEntries(
          Object.entries<string>(submitter?.properties ?? {})
            .filter(([key]) => key.startsWith('jobsubmitter.label.'))
            .map(([key, value]) => [key.slice('jobsubmitter.label.'.length), value]),
        );
        const pods = [
          { role: 'job runner', labels: jobRunnerLabels },
          { role: 'driver', labels: driver.metadata.labels ?? {} },
          { role: 'executor', labels: executor.metadata.labels ?? {} },
        ];
        for (const pod of pods) {
          const selecting = profiles
            .filter((p) => selects(p, tenant.namespace, pod.labels))
            .map((p) => p.fargateProfileName);
          expect(selecting, `${tenant.name} ${pod.role}`).toEqual(
            tenant.fargate ? [tenant.fargate.profile ?? `spark-${tenant.name}`] : [],
          );
        }
        if (tenant.fargate) {
          // Nothing sends them to a NodePool: no node selector, toleration or job-submitter placement, no volume to provision.
          for (const pod of [driver, executor]) {
            expect(pod.spec.nodeSelector).toBeUndefined();
            expect(pod.spec.tolerations).toBeUndefined();
            expect(pod.spec.volumes.every((v: Record<string, unknown>) => v.emptyDir !== undefined)).toBe(true);
            expect(pod.spec.containers[0].resources.requests['ephemeral-storage']).toBe(
              tenant.spark?.localDiskSize ?? '20Gi',
            );
          }
          expect(Object.keys(submitter.properties).filter((key) => !key.startsWith('jobsubmitter.label.'))).toEqual([]);
          const namespace = parse(result.files.get(`tenants/${tenant.name}/namespace-${tenant.namespace}.yaml`)!);
          expect(namespace.metadata.annotations['emr-eks-gitops.io/fargate-profile']).toBe(
            tenant.fargate.profile ?? `spark-${tenant.name}`,
          );
        } else {
          // Karpenter tenants are placed on the pools by node selector, and their job runner with it.
          expect(Object.keys(driver.spec.nodeSelector).length).toBeGreaterThan(0);
          expect(submitter).toBeDefined();
        }
      }
    },
  );

  it.each(rendered.map((r) => [r.env, r] as const))(
    '%s: the profile documents are valid CreateFargateProfile requests and eksctl ClusterConfig, and say the same',
    (_, { config, result }) => {
      const requests = [...result.files]
        .filter(([path]) => path.startsWith('artifacts/platform/fargate/profiles/'))
        .map(([, content]) => JSON.parse(content));
      const eksctl = result.files.get('artifacts/platform/fargate/eksctl-cluster-config.yaml');
      if (!config.tenants.some((t) => t.fargate)) {
        expect(requests).toEqual([]);
        expect(eksctl).toBeUndefined();
        return;
      }
      for (const request of requests) expect(createRequest(request), errorsOf(createRequest.errors)).toBe(true);
      const cluster = parse(eksctl!);
      expect(eksctlConfig(cluster), errorsOf(eksctlConfig.errors)).toBe(true);
      expect(cluster.metadata).toEqual({ name: config.cluster.name, region: config.cluster.region });
      expect(
        cluster.fargateProfiles.map((p: Record<string, unknown>) => ({
          fargateProfileName: p.name,
          clusterName: config.cluster.name,
          podExecutionRoleArn: p.podExecutionRoleARN,
          subnets: p.subnets,
          selectors: p.selectors,
          tags: p.tags,
        })),
      ).toEqual(requests);
    },
  );

  it('the schema refuses what EKS refuses (spot checks)', () => {
    const valid = {
      fargateProfileName: 'spark-reporting',
      clusterName: 'c',
      podExecutionRoleArn: 'arn:aws:iam::123456789012:role/r',
      subnets: ['subnet-0a1b2c3d'],
      selectors: [{ namespace: 'a' }],
    };
    expect(createRequest(valid)).toBe(true);
    expect(
      createRequest({ ...valid, selectors: ['a', 'b', 'c', 'd', 'e', 'f'].map((namespace) => ({ namespace })) }),
    ).toBe(false);
    expect(createRequest({ ...valid, selectors: [{ labels: { a: 'b' } }] })).toBe(false);
    expect(createRequest({ ...valid, podExecutionRoleARN: valid.podExecutionRoleArn })).toBe(false);
  });

  it('tenants sharing a profile must agree on its role and subnets, and no profile name starts with eks-', () => {
    const text = committedEnvironmentText('staging');
    const block = text.slice(text.indexOf('  - name: reporting')).replace(/\n+$/, '\n');
    const second = block
      .replace('name: reporting', 'name: reporting-eu')
      .replace('namespace: spark-reporting', 'namespace: spark-reporting-eu')
      .replace(
        '      securityGroupIds:',
        '      profile: spark-reporting\n      subnets: [subnet-0c3d4e5f60718293a]\n      securityGroupIds:',
      );
    const third = block
      .replace('name: reporting', 'name: reporting-x')
      .replace('namespace: spark-reporting', 'namespace: spark-reporting-x')
      .replace('      securityGroupIds:', '      profile: eks-reporting\n      securityGroupIds:');
    const problems = (() => {
      try {
        loadEnvironmentText(`${text.replace(/\n+$/, '\n')}\n${second}\n${third}`, 'environments/staging.yaml');
      } catch (error) {
        return (error as EnvironmentFileError).problems.map(problemText);
      }
      return [];
    })();
    expect(problems).toEqual([
      'tenants[4].fargate.profile: profile "spark-reporting" is shared with tenants[3], which gives it another pod execution role or other subnets: one profile has one role and one set of subnets; use the same settings or another profile name [fargate-profile]',
      'tenants[5].fargate.profile: profile name "eks-reporting" starts with "eks-", which EKS keeps for its own profiles; choose another name [fargate-profile]',
    ]);
  });

  it('a Fargate tenant with security groups gets a SecurityGroupPolicy for every pod; without them a located warning says its pods are not isolated', () => {
    const staging = rendered.find((r) => r.env === 'staging')!;
    const policy = parse(staging.result.files.get('tenants/reporting/securitygrouppolicy-pod-security-groups.yaml')!);
    expect(policy.spec).toEqual({ podSelector: {}, securityGroups: { groupIds: ['sg-0f1e2d3c4b5a69788'] } });
    expect(staging.result.warnings.filter((w) => w.rule === 'fargate-network-isolation')).toEqual([]);
    const text = committedEnvironmentText('staging').replace(
      / {4}fargate: .*\n {6}securityGroupIds: \[sg-0f1e2d3c4b5a69788\].*\n/,
      '    fargate: {}\n',
    );
    const result = renderEnvironment(loadEnvironmentText(text, 'environments/staging.yaml').config);
    expect([...result.files.keys()].some((path) => path.includes('securitygrouppolicy'))).toBe(false);
    expect(result.warnings.filter((w) => w.rule === 'fargate-network-isolation').map((w) => w.location.path)).toEqual([
      ['tenants', 3, 'fargate'],
    ]);
  });

  // EKS user guide, "Security groups for Pods": with Fargate the groups must let the control plane reach the pods.
  it("the README gives the pod security groups the control plane's kubelet port 10250, and the cluster security group admits them", () => {
    const readme = rendered.find((r) => r.env === 'staging')!.result.files.get('README.md')!;
    const commands = readme.split('\n').filter((line) => line.startsWith('aws ec2 authorize-security-group-'));
    expect(commands).toContain(
      'aws ec2 authorize-security-group-ingress --group-id sg-0f1e2d3c4b5a69788 --ip-permissions "IpProtocol=tcp,FromPort=10250,ToPort=10250,UserIdGroupPairs=[{GroupId=$CLUSTER_SG}]"  # the API server reaches the kubelet (kubectl logs, exec, port-forward)',
    );
    expect(commands).toContain(
      'aws ec2 authorize-security-group-ingress --group-id $CLUSTER_SG --ip-permissions "IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-0f1e2d3c4b5a69788}]"  # the API server admits the pods\' kubelet and driver',
    );
    expect(commands).toHaveLength(FARGATE_POD_SECURITY_GROUP_RULES.length);
    expect(readme).toContain('CLUSTER_SG=$(aws eks describe-cluster --name ');
    // Every rule toward the cluster security group on DNS covers both protocols CoreDNS serves.
    expect(
      commands
        .filter((c) => c.includes('FromPort=53'))
        .map((c) => /IpProtocol=(\w+)/.exec(c)![1])
        .sort(),
    ).toEqual(['tcp', 'tcp', 'udp', 'udp']);
  });
});
