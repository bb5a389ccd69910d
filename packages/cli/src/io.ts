/** Where the CLI talks to: the process in real use, buffers in tests. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is an interactive terminal (progress redraws, prompts); false in CI and pipes. */
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Asks a yes/no question on the terminal; absent when there is no terminal to ask. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** Exit codes, the same for every command. */
export const EXIT = {
  ok: 0,
  /** Drift, findings, or some tenants failed: the command worked, the answer is "no". */
  failed: 1,
  /** Bad usage or a bad environment file: nothing was done. */
  usage: 2,
} as const;

export function processIO(): CliIO {
  const isTTY = Boolean(process.stdout.isTTY) && !process.env.CI;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY,
    env: process.env,
    cwd: process.cwd(),
    confirm: process.stdin.isTTY ? askOnTerminal : undefined,
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** An error whose message is for the user, printed without a stack trace, with the exit code it carries. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
