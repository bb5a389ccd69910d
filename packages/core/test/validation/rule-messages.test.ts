import { describe, expect, it } from 'vitest';
import { applied, nodePool, podTemplate, run, sparkPools, template } from './fixtures.js';

/** Each capacity and pod-template finding in full: rule, severity, where, what breaks and what to do. */
const driver = (spec: Record<string, unknown> = {}) =>
  template('pod-templates/ml/driver.yaml', podTemplate('driver', spec));
const executor = (spec: Record<string, unknown> = {}) =>
  template('pod-templates/ml/executor.yaml', podTemplate('executor', spec));
const full = (findings: ReturnType<typeof run>) =>
  findings.map(({ rule, severity, location: { fieldPath }, message, hint }) => ({
    rule,
    severity,
    fieldPath,
    message,
    hint,
  }));
const executorTaint = [{ key: 'spark', value: 'executor', effect: 'NoSchedule' }];
const gpuPool = (requirement: Record<string, unknown>) =>
  applied(
    'platform/nodepool-gpu.yaml',
    nodePool('spark-gpu', {
      weight: 60,
      capacityTypes: ['spot', 'on-demand'],
      taints: executorTaint,
      requirements: [requirement],
    }),
  );

describe('capacity findings in full', () => {
  it('capacity-unschedulable names every pool (sorted by name) and why', () => {
    expect(full(run([...[...sparkPools()].reverse(), driver({ tolerations: [] })]))).toEqual([
      {
        rule: 'capacity-unschedulable',
        severity: 'error',
        fieldPath: 'spec',
        message:
          'fits no NodePool: spark-driver does not tolerate taint spark=driver:NoSchedule; spark-executor does not tolerate taint spark=executor:NoSchedule',
        hint: "make the pod's nodeSelector, affinity and tolerations match one NodePool's labels, requirements and taints",
      },
    ]);
  });

  it('driver-on-spot', () => {
    expect(
      full(run([...sparkPools(), driver({ nodeSelector: {}, tolerations: [{ key: 'spark', operator: 'Exists' }] })])),
    ).toEqual([
      {
        rule: 'driver-on-spot',
        severity: 'error',
        fieldPath: 'spec',
        message:
          'the Spark driver can be placed on spot capacity of NodePool spark-executor; a reclaimed driver fails the whole job',
        hint: 'add nodeSelector karpenter.sh/capacity-type: on-demand to the driver template, or restrict that pool to on-demand',
      },
    ]);
  });

  it('executor-spot-first, and none when the highest-weight pools include a spot one', () => {
    const onDemandFirst = applied(
      'platform/nodepool-od.yaml',
      nodePool('spark-executor-od', { weight: 90, taints: executorTaint }),
    );
    expect(full(run([...sparkPools(), onDemandFirst, executor()]))).toEqual([
      {
        rule: 'executor-spot-first',
        severity: 'warning',
        fieldPath: 'spec',
        message:
          'Spark executors go first to NodePool spark-executor-od (weight 90), which gives them no spot capacity',
        hint: 'give the spot executor pool the highest weight among the pools executors fit, and let executors tolerate its taint',
      },
    ]);
    const spotTie = applied(
      'platform/nodepool-spot.yaml',
      nodePool('spark-executor-spot', { weight: 90, capacityTypes: ['spot'], taints: executorTaint }),
    );
    expect(run([...sparkPools(), onDemandFirst, spotTie, executor()])).toEqual([]);
  });

  it('gpu-pool-device-request for pools that require GPUs (Gt, Exists, In a count above 0), not for In [0]', () => {
    const gpuCount = 'karpenter.k8s.aws/instance-gpu-count';
    expect(full(run([...sparkPools(), gpuPool({ key: gpuCount, operator: 'Gt', values: ['0'] }), executor()]))).toEqual(
      [
        {
          rule: 'gpu-pool-device-request',
          severity: 'error',
          fieldPath: 'spec',
          message:
            'can land on GPU instance types of NodePool spark-gpu but no container requests a GPU: it holds a GPU node without using its devices',
          hint: 'add resources.limits of the device (e.g. nvidia.com/gpu: 1) to the Spark container, or keep the pod off GPU pools (their taint untolerated)',
        },
      ],
    );
    expect(
      run([...sparkPools(), gpuPool({ key: gpuCount, operator: 'Exists' }), executor()]).map((f) => f.rule),
    ).toEqual(['gpu-pool-device-request']);
    expect(
      run([...sparkPools(), gpuPool({ key: gpuCount, operator: 'In', values: ['0', '1'] }), executor()]).map(
        (f) => f.rule,
      ),
    ).toEqual(['gpu-pool-device-request']);
    expect(run([...sparkPools(), gpuPool({ key: gpuCount, operator: 'In', values: ['0'] }), executor()])).toEqual([]);
    // A container that asks for the device uses the node it holds.
    const withGpu = executor({
      containers: [{ name: 'spark-kubernetes-executor', resources: { limits: { 'nvidia.com/gpu': 1 } } }],
    });
    expect(run([...sparkPools(), gpuPool({ key: gpuCount, operator: 'Gt', values: ['0'] }), withGpu])).toEqual([]);
    const withOther = executor({
      containers: [{ name: 'spark-kubernetes-executor', resources: { limits: { 'example.com/fpga': 1 } } }],
    });
    expect(
      run([...sparkPools(), gpuPool({ key: gpuCount, operator: 'Gt', values: ['0'] }), withOther]).map((f) => f.rule),
    ).toEqual(['gpu-pool-device-request']);
  });
});

