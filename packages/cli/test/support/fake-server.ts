import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the local AWS stand-ins share (S3 in fake-s3.ts; IAM, STS, EKS and SQS in fake-account.ts): a server on a
 * free port, every request recorded, and failures injected per operation:
 * - throttle: the service's throttling answer, nothing done
 * - unavailable: 503, nothing done
 * - commit-then-500: the work is done, then 500 (the answer is lost)
 * - commit-then-hang: the work is done, then no answer at all (the client times out)
 * - error: the given status and error code, nothing done
 * - unreachable: the connection is cut before any answer, nothing done
 */
export type FaultKind = 'throttle' | 'unavailable' | 'commit-then-500' | 'commit-then-hang' | 'error' | 'unreachable';
export interface InjectedFault<Op extends string> {
  readonly operation: Op;
  readonly kind: FaultKind;
  times: number;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
}

export interface Recorded<Op extends string> {
  readonly operation: Op;
  readonly fault: FaultKind | undefined;
  readonly detail: Readonly<Record<string, unknown>>;
}

export abstract class FakeServer<Op extends string> {
  readonly requests: Recorded<Op>[] = [];
  readonly faults: InjectedFault<Op>[] = [];
  url = '';
  private server: Server | undefined;

  async start(): Promise<this> {
    ({ server: this.server, url: this.url } = await listen((request, response) => this.receive(request, response)));
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  inject(fault: InjectedFault<Op>): void {
    this.faults.push(fault);
  }

  /** How many calls of `operation` reached the server (failed ones included). */
  calls(operation: Op): number {
    return this.requests.filter((request) => request.operation === operation).length;
  }

  /** Calls of `operation` that did their work and were answered or lost after it (no fault before the work). */
  done(operation: Op): Recorded<Op>[] {
    return this.requests.filter(
      (request) =>
        request.operation === operation &&
        (request.fault === undefined || request.fault === 'commit-then-500' || request.fault === 'commit-then-hang'),
    );
  }

  /** Which operation a request is, and what to record of it; undefined: no such route. */
  protected abstract route(
    request: IncomingMessage,
    url: URL,
    body: Buffer,
  ): { operation: Op; detail: Record<string, unknown> } | undefined;
  /** Does the work; returns the answer to send. */
  protected abstract perform(
    operation: Op,
    request: IncomingMessage,
    url: URL,
    body: Buffer,
    detail: Record<string, unknown>,
  ): Answer;
  /** The service's error answer. */
  protected abstract error(status: number, code: string, message: string, request: IncomingMessage): Answer;
  protected abstract readonly throttleCode: string;

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const routed = this.route(request, url, body);
    if (!routed)
      return send(
        response,
        this.error(404, 'UnknownOperation', `no route for ${request.method} ${url.pathname}`, request),
      );
    const fault = this.faults.find((candidate) => candidate.operation === routed.operation && candidate.times > 0);
    if (fault) fault.times -= 1;
    this.requests.push({ operation: routed.operation, fault: fault?.kind, detail: routed.detail });
    switch (fault?.kind) {
      case 'throttle':
        return send(response, this.error(429, this.throttleCode, 'Rate exceeded', request));
      case 'unavailable':
        return send(response, this.error(503, 'ServiceUnavailable', 'Service unavailable', request));
      case 'error':
        return send(response, this.error(fault.status ?? 400, fault.code ?? 'Error', fault.message ?? '', request));
      case 'unreachable':
        request.socket.destroy();
        return;
      default:
        break;
    }
    const answer = this.perform(routed.operation, request, url, body, routed.detail);
    if (fault?.kind === 'commit-then-500')
      return send(response, this.error(500, 'InternalError', 'Internal error', request));
    if (fault?.kind === 'commit-then-hang') return; // the connection stays open; the client gives up
    send(response, answer);
  }
}

/** An HTTP server on a free port of 127.0.0.1 handing each request to `handle`. */
export async function listen(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Stops `server`, cutting the connections a test left open (a hung answer). */
export async function close(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
}

export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
}

/** Text safe inside an XML element. */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
