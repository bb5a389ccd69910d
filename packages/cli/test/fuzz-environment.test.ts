import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvironmentFileError, loadEnvironmentText } from '@emr-eks-gitops/charts';
import { repoEnvironmentText, runCli, tempProject } from './support/project.js';

/**
 * Bad input never crashes the loader: mutants of the committed environment files and classic bad YAML end in a
 * located error, exit 2, no stack trace and nothing written. Fixed seeds keep the runs repeatable and short.
 */
const ENVIRONMENTS = ['dev', 'staging', 'prod', 'sandbox'] as const;
const committed = (env: string) => repoEnvironmentText(env);

const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
].join('\n');
const SWAPPED_VALUES = [
  '[]',
  '{}',
  '~',
  '""',
  '"text"',
  '0',
  '-1',
  'true',
  '1e400',
  '.nan',
  '-.inf',
  '123456789012345678901234567890',
  '0x1F',
  '[a, [b]]',
  '{ a: 1 }',
];
const CONTROL = [0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f, 0x80, 0x9f];

type Mutate = (text: string) => string;
const lines = (text: string) => text.split('\n');
const onLine =
  (at: number, change: (line: string) => string[]): Mutate =>
  (text) => {
    const all = lines(text);
    const i = at % all.length;
    return [...all.slice(0, i), ...change(all[i]!), ...all.slice(i + 1)].join('\n');
  };
const atOffset =
  (at: number, insert: string): Mutate =>
  (text) =>
    text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1));

