import { readdirSync, readFileSync } from 'node:fs';
import {
  clusterRenderResult,
  clusterViews,
  inlineTenantFiles,
  loadEnvironmentText,
  renderEnvironment,
  type EnvironmentConfig,
  type RenderResult,
  type TenantFileText,
} from '../src/index.js';

const ENVIRONMENTS = new URL('../../../environments/', import.meta.url);

/** The committed tenant files (environments/tenants/*.yaml), as the CLI reads them. */
export function committedTenantFiles(): TenantFileText[] {
  const dir = new URL('tenants/', ENVIRONMENTS);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ path: `environments/tenants/${file}`, text: readFileSync(new URL(file, dir), 'utf8') }));
}

/**
 * A committed environment as one self-contained file: environments/<name>.yaml with the tenants its tenant files
 * place in it written into its tenants: list, for tests that edit an environment's text.
 */
export function committedEnvironmentText(name: string): string {
  return inlineTenantFiles(
    readFileSync(new URL(`${name}.yaml`, ENVIRONMENTS), 'utf8'),
    `environments/${name}.yaml`,
    committedTenantFiles(),
  );
}

/**
 * Every committed environment file (environments/*.yaml) with its tenant files, loaded and rendered: what the contract
 * tests read. An environment with clusters: is each of its clusters (named `<env>/<cluster>`), as that cluster sees
 * the environment and as its folder holds it: every contract holds on each cluster.
 */
export function renderCommittedEnvironments(): Array<{
  readonly name: string;
  readonly config: EnvironmentConfig;
  readonly result: RenderResult;
}> {
  const tenantFiles = committedTenantFiles();
  return readdirSync(ENVIRONMENTS)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const name = file.replace(/\.yaml$/, '');
      const config = loadEnvironmentText(
        readFileSync(new URL(file, ENVIRONMENTS), 'utf8'),
        `environments/${file}`,
        tenantFiles,
      ).config;
      const result = renderEnvironment(config);
      if (!config.clusters) return [{ name, config, result }];
      return clusterViews(config).map((view) => ({
        name: `${name}/${view.cluster}`,
        config: view.config,
        result: clusterRenderResult(result, view.cluster),
      }));
    });
}
