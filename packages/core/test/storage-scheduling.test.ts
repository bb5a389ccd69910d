import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Gp3StorageClass, SparkPriorityClasses } from '../src/index.js';
import { configurationErrorOf, synthByName } from './helpers.js';

describe('Gp3StorageClass', () => {
  it('creates an encrypted gp3 class that binds on first consumer', () => {
    const chart = Testing.chart();
    new Gp3StorageClass(chart, 'Gp3', {
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const storageClass = synthByName(chart)['StorageClass/gp3'];
    expect(storageClass.provisioner).toBe('ebs.csi.aws.com');
    expect(storageClass.parameters).toMatchObject({
      type: 'gp3',
      encrypted: 'true',
      kmsKeyId: expect.stringContaining(':key/'),
    });
    expect(storageClass.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(storageClass.allowVolumeExpansion).toBe(true);
    expect(storageClass.reclaimPolicy).toBe('Delete');
  });

  it('rejects a key id that is not a KMS key ARN and out-of-range IOPS', () => {
    expect(configurationErrorOf(() => new Gp3StorageClass(Testing.chart(), 'Gp3', { kmsKeyId: 'my-key' })).field).toBe(
      'kmsKeyId',
    );
    expect(configurationErrorOf(() => new Gp3StorageClass(Testing.chart(), 'Gp3', { iops: 100 })).field).toBe('iops');
  });
});

describe('SparkPriorityClasses', () => {
  it('ranks drivers above executors', () => {
    const chart = Testing.chart();
    new SparkPriorityClasses(chart, 'Priorities');
    const objects = synthByName(chart);
    expect(objects['PriorityClass/spark-driver'].value).toBeGreaterThan(objects['PriorityClass/spark-executor'].value);
    expect(objects['PriorityClass/spark-driver'].globalDefault).toBe(false);
  });

  it('rejects a driver priority not above the executor priority', () => {
    const error = configurationErrorOf(
      () => new SparkPriorityClasses(Testing.chart(), 'Priorities', { driverValue: 100, executorValue: 100 }),
    );
    expect(error.field).toBe('driverValue');
  });
});
