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

describe('SparkHistoryServers: UI clients', () => {
  it("admits the named pods of a namespace to that server's UI only; an empty label set is refused", () => {
    const chart = Testing.chart();
    new SparkHistoryServers(chart, 'H', {
      ...props,
      servers: [
        {
          ...props.servers[0]!,
          uiClients: [{ namespace: 'spark-a', podLabels: { 'emr-eks-gitops.io/notebook-server': 'true' } }],
        },
        { name: 'spark-history-b', logDirectory: 's3://logs-bucket/b/spark-events/' },
      ],
    });
    const objects = synthByName(chart) as Record<string, any>;
    expect(
      Object.keys(objects)
        .filter((key) => key.startsWith('NetworkPolicy/'))
        .sort(),
    ).toEqual(['NetworkPolicy/allow-ui-clients-spark-history-a', 'NetworkPolicy/default-deny-ingress']);
    expect(objects['NetworkPolicy/allow-ui-clients-spark-history-a'].spec).toEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'spark-history-server',
          'app.kubernetes.io/instance': 'spark-history-a',
        },
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'spark-a' } },
              podSelector: { matchLabels: { 'emr-eks-gitops.io/notebook-server': 'true' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 18080 }],
        },
      ],
    });
    expect(
      configurationErrorOf(
        () =>
          new SparkHistoryServers(Testing.chart(), 'H', {
            ...props,
            servers: [{ ...props.servers[0]!, uiClients: [{ namespace: 'spark-a', podLabels: {} }] }],
          }),
      ).field,
    ).toBe('servers[0].uiClients[0].podLabels');
  });
});

describe('SparkHistoryServers', () => {
  it('passes the Kubernetes schemas; the heap is 3/4 of the memory; no allow policy without namespaces', () => {
    const chart = Testing.chart();
    new SparkHistoryServers(chart, 'H', { ...props, resources: { cpu: 1, memory: '4Gi' } });
    const objects = synthByName(chart);
    expect(Object.keys(objects).sort()).toEqual([
      'Deployment/spark-history-a',
      'Namespace/spark-history',
      'NetworkPolicy/default-deny-ingress',
      'Service/spark-history-a',
      'ServiceAccount/spark-history-server',
    ]);
    const env = objects['Deployment/spark-history-a'].spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'SPARK_DAEMON_MEMORY', value: '3072m' });
    const findings = validateObjects(
      Testing.synth(chart).map((object, i) => ({ path: `h/${i}.yaml`, object, applied: true })),
      { environment: 't', production: true, kubernetesVersion: '1.31' },
    );
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('refuses a log directory that is not an S3 prefix, an untagged image, too little memory and a duplicate server', () => {
    const field = (p: Partial<SparkHistoryServersProps>) =>
      configurationErrorOf(() => new SparkHistoryServers(Testing.chart(), 'H', { ...props, ...p })).field;
    expect(field({ servers: [{ name: 'x', logDirectory: 's3://logs-bucket/a/spark-events' }] })).toBe(
      'servers[0].logDirectory',
    );
    expect(field({ image: 'public.ecr.aws/emr-on-eks/spark/emr-7.5.0' })).toBe('image');
    expect(field({ resources: { cpu: 1, memory: '512Mi' } })).toBe('resources.memory');
    expect(field({ servers: [...props.servers, ...props.servers] })).toBe('servers[1].name');
    expect(field({ servers: [] })).toBe('servers');
  });

  it('a server with a role of its own runs as an account of its own; the shared account only for the others', () => {
    const chart = Testing.chart();
    new SparkHistoryServers(chart, 'H', {
      ...props,
      servers: [
        {
          name: 'spark-history-a',
          logDirectory: 's3://logs-bucket/a/spark-events/',
          roleArn: 'arn:aws:iam::123456789012:role/history-a',
        },
        { name: 'spark-history-b', logDirectory: 's3://logs-bucket/b/spark-events/' },
      ],
    });
    const objects = synthByName(chart);
    expect(objects['ServiceAccount/spark-history-a'].metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/history-a',
    });
    expect(objects['ServiceAccount/spark-history-server'].metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': props.roleArn,
    });
    expect(objects['Deployment/spark-history-a'].spec.template.spec.serviceAccountName).toBe('spark-history-a');
    expect(objects['Deployment/spark-history-b'].spec.template.spec.serviceAccountName).toBe('spark-history-server');
    // They never call the Kubernetes API: no token (IRSA's web-identity token is projected separately).
    expect(objects['ServiceAccount/spark-history-a'].automountServiceAccountToken).toBe(false);

    // Every server with a role of its own: no shared account at all, and no shared role needed.
    const own = Testing.chart();
    new SparkHistoryServers(own, 'H', {
      ...props,
      roleArn: undefined,
      servers: [{ ...props.servers[0]!, roleArn: 'arn:aws:iam::123456789012:role/history-a' }],
    });
    expect(Object.keys(synthByName(own)).filter((key) => key.startsWith('ServiceAccount/'))).toEqual([
      'ServiceAccount/spark-history-a',
    ]);

    const error = configurationErrorOf(
      () => new SparkHistoryServers(Testing.chart(), 'H', { ...props, roleArn: undefined }),
    );
    expect([error.field, error.problem]).toEqual([
      'servers[0].roleArn',
      'server "spark-history-a" has no IAM role: give it a roleArn, or give the servers a shared roleArn',
    ]);
    expect(
      configurationErrorOf(
        () =>
          new SparkHistoryServers(Testing.chart(), 'H', {
            ...props,
            servers: [
              {
                name: 'spark-history-server',
                logDirectory: 's3://logs-bucket/a/spark-events/',
                roleArn: 'arn:aws:iam::123456789012:role/x',
              },
            ],
          }),
      ).field,
    ).toBe('servers[0].name');
  });
});
