// Benchmarks of the render pipeline: figures printed, never asserted (timings belong here, not in tests).
// Run with `pnpm bench` (builds first).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadEnvironmentText, renderEnvironment } from '../packages/charts/dist/index.js';
import { validateObjects } from '../packages/core/dist/index.js';

const root = new URL('../', import.meta.url);
const environments = ['dev', 'staging', 'prod'].map((name) => ({
  name,
  sourcePath: `environments/${name}.yaml`,
  text: readFileSync(new URL(`environments/${name}.yaml`, root), 'utf8'),
}));

function measure(label, iterations, fn) {
  fn(); // warm-up: module loading and JIT are not what we measure
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.floor(times.length * 0.95)];
  console.log(`${label.padEnd(48)} median ${median.toFixed(2).padStart(8)} ms   p95 ${p95.toFixed(2).padStart(8)} ms   (${iterations} runs)`);
}

/** The prod environment with `count` tenants, to see how rendering scales with the number of teams. */
function manyTenants(count) {
  const prod = environments.find((env) => env.name === 'prod');
  const tenantsAt = prod.text.indexOf('\ntenants:\n');
  const firstTenant = prod.text.slice(tenantsAt + '\ntenants:\n'.length).split('\n  - name: data-eng')[0];
  const tenants = Array.from({ length: count }, (_, i) => firstTenant
    .replace('name: app-dev', `name: team-${i}`)
    .replace('namespace: spark-app-dev', `namespace: spark-team-${i}`)).join('\n');
  return `${prod.text.slice(0, tenantsAt)}\ntenants:\n${tenants}\n`;
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const env of environments) {
  measure(`load ${env.sourcePath}`, 200, () => loadEnvironmentText(env.text, env.sourcePath));
}
for (const env of environments) {
  const { config } = loadEnvironmentText(env.text, env.sourcePath);
  measure(`render ${env.name}`, 50, () => renderEnvironment(config));
}
for (const env of environments) {
  const { config } = loadEnvironmentText(env.text, env.sourcePath);
  const { objects } = renderEnvironment(config);
  measure(`validate ${env.name} (${objects.length} objects)`, 50, () => validateObjects(objects, { environment: env.name, production: false, kubernetesVersion: config.cluster.kubernetesVersion }));
}
measure('load + render + validate all three environments', 30, () => {
  for (const env of environments) {
    const { config } = loadEnvironmentText(env.text, env.sourcePath);
    validateObjects(renderEnvironment(config).objects, { environment: env.name, production: config.production ?? false, kubernetesVersion: config.cluster.kubernetesVersion });
  }
});
for (const count of [10, 100]) {
  const text = manyTenants(count);
  const { config } = loadEnvironmentText(text, 'environments/bench.yaml');
  const files = renderEnvironment(config).files.size;
  measure(`render prod with ${count} tenants (${files} files)`, count > 50 ? 10 : 30, () => renderEnvironment(config));
}
