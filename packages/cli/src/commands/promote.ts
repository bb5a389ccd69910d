import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENVIRONMENT_OWNED_FIELDS,
  EnvironmentFileError,
  joinTrees,
  mergePatchBetween,
  parseTenantFiles,
  splitEnvironmentOwned,
  writtenTenants,
  type TenantFile,
  type TenantFileText,
} from '@emr-eks-gitops/charts';
import { CliError, EXIT, type CliIO } from '../io.js';
import { environmentNames, loadEnvironments, readTenantFiles, type Project } from '../project.js';
import { promotionOrderProblems } from '../promotion-chain.js';
import { planOutput } from '../render-plan.js';
import { replaceMapping } from '../yaml-text-edit.js';
import { filePatch } from '../output/drift-report.js';
import { checkEnvironmentText, nextSteps } from './environment-edit.js';
import { fileChanges } from './diff.js';

export interface PromoteOptions {
  readonly from: string;
  readonly to: string;
  /** One tenant; all tenants of `from` that `to` has when absent. */
  readonly tenant?: string;
  readonly dryRun: boolean;
}

/** A file promote rewrites: its path from the project root, and its text before and after. */
interface FileEdit {
  readonly path: string;
  readonly before: string;
  after: string;
}

/**
 * `emr-gitops promote`: carries the settings of a tenant (or of all) from one environment into another's definition,
 * keeping what the target environment owns (ENVIRONMENT_OWNED_FIELDS) and every line it does not change. The result
 * is loaded, rendered and checked by every rule in memory, and the change of dist-manifests/<to> is printed before
 * anything is written; `--dry-run` writes nothing.
 */
