import { readdirSync, readFileSync } from 'node:fs';
import { clusterRenderResult, clusterViews, loadEnvironmentText, renderEnvironment, type EnvironmentConfig, type RenderResult } from '../src/index.js';

/**
 * Every committed environment file (environments/*.yaml), loaded and rendered: what the contract tests read. An
 * environment with clusters: is each of its clusters (named `<env>/<cluster>`), as that cluster sees the environment
 * and as its folder holds it: every contract holds on each cluster.
 */
export function renderCommittedEnvironments(): Array<{ readonly name: string; readonly config: EnvironmentConfig; readonly result: RenderResult }> {
  const dir = new URL('../../../environments/', import.meta.url);
  return readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort().flatMap((file) => {
    const name = file.replace(/\.yaml$/, '');
    const config = loadEnvironmentText(readFileSync(new URL(file, dir), 'utf8'), `environments/${file}`).config;
    const result = renderEnvironment(config);
    if (!config.clusters) return [{ name, config, result }];
    return clusterViews(config).map((view) => ({ name: `${name}/${view.cluster}`, config: view.config, result: clusterRenderResult(result, view.cluster) }));
  });
}
