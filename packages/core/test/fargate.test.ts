import { describe, expect, it } from 'vitest';
import { App, Chart } from 'cdk8s';
import {
  ConfigurationError,
  FARGATE_MAX_EPHEMERAL_REQUEST_GIB,
  FargateProfile,
  PodSecurityGroups,
  SparkPodTemplates,
  eksctlFargateClusterConfig,
  fargatePodSize,
  fargateSparkPlacements,
  fargateProvisionedStorageGiB,
  fargateTenantProblems,
  formatConfigPath,
  type FargateTenantRuntime,
} from '../src/index.js';
import { applied, nodePool, ofRule, run, template } from './validation/fixtures.js';

const profileProps = {
  name: 'spark-reporting',
  clusterName: 'spark-platform',
  podExecutionRoleArn: 'arn:aws:iam::123456789012:role/AmazonEKSFargatePodExecutionRole',
  subnets: ['subnet-0a1b2c3d4e5f60718'],
  selectors: [{ namespace: 'spark-reporting' }],
};

describe('Fargate sizing (EKS user guide: requests + 256 MB, rounded up to a valid combination)', () => {
  it('rounds up to the smallest combination holding both; memory can lift the vCPU count', () => {
    expect(fargatePodSize({ cores: 1, memoryMiB: 2944 })).toMatchObject({ fits: true, vcpu: 1, memoryGiB: 4 });
    expect(fargatePodSize({ cores: 0.1, memoryMiB: 712 })).toMatchObject({ fits: true, vcpu: 0.25, memoryGiB: 1 });
    // The guide's example: 1 vCPU and 8 GB plus 256 MB has no 1 vCPU size, so 2 vCPU / 9 GB.
    expect(fargatePodSize({ cores: 1, memoryMiB: 8192 })).toMatchObject({ fits: true, vcpu: 2, memoryGiB: 9 });
    expect(fargatePodSize({ cores: 16, memoryMiB: 120 * 1024 - 256 })).toMatchObject({
      fits: true,
      vcpu: 16,
      memoryGiB: 120,
    });
    expect(fargatePodSize({ cores: 16, memoryMiB: 120 * 1024 - 255 }).fits).toBe(false);
    expect(fargatePodSize({ cores: 17, memoryMiB: 1024 }).fits).toBe(false);
  });
});

describe('FargateProfile', () => {
  it('renders the create-fargate-profile request and the eksctl form from the same settings', () => {
    const profile = new FargateProfile({ ...profileProps, tags: { team: 'finance' } });
    expect(profile.createRequest()).toEqual({
      fargateProfileName: 'spark-reporting',
      clusterName: 'spark-platform',
      podExecutionRoleArn: profileProps.podExecutionRoleArn,
      subnets: ['subnet-0a1b2c3d4e5f60718'],
      selectors: [{ namespace: 'spark-reporting' }],
      tags: { team: 'finance' },
    });
    expect(eksctlFargateClusterConfig({ name: 'spark-platform', region: 'ap-northeast-2' }, [profile])).toEqual({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'spark-platform', region: 'ap-northeast-2' },
      fargateProfiles: [
        {
          name: 'spark-reporting',
          podExecutionRoleARN: profileProps.podExecutionRoleArn,
          subnets: ['subnet-0a1b2c3d4e5f60718'],
          selectors: [{ namespace: 'spark-reporting' }],
          tags: { team: 'finance' },
        },
      ],
    });
  });

  it('refuses more than 5 selectors, no subnet, a subnet that is not an id, and the eks- prefix, naming the field', () => {
    const refused = (props: Partial<typeof profileProps>) => {
      try {
        new FargateProfile({ ...profileProps, ...props });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as ConfigurationError).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ selectors: ['a', 'b', 'c', 'd', 'e', 'f'].map((namespace) => ({ namespace })) })).toBe(
      'selectors: a Fargate profile has 1 to 5 selectors, got 6; split the namespaces over more profiles',
    );
    expect(refused({ subnets: [] })).toBe('subnets: needs at least one private subnet: Fargate pods get no public IP');
    expect(refused({ subnets: ['10.0.0.0/24'] })).toBe(
      'subnets[0]: "10.0.0.0/24" must be a subnet id, subnet-<8 or 17 hex digits>',
    );
    expect(refused({ name: 'eks-spark' })).toBe('name: "eks-spark" must not start with "eks-"');
  });

  it('selects pods as EKS does: namespace and labels, and a pod naming another profile is not its', () => {
    const profile = new FargateProfile({
      ...profileProps,
      selectors: [{ namespace: 'spark-reporting', labels: { team: 'finance' } }],
    });
    expect(profile.selects('spark-reporting', { team: 'finance', other: 'x' })).toBe(true);
    expect(profile.selects('spark-reporting', {})).toBe(false);
    expect(profile.selects('spark-ml', { team: 'finance' })).toBe(false);
    expect(profile.selects('spark-reporting', { team: 'finance', 'eks.amazonaws.com/fargate-profile': 'other' })).toBe(
      false,
    );
  });
});

