import { DNS_LABEL_PATTERN, configDiagnostic, placeDiagnostic, type RuleId } from '@emr-eks-gitops/core';
import { EnvironmentFileError, type Problem } from './problems.js';
import type { ConfigPath, ConfigSource, SourceLocation } from './source-map.js';
import { isPlainObject, mergePatch } from './merge-patch.js';
import { fileSource, parseYamlSource, type YamlSource } from './yaml-source.js';

// A tenant defined once: environments/tenants/<tenant>.yaml holds `base:` (what the tenant is everywhere) and
// `environments:` (the environments it is placed in, each with what differs there). Composition runs before
// validation: the composed tenant meets every rule of an environment file's own tenants.

/** Where tenant files live, from the project root. */
export const TENANT_FILES_FOLDER = 'environments/tenants';

/** A tenant file's text and its path as the user knows it (`environments/tenants/ml.yaml`). */
export interface TenantFileText {
  readonly path: string;
  readonly text: string;
}

/** A parsed tenant file whose shape was checked. */
export interface TenantFile {
  /** The tenant's name: the file name without `.yaml`. */
  readonly name: string;
  readonly source: YamlSource;
  readonly base: Readonly<Record<string, unknown>>;
  /** The environments the tenant is placed in, each with its override (a JSON Merge Patch over `base`). */
  readonly overrides: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

const TOP_LEVEL_KEYS = ['base', 'environments'] as const;

/** The tenant's name from its file's path. */
export function tenantFileName(path: string): string {
  return path.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
}

/**
 * Parses and checks the shape of tenant files (`base:` and `environments:`, no `name:`, a file name that is a DNS
 * label). The tenant's settings are checked later, composed into each environment.
 * @throws EnvironmentFileError with every problem of every file, located.
 */
export function parseTenantFiles(files: readonly TenantFileText[]): TenantFile[] {
  const parsed: TenantFile[] = [];
  const problems: Problem[] = [];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    try {
      const source = parseYamlSource(file.text, file.path);
      const { tenant, problems: found } = checkShape(source);
      problems.push(...found);
      if (tenant) parsed.push(tenant);
    } catch (error) {
      if (!(error instanceof EnvironmentFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new EnvironmentFileError(problems);
  return parsed;
}

function checkShape(source: YamlSource): { tenant?: TenantFile; problems: Problem[] } {
  const name = tenantFileName(source.file);
  const at = (
    path: ConfigPath,
    message: string,
    where: 'key' | 'value' = 'value',
    rule: RuleId = 'tenant-file-shape',
  ): Problem =>
    placeDiagnostic(configDiagnostic(rule, path, message), { file: source.file, ...source.map.locate(path, where) });
  const problems: Problem[] = [];
  if (!new RegExp(DNS_LABEL_PATTERN).test(name) || name.length > 63) {
    problems.push(
      at(
        [],
        `the file name "${name}" is the tenant name and must be a DNS-1123 label (lowercase letters, digits, "-"; at most 63 characters)`,
        'value',
        'tenant-file-name',
      ),
    );
  }
  const value = source.value;
  if (!isPlainObject(value)) {
    return {
      problems: [
        ...problems,
        at(
          [],
          "a tenant file is a mapping with base: (the tenant's settings in every environment) and environments: (each environment it is placed in, with what differs there)",
        ),
      ],
    };
  }
  for (const key of Object.keys(value)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key))
      problems.push(at([key], `unknown field; allowed fields here: ${TOP_LEVEL_KEYS.join(', ')}`, 'key'));
  }
  const base = value.base;
  if (!isPlainObject(base))
    problems.push(
      at(
        ['base'],
        base === undefined
          ? "required field is missing: the tenant's settings in every environment"
          : "must be a mapping: the tenant's settings in every environment",
      ),
    );
  const environments = value.environments;
  const overrides = new Map<string, Record<string, unknown>>();
  if (!isPlainObject(environments) || Object.keys(environments).length === 0) {
    problems.push(
      at(
        ['environments'],
        'must be a mapping of at least one environment the tenant is placed in, each with its overrides ({} for none), e.g. environments: { dev: {}, prod: { quota: { cpu: 64 } } }',
      ),
    );
  } else {
    for (const [environment, override] of Object.entries(environments)) {
      if (override === null || override === undefined) overrides.set(environment, {});
      else if (isPlainObject(override)) overrides.set(environment, override);
      else
        problems.push(
          at(
            ['environments', environment],
            'must be a mapping of the settings that differ in this environment ({} for none)',
          ),
        );
    }
  }
  for (const [path, section] of [
    [['base'], base],
    ...[...overrides].map(([env, o]) => [['environments', env], o] as const),
  ] as const) {
    if (isPlainObject(section) && 'name' in section) {
      problems.push(at([...path, 'name'], `the tenant's name is its file name (${name}); leave name out`, 'key'));
    }
  }
  if (problems.length > 0 || !isPlainObject(base)) return { problems };
  return { tenant: { name, source, base, overrides }, problems };
}

/** The tenant files placed in `environment`, by name. */
export function placedTenants(environment: string, files: readonly TenantFile[]): TenantFile[] {
  return files.filter((file) => file.overrides.has(environment));
}

/** One tenant as `environment` sees it: its name, then `base` with the environment's override merged in. */
export function composeTenant(file: TenantFile, environment: string): Record<string, unknown> {
  return {
    name: file.name,
    ...(mergePatch(file.base, file.overrides.get(environment) ?? {}) as Record<string, unknown>),
  };
}

/**
 * The environment file's data with the tenants of tenant files placed in it appended after its own `tenants:` (by
 * name), and a source that locates every config path in the file that holds the value, base or override.
 */
export function composeEnvironment(
  environment: string,
  file: YamlSource,
  tenantFiles: readonly TenantFile[],
): { value: unknown; source: ConfigSource } {
  const placed = placedTenants(environment, tenantFiles);
  const value = file.value;
  const own = isPlainObject(value) ? (value.tenants ?? []) : undefined;
  if (placed.length === 0 || !Array.isArray(own) || !isPlainObject(value)) return { value, source: fileSource(file) };
  return {
    value: { ...value, tenants: [...own, ...placed.map((tenant) => composeTenant(tenant, environment))] },
    source: new ComposedSource(environment, file, own.length, placed),
  };
}

/** Locates a path of a composed environment: a tenant file's tenants in that file, the rest in the environment file. */
class ComposedSource implements ConfigSource {
  constructor(
    private readonly environment: string,
    private readonly file: YamlSource,
    private readonly ownTenants: number,
    private readonly placed: readonly TenantFile[],
  ) {}

  locate(path: ConfigPath, at: 'value' | 'key' = 'value'): SourceLocation {
    const index = path[0] === 'tenants' && typeof path[1] === 'number' ? path[1] - this.ownTenants : -1;
    const tenant = this.placed[index];
    if (!tenant) return { file: this.file.file, ...this.file.map.locate(path, at) };
    const rest = path.slice(2);
    const overridePath = ['environments', this.environment, ...rest];
    const basePath = ['base', ...rest];
    // The deeper of the two holds the value; on a tie the override, where this environment's placement is written.
    const inOverride = tenant.source.map.depth(overridePath) - 2;
    const inBase = tenant.source.map.depth(basePath) - 1;
    const chosen = rest.length > 0 && inBase > inOverride ? basePath : overridePath;
    return { file: tenant.source.file, ...tenant.source.map.locate(chosen, at) };
  }
}

/**
 * Each tenant of an environment as written (before validation and its defaults): the environment file's own, then
 * those tenant files place in it, composed. What `emr-gitops promote` carries from one environment to another.
 */
export function writtenTenants(
  environment: string,
  text: string,
  sourcePath: string,
  tenantFiles: readonly TenantFile[],
): Record<string, unknown>[] {
  const { value } = composeEnvironment(environment, parseYamlSource(text, sourcePath), tenantFiles);
  const tenants = isPlainObject(value) ? value.tenants : undefined;
  return Array.isArray(tenants) ? tenants.filter(isPlainObject) : [];
}