/** One edit of an environment file, the kinds a hand or a broken tool makes. */
const mutation: fc.Arbitrary<Mutate> = fc.oneof(
  fc.nat().map((at) => onLine(at, () => [])), // deletion
  fc.nat().map((at) => onLine(at, (line) => [line, line])), // duplicate key or list entry
  fc.nat().map(
    (at): Mutate =>
      (text) =>
        text.slice(0, at % text.length),
  ), // truncation
  fc.nat().map((at) => onLine(at, (line) => [line.replace(/^ +/, '\t')])), // tab indentation
  fc.tuple(fc.nat(), fc.constantFrom(...CONTROL)).map(([at, code]) => atOffset(at, String.fromCharCode(code))),
  fc
    .tuple(fc.nat(), fc.constantFrom(...SWAPPED_VALUES))
    .map(([at, value]) => onLine(at, (line) => [line.replace(/:( +)\S.*$/, `:$1${value}`)])),
  fc.constant<Mutate>((text) => `\uFEFF${text}`),
  fc.constant<Mutate>((text) => `${ALIAS_BOMB}\n${text}`),
  fc
    .tuple(fc.nat(), fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{ a: '))
    .map(([at, depth, open]) =>
      onLine(at, (line) => [
        line.replace(/:( +)\S.*$/, `:$1${open.repeat(depth)}1${(open === '[' ? ']' : ' }').repeat(depth)}`),
      ]),
    ),
);
const mutant = fc
  .record({
    env: fc.constantFrom(...ENVIRONMENTS),
    edits: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  })
  .map(({ env, edits }) => {
    const text = edits.reduce((current, edit) => edit(current), committed(env));
    return { env, text };
  });

/** Every problem names the file and a line and column inside it (or just past its last line). */
function expectLocated(error: EnvironmentFileError, env: string, text: string): void {
  expect(error.problems.length).toBeGreaterThan(0);
  for (const problem of error.problems) {
    expect(problem.location.source.file).toBe(`environments/${env}.yaml`);
    expect(problem.location.source.line).toBeGreaterThanOrEqual(1);
    expect(problem.location.source.line).toBeLessThanOrEqual(lines(text).length + 1);
    expect(problem.location.source.column).toBeGreaterThanOrEqual(1);
    expect(problem.message).not.toBe('');
  }
}

/** `render --env <env>` of a project whose only environment file is `text`, and no dist-manifests/ yet. */
async function renderAlone(env: string, text: string) {
  const root = tempProject();
  for (const other of ENVIRONMENTS) if (other !== env) rmSync(join(root, 'environments', `${other}.yaml`));
  writeFileSync(join(root, 'environments', `${env}.yaml`), text); // a mutant may equal the committed file
  const result = await runCli(root, ['render', '--env', env]);
  return { ...result, wrote: existsSync(join(root, 'dist-manifests')) };
}

/** Refused: exit 2, no stack trace, nothing written; returns stderr. */
async function refusedAlone(env: string, text: string): Promise<string> {
  const result = await renderAlone(env, text);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).toContain('nothing was written');
  expect(result.wrote).toBe(false);
  return result.stderr;
}

describe('classic bad YAML: a located error, exit 2, no stack trace, nothing written', () => {
  const dev = committed('dev');
  const lineOf = (snippet: string) => lines(dev.slice(0, dev.indexOf(snippet))).length;

  it('an alias bomb, at the first alias that multiplies aliases', async () => {
    expect(await refusedAlone('dev', `${ALIAS_BOMB}\n${dev}`)).toMatch(
      /^environments\/dev\.yaml:3:8: YAML aliases here expand past 100 nodes, the shape of an alias bomb \("billion laughs"\); write the values out instead of aliasing aliases$/m,
    );
  });

  it('nesting too deep to parse, flow and block', async () => {
    const flow = await refusedAlone('dev', dev.replace('pods: 60,', `pods: ${'['.repeat(5000)}${']'.repeat(5000)},`));
    expect(flow).toMatch(
      new RegExp(
        `^environments/dev\\.yaml:${lineOf('pods: 60,')}:\\d+: YAML syntax error: the YAML nests too deeply to parse \\(an environment file needs a few levels, not hundreds\\)$`,
        'm',
      ),
    );
    const block = await refusedAlone(
      'dev',
      `${dev}${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`,
    );
    expect(block).toMatch(/^environments\/dev\.yaml:\d+:\d+: YAML syntax error: the YAML nests too deeply to parse/m);
  });

  it('a duplicate key', async () => {
    expect(await refusedAlone('dev', dev.replace('cluster:\n', 'cluster: {}\ncluster:\n'))).toContain(
      `environments/dev.yaml:${lineOf('cluster:') + 1}:1: YAML syntax error: Map keys must be unique`,
    );
  });

  it('control characters, one message per line, at the character', async () => {
    const stderr = await refusedAlone(
      'dev',
      dev
        .replace('ap-northeast-2', 'ap-north\u0007east-2')
        .replace('spark-platform-dev', 'spark\u0000\u0001platform-dev'),
    );
    const region = lines(dev).findIndex((line) => line.includes('ap-northeast-2')) + 1;
    expect(stderr).toContain(
      `environments/dev.yaml:${region}:19: the character U+0007 is not allowed in YAML (YAML 1.2.2 §5.1: printable characters only); delete it, or write it as an escape in a double-quoted string`,
    );
    expect(stderr).toMatch(/: the character U\+0000 is not allowed in YAML/);
    expect(stderr).not.toMatch(/U\+0001/);
  });

  it('tab indentation', async () => {
    expect(await refusedAlone('dev', dev.replace('  region:', '\tregion:'))).toContain(
      `environments/dev.yaml:${lineOf('  region:')}:1: YAML syntax error: Tabs are not allowed as indentation`,
    );
  });

  it('a number too large to hold, where an integer and where a quantity is expected', async () => {
    const stderr = await refusedAlone(
      'dev',
      dev.replace('pods: 60,', 'pods: 1e400,').replace('region: ap-northeast-2', 'region: .nan'),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${lineOf('pods: 60,')}:${dev.slice(dev.indexOf('pods: 60,')).indexOf('60') + 1 + lines(dev)[lineOf('pods: 60,') - 1]!.indexOf('pods: 60,')}: tenants[0].quota.pods: must be an integer, got Infinity (a number too large to hold, or .inf/.nan)`,
    );
    expect(stderr).toContain('cluster.region: must be a string, got NaN (a number too large to hold, or .inf/.nan)');
  });

  it('a truncated file', async () => {
    expect(await refusedAlone('dev', dev.slice(0, dev.indexOf('tenants:') + 'tenants:'.length))).toMatch(
      /^environments\/dev\.yaml:\d+:\d+: tenants: /m,
    );
  });

  it('a byte order mark is accepted (YAML 1.2.2 §5.2 allows one at the start of a stream)', async () => {
    const result = await renderAlone('dev', `\uFEFF${dev}`);
    expect(result.exitCode).toBe(0);
  });
});

describe('fuzzed environment files', () => {
  it('the loader answers every mutant with a configuration or located problems, never an exception', () => {
    fc.assert(
      fc.property(mutant, ({ env, text }) => {
        try {
          loadEnvironmentText(text, `environments/${env}.yaml`);
        } catch (error) {
          if (!(error instanceof EnvironmentFileError)) throw error;
          expectLocated(error, env, text);
        }
      }),
      { seed: 27, numRuns: 200 },
    );
  });

  it('render answers every mutant with output (exit 0) or located problems (exit 2), no stack trace, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(mutant, async ({ env, text }) => {
        const result = await renderAlone(env, text);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        if (result.exitCode === 0) return;
        expect(result.exitCode).toBe(2);
        expect(result.wrote).toBe(false);
        expect(result.stderr).toMatch(new RegExp(`^environments/${env}\\.yaml:\\d+:\\d+: `, 'm'));
      }),
      { seed: 27, numRuns: 25 },
    );
  });
});
