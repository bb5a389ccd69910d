import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';

/**
 * Configurations that pass the schema but would break at run time: `render` refuses each at the line of the value that
 * causes it, exit 2, no stack trace, dist-manifests/ exactly as it was.
 */
describe('render refuses what would break at run time, at its line', () => {
  it('a storage quota shrunk below one PVC-backed pod (dev app-dev: 50Gi scratch volumes)', async () => {
    const { stderr, file } = await refused('dev', (text) => text.replace('pods: 60, storage: 400Gi', 'pods: 60, storage: 40Gi'));
    expect(stderr).toContain(`environments/dev.yaml:${at(file, '40Gi')}: tenants[0].quota.storage: quota.storage 40Gi holds 0 scratch volumes of 50Gi (every driver and executor gets one, counted against requests.storage), but quota.cpu 16 admits 7 executors of 2.25 cores: from pod 1 on, the volume claim is refused and the pod stays Pending; set quota.storage to at least 350Gi, or lower spark.localDiskSize [quota-storage-volumes]`);
  });

  it('a LimitRange default CPU limit, which Spark pods asking for more cores cannot pass', async () => {
    const { stderr, file } = await refused('staging', (text) => text.replace('default: { memory: 2Gi }', 'default: { cpu: "1", memory: 2Gi }'));
    expect(stderr).toContain(`environments/staging.yaml:${at(file, '"1"', 'default: { cpu')}: tenants[0].containerDefaults.default.cpu: the LimitRange gives every container without a CPU limit a CPU limit of 1,`);
    expect(stderr).toContain('[limitrange-cpu-limit]');
  });

  it('a notebook account that mounts its token without the spark-driver Role', async () => {
    const { stderr, file } = await refused('prod', (text) => text.replace('        sparkDriver: true ', '        automountServiceAccountToken: true '));
    expect(stderr).toContain(`environments/prod.yaml:${at(file, 'true', 'automountServiceAccountToken')}: tenants[0].serviceAccounts[0].automountServiceAccountToken: service account notebook-spark mounts its API token, but no Role lets it do anything`);
  });

  it('restricted egress in an environment that does not say how S3, STS and CloudWatch Logs are reached', async () => {
    const { stderr, file } = await refused('prod', (text) => text.replace(/\nnetwork:\n(?: .*\n|\n)*?(?=tenants:)/, '\n'));
    expect(stderr).toContain(`environments/prod.yaml:${at(file, 'restricted', 'mode:')}: tenants[1].network.egress.mode: restricted egress has no route to S3`);
    expect(stderr).toContain('[egress-aws-services]');
  });

  it('a job size the LimitRange max refuses, and jobs longer than the driver nodes\' drain bound', async () => {
    const { stderr, file } = await refused('dev', (text) => text
      .replace('executor: { cores: 4, memory: 16g }', 'executor: { cores: 24, memory: 16g }')
      .replace('maxJobDuration: 12h', 'maxJobDuration: 36h'));
    expect(stderr).toContain(`environments/dev.yaml:${at(file, '24', 'executor: { cores')}: tenants[1].spark.jobSize.executor.cores: the executor's Spark container asks for 24 cores, above the LimitRange's max.cpu 16`);
    expect(stderr).toContain(`environments/dev.yaml:${at(file, '36h')}: tenants[1].spark.maxJobDuration: spark.maxJobDuration 36h is longer than the driver pool's terminationGracePeriod 24h`);
  });

  it('an environment whose job logs go nowhere', async () => {
    const { stderr, file } = await refused('dev', (text) => text.replace(/  logs:.*\n    cloudWatchLogGroupPrefix: .*\n    s3Uri: .*\n/, ''));
    expect(stderr).toContain(`environments/dev.yaml:${at(file, 'spark:\n  artifactsS3Uri')}: spark.logs: job logs go nowhere`);
  });
});
