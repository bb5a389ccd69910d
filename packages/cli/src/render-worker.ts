import { workerData } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './parallel-render.js';
import { prepareEnvironment } from './prepare-environment.js';

// A worker thread of prepareEnvironments: takes environments until none is left, posting each outcome.
const { project, names, selection, counters, port } = workerData as WorkerInput;

function post(message: WorkerMessage): void {
  port.postMessage(message);
  Atomics.add(counters, 1, 1);
  Atomics.notify(counters, 1);
}

try {
  for (let index = Atomics.add(counters, 0, 1); index < names.length; index = Atomics.add(counters, 0, 1)) {
    post({ index, outcome: prepareEnvironment(project, names[index]!, selection) });
  }
} catch (error) {
  post({ crash: error instanceof Error ? (error.stack ?? error.message) : String(error) });
} finally {
  port.close();
}
