import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SparkHistoryServers, validateObjects, type SparkHistoryServersProps } from '../src/index.js';
import { configurationErrorOf, synthByName } from './helpers.js';

const props: SparkHistoryServersProps = {
  namespace: 'spark-history',
  image: '996579266876.dkr.ecr.ap-northeast-2.amazonaws.com/spark/emr-7.5.0:latest',
  roleArn: 'arn:aws:iam::123456789012:role/spark-history-server',
  servers: [{ name: 'spark-history-a', logDirectory: 's3://logs-bucket/a/spark-events/' }],
};

describe('SparkHistoryServers', () => {
  it('passes the Kubernetes schemas; the heap is 3/4 of the memory; no allow policy without namespaces', () => {
    const chart = Testing.chart();
    new SparkHistoryServers(chart, 'H', { ...props, resources: { cpu: 1, memory: '4Gi' } });
    const objects = synthByName(chart);
    expect(Object.keys(objects).sort()).toEqual([
      'Deployment/spark-history-a', 'Namespace/spark-history', 'NetworkPolicy/default-deny-ingress', 'Service/spark-history-a', 'ServiceAccount/spark-history-server',
    ]);
    const env = objects['Deployment/spark-history-a'].spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'SPARK_DAEMON_MEMORY', value: '3072m' });
    const findings = validateObjects(Testing.synth(chart).map((object, i) => ({ path: `h/${i}.yaml`, object, applied: true })), { environment: 't', production: true, kubernetesVersion: '1.31' });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('refuses a log directory that is not an S3 prefix, an untagged image, too little memory and a duplicate server', () => {
    const field = (p: Partial<SparkHistoryServersProps>) => configurationErrorOf(() => new SparkHistoryServers(Testing.chart(), 'H', { ...props, ...p })).field;
    expect(field({ servers: [{ name: 'x', logDirectory: 's3://logs-bucket/a/spark-events' }] })).toBe('servers[0].logDirectory');
    expect(field({ image: 'public.ecr.aws/emr-on-eks/spark/emr-7.5.0' })).toBe('image');
    expect(field({ resources: { cpu: 1, memory: '512Mi' } })).toBe('resources.memory');
    expect(field({ servers: [...props.servers, ...props.servers] })).toBe('servers[1].name');
    expect(field({ servers: [] })).toBe('servers');
  });
});
