import { readdirSync, readFileSync } from 'node:fs';
import { loadEnvironmentText, renderEnvironment, type EnvironmentConfig, type RenderResult } from '../src/index.js';

/** Every committed environment file (environments/*.yaml), loaded and rendered: what the contract tests read. */
export function renderCommittedEnvironments(): Array<{ readonly name: string; readonly config: EnvironmentConfig; readonly result: RenderResult }> {
  const dir = new URL('../../../environments/', import.meta.url);
  return readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort().map((file) => {
    const name = file.replace(/\.yaml$/, '');
    const config = loadEnvironmentText(readFileSync(new URL(file, dir), 'utf8'), `environments/${file}`).config;
    return { name, config, result: renderEnvironment(config) };
  });
}
