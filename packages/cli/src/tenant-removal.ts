import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import {
  EnvironmentFileError,
  parseTenantFiles,
  type LoadedEnvironment,
  type Problem,
  type RenderResult,
} from '@emr-eks-gitops/charts';
import { FLUX_PRUNE_DISABLED, ARGOCD_PRUNE_DISABLED, configDiagnostic, placeDiagnostic } from '@emr-eks-gitops/core';
import { readTenantFiles, type Project } from './project.js';

/**
 * Refuses to drop a tenant from dist-manifests/ before it was retired. A tenant folder that is committed but no
 * longer rendered is only safe to remove when its committed Namespace carries the annotations that stop Flux and
 * Argo CD from pruning it (what `retired: true` renders): otherwise the commit would delete a namespace with running
 * jobs, and leave its EMR virtual cluster behind. Each refusal is placed at the `tenants:` key of the environment
 * file, or at the `environments:` key of the tenant's file.
 * @throws EnvironmentFileError listing every tenant removed too early (exit 2, nothing written).
 */
export function assertTenantRemovalsSafe(
  project: Project,
  environments: readonly LoadedEnvironment[],
  results: readonly RenderResult[],
): void {
  const problems: Problem[] = [];
  const tenantFiles = parseTenantFiles(readTenantFiles(project));
  for (const result of results) {
    const loaded = environments.find((env) => env.environment.name === result.environment);
    if (!loaded) continue;
    for (const { tenantsDir, renderedPrefix, cluster } of tenantFolders(project, result)) {
      if (!existsSync(tenantsDir)) continue;
      const rendered = new Set(
        [...result.files.keys()]
          .filter((path) => path.startsWith(renderedPrefix))
          .map((path) => path.slice(renderedPrefix.length).split('/')[0]),
      );
      for (const entry of readdirSync(tenantsDir, { withFileTypes: true })) {
        if (!entry.isDirectory() || rendered.has(entry.name)) continue;
        const namespaceFile = readdirSync(join(tenantsDir, entry.name)).find((file) =>
          /^namespace-.+\.yaml$/.test(file),
        );
        if (!namespaceFile) continue; // nothing there that a prune could delete
        const path = join(tenantsDir, entry.name, namespaceFile);
        if (isRetired(readFileSync(path, 'utf8'))) continue;
        // A tenant defined in a tenant file is refused at that file's environments: (where its placement was), others at tenants:.
        const file = tenantFiles.find((candidate) => candidate.name === entry.name);
        const entryName = file ? `environments.${result.environment} in ${file.source.file}` : 'the entry';
        problems.push(
          placeDiagnostic(
            configDiagnostic(
              'tenant-removal',
              file ? ['environments'] : ['tenants'],
              `tenant "${entry.name}" was removed${cluster ? ` from cluster ${cluster}` : ''}, but its committed namespace (${relative(project.root, path)}) was never retired: ` +
                'Flux or Argo CD would delete the namespace with any jobs running in it, and its EMR virtual cluster would be left behind. ' +
                `Put ${entryName} back with retired: true, render and commit, let it sync, delete the virtual cluster (${destroyCommand(result.environment, entry.name)}), then remove it`,
            ),
            file
              ? { file: file.source.file, ...file.source.map.locate(['environments'], 'key') }
              : loaded.source.locate(['tenants'], 'key'),
          ),
        );
      }
    }
  }
  if (problems.length > 0) throw new EnvironmentFileError(problems);
}

/**
 * Where a result's tenant folders are committed, and where they are rendered now. An environment with clusters: has
 * them per cluster; one that just became multi-cluster still has the single-cluster layout committed, whose cluster is
 * taken to be clusters[0] (list the existing cluster first): a tenant it had must stay there until it is retired.
 */
function tenantFolders(
  project: Project,
  result: RenderResult,
): { tenantsDir: string; renderedPrefix: string; cluster?: string }[] {
  const root = join(project.outputDir, result.environment);
  if (!result.clusters) return [{ tenantsDir: join(root, 'tenants'), renderedPrefix: 'tenants/' }];
  const first = result.clusters[0]!.name;
  return [
    { tenantsDir: join(root, 'tenants'), renderedPrefix: `${first}/tenants/`, cluster: first },
    ...result.clusters.map(({ name }) => ({
      tenantsDir: join(root, name, 'tenants'),
      renderedPrefix: `${name}/tenants/`,
      cluster: name,
    })),
  ];
}

/** Deletes the tenant's EMR virtual cluster (and job template): the step between retiring and removing it. */
function destroyCommand(environment: string, tenant: string): string {
  return `emr-gitops emr destroy --env ${environment} --tenant ${tenant}`;
}

/**
 * The documented removal (README "Removing a tenant") after `retired: true` is set, as `tenant retire` prints it.
 * Each step waits for the one before: the namespace must be synced as never-pruned before its entry goes.
 */
export function removalSteps(
  environment: string,
  tenant: string,
  namespace: string,
  entry = `the entry from environments/${environment}.yaml`,
): string[] {
  return [
    `pnpm render (emr-gitops render --env ${environment}) and commit: the namespace stays, annotated never to be pruned; no new jobs`,
    `once that is synced and the tenant's jobs have ended: emr-gitops emr plan --env ${environment}, then ${destroyCommand(environment, tenant)}`,
    `remove ${entry}, pnpm render, commit: Flux or Argo CD forgets the objects without deleting them`,
    `kubectl delete namespace ${namespace} when nothing in it is needed any more`,
  ];
}

/** True when a committed Namespace file carries both engines' "never prune" annotations. */
function isRetired(text: string): boolean {
  const annotations =
    (parse(text) as { metadata?: { annotations?: Record<string, string> } } | null)?.metadata?.annotations ?? {};
  return Object.entries({ ...FLUX_PRUNE_DISABLED, ...ARGOCD_PRUNE_DISABLED }).every(
    ([key, value]) => annotations[key] === value,
  );
}
