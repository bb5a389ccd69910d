import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
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
    const schema = JSON.parse(readFileSync(new URL(`${key}/values.schema.json`, HELM_SCHEMA_ROOT), 'utf8')) as Record<
      string,
      unknown
    >;
    // Chart schemas name draft meta-schemas ajv does not bundle, and use keywords loosely: not strict.
    const { $schema: _ignored, ...body } = schema;
    validate = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false }).compile(body);
    compiled.set(key, validate);
  }
  if (validate(values)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: error.instancePath || '/',
    message: error.message ?? 'invalid',
  }));
}

/** The chart's default values as vendored beside its schema (`values.yaml` text), for tests and reviews. */
export function vendoredHelmValuesUrl(chart: Pick<OciHelmChart, 'name' | 'version'>): URL {
  return new URL(`${chart.name}/${chart.version}/values.yaml`, HELM_SCHEMA_ROOT);
}
