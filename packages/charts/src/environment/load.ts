import type { ErrorObject } from 'ajv';
import { DNS_LABEL_PATTERN, configDiagnostic, placeDiagnostic, type RuleId } from '@emr-eks-gitops/core';
import type { EnvironmentFile } from '../config/schema.js';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { EnvironmentSchema } from './schema.js';
import { validateEnvironment } from './validate-environment.js';
import { resolveEnvironment, resolveFleet } from './resolve.js';
import { EnvironmentFileError, type Locate, type Problem } from '../config/problems.js';
import { formatConfigPath, type ConfigPath, type ConfigSource } from '../config/source-map.js';
import { fleetSemanticProblems, semanticProblems } from './semantics.js';
import { clusterViewValues } from '../config/cluster-views.js';
import { parseYamlSource, wholeFile } from '../config/yaml-source.js';
import { composeEnvironment, parseTenantFiles, type TenantFileText } from '../config/tenant-files.js';

/** A parsed, validated environment and the map back to its sources, for locating later errors. */
export interface LoadedEnvironment {
  readonly environment: ResolvedEnvironment;
  /** Where each config path is written: the environment file, or the tenant file (base or override) holding it. */
  readonly source: ConfigSource;
  /** @deprecated the same object as `environment`, under its name before the resolved model. */
  readonly config: ResolvedEnvironment;
}

/**
 * Parses and validates one environment file's text, with the tenants of the tenant files placed in it. Pure: the
 * caller reads the files.
 * @param sourcePath path as the user knows it (`environments/dev.yaml`); its base name is the environment name.
 * @param tenantFiles the project's tenant files (`environments/tenants/*.yaml`); those placed in this environment
 *   (under `environments:`) are composed into it before validation.
 * @throws EnvironmentFileError with every problem found, each with file, line and column.
 */
export function loadEnvironmentText(
  text: string,
  sourcePath: string,
  tenantFiles: readonly TenantFileText[] = [],
): LoadedEnvironment {
  const name = sourcePath.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  const file = parseYamlSource(text, sourcePath);
  const { value, source } = composeEnvironment(name, file, tenantFiles.length > 0 ? parseTenantFiles(tenantFiles) : []);
  const at: Locate = (rule, path, message) =>
    placeDiagnostic(configDiagnostic(rule, path, message), source.locate(path));
  const schemaAt: SchemaLocate = (path, message, where = { path }) =>
    placeDiagnostic(configDiagnostic('config-schema', path, message), source.locate(where.path, where.at));

  const problems: Problem[] = [];
  if (!new RegExp(DNS_LABEL_PATTERN).test(name) || name.length > 63) {
    problems.push(
      wholeFile(
        'environment-name',
        { file: sourcePath, line: 1, column: 1 },
        `the file name "${name}" is the environment name and must be a DNS-1123 label (lowercase letters, digits, "-")`,
      ),
    );
  }
  const skeleton = skeletonProblem(file.value, schemaAt);
  if (skeleton) throw new EnvironmentFileError([...problems, skeleton]);
  if (!validateEnvironment(value)) problems.push(...schemaProblems(validateEnvironment.errors ?? [], schemaAt));
  problems.push(...fleetSemanticProblems(value, at));
  problems.push(...(isFleet(value) ? clusterSemanticProblems(value, at) : semanticProblems(value, at)));
  if (problems.length > 0) throw new EnvironmentFileError(problems);

  const environmentFile = value as EnvironmentFile;
  const origin = { name, sourcePath };
  // With clusters:, each cluster's view is resolved on its own (resolve.ts's resolveFleet); the environment's
  // `cluster` is the first of them.
  const environment = environmentFile.clusters
    ? resolveFleet(environmentFile, origin)
    : resolveEnvironment(environmentFile, origin);
  return { environment, source, config: environment };
}

function isFleet(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Array.isArray((value as { clusters?: unknown }).clusters);
}

/**
 * The rules of a single-cluster environment, on each cluster's view, located where the file holds the value. A
 * problem every view has (a tenant's, on each of its clusters) is said once, naming the clusters.
 */
function clusterSemanticProblems(value: Record<string, unknown>, at: Locate): Problem[] {
  const found = new Map<string, { rule: RuleId; path: ConfigPath; message: string; clusters: string[] }>();
  for (const view of clusterViewValues(value)) {
    semanticProblems(view.config, (rule, viewPath, message) => {
      const path = view.sourcePath(viewPath);
      const key = `${rule}\u0000${formatConfigPath(path)}\u0000${message}`;
      const entry = found.get(key) ?? found.set(key, { rule, path, message, clusters: [] }).get(key)!;
      entry.clusters.push(view.cluster);
      return at(rule, path, message);
    });
  }
  return [...found.values()].map(({ rule, path, message, clusters }) =>
    at(rule, path, `on cluster${clusters.length > 1 ? 's' : ''} ${clusters.join(', ')}: ${message}`),
  );
}

