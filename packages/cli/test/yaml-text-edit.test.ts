import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { replaceMapping } from '../src/yaml-text-edit.js';

const FILE = `# a tenant file
environments:
  dev:
    quota: { cpu: 16, pods: 60 }        # dev's share
    releaseLabel: emr-7.5.0-latest      # what dev tries
    spark:
      maxJobDuration: 4h                # aligned comment
      localDisk: ebs
    command: [sh, -c, "echo dev"]
  prod: {}
`;

describe('replaceMapping: YAML edits that keep every unchanged line as written', () => {
  it("rewrites a changed scalar in place (its comment and alignment kept), deletes a dropped key's line, appends new keys", () => {
    const next = {
      quota: { cpu: 16, pods: 60 },
      releaseLabel: 'emr-7.9.0-20250425',
      spark: { maxJobDuration: '4h', extraProperties: { 'spark.a': 'true' } },
      command: ['sh', '-c', 'echo dev'],
      retired: true,
    };
    const edited = replaceMapping(FILE, ['environments', 'dev'], next);
    expect(edited).toBe(`# a tenant file
environments:
  dev:
    quota: { cpu: 16, pods: 60 }        # dev's share
    releaseLabel: emr-7.9.0-20250425      # what dev tries
    spark:
      maxJobDuration: 4h                # aligned comment
      extraProperties:
        spark.a: "true"
    command: [sh, -c, "echo dev"]
    retired: true
  prod: {}
`);
    expect(parse(edited).environments.dev).toEqual(next);
  });

  it("a flow mapping, a list or a value that changes shape is written anew as flow YAML on its key's line", () => {
    const edited = replaceMapping(FILE, ['environments', 'dev'], {
      quota: { cpu: 32, pods: 60 },
      releaseLabel: 'emr-7.5.0-latest',
      spark: 'none',
      command: ['sh', '-c', 'echo staging'],
    });
    expect(edited).toContain('    quota: { cpu: 32, pods: 60 }\n');
    expect(edited).toContain('    spark: none\n    command: [ sh, -c, echo staging ]\n');
    expect(parse(edited).environments.dev.command).toEqual(['sh', '-c', 'echo staging']);
  });

  it('fills an empty mapping, and an empty mapping in `next` removes the key (a patch that says nothing)', () => {
    expect(replaceMapping(FILE, ['environments', 'prod'], { releaseLabel: 'emr-7.2.0-20240610' })).toContain(
      '  prod: { releaseLabel: emr-7.2.0-20240610 }\n',
    );
    const emptied = replaceMapping(FILE, ['environments', 'dev'], {
      quota: { cpu: 16, pods: 60 },
      releaseLabel: 'emr-7.5.0-latest',
      spark: {},
      command: ['sh', '-c', 'echo dev'],
    });
    expect(parse(emptied).environments.dev).toEqual({
      quota: { cpu: 16, pods: 60 },
      releaseLabel: 'emr-7.5.0-latest',
      command: ['sh', '-c', 'echo dev'],
    });
  });
});
