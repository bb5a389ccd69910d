// Benchmarks of the render pipeline: figures printed, never asserted (timings belong here, not in tests).
// Run with `pnpm bench` (builds first). Each measurement runs in a fresh child process, so a figure includes no
// warm-up from another one and the peak memory (max RSS) is that measurement's own.
//
//   node bench/render.bench.mjs                 every figure and a markdown table for the README
//   node bench/render.bench.mjs --sizes 1000    only the synthetic environment of that many tenants (and --help / check)
//   node bench/render.bench.mjs --runs 5        fresh processes per measurement (default 3); medians are shown
//   --tmpfs DIR / --disk DIR                    where the fleet figures render (default /dev/shm and /var/tmp)
//   node bench/render.bench.mjs --fleet-only [--cli other/bin/emr-gitops.js]   only the four fleet figures
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../', import.meta.url));
let cli = join(root, 'packages/cli/bin/emr-gitops.js');
const self = fileURLToPath(import.meta.url);
const DEFAULT_SIZES = [10, 100, 1000];
/** Fresh processes per measurement (`--runs`); the median is shown. */
let RUNS = 3;
// The `yaml` library as the charts package resolves it (the root package has no dependencies of its own).
const { parseDocument, stringify, visit } = createRequire(join(root, 'packages/charts/package.json'))('yaml');

/**
 * environments/prod.yaml with `count` tenants: prod's tenants cloned round-robin, each with a unique name, namespace
 * and IAM roles (as real teams have: 1,000 tenants sharing three job roles would only measure IAM's size-limit
 * warning). Built from the file's own text through the `yaml` library (only the tenants list is replaced), so the
 * bench follows changes of the schema and of prod itself.
 */
export function syntheticEnvironment(count) {
  const document = parseDocument(prodAsOneFile());
  document.delete('promotion'); // the bench project holds no environment before it
  const seeds = document.get('tenants').items;
  const tenants = Array.from({ length: count }, (_, i) => {
    const tenant = seeds[i % seeds.length].clone();
    const suffix = String(i).padStart(4, '0');
    const name = `${tenant.get('name')}-${suffix}`;
    tenant.set('name', name);
    tenant.set('namespace', `spark-${name}`);
    visit(tenant, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && /^arn:[^:]+:iam::\d+:role\//.test(node.value))
          node.value = `${node.value}-${suffix}`;
      },
    });
    return tenant;
  });
  document.set('tenants', document.createNode(tenants));
  // Settings that name tenants follow them to their clones: classes exclusive to a tenant, its history server's role.
  const clonesOf = (seed) => tenants.map((t) => t.get('name')).filter((name) => name.startsWith(`${seed}-`));
  for (const spec of document.getIn(['capacity', 'classes'])?.items ?? []) {
    const exclusive = spec.get('exclusiveTo');
    if (exclusive)
      spec.set(
        'exclusiveTo',
        document.createNode(exclusive.items.flatMap((seed) => clonesOf(String(seed.value ?? seed)))),
      );
  }
  const roles = document.getIn(['addons', 'historyServer', 'tenantRoleArns']);
  if (roles) {
    const cloned = {};
    for (const pair of roles.items) {
      for (const clone of clonesOf(String(pair.key.value ?? pair.key)))
        cloned[clone] = `${pair.value.value ?? pair.value}-${clone.slice(-4)}`;
    }
    document.setIn(['addons', 'historyServer', 'tenantRoleArns'], document.createNode(cloned));
  }
  return document.toString({ lineWidth: 0 });
}

/** environments/prod.yaml with the tenants its tenant files place in it written in (charts' inlineTenantFiles). */
function prodAsOneFile() {
  // require() of the ES module, loaded on first use: the child measures the charts package's import time itself.
  const { inlineTenantFiles } = createRequire(import.meta.url)('../packages/charts/dist/index.js');
  const dir = join(root, 'environments', 'tenants');
  const tenantFiles = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ path: `environments/tenants/${file}`, text: readFileSync(join(dir, file), 'utf8') }));
  return inlineTenantFiles(
    readFileSync(join(root, 'environments/prod.yaml'), 'utf8'),
    'environments/prod.yaml',
    tenantFiles,
  );
}