describe('pod-template findings in full', () => {
  it('container names and the reserved /mnt', () => {
    expect(full(run([executor({ containers: [{ name: 'spark-kubernetes-exec' }] })]))).toEqual([
      {
        rule: 'pod-template-container-name',
        severity: 'error',
        fieldPath: 'spec.containers[0].name',
        message:
          'container "spark-kubernetes-exec" looks like the Spark container but EMR only recognises spark-kubernetes-driver and spark-kubernetes-executor',
        hint: 'rename it to spark-kubernetes-driver or spark-kubernetes-executor',
      },
    ]);
    expect(full(run([executor({ containers: [{ name: 'main' }] })]))).toEqual([
      {
        rule: 'pod-template-container-name',
        severity: 'error',
        fieldPath: 'spec.containers',
        message:
          'the pod template has no spark-kubernetes-driver or spark-kubernetes-executor container, so its container settings never reach Spark',
        hint: 'name the Spark container spark-kubernetes-driver (driver template) or spark-kubernetes-executor (executor template)',
      },
    ]);
    expect(
      full(
        run([executor({ containers: [{ name: 'spark-kubernetes-driver' }, { name: 'spark-kubernetes-executor' }] })]),
      ),
    ).toEqual([
      {
        rule: 'pod-template-container-name',
        severity: 'error',
        fieldPath: 'spec.containers',
        message: 'the pod template has both a driver and an executor container',
        hint: 'use one template for the driver and another for executors',
      },
    ]);
    expect(
      full(
        run([
          executor({
            volumes: [{ name: 'l', emptyDir: {} }],
            containers: [
              { name: 'spark-kubernetes-executor', volumeMounts: [{ name: 'l', mountPath: '/mnt/spark/' }] },
            ],
          }),
        ]),
      ),
    ).toEqual([
      {
        rule: 'pod-template-reserved-path',
        severity: 'error',
        fieldPath: 'spec.containers[0].volumeMounts[0].mountPath',
        message: 'mountPath /mnt/spark is at or under /mnt, which EMR on EKS reserves for its own volumes',
        hint: 'mount it elsewhere, e.g. /data or /local1, and point spark.local.dir there',
      },
    ]);
  });
});

describe('fargate-unsupported findings in full', () => {
  it('host ports, host namespaces and privileged containers of a pod a Fargate profile runs; none for a pod it does not', () => {
    const pod = (labels: Record<string, string>) =>
      template('artifacts/tenants/reporting/pod-templates/executor.yaml', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { labels },
        spec: {
          hostPID: true,
          initContainers: [{ name: 'fetch', securityContext: { privileged: true } }],
          containers: [
            {
              name: 'spark-kubernetes-executor',
              ports: [{ containerPort: 4040 }, { containerPort: 7078, hostPort: 7078 }],
            },
          ],
        },
      });
    const findings = full(run([pod({ 'eks.amazonaws.com/fargate-profile': 'spark-reporting' })])).filter(
      (f) => f.rule === 'fargate-unsupported',
    );
    expect(findings).toEqual([
      {
        rule: 'fargate-unsupported',
        severity: 'error',
        fieldPath: 'spec.containers[0].ports[1].hostPort',
        message: 'container "spark-kubernetes-executor" asks for a hostPort, which Fargate does not support',
        hint: 'remove hostPort and reach the pod through a Service',
      },
      {
        rule: 'fargate-unsupported',
        severity: 'error',
        fieldPath: 'spec.hostPID',
        message: 'hostPID is not supported on Fargate: the pod is never scheduled',
        hint: 'remove hostPID, or run this workload on EC2 nodes',
      },
      {
        rule: 'fargate-unsupported',
        severity: 'error',
        fieldPath: 'spec.initContainers[0].securityContext.privileged',
        message: 'container "fetch" is privileged, which Fargate does not run',
        hint: 'drop privileged; Fargate pods run unprivileged in their own micro-VM',
      },
    ]);
    expect(full(run([pod({})])).filter((f) => f.rule === 'fargate-unsupported')).toEqual([]);
  });
});
