import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadEnvironmentText, renderEnvironment, toYaml } from '../src/index.js';
import { YAML_OPTIONS, blockYaml } from '../src/render/block-yaml.js';
import { committedEnvironmentText } from './committed-environments.js';

const library = (value: unknown) => stringify(value, YAML_OPTIONS);

describe('toYaml fast path (blockYaml)', () => {
  it('writes every object of every environment byte for byte as the yaml library does', () => {
    const slow: string[] = [];
    for (const name of ['dev', 'staging', 'prod', 'sandbox']) {
      const text = committedEnvironmentText(name);
      const { objects } = renderEnvironment(loadEnvironmentText(text, `environments/${name}.yaml`).config);
      for (const { object, path } of objects) {
        const fast = blockYaml(object);
        if (fast === undefined) slow.push(`${name}/${path}`);
        expect(toYaml(object), path).toBe(library(object));
        if (fast !== undefined) expect(fast, path).toBe(library(object));
      }
    }
    // Only a multi-line scalar sends an object to the library: the Flux GitRepository's `ignore` list, YuniKorn's
    // queues.yaml, and the Grafana dashboards' JSON (kept indented so that a dashboard's diff is readable).
    const dashboards = slow.filter((path) => /\/addons\/prometheus\/configmap-dashboard-[a-z-]+\.yaml$/.test(path));
    expect(dashboards.length).toBeGreaterThanOrEqual(12);
    expect(slow.filter((path) => !dashboards.includes(path))).toEqual([
      'dev/flux/gitrepository-emr-eks-gitops.yaml',
      'staging/addons/yunikorn/application-emr-eks-gitops-staging-addon-yunikorn.yaml',
      'prod/flux/gitrepository-emr-eks-gitops.yaml',
      'sandbox/flux/gitrepository-emr-eks-gitops.yaml',
    ]);
  });

  // Scalars the library quotes, escapes or writes over several lines, and YAML 1.1 look-alikes.
  const strings = [
    '',
    'a',
    'on',
    'On',
    'ON',
    'off',
    'y',
    'Y',
    'n',
    'yes',
    'No',
    'true',
    'False',
    'null',
    'Null',
    '~',
    '<<',
    '=',
    '0777',
    '0o17',
    '1e3',
    '1.5',
    '.5',
    '1_000',
    '0x1F',
    '0b101',
    '+1',
    '-1',
    '12:30',
    '190:20:30.15',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '.inf',
    '-.Inf',
    '.nan',
    '80',
    '- x',
    '-',
    '?',
    '? x',
    ':',
    'a:',
    'a: b',
    'a:b',
    'x #y',
    'x#y',
    '#x',
    '&a',
    '*a',
    '!t',
    '|',
    '>',
    '%x',
    '@x',
    '`x',
    '"q',
    "'q",
    ' a',
    'a ',
    'tab\tx',
    '\u0001x',
    'é',
    '日本',
    '\ud800',
    'k8s.io/name',
    'app.kubernetes.io/part-of',
    's3://bucket/key',
    'arn:aws:iam::123456789012:role/x',
    '0 0 * * 1-5',
    '500m',
    '4Gi',
    '[a]',
    '{a}',
    'a,b',
    'x'.repeat(300),
    '% x',
    'a---',
    'a ---',
  ];
  const numbers = [0, 1, -1, 1.5, -0.25, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  // What the fast path leaves to the library: multi-line and document-marker strings, long keys, -0, not JSON.
  const others = [
    'x\ny',
    'x\n',
    '\nx',
    '--- x',
    '...',
    'a\n---\nb',
    '%YAML',
    'k'.repeat(1100),
    -0,
    undefined,
    new Date(0),
    10n,
    { toJSON: () => 'x' },
    new Map([['a', 1]]),
  ];

  /** A small deterministic generator: nested maps and sequences of the scalars above, empty ones included. */
  function generator(seed: number) {
    let state = seed;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return (state >>> 8) % n;
    };
    const pick = <T>(items: readonly T[]) => items[next(items.length)]!;
    const scalar = (): unknown => {
      const kind = next(100);
      return kind < 70
        ? pick(strings)
        : kind < 85
          ? pick(numbers)
          : kind < 98
            ? pick([true, false, null])
            : pick(others);
    };
    const value = (depth: number): unknown => {
      const kind = next(depth > 3 ? 1 : 4);
      if (kind === 0) return scalar();
      if (kind === 1) return Array.from({ length: next(4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: next(4) }, () => [next(50) === 0 ? pick(others) : pick(strings), value(depth + 1)]),
      );
    };
    return value;
  }

  it('gives what the yaml library gives on generated values, or leaves them to it', () => {
    let fastPaths = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const value = generator(seed)(0);
      if (blockYaml(value) !== undefined) fastPaths++;
      expect(toYaml(value), inspect(value, { depth: 10 })).toBe(library(value));
    }
    expect(fastPaths).toBeGreaterThan(1000);
  });

  it("keeps the library's layout of nested and empty collections", () => {
    const value = { a: {}, b: [], c: [[1, 2], [], {}, { x: 1, y: [3] }, [[{}]]], d: { e: { f: 'on' } }, z: [null] };
    expect(blockYaml(value)).toBe(library(value));
    expect(blockYaml([{ a: 1 }, [{}], 'x'])).toBe(library([{ a: 1 }, [{}], 'x']));
  });

  it('leaves values that are not plain JSON to the library', () => {
    for (const value of [{ a: undefined }, { a: new Date(0) }, { a: 1n }, { a: 'x\ny' }, 'on', 1, {}, [], null]) {
      expect(blockYaml(value)).toBeUndefined();
    }
  });
});