describe('Spark pod templates for Fargate', () => {
  const templates = new SparkPodTemplates({
    placements: fargateSparkPlacements('60s'),
    localDisk: { kind: 'ephemeral-storage', size: '40Gi' },
    podLabels: { 'eks.amazonaws.com/fargate-profile': 'spark-reporting' },
  });

  it('carry no node selector, toleration or Karpenter annotation; scratch space is an ephemeral-storage request', () => {
    for (const pod of [templates.driver, templates.executor]) {
      expect(pod.spec!.nodeSelector).toBeUndefined();
      expect(pod.spec!.tolerations).toBeUndefined();
      expect(pod.metadata!.annotations?.['karpenter.sh/do-not-disrupt']).toBeUndefined();
      expect(pod.metadata!.labels).toEqual({ 'eks.amazonaws.com/fargate-profile': 'spark-reporting' });
      expect(pod.spec!.volumes).toEqual([{ name: 'spark-local-dir-1', emptyDir: {} }]);
      expect(pod.spec!.containers[0]!.resources).toEqual({ requests: { 'ephemeral-storage': '40Gi' } });
    }
  });

  it('pass validation with Karpenter pools present (the capacity rules leave them to Fargate)', () => {
    const findings = run([
      applied(
        'platform/nodepool-spark-driver.yaml',
        nodePool('spark-driver', { taints: [{ key: 'spark', value: 'driver', effect: 'NoSchedule' }] }),
      ),
      template(
        'artifacts/tenants/reporting/pod-templates/driver.yaml',
        templates.driver as unknown as Record<string, unknown>,
      ),
      template(
        'artifacts/tenants/reporting/pod-templates/executor.yaml',
        templates.executor as unknown as Record<string, unknown>,
      ),
    ]);
    expect(findings.filter((f) => f.location.path.startsWith('artifacts/'))).toEqual([]);
  });
});

