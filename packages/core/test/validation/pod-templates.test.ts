import { describe, expect, it } from 'vitest';
import { applied, ofRule, podTemplate, run, template } from './fixtures.js';

const executor = (spec: Record<string, unknown>) =>
  template('pod-templates/ml/executor.yaml', podTemplate('executor', spec));

describe('pod-template-container-name', () => {
  it('refuses a misspelled Spark container and a template without one', () => {
    expect(
      ofRule(run([executor({ containers: [{ name: 'spark-kubernetes-exec' }] })]), 'pod-template-container-name').map(
        (f) => f.location.fieldPath,
      ),
    ).toEqual(['spec.containers[0].name']);
    expect(
      ofRule(run([executor({ containers: [{ name: 'main' }] })]), 'pod-template-container-name').map(
        (f) => f.location.fieldPath,
      ),
    ).toEqual(['spec.containers']);
    expect(
      ofRule(
        run([executor({ containers: [{ name: 'spark-kubernetes-driver' }, { name: 'spark-kubernetes-executor' }] })]),
        'pod-template-container-name',
      ),
    ).toHaveLength(1);
  });

  it('accepts sidecars next to the Spark container, and ignores Pods that are applied', () => {
    expect(
      run([
        executor({
          containers: [{ name: 'spark-kubernetes-executor' }, { name: 'fluent-bit', image: 'fluent/fluent-bit:3.1' }],
        }),
      ]),
    ).toEqual([]);
    const pod = applied('addons/pod-debug.yaml', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'default' },
      spec: { containers: [{ name: 'debug', image: 'busybox:1.36' }] },
    });
    expect(ofRule(run([pod]), 'pod-template-container-name')).toEqual([]);
  });
});

describe('pod-template-reserved-path', () => {
  it('refuses mounts at or under /mnt, in containers and initContainers', () => {
    const volumes = [{ name: 'local', emptyDir: {} }];
    const findings = ofRule(
      run([
        executor({
          volumes,
          initContainers: [
            { name: 'fetch-code', image: 'busybox:1.36', volumeMounts: [{ name: 'local', mountPath: '/mnt/' }] },
          ],
          containers: [
            { name: 'spark-kubernetes-executor', volumeMounts: [{ name: 'local', mountPath: '/mnt/spark' }] },
          ],
        }),
      ]),
      'pod-template-reserved-path',
    );
    expect(findings.map((f) => f.location.fieldPath).sort()).toEqual([
      'spec.containers[0].volumeMounts[0].mountPath',
      'spec.initContainers[0].volumeMounts[0].mountPath',
    ]);
  });

  it('accepts other paths, including ones that only start with the letters mnt', () => {
    expect(
      run([
        executor({
          volumes: [{ name: 'local', emptyDir: {} }],
          containers: [
            {
              name: 'spark-kubernetes-executor',
              volumeMounts: [
                { name: 'local', mountPath: '/data' },
                { name: 'local', mountPath: '/mnt2' },
              ],
            },
          ],
        }),
      ]),
    ).toEqual([]);
  });
});

describe('pod-template-field', () => {
  it("refuses a pod securityContext and fields of the Spark container outside EMR's lists, and leaves init and sidecar containers free", () => {
    const findings = ofRule(
      run([
        executor({
          securityContext: { runAsNonRoot: true },
          hostNetwork: true,
          initContainers: [
            { name: 'fetch-code', image: 'busybox:1.36', command: ['true'], securityContext: { runAsNonRoot: true } },
          ],
          containers: [
            {
              name: 'spark-kubernetes-executor',
              securityContext: { allowPrivilegeEscalation: false },
              command: ['/bin/sh'],
            },
            {
              name: 'fluent-bit',
              image: 'fluent/fluent-bit:3.1',
              securityContext: { runAsNonRoot: true },
              ports: [{ containerPort: 2020 }],
            },
          ],
        }),
      ]),
      'pod-template-field',
    );
    expect(findings.map((f) => [f.location.fieldPath, f.severity])).toEqual([
      ['spec.containers[0].command', 'error'],
      ['spec.containers[0].securityContext', 'error'],
      ['spec.hostNetwork', 'error'],
      ['spec.securityContext', 'error'],
    ]);
    expect(findings.find((f) => f.location.fieldPath === 'spec.securityContext')?.message).toBe(
      "securityContext is not a field EMR on EKS allows in a pod template's spec (https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html#pod-template-fields): EMR fails the job before it starts",
    );
    expect(findings.find((f) => f.location.fieldPath === 'spec.securityContext')?.hint).toMatch(
      /EMR sets the pod's security context itself/,
    );
  });

  it('leaves the session executor template alone: Spark reads it, not EMR', () => {
    const session = template(
      'tenants/ml/pod-templates/session-executor.yaml',
      podTemplate('executor', { securityContext: { fsGroup: 1000 } }),
    );
    expect(ofRule(run([session]), 'pod-template-field')).toEqual([]);
  });

  it("accepts every field on EMR's lists", () => {
    expect(
      run([
        executor({
          priorityClassName: 'spark-executor',
          terminationGracePeriodSeconds: 100,
          nodeSelector: { 'karpenter.sh/capacity-type': 'spot' },
          containers: [
            {
              name: 'spark-kubernetes-executor',
              env: [{ name: 'A', value: 'b' }],
              resources: { limits: { 'nvidia.com/gpu': '1' } },
              workingDir: '/opt',
            },
          ],
        }),
      ]),
    ).toEqual([]);
  });
});
