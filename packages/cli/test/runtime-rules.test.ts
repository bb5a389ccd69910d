import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';

/**
 * Configurations that pass the schema but would break at run time: `render` refuses each at the line of the value that
 * causes it, exit 2, no stack trace, dist-manifests/ exactly as it was.
 */
describe('render refuses what would break at run time, at its line', () => {
  it('a storage quota shrunk below one PVC-backed pod (dev app-dev: 50Gi scratch volumes)', async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text.replace('pods: 60, storage: 400Gi', 'pods: 60, storage: 40Gi'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '40Gi')}: tenants[0].quota.storage: quota.storage 40Gi holds 0 scratch volumes of 50Gi (every driver and executor gets one, counted against requests.storage), but quota.cpu 16 admits 7 executors of 2.25 cores: from pod 1 on, the volume claim is refused and the pod stays Pending; set quota.storage to at least 350Gi, or lower spark.localDiskSize [quota-storage-volumes]`,
    );
  });

  it('a LimitRange default CPU limit, which Spark pods asking for more cores cannot pass', async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text.replace('default: { memory: 2Gi }', 'default: { cpu: "1", memory: 2Gi }'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '"1"', 'default: { cpu')}: tenants[0].containerDefaults.default.cpu: the LimitRange gives every container without a CPU limit a CPU limit of 1,`,
    );
    expect(stderr).toContain('[limitrange-cpu-limit]');
  });

  it('a notebook account that mounts its token without the spark-driver Role', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace('        sparkDriver: true ', '        automountServiceAccountToken: true '),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'true', 'automountServiceAccountToken')}: tenants[0].serviceAccounts[0].automountServiceAccountToken: service account notebook-spark mounts its API token, but no Role lets it do anything`,
    );
  });

  it('a notebook account on Kubernetes 1.29, where nothing would keep its pods off the job execution role', async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text.replace('kubernetesVersion: "1.31"', 'kubernetesVersion: "1.29"'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'true', 'sparkDriver:')}: tenants[0].serviceAccounts[0].sparkDriver: a sparkDriver account may create pods, and RBAC lets it name any service account of the namespace in them, EMR's emr-containers-sa-* accounts (the job execution role) included; the ValidatingAdmissionPolicy that holds its pods to its own account and the tenant's images (admissionregistration.k8s.io/v1) is served from Kubernetes 1.30, and on 1.29 it is a beta API behind a feature gate EKS does not turn on; upgrade cluster.kubernetesVersion to 1.30 or later, or remove sparkDriver (no notebooks for this tenant) [driver-account-admission]`,
    );
  });

  it('a notebook account whose pods could run no image: no notebook image, no custom code, no EMR image known for the region', async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text
        .replace(/ {2}jupyterhub:[\s\S]*?(?= {2}prometheus:)/, '')
        .replace('region: ap-northeast-2', 'region: me-south-1')
        .replace(/ {6}customCode:\n.*\n.*\n/, ''),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'true', 'sparkDriver:')}: tenants[0].serviceAccounts[0].sparkDriver: the pods this account creates may run only the tenant's images (held at admission), and none is known: no EMR on EKS image registry account known for region me-south-1; add it to packages/core/src/spark/emr-images.ts from the EMR on EKS guide ("Details for selecting a base image URI"); or name the executors' image in the tenant's spark.extraProperties (spark.kubernetes.container.image) [driver-account-admission]`,
    );
  });

  it('restricted egress in an environment that does not say how S3, STS and CloudWatch Logs are reached', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace(/\nnetwork:\n(?: .*\n|\n)*?(?=tenants:)/, '\n'),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'restricted', 'mode:')}: tenants[1].network.egress.mode: restricted egress has no route to S3`,
    );
    expect(stderr).toContain('[egress-aws-services]');
  });

  it("a job size the LimitRange max refuses, and jobs longer than the driver nodes' drain bound", async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text
        .replace('executor: { cores: 4, memory: 16g }', 'executor: { cores: 24, memory: 16g }')
        .replace('maxJobDuration: 12h', 'maxJobDuration: 36h'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '24', 'executor: { cores')}: tenants[1].spark.jobSize.executor.cores: the executor's Spark container asks for 24 cores, above the LimitRange's max.cpu 16`,
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '36h')}: tenants[1].spark.maxJobDuration: spark.maxJobDuration 36h plus the 15m a job may wait to start (EMR's job-start-timeout, while its job runner already runs) is longer than the driver pool's terminationGracePeriod 25h: a job submitted on a driver node about to expire or drift loses its job runner or driver before it can finish; set spark.maxJobDuration to at most 24h45m`,
    );
  });

  it('GPU jobs on a dated release EMR publishes no RAPIDS build for (6.12.0: RAPIDS only for 20230701)', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace(
        'role/emr-prod-ml-job-execution\n    releaseLabel: emr-7.2.0-20240610',
        'role/emr-prod-ml-job-execution\n    releaseLabel: emr-6.12.0-20240321',
      ),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'emr-6.12.0-20240321')}: tenants[2].releaseLabel: jobs of ml on GPU class gpu need the RAPIDS Accelerator image of their release (the GPU libraries and discovery script), and none can be named: EMR on EKS publishes no emr-6.12.0-spark-rapids-20240321`,
    );
    expect(stderr).toContain('[gpu-rapids-release]');
  });

  it('an environment whose job logs go nowhere', async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text.replace(/ {2}logs:.*\n {4}cloudWatchLogGroupPrefix: .*\n {4}s3Uri: .*\n/, ''),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'spark:\n  artifactsS3Uri')}: spark.logs: job logs go nowhere`,
    );
  });
});

describe('render refuses what Fargate cannot run, at its line (staging: the reporting tenant runs on Fargate)', () => {
  const reporting = (text: string) => text.indexOf('  - name: reporting');
  const inReporting = (text: string, from: string, to: string) =>
    text.slice(0, reporting(text)) + text.slice(reporting(text)).replace(from, to);

  it('EBS scratch volumes, NetworkPolicy egress, a notebook account and a profile without a pod execution role', async () => {
    const { stderr, file } = await refused('staging', (text) => {
      let edited = text.replace(
        / {2}podExecutionRoleArn: arn:aws:iam::310987654321:role\/AmazonEKSFargatePodExecutionRole-spark-platform-staging\n/,
        '',
      );
      edited = inReporting(edited, '      localDiskSize: 40Gi', '      localDiskSize: 40Gi\n      localDisk: ebs');
      edited = inReporting(
        edited,
        '      securityGroupIds: [sg-0f1e2d3c4b5a69788]',
        '      securityGroupIds: [sg-0f1e2d3c4b5a69788]\n    network: { egress: { mode: restricted, apiServerCidrs: [10.40.0.0/16] } }\n    serviceAccounts: [{ name: reports-notebook, sparkDriver: true }]',
      );
      return edited;
    });
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'securityGroupIds', '    fargate:   ')}: tenants[3].fargate: needs a pod execution role for its Fargate profile: set podExecutionRoleArn here or in the environment's fargate section [fargate-profile]`,
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'ebs', 'localDiskSize: 40Gi\n      localDisk: ebs')}: tenants[3].spark.localDisk: an EBS scratch volume per pod is a generic ephemeral volume (a PVC provisioned dynamically by the EBS CSI driver, whose node plugin is a DaemonSet), and Fargate has neither dynamic provisioning nor DaemonSets: every pod stays Pending; leave localDisk out (scratch space is the pod's ephemeral storage, spark.localDiskSize up to 154Gi) [fargate-unsupported]`,
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'restricted', 'mode: restricted, apiServerCidrs: [10.40')}: tenants[3].network.egress.mode: restricted egress is a NetworkPolicy, and NetworkPolicies are not enforced on Fargate pods`,
    );
    expect(stderr).toContain('[fargate-network-policy]');
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'true', 'reports-notebook, sparkDriver')}: tenants[3].serviceAccounts[0].sparkDriver: JupyterHub starts this tenant's notebook servers in its namespace with a home volume on EBS (a PVC), which Fargate cannot mount`,
    );
  });

  it("capacity classes and single-AZ executors, which are Karpenter pools and pod affinity to the driver's node", async () => {
    const { stderr, file } = await refused('staging', (text) =>
      inReporting(
        text,
        '      localDiskSize: 40Gi',
        '      localDiskSize: 40Gi\n      capacityClasses: { executor: default }\n      singleZone: always',
      ),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '{ executor: default }')}: tenants[3].spark.capacityClasses: capacity classes are Karpenter NodePools, and the Fargate profile takes every pod of this namespace: no pod would reach a class; leave capacityClasses out, or run the tenant on Karpenter [fargate-unsupported]`,
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'always', 'executor: default }\n      singleZone')}: tenants[3].spark.singleZone: a Fargate pod runs in the Availability Zone of the profile subnet Fargate picks for it`,
    );
  });

  it('instance-store scratch space on Fargate', async () => {
    const { stderr, file } = await refused('staging', (text) =>
      inReporting(text, '      localDiskSize: 40Gi', '      localDisk: instance-store'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'instance-store', '      localDisk: instance-store')}: tenants[3].spark.localDisk: instance-store scratch space is the NVMe disk of a Karpenter node, and a Fargate pod has no instance store`,
    );
  });

  it('scratch space near 175Gi, which Fargate cannot provision with its 10% and 5 GiB for system use', async () => {
    const { stderr, file } = await refused('staging', (text) =>
      inReporting(text, 'localDiskSize: 40Gi', 'localDiskSize: 170Gi'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '170Gi', 'localDiskSize: 170Gi')}: tenants[3].spark.localDiskSize: the scratch disk asks for 170Gi of ephemeral storage per driver and executor, and Fargate provisions the request plus 10% and 5 GiB for system use: 192 GiB, more than a Fargate pod can have (175 GiB in all, 20 GiB included): the pods are never scheduled; set spark.localDiskSize to at most 154Gi (174.4 GiB provisioned), or run the tenant on Karpenter (remove fargate) for EBS or NVMe scratch space [fargate-ephemeral-storage]`,
    );
  });

  it("an executor larger than the largest Fargate pod, and scratch space far past Fargate's ephemeral storage", async () => {
    const { stderr, file } = await refused('staging', (text) =>
      inReporting(
        inReporting(text, 'executor: { cores: 2, memory: 6g }', 'executor: { cores: 4, memory: 112g }'),
        'localDiskSize: 40Gi',
        'localDiskSize: 200Gi',
      ),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '112g')}: tenants[3].spark.jobSize.executor.memory: one executor pod requests 4 cores / 123.7Gi (the Spark container, EMR's logging container and the larger init container), plus the 256 MB Fargate adds for its kubelet: 123.9Gi, more than the largest Fargate pod (16 vCPU / 120 GB); the pod is never scheduled and the job hangs; shrink spark.jobSize.executor`,
    );
    expect(stderr).toContain('[fargate-pod-size]');
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '200Gi', 'localDiskSize: 200Gi')}: tenants[3].spark.localDiskSize: the scratch disk asks for 200Gi of ephemeral storage per driver and executor, and Fargate provisions the request plus 10% and 5 GiB for system use: 225 GiB, more than a Fargate pod can have (175 GiB in all, 20 GiB included): the pods are never scheduled; set spark.localDiskSize to at most 154Gi (174.4 GiB provisioned), or run the tenant on Karpenter (remove fargate) for EBS or NVMe scratch space [fargate-ephemeral-storage]`,
    );
  });

  it('a sixth namespace on one Fargate profile (at most 5 selectors)', async () => {
    const { stderr, file } = await refused('staging', (text) => {
      const block = text.slice(reporting(text)).replace(/\n+$/, '\n');
      const copies = [2, 3, 4, 5, 6].map((n) =>
        block
          .replace('name: reporting', `name: reporting-${n}`)
          .replace('namespace: spark-reporting', `namespace: spark-reporting-${n}`)
          .replace('role/emr-staging-reporting-job-execution', `role/emr-staging-reporting-${n}-job-execution`)
          .replace('      securityGroupIds:', '      profile: spark-reporting\n      securityGroupIds:'),
      );
      return `${text.replace(/\n+$/, '\n')}\n${copies.join('\n')}`;
    });
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'spark-reporting\n', 'reporting-6-job-execution')}: tenants[8].fargate.profile: profile "spark-reporting" would select 6 namespaces, and a Fargate profile has at most 5 selectors: EKS refuses the profile; give this tenant a profile of its own (another fargate.profile) [fargate-profile-selectors]`,
    );
    expect(stderr).not.toContain('tenants[7].fargate.profile');
  });
});