describe('what Fargate cannot run is refused in the rendered objects, at the field', () => {
  it('hostPath, a PVC, a generic ephemeral volume, privileged and hostNetwork in a pod Fargate runs', () => {
    const executor = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { 'eks.amazonaws.com/fargate-profile': 'spark-reporting' } },
      spec: {
        hostNetwork: true,
        containers: [{ name: 'spark-kubernetes-executor', securityContext: { privileged: true } }],
        volumes: [
          { name: 'nvme', hostPath: { path: '/local1' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          {
            name: 'spark-local-dir-1',
            ephemeral: {
              volumeClaimTemplate: {
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: 'gp3',
                  resources: { requests: { storage: '100Gi' } },
                },
              },
            },
          },
        ],
      },
    };
    const findings = ofRule(
      run([template('artifacts/tenants/reporting/pod-templates/executor.yaml', executor)]),
      'fargate-unsupported',
    );
    expect(findings.map((f) => f.location.fieldPath)).toEqual([
      'spec.containers[0].securityContext.privileged',
      'spec.hostNetwork',
      'spec.volumes[0].hostPath',
      'spec.volumes[1].persistentVolumeClaim',
      'spec.volumes[2].ephemeral',
    ]);
    expect(findings.find((f) => f.location.fieldPath === 'spec.volumes[0].hostPath')!.message).toBe(
      'volume "nvme": a hostPath volume reaches the node, and a Fargate pod has no node of its own to reach',
    );
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
  });

  it('a DaemonSet in a namespace a Fargate profile runs never starts: refused', () => {
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'spark-reporting', annotations: { 'emr-eks-gitops.io/fargate-profile': 'spark-reporting' } },
    };
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'log-agent', namespace: 'spark-reporting' },
      spec: {
        selector: { matchLabels: { app: 'log-agent' } },
        template: {
          metadata: { labels: { app: 'log-agent' } },
          spec: { containers: [{ name: 'agent', image: 'fluent/fluent-bit:3.1' }] },
        },
      },
    };
    const findings = ofRule(
      run([
        applied('tenants/reporting/namespace-spark-reporting.yaml', namespace),
        applied('tenants/reporting/daemonset-log-agent.yaml', daemonSet),
      ]),
      'fargate-unsupported',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe(
      'a DaemonSet in namespace spark-reporting, whose pods Fargate runs: Fargate runs no DaemonSets, so it never starts a pod',
    );
  });
});

describe('run-time rules of a Fargate tenant', () => {
  const tenant: FargateTenantRuntime = {
    quota: { cpu: 16, memory: '64Gi', pods: 40, storage: '1Gi' },
    containerDefaults: {
      default: { memory: '1Gi' },
      defaultRequest: { cpu: '0', memory: '512Mi' },
      max: { cpu: '16', memory: '128Gi' },
    },
    jobSize: { driver: { cores: 1, memory: '2g' }, executor: { cores: 2, memory: '6g' } },
    localDisk: { kind: 'ephemeral-storage', size: '40Gi' },
    logs: { cloudWatch: true, s3: false },
    customCode: false,
    serviceAccounts: [],
    egress: { mode: 'allow-all' },
  };

  it('a job that fits has no problem, and no Karpenter rule fires without pools', () => {
    expect(fargateTenantProblems(tenant)).toEqual([]);
  });

  it("an executor past 120 GB after Fargate's sums, scratch past 175 GiB, and a sidecar CPU that lifts the vCPU size", () => {
    const problems = fargateTenantProblems({
      ...tenant,
      quota: { ...tenant.quota, memory: '256Gi' },
      containerDefaults: { ...tenant.containerDefaults, defaultRequest: { cpu: '250m', memory: '512Mi' } },
      jobSize: { ...tenant.jobSize, executor: { cores: 8, memory: '110g' } },
      localDisk: { kind: 'ephemeral-storage', size: '200Gi' },
    });
    expect(problems.map((p) => `${p.rule} ${p.severity} ${formatConfigPath(p.location.path)}`)).toEqual([
      'fargate-pod-size error jobSize.executor.memory',
      'fargate-rounding warning containerDefaults.defaultRequest.cpu',
      'fargate-ephemeral-storage error localDisk',
    ]);
    expect(problems[0]!.message).toBe(
      "one executor pod requests 8.25 cores / 121.5Gi (the Spark container, EMR's logging container and the larger init container), plus the 256 MB Fargate adds for its kubelet: 121.8Gi, more than the largest Fargate pod (16 vCPU / 120 GB); the pod is never scheduled and the job hangs",
    );
    expect(problems[1]!.message).toBe(
      "EMR's logging container takes the LimitRange's default CPU request 0.25, which lifts each driver from 1 vCPU / 4 GB to 2 vCPU / 4 GB on Fargate: the tenant pays for 1 vCPU per driver that Spark never uses",
    );
  });

  // EKS user guide, "Fargate storage": a 100 GiB request provisions 115 GiB (request + 10% + 5 GiB), 175 GiB at most.
  it('scratch space is checked with what Fargate provisions: 154Gi fits (174.4 GiB), 155Gi does not (175.5 GiB)', () => {
    expect(fargateProvisionedStorageGiB(100)).toBe(115);
    expect(FARGATE_MAX_EPHEMERAL_REQUEST_GIB).toBe(154);
    const storage = (size: string) =>
      fargateTenantProblems({ ...tenant, localDisk: { kind: 'ephemeral-storage', size } });
    expect(storage('154Gi')).toEqual([]);
    expect(storage('155Gi').map((p) => `${p.rule} ${formatConfigPath(p.location.path)}`)).toEqual([
      'fargate-ephemeral-storage localDisk',
    ]);
    expect(storage('155Gi')[0]!.message).toBe(
      'the scratch disk asks for 155Gi of ephemeral storage per driver and executor, and Fargate provisions the request plus 10% and 5 GiB for system use: 175.5 GiB, more than a Fargate pod can have (175 GiB in all, 20 GiB included): the pods are never scheduled',
    );
    expect(storage('155Gi')[0]!.hint).toBe(
      'set spark.localDiskSize to at most 154Gi (174.4 GiB provisioned), or run the tenant on Karpenter (remove fargate) for EBS or NVMe scratch space',
    );
    // The old bound, 175Gi, is itself refused: it would need 197.5 GiB.
    expect(storage('175Gi')).toHaveLength(1);
  });
});