export function promoteCommand(project: Project, options: PromoteOptions, io: CliIO): number {
  const names = environmentNames(project);
  for (const name of [options.from, options.to]) {
    if (!names.includes(name)) throw new CliError(`unknown environment "${name}"; environments: ${names.join(', ')}`);
  }
  if (options.from === options.to)
    throw new CliError(
      `--from and --to are both ${options.from}; promote carries settings from one environment to another`,
    );

  const tenantTexts = readTenantFiles(project);
  const tenantFiles = parseTenantFiles(tenantTexts);
  const envPath = (name: string) => `environments/${name}.yaml`;
  const envText = (name: string) => readFileSync(join(project.root, envPath(name)), 'utf8');
  const source = writtenTenants(options.from, envText(options.from), envPath(options.from), tenantFiles);
  const target = writtenTenants(options.to, envText(options.to), envPath(options.to), tenantFiles);
  const targetNames = new Set(target.map((tenant) => String(tenant.name)));
  const selected =
    options.tenant === undefined
      ? source.filter((tenant) => targetNames.has(String(tenant.name)))
      : source.filter((tenant) => tenant.name === options.tenant);
  if (options.tenant !== undefined && selected.length === 0) {
    throw new CliError(
      `${options.from} has no tenant "${options.tenant}"; tenants: ${source.map((tenant) => tenant.name).join(', ') || 'none'}`,
    );
  }
  if (options.tenant !== undefined && !targetNames.has(options.tenant)) {
    throw new CliError(
      `${options.to} has no tenant "${options.tenant}" to promote into: place it first (environments/tenants/${options.tenant}.yaml: environments.${options.to} with what ${options.to} owns: ${ENVIRONMENT_OWNED_FIELDS.map((field) => field.path.join('.')).join(', ')})`,
    );
  }
  for (const skipped of source.filter(
    (tenant) => options.tenant === undefined && !targetNames.has(String(tenant.name)),
  )) {
    io.out(`${skipped.name}: not in ${options.to}, left out (place it there first)\n`);
  }

  const edits = new Map<string, FileEdit>();
  const edit = (path: string): FileEdit => {
    let file = edits.get(path);
    if (!file) {
      const text = readFileSync(join(project.root, path), 'utf8');
      file = { path, before: text, after: text };
      edits.set(path, file);
    }
    return file;
  };
  for (const tenant of selected) {
    const name = String(tenant.name);
    const { name: _name, ...settings } = tenant;
    const file = tenantFiles.find((candidate) => candidate.name === name && candidate.overrides.has(options.to));
    if (file) {
      const promoted = promotedOverride(file, options.to, settings);
      const change = edit(file.source.file);
      change.after = replaceMapping(change.after, ['environments', options.to], promoted);
    } else {
      const index = target.findIndex((entry) => entry.name === name);
      const own = splitEnvironmentOwned(target[index]!).owned;
      const change = edit(envPath(options.to));
      change.after = replaceMapping(change.after, ['tenants', index], {
        name,
        ...joinTrees(splitEnvironmentOwned(settings).promoted, own),
      });
    }
  }
  const changed = [...edits.values()].filter((file) => file.after !== file.before);
  const label = selected.map((tenant) => tenant.name).join(', ');
  if (changed.length === 0) {
    io.out(`nothing to promote: ${options.to} runs ${options.from}'s settings of ${label || 'its tenants'} already\n`);
    return EXIT.ok;
  }

  // Validate what would be written: the target environment loaded, rendered and checked with the edited files.
  const nextTenantFiles: TenantFileText[] = tenantTexts.map((file) => ({
    path: file.path,
    text: edits.get(file.path)?.after ?? file.text,
  }));
  const nextEnvironment = edits.get(envPath(options.to))?.after ?? envText(options.to);
  const { environment, result } = checkEnvironmentText(project, options.to, nextEnvironment, io, nextTenantFiles);
  // The environments promoted from the target must not end up ahead of it (a promotion may move it back).
  const others = loadEnvironments(
    project,
    names.filter((name) => name !== options.to),
  );
  const followers = others.filter((other) => other.config.promotion?.from === options.to);
  const ahead = promotionOrderProblems(project, followers, io, [environment]);
  if (ahead.length > 0) throw new EnvironmentFileError(ahead);

  io.out(`promote ${options.from} -> ${options.to}: ${label}\n`);
  for (const file of changed)
    io.out(`${filePatch(file.path, file.before, file.after, { oldHeader: '(now)', newHeader: '(promoted)' })}\n`);
  const renderedChanges = fileChanges(planOutput(project, [result], false));
  for (const { status, label: path } of renderedChanges) io.out(`${status} ${path}\n`);
  for (const change of renderedChanges) {
    io.out(
      `${filePatch(change.label, change.committed, change.rendered, { oldHeader: '(committed)', newHeader: '(rendered after the promotion)' })}\n`,
    );
  }
  io.out(
    `${renderedChanges.length} file${renderedChanges.length === 1 ? '' : 's'} of dist-manifests/${options.to} would change\n`,
  );
  if (options.dryRun) {
    io.out(`dry run: nothing was written (${changed.map((file) => file.path).join(', ')} unchanged)\n`);
    return EXIT.ok;
  }
  for (const file of changed) writeFileSync(join(project.root, file.path), file.after);
  io.out(`wrote ${changed.map((file) => file.path).join(', ')}\n`);
  io.out(
    nextSteps(options.to).replace(
      `git add environments/${options.to}.yaml`,
      `git add ${changed.map((file) => file.path).join(' ')}`,
    ),
  );
  return EXIT.ok;
}

/**
 * The target's override with the promoted settings of `settings` (the source environment's composed tenant): what
 * the target owns stays as its override has it; the rest becomes the merge patch from the base to the source's.
 */
function promotedOverride(
  file: TenantFile,
  environment: string,
  settings: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const owned = splitEnvironmentOwned(file.overrides.get(environment) ?? {}).owned;
  const promoted = mergePatchBetween(
    splitEnvironmentOwned(file.base).promoted,
    splitEnvironmentOwned(settings).promoted,
  );
  return joinTrees(owned, promoted);
}
