import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import {
  TENANT_FILES_FOLDER,
  composeTenant,
  parseTenantFiles,
  tenantFileSchemaJson,
  writtenTenants,
  type TenantFile,
} from '@emr-eks-gitops/charts';
import { CliError, EXIT, type CliIO } from '../io.js';
import { environmentNames, readTenantFiles, type Project } from '../project.js';
import { removalSteps } from '../tenant-removal.js';
import { replaceMapping } from '../yaml-text-edit.js';
import { checkEnvironmentText, nextSteps, writeEnvironmentFile } from './environment-edit.js';
import { appendTenant, newTenantSettings, TENANT_SIZES, type TenantSize } from './tenant-entry.js';
import { newTenantFile, placeTenant } from './tenant-file.js';

export interface TenantAddOptions {
  readonly env: string;
  readonly name: string;
  readonly size: TenantSize;
  readonly namespace?: string;
  readonly description?: string;
}

/**
 * `emr-gitops tenant add`: a tenant with sized defaults appended to environments/<env>.yaml (the rest of the file
 * kept as it is), checked like `validate` before it is written.
 */
export function tenantAddCommand(project: Project, options: TenantAddOptions, io: CliIO): number {
  const text = readEnvironment(project, options.env);
  const tenantTexts = readTenantFiles(project);
  const tenantFiles = parseTenantFiles(tenantTexts);
  const file = tenantFiles.find((candidate) => candidate.name === options.name);
  const tenant = { environment: options.env, ...options };
  let written: string;
  if (file || parseDocument(text).get('tenants', true) === undefined) {
    // Tenants defined once: a placement in the tenant's file, or a new file when the environment lists none of its own.
    const document = parseDocument(text);
    const { name: _name, ...settings } = newTenantSettings(
      document,
      tenant,
      writtenTenants(options.env, text, `environments/${options.env}.yaml`, tenantFiles),
    );
    const edit = file ? placeTenant(file, options.env, settings) : newTenantFile(tenant, settings);
    const next = [...tenantTexts.filter((candidate) => candidate.path !== edit.path), edit];
    checkEnvironmentText(project, options.env, text, io, next);
    mkdirSync(join(project.root, TENANT_FILES_FOLDER), { recursive: true });
    const schema = join(project.root, TENANT_FILES_FOLDER, 'schema.json');
    if (!existsSync(schema)) writeFileSync(schema, tenantFileSchemaJson()); // what the file's first line points editors at
    writeFileSync(join(project.root, edit.path), edit.text);
    written = edit.path;
  } else {
    const next = appendTenant(text, tenant);
    checkEnvironmentText(project, options.env, next, io);
    writeEnvironmentFile(project, options.env, next, 'replace');
    written = `environments/${options.env}.yaml`;
  }
  const { quota } = TENANT_SIZES[options.size];
  io.out(
    `added tenant ${options.name} (${options.size}: ${quota.cpu} CPUs, ${quota.memory} memory, ${quota.pods} pods, ${quota.storage} storage) ` +
      `to ${options.env} (${written}) in namespace ${options.namespace ?? `spark-${options.name}`}\n`,
  );
  io.out(
    nextSteps(options.env, [
      `create its job execution role (the CHANGE-ME executionRoleArn) or put your own; review its sizes`,
    ]),
  );
  return EXIT.ok;
}

/**
 * `emr-gitops tenant retire`: the first step of the documented removal, `retired: true` on the tenant (one line
 * inserted after its name; the rest of the file kept), then the steps that follow.
 */
