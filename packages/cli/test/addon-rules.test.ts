import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';

describe('render refuses add-on settings that cannot work on the cluster, at their line', () => {
  it("a Jupyter Docker Stacks notebook image: it cannot run the session's executors nor read s3://", async () => {
    const { stderr, file } = await refused('dev', (text) =>
      text.replace(
        /image: \{ name: [^,]+, tag: [^ ]+ \}/,
        'image: { name: quay.io/jupyter/pyspark-notebook, tag: spark-3.5.3 }',
      ),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'quay.io/jupyter/pyspark-notebook')}: addons.jupyterhub.image.name: quay.io/jupyter/pyspark-notebook cannot run a notebook's Spark session here: the session's executors run the same image, whose entrypoint (start.sh) cannot start a Spark executor, it has no S3 filesystem for the tenant's s3:// executor pod template and event logs, and it runs as jovyan while the executor pod templates run as uid 999; build the notebook image FROM the EMR on EKS Spark image of the tenants' release (images/notebook/Dockerfile) [notebook-image]`,
    );
  });

  it("a notebook account without an IAM role while the session's pod template and event logs are on S3", async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text.replace('        roleArn: arn:aws:iam::410987654321:role/emr-prod-app-dev-notebook\n', ''),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'name: notebook-spark')}: tenants[0].serviceAccounts[0]: the notebook sessions of tenant app-dev run as notebook-spark (driver and executors) and reach S3 with its IAM role: the executor pod template s3://spark-platform-prod-artifacts-410987654321/emr-eks-gitops/tenants/app-dev/pod-templates/session-executor.yaml, the event logs under s3://spark-platform-prod-logs-410987654321/app-dev/spark-events/; without a roleArn EMRFS finds no credentials and the session fails to start; give the account a roleArn (IRSA) that may read the pod template and write the event logs [notebook-account-role]`,
    );
  });

  it('a package download at session start from a notebook tenant whose egress is restricted', async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text
        .replace(
          '    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution\n',
          '    serviceAccounts:\n      - { name: notebook-spark, roleArn: "arn:aws:iam::410987654321:role/emr-prod-data-eng-notebook", sparkDriver: true }\n' +
            '    executionRoleArn: arn:aws:iam::410987654321:role/emr-prod-data-eng-job-execution\n',
        )
        .replace(
          '      decommissionFallbackStorage: s3://spark-platform-prod-shuffle-410987654321/data-eng\n',
          '      decommissionFallbackStorage: s3://spark-platform-prod-shuffle-410987654321/data-eng\n      extraProperties:\n        spark.jars.packages: org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1\n',
        ),
    );
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'org.apache.iceberg')}: tenants[1].spark.extraProperties.spark.jars.packages: the notebook sessions (and jobs) of tenant data-eng download org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1 from a Maven repository when they start, and the tenant's restricted egress reaches only its namespace, the API server and 10.40.0.0/16: the download fails and the session does not start; put the jars in the notebook image (and the EMR image the jobs run), or drop spark.jars.packages [notebook-package-download]`,
    );
    // Only that: a restricted tenant is otherwise served (the add-on's policies let its servers reach the hub).
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it("an OIDC login without allowed groups, and a history-server role under a name that is no tenant's", async () => {
    const { stderr, file } = await refused('prod', (text) =>
      text
        .replace('      allowedGroups: [spark-notebook-users]\n', '')
        .replace(
          '      ml: arn:aws:iam::410987654321:role/spark-history-prod-ml',
          '      mll: arn:aws:iam::410987654321:role/spark-history-prod-ml',
        ),
    );
    // The configuration's own rules first: the file is refused before rendering.
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, 'type: oidc')}: addons.jupyterhub.auth: oidc needs allowedGroups`,
    );
    const fixed = await refused('prod', (text) =>
      text.replace(
        '      ml: arn:aws:iam::410987654321:role/spark-history-prod-ml',
        '      mll: arn:aws:iam::410987654321:role/spark-history-prod-ml',
      ),
    );
    expect(fixed.stderr).toContain(
      `environments/prod.yaml:${at(fixed.file, 'arn:aws:iam::410987654321:role/spark-history-prod-ml')}: addons.historyServer.tenantRoleArns.mll: names no tenant (the tenants are app-dev, data-eng, ml)`,
    );
    expect(fixed.stderr).toContain(
      `environments/prod.yaml:${at(fixed.file, 'image: 996579266876')}: addons.historyServer: the history server of tenant ml has no IAM role and could not read its event logs; add tenantRoleArns.ml (a role of the tenant's own, which reads only its event logs), or a roleArn shared by the servers without one [history-server-role]`,
    );
  });
});

describe('render refuses GPU capacity that could never run a job, at its line', () => {
  it("a GPU class on self-managed Karpenter without NVIDIA's device plugin: its nodes never advertise nvidia.com/gpu", async () => {
    const { stderr, file } = await refused('prod', (text) => text.replace(/^ {2}nvidiaDevicePlugin: \{\}.*\n/m, ''));
    expect(stderr).toContain(
      `environments/prod.yaml:${at(file, '{ resource: nvidia.com/gpu')}: capacity.classes[2].gpu: the nodes of GPU class gpu advertise nvidia.com/gpu only once NVIDIA's device plugin runs on them, and this environment renders none: every executor asking for it would stay Pending; add addons.nvidiaDevicePlugin: {} (the plugin on the GPU classes' nodes), or use capacity.backend auto-mode, which runs it itself [gpu-device-plugin]`,
    );
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });
});
