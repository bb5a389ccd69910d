import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CliError, EXIT } from './io.js';
import type { Project } from './project.js';
import { prepareEnvironment, type EnvironmentOutcome, type RenderSelection } from './prepare-environment.js';

/** How many environments render at once: `EMR_GITOPS_JOBS` (1 renders in this thread), else see defaultJobs. */
export const JOBS_VARIABLE = 'EMR_GITOPS_JOBS';

/**
 * Environment file bytes worth a worker thread: one costs about 1.5 s of CPU before it renders anything (its own
 * module loading, its code not yet optimized), what rendering some 500 KB of environment file (400 tenants) costs.
 */
const BYTES_PER_WORKER = 512 * 1024;

/** The worker's compiled entry; absent when the CLI runs from its TypeScript sources (tests), which then render here. */
const WORKER = new URL('./render-worker.js', import.meta.url);

/** What a worker receives: the environments to share with the others. */
export interface WorkerInput {
  readonly project: Project;
  readonly names: readonly string[];
  readonly selection: RenderSelection;
  /** [0]: index of the next environment to take, shared by every worker and this thread. */
  readonly next: Int32Array;
}

/** A worker's message: one environment's outcome, or why the worker failed. */
export type WorkerMessage =
  | { readonly index: number; readonly outcome: EnvironmentOutcome }
  | { readonly crash: string };

/**
 * prepareEnvironment for each named environment, in that order. With several environments and cores, this thread
 * and `jobs - 1` worker threads take the environments one at a time (a shared counter); this thread then waits for
 * the workers' outcomes. A worker that stops before posting all it took (its isolate out of memory, a crash) fails
 * the render instead of leaving it waiting. The caller's messages come in the same order as a serial run's, since
 * they are printed from the outcomes afterwards.
 * @param worker the worker's entry (tests give another)
 */
export async function prepareEnvironments(
  project: Project,
  names: readonly string[],
  selection: RenderSelection,
  env: NodeJS.ProcessEnv,
  worker: URL = WORKER,
): Promise<EnvironmentOutcome[]> {
  const jobs = Math.min(names.length, jobsOf(env) ?? defaultJobs(project, names));
  if (jobs <= 1 || !existsSync(fileURLToPath(worker)))
    return names.map((name) => prepareEnvironment(project, name, selection));
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const input: WorkerInput = {
    project,
    names,
    selection: { env: selection.env, schemaDir: selection.schemaDir },
    next,
  };
  const outcomes: EnvironmentOutcome[] = [];
  const workers = Array.from({ length: jobs - 1 }, () => new Worker(worker, { workerData: input }));
  const finished = workers.map(
    (thread) =>
      new Promise<void>((resolve, reject) => {
        thread.on('message', (message: WorkerMessage) => {
          if ('crash' in message) reject(new Error(`rendering in a worker thread failed: ${message.crash}`));
          else outcomes[message.index] = message.outcome;
        });
        // Out of memory, the worker's isolate ends with an error event ('ERR_WORKER_OUT_OF_MEMORY'), then its exit.
        thread.on('error', (error) => reject(workerStopped(error.message)));
        thread.on('exit', (code) => (code === 0 ? resolve() : reject(workerStopped(`exit code ${code}`))));
      }),
  );
  const allFinished = Promise.all(finished);
  // Handled from the start: if this thread's own share throws, the workers' ends (terminated below) are not news.
  allFinished.catch(() => undefined);
  try {
    for (let index = Atomics.add(next, 0, 1); index < names.length; index = Atomics.add(next, 0, 1))
      outcomes[index] = prepareEnvironment(project, names[index]!, selection);
    await allFinished;
  } finally {
    for (const thread of workers) void thread.terminate();
  }
  const missing = names.filter((_, index) => outcomes[index] === undefined);
  if (missing.length > 0) throw new Error(`no render worker thread reported ${missing.join(', ')}`);
  return outcomes;
}

/** A worker thread ended before reporting: said without a stack trace, as the environments' problem it is not. */
function workerStopped(why: string): CliError {
  return new CliError(
    `a render worker thread stopped (${why}) before reporting the environments it took; nothing was written. ${JOBS_VARIABLE}=1 renders them in this thread only.`,
    EXIT.failed,
  );
}

/** The cores there are, but no more threads than the environments' size pays for (the committed ones: one). */
function defaultJobs(project: Project, names: readonly string[]): number {
  const bytes = names.reduce((sum, name) => sum + statSync(join(project.environmentsDir, `${name}.yaml`)).size, 0);
  return Math.min(availableParallelism(), 1 + Math.floor(bytes / BYTES_PER_WORKER));
}

function jobsOf(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[JOBS_VARIABLE];
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9]\d*$/.test(value))
    throw new CliError(
      `${JOBS_VARIABLE} must be a whole number of environments rendered at once, 1 or more; got "${value}"`,
    );
  return Number(value);
}