export function tenantRetireCommand(project: Project, options: { env: string; name: string }, io: CliIO): number {
  const before = readEnvironment(project, options.env);
  const document = parseDocument(before);
  const tenants = document.get('tenants', true);
  const entry = isSeq(tenants)
    ? tenants.items.filter(isMap).find((item) => item.get('name') === options.name)
    : undefined;
  const file = entry
    ? undefined
    : parseTenantFiles(readTenantFiles(project)).find(
        (candidate) => candidate.name === options.name && candidate.overrides.has(options.env),
      );
  if (file) return retirePlacement(project, file, options.env, before, io);
  if (!entry) {
    const names = isSeq(tenants) ? tenants.items.filter(isMap).map((item) => String(item.get('name'))) : [];
    throw new CliError(
      `environments/${options.env}.yaml has no tenant named "${options.name}"; tenants: ${names.join(', ') || 'none'}`,
    );
  }
  const namespace = String(entry.get('namespace'));
  const steps = removalSteps(options.env, options.name, namespace);
  if (entry.get('retired') === true) {
    io.out(
      `tenant ${options.name} is retired already; the removal goes on:\n${steps.map((step, index) => `  ${index + 1}. ${step}\n`).join('')}`,
    );
    return EXIT.ok;
  }
  const text = withRetired(before, entry, options.env);
  checkEnvironmentText(project, options.env, text, io);
  writeEnvironmentFile(project, options.env, text, 'replace');
  io.out(
    `retired tenant ${options.name} in environments/${options.env}.yaml (retired: true); the removal goes on:\n` +
      steps.map((step, index) => `  ${index + 1}. ${step}\n`).join(''),
  );
  return EXIT.ok;
}

/** `retired: true` in the tenant file's override for the environment (the rest of the file kept), then the steps. */
function retirePlacement(
  project: Project,
  file: TenantFile,
  environment: string,
  environmentText: string,
  io: CliIO,
): number {
  const settings = composeTenant(file, environment);
  const where = `${file.source.file} (environments.${environment})`;
  const steps = removalSteps(
    environment,
    file.name,
    String(settings.namespace),
    `environments.${environment} from ${file.source.file} (the file when it was the tenant's last environment)`,
  );
  if (settings.retired === true) {
    io.out(
      `tenant ${file.name} is retired already; the removal goes on:\n${steps.map((step, index) => `  ${index + 1}. ${step}\n`).join('')}`,
    );
    return EXIT.ok;
  }
  const text = replaceMapping(file.source.text, ['environments', environment], {
    ...file.overrides.get(environment),
    retired: true,
  });
  const next = readTenantFiles(project).map((candidate) =>
    candidate.path === file.source.file ? { path: candidate.path, text } : candidate,
  );
  checkEnvironmentText(project, environment, environmentText, io, next);
  writeFileSync(join(project.root, file.source.file), text);
  io.out(
    `retired tenant ${file.name} in ${where} (retired: true); the removal goes on:\n` +
      steps.map((step, index) => `  ${index + 1}. ${step}\n`).join(''),
  );
  return EXIT.ok;
}

/** The text with `retired: true` on the entry: the existing `retired:` value replaced, or a line after `name:`. */
function withRetired(text: string, entry: YAMLMap, environment: string): string {
  const retired = entry.items.find((pair) => isScalar(pair.key) && pair.key.value === 'retired');
  if (retired && isScalar(retired.value)) {
    const [start, end] = retired.value.range!;
    return `${text.slice(0, start)}true${text.slice(end)}`;
  }
  const name = entry.items.find((pair) => isScalar(pair.key) && pair.key.value === 'name')!;
  if (entry.flow || !isScalar(name.key) || !isScalar(name.value)) {
    throw new CliError(
      `environments/${environment}.yaml: the tenant is written as a flow mapping; set retired: true on it by hand`,
    );
  }
  const keyStart = name.key.range![0];
  const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
  const lineEnd = text.indexOf('\n', name.value.range![1]);
  const at = lineEnd === -1 ? text.length : lineEnd;
  return `${text.slice(0, at)}\n${' '.repeat(indent)}retired: true # emr-gitops tenant retire: kept, never pruned, no new jobs (README "Removing a tenant")${text.slice(at)}`;
}

function readEnvironment(project: Project, name: string): string {
  if (!environmentNames(project).includes(name)) {
    throw new CliError(
      `unknown environment "${name}"; environments: ${environmentNames(project).join(', ') || 'none'} (emr-gitops init --env ${name} starts one)`,
    );
  }
  return readFileSync(join(project.environmentsDir, `${name}.yaml`), 'utf8');
}