// ---------------------------------------------------------------------------------------------------- child side

/** One synthetic size through the whole pipeline, cold (the first render in this process, as the CLI does it). */
async function childPipeline(count) {
  const importStart = performance.now();
  const { loadEnvironmentText, renderEnvironment } = await import('../packages/charts/dist/index.js');
  const { YAML_OPTIONS } = await import('../packages/charts/dist/render/block-yaml.js');
  const { validateObjects } = await import('../packages/core/dist/index.js');
  const { compareWithFolder } = await import('../packages/cli/dist/output/tree.js');
  const { writeTreeAtomically } = await import('../packages/cli/dist/output/tree-write.js');
  const importMs = performance.now() - importStart;

  const text = syntheticEnvironment(count);
  let gcMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the collections of the set-up above be reported first
  gcObserver.observe({ entryTypes: ['gc'] });
  const out = mkdtempSync(join(tmpdir(), 'emr-gitops-bench-'));
  const phases = {};
  const phase = (name, fn) => {
    const start = performance.now();
    const value = fn();
    phases[name] = performance.now() - start;
    return value;
  };
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const { config } = phase('load', () => loadEnvironmentText(text, 'environments/bench.yaml'));
    const result = phase('render', () => renderEnvironment(config));
    const findings = phase('validate', () =>
      validateObjects(result.objects, {
        environment: config.name,
        production: config.production ?? false,
        kubernetesVersion: config.cluster.kubernetesVersion,
      }),
    );
    phase('write', () => {
      const dir = join(out, 'dist-manifests', result.environment);
      writeTreeAtomically(dir, result.files, compareWithFolder(result.files, dir).diff);
    });
    const totalMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 0)); // GC entries arrive asynchronously
    gcObserver.disconnect();
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    const errors = findings.filter((finding) => finding.severity === 'error');
    if (errors.length > 0)
      throw new Error(
        `the synthetic environment breaks rules: ${errors
          .slice(0, 3)
          .map((f) => f.message)
          .join('; ')}`,
      );

    // Baseline: only serialize the same final objects with the yaml library, with the options of the project's
    // toYaml (which now writes the same bytes faster), nothing else.
    const objects = result.objects.map((entry) => entry.object);
    const baselineStart = performance.now();
    let bytes = 0;
    for (const object of objects) bytes += stringify(object, YAML_OPTIONS).length;
    const baselineMs = performance.now() - baselineStart;

    return {
      count,
      importMs,
      totalMs,
      cpuMs,
      gcMs,
      phases,
      maxRssMB,
      baselineMs,
      files: result.files.size,
      objects: objects.length,
      bytes,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// --------------------------------------------------------------------------------------------------- parent side

function runChild(args) {
  const child = spawnSync(process.execPath, [self, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`bench child ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

// Prints the process's peak RSS and CPU time (every thread's) on exit, for the CLI processes the bench starts.
const REPORT_PEAK = `data:text/javascript,${encodeURIComponent("process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`\\nBENCH_MAX_RSS_KB ${u.maxRSS} BENCH_CPU_US ${u.userCPUTime + u.systemCPUTime}\\n`); });")}`;

/**
 * A fresh `node packages/cli/bin/emr-gitops.js <args>` (node's own start-up included), `runs` times: median, min
 * and max wall time, and the largest peak RSS.
 */
function coldCli(args, runs, cwd = root) {
  const times = [];
  let peakKB = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', REPORT_PEAK, cli, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    times.push(performance.now() - start);
    if (child.status !== 0)
      throw new Error(`emr-gitops ${args.join(' ')} exited ${child.status}:\n${child.stdout}${child.stderr}`);
    peakKB = Math.max(peakKB, Number(child.stderr.match(/BENCH_MAX_RSS_KB (\d+)/)?.[1] ?? 0));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), runs, peakMB: peakKB / 1024 };
}

/** Fresh `emr-gitops render --root <temporary project>` (then `render --check`) on the synthetic environment: the CLI end to end. */
function cliRender(count, runs) {
  const project = mkdtempSync(join(tmpdir(), 'emr-gitops-bench-cli-'));
  try {
    mkdirSync(join(project, 'environments'));
    writeFileSync(join(project, 'environments', 'bench.yaml'), syntheticEnvironment(count));
    const writes = [];
    for (let i = 0; i < runs; i++) {
      rmSync(join(project, 'dist-manifests'), { recursive: true, force: true }); // every run writes every file
      writes.push(coldCli(['render', '--root', project], 1, project));
    }
    writes.sort((a, b) => a.median - b.median);
    const write = {
      ...writes[Math.floor(runs / 2)],
      min: writes[0].median,
      max: writes.at(-1).median,
      runs,
      peakMB: Math.max(...writes.map((w) => w.peakMB)),
    };
    const check = coldCli(['render', '--check', '--root', project], runs, project);
    return { count, write, check };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

const TMPFS_MAGIC = 0x01021994;
const fileSystem = (dir) => (statfsSync(dir).type === TMPFS_MAGIC ? 'tmpfs' : 'disk');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A temporary project below `parent` whose only environment is the synthetic one of `count` tenants. */
function syntheticProject(parent, count) {
  const project = mkdtempSync(join(parent, 'emr-gitops-bench-fleet-'));
  mkdirSync(join(project, 'environments'));
  writeFileSync(join(project, 'environments', 'bench.yaml'), syntheticEnvironment(count));
  return project;
}

/**
 * The four figures of issue 21 at `count` tenants, each a median of `runs` fresh CLI processes: the first render
 * into an empty folder in tmpfs, `render --check` on disk, a one-tenant change on disk (the first tenant's CPU quota
 * raised, a new value per run, so every run writes its few files), and the largest peak RSS of all those runs. The
 * page cache is as a CI job finds it after a checkout: the committed files were just written, so they are cached.
 */
function fleetFigures(count, runs, memoryDir, diskDir) {
  const peaks = [];
  const cold = (args, project) => {
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', REPORT_PEAK, cli, ...args, '--root', project], {
      cwd: project,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const wall = performance.now() - start;
    if (child.status !== 0)
      throw new Error(`emr-gitops ${args.join(' ')} exited ${child.status}:\n${child.stdout}${child.stderr}`);
    peaks.push(Number(child.stderr.match(/BENCH_MAX_RSS_KB (\d+)/)?.[1] ?? 0) / 1024);
    return { wall, cpu: Number(child.stderr.match(/BENCH_CPU_US (\d+)/)?.[1] ?? 0) / 1000, stdout: child.stdout };
  };
  const inMemory = syntheticProject(memoryDir, count);
  const onDisk = syntheticProject(diskDir, count);
  try {
    const first = Array.from({ length: runs }, () => {
      rmSync(join(inMemory, 'dist-manifests'), { recursive: true, force: true });
      return cold(['render'], inMemory);
    });
    cold(['render'], onDisk); // the committed tree, as a checkout leaves it
    const check = Array.from({ length: runs }, () => cold(['render', '--check'], onDisk));
    const file = join(onDisk, 'environments', 'bench.yaml');
    const document = parseDocument(readFileSync(file, 'utf8'));
    const cpu = Number(document.getIn(['tenants', 0, 'quota', 'cpu']));
    const change = Array.from({ length: runs }, (_, index) => {
      document.setIn(['tenants', 0, 'quota', 'cpu'], cpu + index + 1);
      writeFileSync(file, document.toString({ lineWidth: 0 }));
      const run = cold(['render'], onDisk);
      const [, changed, unchanged] = run.stdout.match(/0 added, (\d+) changed, 0 removed, (\d+) unchanged/) ?? [];
      if (!(Number(changed) > 0 && Number(changed) < 10 && Number(unchanged) > 0))
        throw new Error(`a one-tenant change wrote more than a few files: ${run.stdout}`);
      return run;
    });
    // Median wall time, and median CPU time (every thread's): under load from other jobs the CPU time is the
    // steadier figure to compare builds by.
    const figure = (measured) => ({
      wall: median(measured.map((m) => m.wall)),
      cpu: median(measured.map((m) => m.cpu)),
    });
    return { first: figure(first), check: figure(check), change: figure(change), peakMB: Math.max(...peaks), runs };
  } finally {
    rmSync(inMemory, { recursive: true, force: true });
    rmSync(onDisk, { recursive: true, force: true });
  }
}

const ms = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`);

function machine() {
  const cpuModel =
    readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpuModel.trim()}), Node ${process.version}, ${process.platform}/${process.arch}`;
}
const load = () =>
  `load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`;

/** Runs and prints fleetFigures, each against its goal. */
function printFleetFigures(count, memoryDir, diskDir) {
  const fleet = fleetFigures(count, RUNS, memoryDir, diskDir);
  const goal = (value, limit, unit) =>
    `${unit === 'MB' ? `${value.toFixed(0)} MB` : `${ms(value.wall)} (CPU ${ms(value.cpu)})`} (goal < ${unit === 'MB' ? `${limit} MB` : ms(limit)}: ${(unit === 'MB' ? value : value.wall) < limit ? 'reached' : 'not reached'})`;
  console.log(
    `\nfleet figures, ${count} tenants (issue 21's goals; cold CLI processes, medians of ${fleet.runs}; page cache warm, as after a checkout):`,
  );
  console.log(
    `  first \`render\` into an empty folder in ${memoryDir} (${fileSystem(memoryDir)}): ${goal(fleet.first, 3000)}`,
  );
  console.log(`  \`render --check\` in ${diskDir} (${fileSystem(diskDir)}): ${goal(fleet.check, 4000)}`);
  console.log(`  one-tenant change, \`render\` in ${diskDir} (${fileSystem(diskDir)}): ${goal(fleet.change, 5000)}`);
  console.log(`  peak RSS of all those runs: ${goal(fleet.peakMB, 400, 'MB')}`);
  return fleet;
}

async function parent(argv) {
  const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const sizes = option('--sizes')?.split(',').map(Number) ?? DEFAULT_SIZES;
  RUNS = Number(option('--runs') ?? 3);
  // The fleet figures' folders: tmpfs for the first render, a real disk for the check and the one-tenant change.
  const memoryDir = option('--tmpfs') ?? '/dev/shm';
  const diskDir = option('--disk') ?? '/var/tmp';
  console.log(`machine: ${machine()}; ${load()} at start; temporary folder ${tmpdir()} (set TMPDIR to change it)`);
  if (argv.includes('--fleet-only')) {
    // Only the fleet figures, of this CLI or another build's (`--cli path/to/bin/emr-gitops.js`, to compare builds).
    cli = option('--cli') ?? cli;
    console.log(`CLI: ${cli}`);
    printFleetFigures(Math.max(...sizes), memoryDir, diskDir);
    console.log(`${load()} at the end`);
    return;
  }
  console.log('synthetic environments: environments/prod.yaml with its tenants cloned (unique names and namespaces)');
  console.log(
    'pipeline = load (parse + validate config) + render + validate objects + write to an empty temporary folder,',
  );
  console.log('           one fresh process per size, modules loaded before the clock starts (shown apart);');
  console.log(
    "baseline = only serializing the same final objects with the yaml library (stringify, toYaml's options)\n",
  );

  const rows = [];
  for (const count of sizes) {
    // Several fresh processes per size; the figures are those of the run with the median wall time.
    const runs = Array.from({ length: RUNS }, () => runChild(['--child', String(count)])).sort(
      (a, b) => a.totalMs - b.totalMs,
    );
    const r = {
      ...runs[Math.floor(runs.length / 2)],
      minMs: runs[0].totalMs,
      maxMs: runs.at(-1).totalMs,
      runs: runs.length,
    };
    rows.push(r);
    const phases = Object.entries(r.phases)
      .map(([name, value]) => `${name} ${ms(value)}`)
      .join(', ');
    console.log(
      `${String(count).padStart(5)} tenants (${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB): ${ms(r.totalMs)} wall (median of ${r.runs}; min ${ms(r.minMs)}, max ${ms(r.maxMs)}), ${ms(r.cpuMs)} CPU, ` +
        `${ms(r.totalMs / count)}/tenant (${phases}; of all that, GC ${ms(r.gcMs)}); module loading before: ${ms(r.importMs)}; ` +
        `peak RSS ${r.maxRssMB.toFixed(0)} MB; baseline ${ms(r.baselineMs)} -> ${(r.totalMs / r.baselineMs).toFixed(2)}x baseline`,
    );
  }
  if (rows.length >= 2) {
    const [first, last] = [rows.at(-2), rows.at(-1)];
    const growth = last.cpuMs / first.cpuMs / (last.count / first.count);
    console.log(
      `scaling ${first.count} -> ${last.count} tenants: CPU time per tenant x${growth.toFixed(2)} (1.00 = linear)`,
    );
  }

  const largest = Math.max(...sizes);
  const cli1 = cliRender(largest, RUNS);
  const range = (m) => `median ${ms(m.median)} (min ${ms(m.min)}, max ${ms(m.max)}, ${m.runs} runs)`;
  console.log(`\ncold CLI, ${largest} tenants, temporary project (node start-up and module loading included):`);
  console.log(
    `  \`emr-gitops render --root\` into an empty folder: ${range(cli1.write)}, peak RSS ${cli1.write.peakMB.toFixed(0)} MB`,
  );
  console.log(
    `  \`emr-gitops render --check --root\`: ${range(cli1.check)}, peak RSS ${cli1.check.peakMB.toFixed(0)} MB`,
  );
  const fleet = printFleetFigures(largest, memoryDir, diskDir);
  const help = coldCli(['--help'], 7);
  console.log(`cold \`emr-gitops --help\`: ${range(help)}, peak RSS ${help.peakMB.toFixed(0)} MB`);
  const check = coldCli(['render', '--check'], RUNS);
  console.log(
    `cold \`emr-gitops render --check\` (committed environments): ${range(check)}, peak RSS ${check.peakMB.toFixed(0)} MB`,
  );
  console.log(`${load()} at the end`);

  console.log(`\nMarkdown for the README (${machine()}):\n`);
  console.log('| measurement | wall time (median) | CPU time | per tenant | peak RSS | vs. yaml-only baseline |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.count} tenants: load + render + validate + write (${r.files} files) | ${ms(r.totalMs)} | ${ms(r.cpuMs)} | ${ms(r.totalMs / r.count)} | ${r.maxRssMB.toFixed(0)} MB | ${(r.totalMs / r.baselineMs).toFixed(2)}x (${ms(r.baselineMs)}) |`,
    );
  }
  console.log(
    `| cold CLI \`render\`, ${largest} tenants, start-up included | ${ms(cli1.write.median)} | | | ${cli1.write.peakMB.toFixed(0)} MB | |`,
  );
  console.log(
    `| cold CLI \`render --check\`, ${largest} tenants, start-up included | ${ms(cli1.check.median)} | | | ${cli1.check.peakMB.toFixed(0)} MB | |`,
  );
  console.log(
    `| first \`render\`, ${largest} tenants, tmpfs (goal < 3 s) | ${ms(fleet.first.wall)} | ${ms(fleet.first.cpu)} | | | |`,
  );
  console.log(
    `| \`render --check\`, ${largest} tenants, disk (goal < 4 s) | ${ms(fleet.check.wall)} | ${ms(fleet.check.cpu)} | | | |`,
  );
  console.log(
    `| one-tenant change, ${largest} tenants, disk (goal < 5 s) | ${ms(fleet.change.wall)} | ${ms(fleet.change.cpu)} | | ${fleet.peakMB.toFixed(0)} MB (goal < 400 MB, peak of the three) | |`,
  );
  console.log(`| cold \`emr-gitops --help\` | ${ms(help.median)} | | | ${help.peakMB.toFixed(0)} MB | |`);
  console.log(
    `| cold \`emr-gitops render --check\`, committed environments | ${ms(check.median)} | | | ${check.peakMB.toFixed(0)} MB | |`,
  );
}

// Run only as a script: importing this file (for syntheticEnvironment, e.g. to profile) runs nothing.
if (process.argv[1] && realpathSync(process.argv[1]) === self) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const result = await childPipeline(Number(argv[1]));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    await parent(argv);
  }
}
