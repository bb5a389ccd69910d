import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  EnvironmentFileError,
  RenderError,
  TENANT_FILES_FOLDER,
  loadEnvironmentText,
  parseTenantFiles,
  renderEnvironment,
  type LoadedEnvironment,
  type Problem,
  type RenderIssue,
  type RenderResult,
  type TenantFileText,
} from '@emr-eks-gitops/charts';
import { configDiagnostic, placeDiagnostic } from '@emr-eks-gitops/core';
import { CliError } from './io.js';

/** The repository the CLI works on: `environments/` is the input, `dist-manifests/` the output. */
export interface Project {
  readonly root: string;
  readonly environmentsDir: string;
  readonly outputDir: string;
}

/** The nearest folder at or above `start` that has an `environments/` folder, or `start` itself when given. */
export function findProject(start: string, explicitRoot?: string): Project {
  let root = resolve(start, explicitRoot ?? '.');
  if (!explicitRoot) {
    while (!existsSync(join(root, 'environments')) && dirname(root) !== root) root = dirname(root);
  }
  if (!existsSync(join(root, 'environments'))) {
    throw new CliError(
      `no environments/ folder at or above ${resolve(start, explicitRoot ?? '.')}; run from the project or pass --root`,
    );
  }
  return { root, environmentsDir: join(root, 'environments'), outputDir: join(root, 'dist-manifests') };
}

/** Names of all environments (`environments/<name>.yaml`), sorted. */
export function environmentNames(project: Project): string[] {
  return readdirSync(project.environmentsDir)
    .filter((file) => file.endsWith('.yaml') && !file.startsWith('.'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

/** The named environments (all when none are named), each checked to exist. */
export function selectEnvironments(project: Project, names?: readonly string[]): readonly string[] {
  const available = environmentNames(project);
  const selected = names && names.length > 0 ? names : available;
  if (available.length === 0)
    throw new CliError(`no environment files in ${relative(project.root, project.environmentsDir) || '.'}/`);
  for (const name of selected) {
    if (!available.includes(name)) {
      throw new CliError(`unknown environment "${name}"; environments: ${available.join(', ')}`);
    }
  }
  return selected;
}

/** Reads and validates the named environments; throws one EnvironmentFileError with the problems of all of them. */
export function loadEnvironments(project: Project, names?: readonly string[]): LoadedEnvironment[] {
  const selected = selectEnvironments(project, names);
  const tenantFiles = readTenantFiles(project);
  assertPlacementsKnown(tenantFiles, environmentNames(project));
  const loaded: LoadedEnvironment[] = [];
  const problems: Problem[] = [];
  for (const name of selected) {
    const sourcePath = `environments/${name}.yaml`;
    try {
      loaded.push(loadEnvironmentText(readEnvironmentFile(project, sourcePath), sourcePath, tenantFiles));
    } catch (error) {
      if (!(error instanceof EnvironmentFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new EnvironmentFileError(problems);
  return loaded;
}

/** The tenant files (`environments/tenants/*.yaml`), sorted by path; none when the folder is absent. */
export function readTenantFiles(project: Project): TenantFileText[] {
  const dir = join(project.root, TENANT_FILES_FOLDER);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml') && !file.startsWith('.'))
    .sort()
    .map((file) => {
      const path = `${TENANT_FILES_FOLDER}/${file}`;
      return { path, text: readEnvironmentFile(project, path) };
    });
}

/** Refuses a tenant file placing its tenant in an environment that has no file (a typo would drop the tenant silently). */
function assertPlacementsKnown(tenantFiles: readonly TenantFileText[], environments: readonly string[]): void {
  const problems: Problem[] = [];
  for (const tenant of parseTenantFiles(tenantFiles)) {
    for (const environment of tenant.overrides.keys()) {
      if (environments.includes(environment)) continue;
      problems.push(
        placeDiagnostic(
          configDiagnostic(
            'tenant-placement',
            ['environments', environment],
            `no environment "${environment}" (no environments/${environment}.yaml); environments: ${environments.join(', ')}`,
          ),
          { file: tenant.source.file, ...tenant.source.map.locate(['environments', environment], 'key') },
        ),
      );
    }
  }
  if (problems.length > 0) throw new EnvironmentFileError(problems);
}

/** The file's text; a file that cannot be read (a folder, no permission) is a usage error that names it, not a stack trace. */
function readEnvironmentFile(project: Project, sourcePath: string): string {
  try {
    return readFileSync(join(project.root, sourcePath), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EISDIR'
        ? 'is a folder, not a file'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code ?? String(error)})`;
    throw new CliError(`${sourcePath} ${why}`);
  }
}

/** A render issue (a builder's refusal or a run-time rule) placed at its line of the environment file. */
export function locateIssue(loaded: LoadedEnvironment, issue: RenderIssue): Problem {
  return placeDiagnostic(issue, loaded.source.locate(issue.location.path));
}

/**
 * Renders every environment in memory; a value a builder refuses becomes a located problem of its file, reported
 * with the `refused` problems found before rendering (the environments' promotion order).
 */
export function renderAll(
  environments: readonly LoadedEnvironment[],
  refused: readonly Problem[] = [],
): RenderResult[] {
  const results: RenderResult[] = [];
  const problems: Problem[] = [...refused];
  for (const loaded of environments) {
    try {
      results.push(renderEnvironment(loaded.environment));
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      problems.push(...error.issues.map((issue) => locateIssue(loaded, issue)));
    }
  }
  if (problems.length > 0) throw new EnvironmentFileError(problems);
  return results;
}
