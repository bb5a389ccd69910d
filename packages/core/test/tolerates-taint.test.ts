import { describe, expect, it } from 'vitest';
import { toleratesTaint } from '../src/index.js';

const executorTaint = { key: 'emr-eks-gitops.io/workload', value: 'spark-executor', effect: 'NoSchedule' } as const;

describe('toleratesTaint (kube-scheduler rule, shared by builders and validation)', () => {
  it.each([
    [{ key: 'emr-eks-gitops.io/workload', operator: 'Equal', value: 'spark-executor', effect: 'NoSchedule' }, true],
    [{ key: 'emr-eks-gitops.io/workload', value: 'spark-executor' }, true], // no operator means Equal; no effect means any
    [{ key: 'emr-eks-gitops.io/workload', operator: 'Equal', value: 'spark-driver' }, false],
    [{ key: 'emr-eks-gitops.io/workload', operator: 'Exists' }, true],
    [{ key: 'emr-eks-gitops.io/workload', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ operator: 'Exists' }, true], // no key with Exists tolerates everything
    [{ key: '', operator: 'Exists' }, true],
    [{ operator: 'Equal', value: 'spark-executor' }, false],
    [{ key: 'nvidia.com/gpu', operator: 'Exists' }, false], // Exists tolerates any value of its own key only
    [
      { key: 'emr-eks-gitops.io/workload', operator: 'Equal', value: 'spark-executor', effect: 'PreferNoSchedule' },
      false,
    ],
  ])('%j -> %s', (toleration, expected) => {
    expect(toleratesTaint(toleration, executorTaint)).toBe(expected);
  });

  it('a taint without a value is tolerated by Equal with no value, not by Equal with one', () => {
    const bare = { key: 'dedicated', effect: 'NoSchedule' };
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal' }, bare)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'x' }, bare)).toBe(false);
  });
});
