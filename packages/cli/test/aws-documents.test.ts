import { describe, expect, it } from 'vitest';
import { editEnvironment, runCli, tempProject } from './support/project.js';
import { at, refused } from './support/refused.js';

/**
 * Configurations whose rendered AWS request documents (start-job-run.json, job-template.json) the EMR containers API
 * would refuse only at submission: `render` refuses them at the field they come from, exit 2, nothing written.
 */
describe('render refuses AWS request documents the API would refuse, at the field they come from', () => {
  const withProperty = (name: string, value: string) => (text: string) =>
    text.replace(
      '        spark.sql.adaptive.enabled: "true"',
      `        spark.sql.adaptive.enabled: "true"\n        ${name}: ${value}`,
    );

  it("a spark-defaults value longer than the model's String1024", async () => {
    const { stderr, file } = await refused(
      'dev',
      withProperty('spark.executor.extraJavaOptions', `"${'-Dx=1 '.repeat(180)}"`),
    );
    const place = `environments/dev.yaml:${at(file, '"-Dx=1')}: tenants[2].spark.extraProperties.spark.executor.extraJavaOptions`;
    expect(stderr).toContain(
      `${place}: artifacts/tenants/ml/start-job-run.json at $.configurationOverrides.applicationConfiguration[0].properties["spark.executor.extraJavaOptions"] breaks the EMR containers API's StartJobRunRequest (String1024: must NOT have more than 1024 characters): aws emr-containers start-job-run would refuse it; change the value it comes from [emr-request-shape]`,
    );
    expect(stderr).toContain(
      `${place}: artifacts/tenants/ml/job-template.json at $.jobTemplateData.configurationOverrides.applicationConfiguration[0].properties["spark.executor.extraJavaOptions"] breaks the EMR containers API's CreateJobTemplateRequest (String1024: must NOT have more than 1024 characters): emr apply (CreateJobTemplate) would refuse it; change the value it comes from [emr-request-shape]`,
    );
  });

  it('an empty and a blank spark-defaults value', async () => {
    const { stderr, file } = await refused('dev', (text) =>
      withProperty('spark.blank', '" "')(withProperty('spark.empty', '""')(text)),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '""', 'spark.empty')}: tenants[2].spark.extraProperties.spark.empty: artifacts/tenants/ml/start-job-run.json at $.configurationOverrides.applicationConfiguration[0].properties["spark.empty"] breaks the EMR containers API's StartJobRunRequest (String1024: must NOT have fewer than 1 characters)`,
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '" "', 'spark.blank')}: tenants[2].spark.extraProperties.spark.blank: artifacts/tenants/ml/start-job-run.json at $.configurationOverrides.applicationConfiguration[0].properties["spark.blank"] breaks the EMR containers API's StartJobRunRequest (String1024: must match pattern "^(?:.*\\S.*)$")`,
    );
  });

  it('a property name longer than 1024 characters', async () => {
    const name = `spark.${'x'.repeat(1030)}`;
    const { stderr, file } = await refused('dev', (text) =>
      text.replace(
        '        spark.sql.adaptive.enabled: "true"',
        `        spark.sql.adaptive.enabled: "true"\n        ? ${name}\n        : "1"`,
      ),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, '"1"', name)}: tenants[2].spark.extraProperties.${name}: artifacts/tenants/ml/start-job-run.json at $.configurationOverrides.applicationConfiguration[0].properties["${name}"] breaks the EMR containers API's StartJobRunRequest (String1024: key must NOT have more than 1024 characters)`,
    );
  });

  it("more spark-defaults properties than the model's 100, located at the tenant", async () => {
    const many = Array.from({ length: 100 }, (_, i) => `        spark.extra.p${i}: "${i}"`).join('\n');
    const { stderr, file } = await refused('dev', (text) =>
      text.replace('        spark.sql.adaptive.enabled: "true"', `        spark.sql.adaptive.enabled: "true"\n${many}`),
    );
    expect(stderr).toContain(
      `environments/dev.yaml:${at(file, 'name: ml')}: tenants[2]: artifacts/tenants/ml/start-job-run.json at $.configurationOverrides.applicationConfiguration[0].properties breaks the EMR containers API's StartJobRunRequest (must NOT have more than 100 properties)`,
    );
  });

  it('validate refuses the same, exit 2', async () => {
    const root = tempProject();
    editEnvironment(root, 'dev', withProperty('spark.empty', '""'));
    const result = await runCli(root, ['validate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'tenants[2].spark.extraProperties.spark.empty: artifacts/tenants/ml/start-job-run.json at $.configurationOverrides.applicationConfiguration[0].properties["spark.empty"] breaks the EMR containers API\'s StartJobRunRequest (String1024: must NOT have fewer than 1 characters)',
    );
  });
});