describe('PodSecurityGroups (SecurityGroupPolicy)', () => {
  it('gives every pod of the namespace the groups, and refuses what the CRD refuses', () => {
    const chart = new Chart(new App(), 'c');
    const policy = new PodSecurityGroups(chart, 'sg', {
      namespace: 'spark-reporting',
      securityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(policy.apiObject.toJson()).toEqual({
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'pod-security-groups', namespace: 'spark-reporting' },
      spec: { podSelector: {}, securityGroups: { groupIds: ['sg-0123456789abcdef0'] } },
    });
    expect(
      () =>
        new PodSecurityGroups(chart, 'six', {
          namespace: 'a',
          securityGroupIds: ['1', '2', '3', '4', '5', '6'].map((n) => `sg-0000000${n}`),
        }),
    ).toThrow('securityGroupIds: a pod takes 1 to 5 security groups, got 6');
    expect(() => new PodSecurityGroups(chart, 'bad', { namespace: 'a', securityGroupIds: ['default'] })).toThrow(
      'securityGroupIds[0]: "default" must be a security group id, sg-<8 or 17 hex digits>',
    );
  });

  it('is validated against its CRD schema: too many groups and unknown fields are findings', () => {
    const object = {
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'pod-security-groups', namespace: 'spark-reporting' },
      spec: {
        podSelector: {},
        securityGroups: { groupIds: ['1', '2', '3', '4', '5', '6'].map((n) => `sg-0000000${n}`), groupNames: ['x'] },
      },
    };
    const findings = run([applied('tenants/reporting/securitygrouppolicy-pod-security-groups.yaml', object)]);
    expect(findings.map((f) => `${f.rule} ${f.location.fieldPath}`)).toEqual(
      expect.arrayContaining(['schema spec.securityGroups.groupIds', 'unknown-field spec.securityGroups.groupNames']),
    );
    expect(
      run([
        applied('tenants/reporting/securitygrouppolicy-pod-security-groups.yaml', {
          ...object,
          spec: { podSelector: {}, securityGroups: { groupIds: ['sg-00000001'] } },
        }),
      ]),
    ).toEqual([]);
  });
});
