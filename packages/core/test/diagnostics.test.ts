import { describe, expect, it } from 'vitest';
import {
  RULES,
  atConfigPath,
  configDiagnostic,
  formatProblem,
  messageText,
  parseConfigPath,
  placeDiagnostic,
  problemJson,
  ruleTable,
  withRuleTables,
} from '../src/index.js';

describe('Diagnostic', () => {
  it('takes its severity from the catalog unless the rule says otherwise', () => {
    expect(RULES['quota-exceeds-capacity'].severity).toBe('warning');
    expect(configDiagnostic('quota-exceeds-capacity', ['quota', 'cpu'], 'too much').severity).toBe('warning');
    expect(configDiagnostic('prod-latest-ami', [], 'drifts', { severity: 'warning' }).severity).toBe('warning');
    expect(configDiagnostic('tenant-unique', ['tenants', 1, 'name'], 'taken')).toEqual({
      rule: 'tenant-unique',
      severity: 'error',
      message: 'taken',
      location: { kind: 'config', path: ['tenants', 1, 'name'] },
    });
  });

  it('prints the hint after the message and the rule id at the end, unless the rule never named it', () => {
    const tagged = configDiagnostic('quota-holds-job', ['quota', 'pods'], 'one job needs 3 pods', {
      hint: 'raise quota.pods',
    });
    expect(messageText(tagged)).toBe('one job needs 3 pods; raise quota.pods [quota-holds-job]');
    expect(messageText(configDiagnostic('tenant-unique', [], '"a" is already the name of tenants[0]'))).toBe(
      '"a" is already the name of tenants[0]',
    );
  });

  it('is located at a config path, re-rooted by the caller and placed at its line', () => {
    const problem = configDiagnostic('fargate-pod-size', parseConfigPath('jobSize.driver.cores'), 'too large', {
      hint: 'shrink it',
    });
    expect(problem.location.path).toEqual(['jobSize', 'driver', 'cores']);
    const rooted = atConfigPath(
      problem,
      ['tenants', 2, 'spark', 'jobSize', 'driver', 'cores'],
      'jobs asking for class gpu: ',
    );
    const placed = placeDiagnostic(rooted, { file: 'environments/dev.yaml', line: 12, column: 7 });
    expect(formatProblem(placed)).toBe(
      'environments/dev.yaml:12:7: tenants[2].spark.jobSize.driver.cores: jobs asking for class gpu: too large; shrink it [fargate-pod-size]',
    );
    expect(problemJson(placed)).toEqual({
      file: 'environments/dev.yaml',
      line: 12,
      column: 7,
      path: 'tenants[2].spark.jobSize.driver.cores',
      message: 'jobs asking for class gpu: too large; shrink it [fargate-pod-size]',
    });
    expect(
      formatProblem(
        placeDiagnostic(configDiagnostic('config-syntax', [], 'YAML syntax error: x'), {
          file: 'f.yaml',
          line: 1,
          column: 2,
        }),
      ),
    ).toBe('f.yaml:1:2: YAML syntax error: x');
  });
});

describe('the rule tables', () => {
  it('list the rules of a topic, rules that share a row in its first column, warnings marked', () => {
    const table = ruleTable('rendered-objects').split('\n');
    expect(table.slice(0, 2)).toEqual(['| rule | every rendered object |', '|---|---|']);
    expect(table).toContain(
      `| \`capacity-unschedulable\`, \`driver-on-spot\`, \`executor-spot-first\` (warning), \`gpu-pool-device-request\` | ${RULES['capacity-unschedulable'].docs as string} |`,
    );
  });

  it('replace what stands between the markers of each topic, and only that', () => {
    const markdown = 'intro\n<!-- rules:aws-documents -->\nstale\n<!-- /rules:aws-documents -->\noutro\n';
    expect(withRuleTables(markdown)).toBe(
      `intro\n<!-- rules:aws-documents -->\n${ruleTable('aws-documents')}\n<!-- /rules:aws-documents -->\noutro\n`,
    );
    expect(withRuleTables(withRuleTables(markdown))).toBe(withRuleTables(markdown));
    expect(() => withRuleTables('<!-- rules:nope -->\n<!-- /rules:nope -->')).toThrow(/no rule topic "nope"/);
  });
});
