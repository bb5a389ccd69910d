import { ConfigurationError, HelmValuesError } from '@emr-eks-gitops/core';
import { describe, expect, it } from 'vitest';
import { collectIssues, type RenderIssue } from '../src/config/render-error.js';

describe('collectIssues: a builder refusal becomes a located issue of its rule', () => {
  it('a refused prop is config-value at its field under the section', () => {
    const issues: RenderIssue[] = [];
    const built = collectIssues(issues, ['addons', 'prometheus'], () => {
      throw new ConfigurationError('server.retention', 'must be a Prometheus duration such as 15d');
    });
    expect(built).toBeUndefined();
    expect(issues.map(({ rule, location, message }) => ({ rule, path: location.path, message }))).toEqual([
      {
        rule: 'config-value',
        path: ['addons', 'prometheus', 'server', 'retention'],
        message: 'must be a Prometheus duration such as 15d',
      },
    ]);
  });

  it("values the builder wrote that its chart's schema refuses are helm-values, as JupyterHub's", () => {
    const issues: RenderIssue[] = [];
    collectIssues(issues, ['addons', 'prometheus'], () => {
      throw new HelmValuesError({ name: 'prometheus', version: '29.27.0' }, [
        { path: '/configmapReload/prometheus/enabled', message: 'must be boolean' },
      ]);
    });
    expect(issues.map(({ rule, location, message }) => ({ rule, path: location.path, message }))).toEqual([
      {
        rule: 'helm-values',
        path: ['addons', 'prometheus', 'values'],
        message: 'the prometheus chart 29.27.0 refuses its values: /configmapReload/prometheus/enabled must be boolean',
      },
    ]);
  });

  it('anything else is a bug and propagates', () => {
    expect(() =>
      collectIssues([], [], () => {
        throw new TypeError('x is undefined');
      }),
    ).toThrow(TypeError);
  });
});
