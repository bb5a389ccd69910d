import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { compiledValidators, type ValidatorSource } from '../primitives/compiled-validators.js';
import { ConfigurationError } from '../primitives/errors.js';
import type { OciHelmChart } from '../delivery/helm-chart.js';

/** Where the vendored values schemas live: `schemas/helm/<chart>/<version>/values.schema.json`. */
const HELM_SCHEMA_ROOT = new URL('../../schemas/helm/', import.meta.url);
const compiled = new Map<string, ValidateFunction>();

/** One value the chart's own schema refuses: where (a JSON pointer into the values) and why. */
export interface HelmValuesProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A builder's release values refused by the chart's own schema (rule `helm-values`, not a value of the caller's props):
 * what `helm install` would refuse, found before a commit.
 */
export class HelmValuesError extends ConfigurationError {
  constructor(chart: Pick<OciHelmChart, 'name' | 'version'>, problems: readonly HelmValuesProblem[]) {
    super(
      'values',
      `the ${chart.name} chart ${chart.version} refuses its values: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    );
  }
}

/**
 * Checks release values against the `values.schema.json` a chart ships, vendored at the pinned version (what
 * `helm install` itself would check, offline). Throws when the project has no vendored schema for that chart and
 * version: a chart pinned to a new version must have its schema vendored with it.
 */
export function helmValuesProblems(
  chart: Pick<OciHelmChart, 'name' | 'version'>,
  values: unknown,
): HelmValuesProblem[] {
  const key = `${chart.name}/${chart.version}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = compiledValidators(helmValuesValidatorSource(chart))('values');
    compiled.set(key, validate);
  }
  if (validate(values)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: error.instancePath || '/',
    message: error.message ?? 'invalid',
  }));
}

/** A vendored chart's values schema, as helmValuesProblems checks values against it; the build compiles it. */
export function helmValuesValidatorSource(chart: Pick<OciHelmChart, 'name' | 'version'>): ValidatorSource<'values'> {
  const key = `${chart.name}/${chart.version}`;
  const schema = JSON.parse(readFileSync(new URL(`${key}/values.schema.json`, HELM_SCHEMA_ROOT), 'utf8')) as Record<
    string,
    unknown
  >;
  // Chart schemas name draft meta-schemas ajv does not bundle, and use keywords loosely: not strict.
  const { $schema: _ignored, ...body } = schema;
  return {
    file: new URL(`./helm-values-${chart.name}-${chart.version}.validator.cjs`, import.meta.url),
    options: { strict: false, allErrors: true, validateSchema: false, logger: false },
    schemas: { values: body },
    exports: { values: 'values' },
  };
}

/** The charts whose values schema is vendored (`schemas/helm/<chart>/<version>/values.schema.json`). */
export function vendoredValuesSchemaCharts(): { readonly name: string; readonly version: string }[] {
  const root = fileURLToPath(HELM_SCHEMA_ROOT);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((chart) =>
      readdirSync(join(root, chart.name))
        .filter((version) => existsSync(join(root, chart.name, version, 'values.schema.json')))
        .map((version) => ({ name: chart.name, version })),
    )
    .sort((a, b) => `${a.name}/${a.version}`.localeCompare(`${b.name}/${b.version}`));
}

/** The chart's default values as vendored beside its schema (`values.yaml` text), for tests and reviews. */
export function vendoredHelmValuesUrl(chart: Pick<OciHelmChart, 'name' | 'version'>): URL {
  return new URL(`${chart.name}/${chart.version}/values.yaml`, HELM_SCHEMA_ROOT);
}
