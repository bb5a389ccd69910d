import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentText, renderEnvironment } from '../src/index.js';
import { committedEnvironmentText } from './committed-environments.js';

// Every tenant's rendered StartJobRun and CreateJobTemplate documents, in every committed environment, against the
// EMR containers API's request shapes (core's schemas/emr-containers/job-requests.schema.json, from the service model).

const ENVIRONMENTS = ['dev', 'prod', 'sandbox', 'staging'];
const schema = JSON.parse(
  readFileSync(new URL('../../core/schemas/emr-containers/job-requests.schema.json', import.meta.url), 'utf8'),
);
// strictRequired off: JobDriver's "exactly one driver" is a oneOf of required members declared beside it.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addSchema(schema);
const validatorOf = (shape: string) => ajv.getSchema(`${schema.$id}#/definitions/${shape}`)!;
const startJobRun = validatorOf('StartJobRunRequest');
const createJobTemplate = validatorOf('CreateJobTemplateRequest');

const errorsOf = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);

function rendered(env: string) {
  const text = committedEnvironmentText(env);
  const config = loadEnvironmentText(text, `environments/${env}.yaml`).config;
  const result = renderEnvironment(config);
  return config.tenants.map((tenant) => {
    const file = (name: string) => JSON.parse(result.files.get(`artifacts/tenants/${tenant.name}/${name}`)!);
    return {
      env,
      tenant: tenant.name,
      overrides: file('configuration-overrides.json'),
      start: file('start-job-run.json'),
      template: file('job-template.json'),
    };
  });
}
const documents = ENVIRONMENTS.flatMap(rendered);

/** jobTemplateData with every ${Name} replaced as EMR does at start-job-run: the given value, else the default. */
function startFromTemplate(template: { jobTemplateData: Record<string, any> }, parameters: Record<string, string>) {
  const { parameterConfiguration, ...data } = template.jobTemplateData;
  const text = JSON.stringify(data).replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    const value = parameters[name] ?? parameterConfiguration[name]?.defaultValue;
    if (value === undefined) throw new Error(`job template parameter ${name} has no value and no default`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text);
}

describe("rendered EMR job documents against the API's request shapes", () => {
  it('covers every tenant of every environment', () => {
    const tenants = (env: string) =>
      env === 'sandbox'
        ? ['explore', 'shuffle-lab']
        : ['app-dev', 'data-eng', 'ml', ...(env === 'staging' ? ['reporting'] : [])];
    expect(documents.map((d) => `${d.env}/${d.tenant}`)).toEqual(
      ENVIRONMENTS.flatMap((env) => tenants(env).map((t) => `${env}/${t}`)),
    );
  });

  it.each(documents.map((d) => [`${d.env}/${d.tenant}`, d] as const))(
    '%s: job-template.json is a valid CreateJobTemplateRequest',
    (_, d) => {
      expect(createJobTemplate(d.template), errorsOf(createJobTemplate.errors).join('\n')).toBe(true);
      expect(d.template.jobTemplateData.configurationOverrides).toEqual(d.overrides);
      // Every ${Name} in jobTemplateData is a declared parameter, and every declared one is used.
      const used = [...JSON.stringify(d.template.jobTemplateData).matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).sort();
      expect(used).toEqual(Object.keys(d.template.jobTemplateData.parameterConfiguration).sort());
    },
  );

  // EMR on EKS guide, "Defining job template parameters": each ${Name} in a jobTemplateData value is replaced by the
  // value given at start-job-run, else the parameter's defaultValue; a parameter with neither fails the start.
  it.each(documents.map((d) => [`${d.env}/${d.tenant}`, d] as const))(
    '%s: a job started from the template gets the entry point and no argument',
    (_, d) => {
      expect(() => startFromTemplate(d.template, {})).toThrow(/EntryPoint has no value/);
      const job = startFromTemplate(d.template, { EntryPoint: 's3://code/jobs/main.py' });
      expect(job.jobDriver.sparkSubmitJobDriver).toEqual({ entryPoint: 's3://code/jobs/main.py' });
      // Nothing of the template is left unreplaced, and nothing reaches the job as a stray argument such as "--".
      expect(JSON.stringify(job)).not.toMatch(/\$\{/);
      // Arguments (none, one or many) go through start-job-run.json, whose entryPointArguments is a list of any length.
      expect(d.start.jobDriver.sparkSubmitJobDriver.entryPointArguments).toEqual([]);
    },
  );

  it.each(documents.map((d) => [`${d.env}/${d.tenant}`, d] as const))(
    '%s: start-job-run.json is a valid StartJobRunRequest once filled in',
    (_, d) => {
      expect(d.start.configurationOverrides).toEqual(d.overrides);
      // As submitted: placeholders filled in, and the clientToken the AWS CLI generates for an idempotency token.
      const filled = {
        ...d.start,
        name: `${d.tenant}-nightly`,
        virtualClusterId: 'abcdefghij0123456789klmnop',
        clientToken: 'generated-by-the-aws-cli',
        jobDriver: {
          sparkSubmitJobDriver: { entryPoint: 's3://code/jobs/main.py', entryPointArguments: ['--date', '2026-11-26'] },
        },
      };
      expect(startJobRun(filled), errorsOf(startJobRun.errors).join('\n')).toBe(true);
      // Left unfilled, the API would refuse it at the placeholders.
      expect(startJobRun({ ...d.start, clientToken: 'generated-by-the-aws-cli' })).toBe(false);
      expect(errorsOf(startJobRun.errors)).toEqual([
        '/name must match pattern "^(?:[\\.\\-_/#A-Za-z0-9]+)$"',
        '/virtualClusterId must match pattern "^(?:[0-9a-z]+)$"',
      ]);
    },
  );

  it("the schema holds the service model's constraints (spot checks)", () => {
    const { template } = documents[0]!;
    const bad = (edit: (t: Record<string, any>) => void) => {
      const copy = structuredClone(template);
      edit(copy);
      return createJobTemplate(copy);
    };
    expect(
      bad((t) => {
        t.name = 'x'.repeat(65);
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        t.name = 'dev ml';
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        t.jobTemplateData.releaseLabel = 'emr 7';
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        t.jobTemplateData.parameterConfiguration.EntryPoint.type = 'BOOLEAN';
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        t.jobTemplateData.configurationOverrides.monitoringConfiguration.containerLogRotationConfiguration = {
          rotationSize: '2GB',
          maxFilesToKeep: 5,
        };
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        t.jobTemplateData.jobDriver.sparkSqlJobDriver = { entryPoint: 's3://q.sql' };
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        t.jobTemplateData.configurationOverrides.applicationConfiguration[0].properties['spark.x'] = '';
      }),
    ).toBe(false);
    expect(
      bad((t) => {
        delete t.clientToken;
      }),
    ).toBe(false);
    expect(bad(() => undefined)).toBe(true);
  });
});
