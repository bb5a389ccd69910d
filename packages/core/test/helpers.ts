import { readFileSync } from 'node:fs';
import { Testing, type Chart } from 'cdk8s';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { ConfigurationError, formatFinding, validateObjects } from '../src/index.js';

/** Synthesizes a chart and returns its objects by `<kind>/<name>`. */
export function synthByName(chart: Chart): Record<string, any> {
  return Object.fromEntries(Testing.synth(chart).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

/** The ConfigurationError `build` throws; fails the test when it throws nothing or something else. */
export function configurationErrorOf(build: () => unknown): ConfigurationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError, but nothing was thrown');
}

// Copies of the Karpenter v1 CRD schemas (additionalProperties: false throughout), so unknown fields fail.
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its default import is the plugin at run time, but typed as the module under NodeNext.
(ajvFormats as unknown as (instance: Ajv) => Ajv)(ajv);
const crdSchema = (file: string) =>
  ajv.compile(JSON.parse(readFileSync(new URL(`./fixtures/karpenter-crds/${file}`, import.meta.url), 'utf8')));
const validators = { NodePool: crdSchema('nodepool_v1.json'), EC2NodeClass: crdSchema('ec2nodeclass_v1.json') };

/** Schema errors of a Karpenter object against its CRD's OpenAPI schema (CEL rules are checked by the builders). */
export function crdSchemaErrors(object: { kind: 'NodePool' | 'EC2NodeClass' }): string[] {
  const validate = validators[object.kind];
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * What the project's own validation (validateObjects: kind schema, unknown fields, names, CEL rules, the capacity and
 * security rules) says about synthesized objects, one formatted line per finding. Unlike a kubernetes-models
 * `validate()`, this also catches unknown fields. Objects of kind Pod are treated as pod templates (not applied).
 */
export function validationFindings(objects: readonly Record<string, any>[], kubernetesVersion = '1.31'): string[] {
  const inputs = objects.map((object) => ({
    path: `${object.kind}-${object.metadata?.name ?? 'template'}.yaml`.toLowerCase(),
    object,
    applied: object.kind !== 'Pod',
  }));
  return validateObjects(inputs, { environment: 'test', production: false, kubernetesVersion }).map(formatFinding);
}
