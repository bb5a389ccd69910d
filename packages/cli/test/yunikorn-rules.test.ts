import { describe, expect, it } from 'vitest';
import { at, refused } from './support/refused.js';

/** YuniKorn settings (staging) that would break at run time: refused at the line of the value, exit 2, nothing written. */
describe('render refuses YuniKorn settings that would break at run time, at their line', () => {
  it("a queue wait that, with the longest job, outlasts the driver nodes' drain (ml: 24h jobs, 25h drain)", async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text.replace(
        'maxQueueWait: 1h                         # maxJobDuration 24h',
        'maxQueueWait: 2h                         # maxJobDuration 24h',
      ),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '24h', '      maxJobDuration: 24h')}: tenants[2].spark.maxJobDuration: spark.maxJobDuration 24h plus the 2h a job may wait to start (EMR's job-start-timeout, queue.maxQueueWait, while its job runner already runs) is longer than the driver pool's terminationGracePeriod 25h: a job submitted on a driver node about to expire or drift loses its job runner or driver before it can finish; set spark.maxJobDuration to at most 23h (the driver pod gets it as activeDeadlineSeconds), or raise capacity.driverNodes.terminationGracePeriod to at least 2h more than it [driver-node-expiry]`,
    );
  });

  it("a gang larger than the queue's max, the quota (data-eng: 128 CPU)", async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text.replace('gangMinExecutors: 4', 'gangMinExecutors: 40'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '40', 'gangMinExecutors: 40')}: tenants[1].queue.gangMinExecutors: the gang of a driver and 40 executors does not fit the queue's max, the tenant's quota (128 CPU, 512Gi, 400 pods): with the job runner and the placeholders, which the quota counts like any pod (the pending driver beside its placeholder, each real executor beside the placeholder it replaces), it needs 176.85 cores / 752.1Gi / 43 pods; YuniKorn never completes the gang and every job waits until EMR's job-start-timeout fails it; lower queue.gangMinExecutors to at most 26, or raise the quota [yunikorn-gang-fits]`,
    );
  });

  it('a gang whose executors fit no single executor pool', async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text
        .replace('executorSpot: { cpu: 800, memory: 3200Gi }', 'executorSpot: { cpu: 10, memory: 3200Gi }')
        .replace('executorOnDemand: { cpu: 200, memory: 800Gi }', 'executorOnDemand: { cpu: 10, memory: 800Gi }'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '4', 'gangMinExecutors: 4')}: tenants[1].queue.gangMinExecutors: the gang's 4 executors (17 cores / `,
    );
    expect(stderr).toContain("fit no single executor pool's limits");
    expect(stderr).toContain('[yunikorn-gang-fits]');
  });

  it("a guarantee above the tenant's quota, the queue's max", async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text.replace('guaranteed: { cpu: 8, memory: 32Gi }', 'guaranteed: { cpu: 40, memory: 32Gi }'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '40', 'guaranteed: { cpu')}: tenants[0].queue.guaranteed.cpu: guaranteed cpu 40 is above the tenant's quota.cpu 32, the queue's max: YuniKorn refuses the whole queue configuration ("guaranteed resource ... is larger than maximum resource") and admission could never let that much run; set at most 32 [yunikorn-guaranteed-quota]`,
    );
  });

  it('guarantees that together exceed what the Spark pools may launch', async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text
        .replace(
          'quota: { cpu: 128, memory: 512Gi, pods: 400, storage: 3Ti }',
          'quota: { cpu: 1300, memory: 512Gi, pods: 400, storage: 30Ti }',
        )
        .replace('guaranteed: { cpu: 64, memory: 256Gi }', 'guaranteed: { cpu: 1200, memory: 256Gi }'),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '1200', 'guaranteed: { cpu')}: tenants[1].queue.guaranteed.cpu: the tenants' guaranteed cpu up to data-eng's comes to 1208, more than the Spark pools may ever launch (1200, the sum of their limits)`,
    );
    expect(stderr).toContain('[yunikorn-guaranteed-capacity]');
  });

  it("a Spark property naming another tenant's queue", async () => {
    const { stderr, file } = await refused('staging', (text) =>
      text.replace(
        'spark.sql.adaptive.enabled: "true"',
        'spark.sql.adaptive.enabled: "true"\n        spark.kubernetes.driver.label.queue: root.tenants.spark-data-eng',
      ),
    );
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, 'root.tenants.spark-data-eng', 'driver.label.queue')}: tenants[2].spark.extraProperties.spark.kubernetes.driver.label.queue: names queue "root.tenants.spark-data-eng", but YuniKorn places the pods of namespace spark-ml by their namespace into root.tenants.spark-ml (tenant ml's queue)`,
    );
    expect(stderr).toContain('[yunikorn-queue-name]');
  });

  it('a queue wait of 0, with which EMR fails every job that does not start at once', async () => {
    const { stderr, file } = await refused('staging', (text) => text.replace('maxQueueWait: 2h ', 'maxQueueWait: 0s '));
    expect(stderr).toContain(
      `environments/staging.yaml:${at(file, '0s', 'maxQueueWait: 0s')}: tenants[1].queue.maxQueueWait: is 0: EMR would fail every job that does not start at once; give the longest a job may wait queued, e.g. 1h (or leave it out for EMR's 15m) [yunikorn-queue-wait]`,
    );
  });

  it('a queue on a Fargate tenant, and a queue without the add-on', async () => {
    const fargate = await refused('staging', (text) =>
      text.replace(
        '    fargate:                                   # a Fargate profile',
        '    queue: { guaranteed: { cpu: 4, memory: 16Gi } }\n    fargate:                                   # a Fargate profile',
      ),
    );
    expect(fargate.stderr).toContain(
      `environments/staging.yaml:${at(fargate.file, '{ guaranteed: { cpu: 4')}: tenants[3].queue: tenant reporting runs on Fargate, whose own scheduler (EKS's fargate-scheduler) places every pod of its profile on Fargate capacity`,
    );
    expect(fargate.stderr).toContain('[yunikorn-fargate]');
    const addon = await refused('staging', (text) => text.replace(/^ {2}yunikorn: \{\}.*\n/m, ''));
    expect(addon.stderr).toContain(`environments/staging.yaml:${at(addon.file, 'guaranteed:', 'queue:')}`);
    expect(addon.stderr).toContain(
      'tenants[0].queue: needs addons.yunikorn: without the scheduler every pod naming it stays Pending; add addons.yunikorn: {} or remove queue [yunikorn-addon]',
    );
  });
});
