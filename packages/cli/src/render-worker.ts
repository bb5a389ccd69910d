import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './parallel-render.js';
import { prepareEnvironment } from './prepare-environment.js';

// A worker thread of prepareEnvironments: takes environments until none is left, posting each outcome.
const { project, names, selection, next } = workerData as WorkerInput;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  for (let index = Atomics.add(next, 0, 1); index < names.length; index = Atomics.add(next, 0, 1))
    post({ index, outcome: prepareEnvironment(project, names[index]!, selection) });
} catch (error) {
  post({ crash: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
