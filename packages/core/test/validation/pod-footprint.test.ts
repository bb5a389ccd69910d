import { describe, expect, it } from 'vitest';
import { effectiveLimitRange } from '../../src/index.js';
import { formatCores, formatMiB } from '../../src/validation/runtime/pod-footprint.js';

describe('effectiveLimitRange: the LimitRange as admission applies it', () => {
  it('an absent default limit falls back to max (SetDefaults_LimitRangeItem), for CPU and memory', () => {
    expect(
      effectiveLimitRange({
        default: { memory: '2Gi' },
        defaultRequest: { cpu: '250m', memory: '512Mi' },
        max: { cpu: '8', memory: '32Gi' },
      }),
    ).toEqual({
      defaultRequest: { cores: 0.25, memoryMiB: 512 },
      defaultLimit: { cores: 8, memoryMiB: 2048 },
      max: { cores: 8, memoryMiB: 32768 },
    });
    expect(
      effectiveLimitRange({ default: { cpu: '2', memory: '2Gi' }, defaultRequest: { cpu: '250m', memory: '512Mi' } }),
    ).toEqual({
      defaultRequest: { cores: 0.25, memoryMiB: 512 },
      defaultLimit: { cores: 2, memoryMiB: 2048 },
      max: { cores: undefined, memoryMiB: undefined },
    });
  });
});

describe('formatMiB and formatCores, as messages show sizes', () => {
  it.each([
    [512, '512Mi'],
    [1000.2, '1001Mi'],
    [1023, '1023Mi'],
    [1024, '1Gi'],
    [1536, '1.5Gi'],
    [1025, '1Gi'],
    [15129, '14.8Gi'],
    [32768, '32Gi'],
  ])('%s MiB -> %s', (mib, text) => {
    expect(formatMiB(mib)).toBe(text);
  });

  it('cores to at most three decimals', () => {
    expect(formatCores(3.85)).toBe('3.85');
    expect(formatCores(1 / 3)).toBe('0.333');
  });
});
