import type { CliIO } from '../io.js';

/** Per-item progress on stderr (stdout stays clean for --output json): a redrawn status line on a terminal, plain lines in CI. */
export class Progress {
  private readonly running: string[] = [];
  private finished = 0;

  constructor(
    private readonly io: CliIO,
    private readonly verb: string,
    private readonly total: number,
  ) {}

  start(item: string, detail: string): void {
    this.running.push(item);
    if (this.io.isTTY) this.redraw();
    else this.io.err(`${this.verb} ${item} (${detail})...\n`);
  }

  finish(item: string, line: string): void {
    this.running.splice(this.running.indexOf(item), 1);
    this.finished += 1;
    if (this.io.isTTY) {
      this.io.err(`\r\x1b[2K${line}\n`);
      this.redraw();
    } else {
      this.io.err(`${line}\n`);
    }
  }

  private redraw(): void {
    this.io.err(
      this.running.length > 0
        ? `\r\x1b[2K[${this.finished}/${this.total}] ${this.verb} ${this.running.join(', ')}...`
        : '\r\x1b[2K',
    );
  }
}

/** Runs `work` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