/** Makes a schema problem about `path`, placed where `where` is written (by default: the value at `path`). */
type SchemaLocate = (path: ConfigPath, message: string, where?: { path: ConfigPath; at?: 'key' | 'value' }) => Problem;

/** Turns ajv's errors into one message per field, phrased for people: what is wrong and what is allowed. */
function schemaProblems(errors: readonly ErrorObject[], at: SchemaLocate): Problem[] {
  const byPath = new Map<string, Problem>();
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath)) continue; // the type says it all
    const path = pointerToPath(error.instancePath);
    const problem = describe(error, path, at);
    const key = `${formatConfigPath(problem.location.path)}\u0000${problem.message}`;
    if (!byPath.has(key)) byPath.set(key, problem);
  }
  return [...byPath.values()];
}

function describe(error: ErrorObject, path: ConfigPath, at: SchemaLocate): Problem {
  const schema = error.parentSchema as
    | { description?: string; properties?: Record<string, { description?: string }> }
    | undefined;
  const expected = schema?.description ? `; expected ${schema.description}` : '';
  switch (error.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schema?.properties ?? {});
      const suggestion = closest(field, allowed);
      return at(
        [...path, field],
        `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed fields here: ${allowed.join(', ')}`,
        { path: [...path, field], at: 'key' },
      );
    }
    case 'required': {
      const field = (error.params as { missingProperty: string }).missingProperty;
      const what = schema?.properties?.[field]?.description;
      return at([...path, field], `required field is missing${what ? `: ${what}` : ''}`, { path, at: 'key' });
    }
    case 'type':
      return at(
        path,
        `must be ${article((error.params as { type: string | string[] }).type)}, got ${describeValue(error.data)}${expected}`,
      );
    case 'enum':
      return at(
        path,
        `${describeValue(error.data)} is not allowed; allowed: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`,
      );
    case 'minItems':
    case 'maxItems': {
      const limit = (error.params as { limit: number }).limit;
      const count = Array.isArray(error.data) ? error.data.length : 0;
      const needed =
        error.keyword === 'minItems'
          ? limit === 1
            ? 'at least one entry is needed'
            : `at least ${limit} entries are needed`
          : `at most ${limit} ${limit === 1 ? 'entry is' : 'entries are'} allowed`;
      return at(path, `${needed}, the list has ${count === 0 ? 'none' : count}${expected}`);
    }
    case 'pattern':
    case 'maxLength':
    case 'minLength':
      return at(path, `${describeValue(error.data)} is not valid${expected}`);
    default:
      return at(path, `${error.message ?? 'is not valid'}${expected}`);
  }
}

interface SchemaNode {
  readonly type?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly minItems?: number;
}

/**
 * An empty file, one of only comments, or `{}`: one problem naming every key an environment needs (from the schema)
 * instead of one "required field is missing" per key.
 */
function skeletonProblem(value: unknown, at: SchemaLocate): Problem | undefined {
  const empty = value === null || value === undefined;
  if (!empty && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0))
    return undefined;
  const root = EnvironmentSchema as SchemaNode;
  // cluster: stays the first thing named (fleet-semantics.ts asks for it or for clusters:).
  const sections = ['cluster', ...(root.required ?? [])].map((key) => {
    const node = root.properties?.[key];
    if (node?.type === 'array') {
      const fields = node.items?.required ?? [];
      return `${key} (a list of at least ${node.minItems ?? 0}, each with ${fields.join(', ')})`;
    }
    const fields = node?.required ?? [];
    return fields.length > 0 ? `${key} (${fields.join(', ')})` : key;
  });
  const what = empty ? 'the file has no settings (it is empty or holds only comments)' : 'the file is an empty mapping';
  return at(
    [],
    `${what}; an environment needs ${sections.slice(0, -1).join(', ')} and ${sections[sections.length - 1] ?? ''}; ` +
      'environments/schema.json describes every field',
  );
}

function pointerToPath(pointer: string): ConfigPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}

function article(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => (t === 'object' || t === 'array' || t === 'integer' ? `an ${t}` : `a ${t}`)).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value))
    return `${String(value)} (a number too large to hold, or .inf/.nan)`;
  return `${typeof value} ${String(value)}`;
}

/** The allowed name nearest to a misspelling, when it is close enough to be a likely typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
