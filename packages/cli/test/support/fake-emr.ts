import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { close, listen } from './fake-server.js';

/**
 * A local stand-in for the EMR containers REST-JSON API (service model emr-containers 2020-10-01), enough for the
 * virtual cluster calls (POST/GET /virtualclusters, GET/DELETE /virtualclusters/{virtualClusterId}) and the job
 * template calls (POST/GET /jobtemplates, GET/DELETE /jobtemplates/{templateId}). It keeps state, honours
 * clientToken like the service (same token -> what the first call made, even once deleted), pages lists, and
 * fails on demand.
 */

export type FakeState = 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'ARRESTED';
export type FakeOperation =
  | 'ListVirtualClusters'
  | 'CreateVirtualCluster'
  | 'DescribeVirtualCluster'
  | 'DeleteVirtualCluster'
  | 'ListJobTemplates'
  | 'CreateJobTemplate'
  | 'DescribeJobTemplate'
  | 'DeleteJobTemplate';

/** A job template as the service keeps it (shape JobTemplate); `deleted` ones are no longer listed or described. */
export interface FakeJobTemplate {
  id: string;
  name: string;
  arn: string;
  createdAt: string;
  tags: Record<string, string>;
  jobTemplateData: Record<string, unknown>;
  /** The region it was made in (the request's signing region); a seeded one belongs to every region. */
  region?: string;
  deleted?: boolean;
}

export interface FakeCluster {
  id: string;
  name: string;
  arn: string;
  state: FakeState;
  containerProvider: { type: 'EKS'; id: string; info: { eksInfo: { namespace: string } } };
  createdAt: string;
  tags: Record<string, string>;
}

/**
 * An injected failure for the next `times` calls of `operation`:
 * - throttle: 429 ThrottlingException, nothing done
 * - unavailable: 503, nothing done
 * - commit-then-500: the work is done, then 500 InternalServerException (the answer is lost)
 * - commit-then-hang: the work is done, then no answer at all (the client times out)
 * - error: the given status and error type, nothing done
 */
export type Fault =
  | {
      operation: FakeOperation;
      kind: 'throttle' | 'unavailable' | 'commit-then-500' | 'commit-then-hang';
      times: number;
    }
  | { operation: FakeOperation; kind: 'error'; status: number; type: string; message: string; times: number };

export interface RecordedRequest {
  readonly operation: FakeOperation;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown> | undefined;
  /** The access key id the request was signed with. */
  readonly accessKeyId: string | undefined;
  /** The region the request was signed for. */
  readonly region: string | undefined;
  readonly fault: Fault['kind'] | undefined;
}

const ACCOUNT = '210987654321';

export class FakeEmr {
  readonly clusters: FakeCluster[] = [];
  /** Every job template made, deleted ones included (flagged). */
  readonly templates: FakeJobTemplate[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Largest page the server returns, whatever maxResults asks for. */
  pageSize = 2;
  /** Deleted clusters go straight to TERMINATED; false leaves them TERMINATING. */
  terminateAtOnce = true;
  /** Clusters lists leave out for now, as a listing that lags behind a create would. */
  readonly hiddenFromList = new Set<string>();
  private readonly tokens = new Map<string, string>();
  private readonly templateTokens = new Map<string, string>();
  private nextId = 1;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    ({ server: this.server, url: this.url } = await listen((request, response) => this.handle(request, response)));
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  /** Puts a cluster in place as if made earlier (by anyone); returns it. */
  seed(cluster: {
    name: string;
    namespace: string;
    eksCluster: string;
    state?: FakeState;
    tags?: Record<string, string>;
  }): FakeCluster {
    const id = this.newId();
    const made: FakeCluster = {
      id,
      name: cluster.name,
      arn: `arn:aws:emr-containers:ap-northeast-2:${ACCOUNT}:/virtualclusters/${id}`,
      state: cluster.state ?? 'RUNNING',
      containerProvider: { type: 'EKS', id: cluster.eksCluster, info: { eksInfo: { namespace: cluster.namespace } } },
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, this.nextId)).toISOString(),
      tags: cluster.tags ?? {},
    };
    this.clusters.push(made);
    return made;
  }

  /** Puts a job template in place as if made earlier (by anyone); returns it. */
  seedTemplate(template: {
    name: string;
    tags?: Record<string, string>;
    jobTemplateData?: Record<string, unknown>;
  }): FakeJobTemplate {
    const id = `jt${String(this.nextId++).padStart(24, '0')}`;
    const made: FakeJobTemplate = {
      id,
      name: template.name,
      arn: `arn:aws:emr-containers:ap-northeast-2:${ACCOUNT}:/jobtemplates/${id}`,
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, this.nextId)).toISOString(),
      tags: template.tags ?? {},
      jobTemplateData: template.jobTemplateData ?? {},
    };
    this.templates.push(made);
    return made;
  }

  /** Job templates not deleted. */
  liveTemplates(): FakeJobTemplate[] {
    return this.templates.filter((template) => !template.deleted);
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  /** How many calls of `operation` reached the server. */
  calls(operation: FakeOperation): number {
    return this.requests.filter((request) => request.operation === operation).length;
  }

  private newId(): string {
    return `vc${String(this.nextId++).padStart(24, '0')}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const clusterId = /^\/virtualclusters\/([^/]+)$/.exec(url.pathname);
    const templateId = /^\/jobtemplates\/([^/]+)$/.exec(url.pathname);
    const idMatch = clusterId ?? templateId;
    const operation: FakeOperation | undefined =
      url.pathname === '/virtualclusters' && request.method === 'POST'
        ? 'CreateVirtualCluster'
        : url.pathname === '/virtualclusters' && request.method === 'GET'
          ? 'ListVirtualClusters'
          : clusterId && request.method === 'GET'
            ? 'DescribeVirtualCluster'
            : clusterId && request.method === 'DELETE'
              ? 'DeleteVirtualCluster'
              : url.pathname === '/jobtemplates' && request.method === 'POST'
                ? 'CreateJobTemplate'
                : url.pathname === '/jobtemplates' && request.method === 'GET'
                  ? 'ListJobTemplates'
                  : templateId && request.method === 'GET'
                    ? 'DescribeJobTemplate'
                    : templateId && request.method === 'DELETE'
                      ? 'DeleteJobTemplate'
                      : undefined;
    if (!operation)
      return this.error(response, 404, 'UnknownOperationException', `no route for ${request.method} ${url.pathname}`);

    const fault = this.takeFault(operation);
    const [, accessKeyId, region] =
      /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(request.headers.authorization ?? '') ?? [];
    this.requests.push({ operation, query: url.searchParams, body, accessKeyId, region, fault: fault?.kind });

    if (fault?.kind === 'throttle') return this.error(response, 429, 'ThrottlingException', 'Rate exceeded');
    if (fault?.kind === 'unavailable')
      return this.error(response, 503, 'ServiceUnavailableException', 'Service unavailable');
    if (fault?.kind === 'error') return this.error(response, fault.status, fault.type, fault.message);

    const [status, answer] = this.perform(operation, url.searchParams, body, idMatch?.[1], region);
    if (fault?.kind === 'commit-then-500')
      return this.error(response, 500, 'InternalServerException', 'Internal error');
    if (fault?.kind === 'commit-then-hang') return; // the connection stays open; the client gives up
    const failure = answer as { __error?: string; message?: string };
    if (failure.__error) return this.error(response, status, failure.__error, failure.message ?? '');
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  private takeFault(operation: FakeOperation): Fault | undefined {
    const fault = this.faults.find((candidate) => candidate.operation === operation && candidate.times > 0);
    if (fault) fault.times -= 1;
    return fault;
  }

  private perform(
    operation: FakeOperation,
    query: URLSearchParams,
    body: Record<string, unknown> | undefined,
    id: string | undefined,
    region: string | undefined,
  ): [number, unknown] {
    switch (operation) {
      case 'CreateVirtualCluster':
        return this.create(body ?? {});
      case 'ListVirtualClusters':
        return this.list(query);
      case 'DescribeVirtualCluster': {
        const cluster = this.clusters.find((candidate) => candidate.id === id);
        return cluster ? [200, { virtualCluster: cluster }] : notFound(id);
      }
      case 'DeleteVirtualCluster': {
        // The service model lists only ValidationException and InternalServerException for DeleteVirtualCluster.
        const cluster = this.clusters.find((candidate) => candidate.id === id && candidate.state !== 'TERMINATED');
        if (!cluster) return refused(`Virtual cluster ${id ?? ''} is not in a state that can be deleted`);
        cluster.state = this.terminateAtOnce ? 'TERMINATED' : 'TERMINATING';
        return [200, { id }];
      }
      case 'CreateJobTemplate':
        return this.createTemplate(body ?? {}, region);
      case 'ListJobTemplates':
        return this.listTemplates(query, region);
      case 'DescribeJobTemplate': {
        const template = this.liveTemplates().find((candidate) => candidate.id === id);
        return template ? [200, { jobTemplate: templateJson(template) }] : templateNotFound(id);
      }
      case 'DeleteJobTemplate': {
        const template = this.liveTemplates().find((candidate) => candidate.id === id);
        // Likewise for DeleteJobTemplate: no ResourceNotFoundException in its model.
        if (!template) return refused(`Job template ${id ?? ''} cannot be deleted`);
        template.deleted = true;
        return [200, { id }];
      }
    }
  }

  /**
   * CreateJobTemplate: name, clientToken and jobTemplateData required (with executionRoleArn, releaseLabel and
   * jobDriver); a token seen before is answered with the template it made, deleted or not.
   */
  private createTemplate(body: Record<string, unknown>, region: string | undefined): [number, unknown] {
    const token = body.clientToken as string | undefined;
    const known = token !== undefined ? this.templateTokens.get(token) : undefined;
    if (known) {
      const template = this.templates.find((candidate) => candidate.id === known)!;
      return [200, { id: template.id, name: template.name, arn: template.arn, createdAt: template.createdAt }];
    }
    const name = body.name as string;
    const data = body.jobTemplateData as Record<string, unknown> | undefined;
    if (
      !/^[.\-_/#A-Za-z0-9]{1,64}$/.test(name ?? '') ||
      token === undefined ||
      !data?.executionRoleArn ||
      !data.releaseLabel ||
      !data.jobDriver
    ) {
      return [
        400,
        {
          __error: 'ValidationException',
          message: 'name, clientToken and jobTemplateData (executionRoleArn, releaseLabel, jobDriver) are required',
        },
      ];
    }
    const template = this.seedTemplate({
      name,
      tags: (body.tags ?? {}) as Record<string, string>,
      jobTemplateData: data,
    });
    template.region = region;
    template.createdAt = new Date().toISOString();
    this.templateTokens.set(token, template.id);
    return [200, { id: template.id, name: template.name, arn: template.arn, createdAt: template.createdAt }];
  }

  /** Job templates live per account and region, as the service keeps them: a region lists its own (and the seeded ones). */
  private listTemplates(query: URLSearchParams, region: string | undefined): [number, unknown] {
    const matching = this.liveTemplates().filter(
      (template) => !this.hiddenFromList.has(template.id) && (!template.region || template.region === region),
    );
    const start = Number(query.get('nextToken') ?? '0');
    const size = Math.min(this.pageSize, Number(query.get('maxResults') ?? this.pageSize));
    const page = matching.slice(start, start + size);
    const next = start + size < matching.length ? String(start + size) : undefined;
    return [200, { templates: page.map(templateJson), ...(next ? { nextToken: next } : {}) }];
  }

  private create(body: Record<string, unknown>): [number, unknown] {
    const token = body.clientToken as string | undefined;
    const known = token !== undefined ? this.tokens.get(token) : undefined;
    if (known) {
      const cluster = this.clusters.find((candidate) => candidate.id === known)!;
      return [200, { id: cluster.id, name: cluster.name, arn: cluster.arn }];
    }
    const name = body.name as string;
    const provider = body.containerProvider as {
      type: string;
      id: string;
      info?: { eksInfo?: { namespace?: string } };
    };
    if (
      !/^[.\-_/#A-Za-z0-9]{1,64}$/.test(name ?? '') ||
      provider?.type !== 'EKS' ||
      !provider.info?.eksInfo?.namespace
    ) {
      return [
        400,
        { __error: 'ValidationException', message: 'name, containerProvider.type EKS and a namespace are required' },
      ];
    }
    const namespace = provider.info.eksInfo.namespace;
    if (
      this.clusters.some(
        (other) =>
          other.containerProvider.id === provider.id &&
          other.containerProvider.info.eksInfo.namespace === namespace &&
          (other.state === 'RUNNING' || other.state === 'ARRESTED'),
      )
    ) {
      return refused('A virtual cluster already exists in the given namespace');
    }
    const cluster = this.seed({
      name,
      namespace,
      eksCluster: provider.id,
      tags: (body.tags ?? {}) as Record<string, string>,
    });
    if (token !== undefined) this.tokens.set(token, cluster.id);
    return [200, { id: cluster.id, name: cluster.name, arn: cluster.arn }];
  }

  private list(query: URLSearchParams): [number, unknown] {
    const states = query.getAll('states');
    const matching = this.clusters.filter(
      (cluster) =>
        !this.hiddenFromList.has(cluster.id) &&
        (!query.has('containerProviderId') || cluster.containerProvider.id === query.get('containerProviderId')) &&
        (!query.has('containerProviderType') ||
          cluster.containerProvider.type === query.get('containerProviderType')) &&
        (states.length === 0 || states.includes(cluster.state)),
    );
    const start = Number(query.get('nextToken') ?? '0');
    const size = Math.min(this.pageSize, Number(query.get('maxResults') ?? this.pageSize));
    const page = matching.slice(start, start + size);
    const next = start + size < matching.length ? String(start + size) : undefined;
    return [200, { virtualClusters: page, ...(next ? { nextToken: next } : {}) }];
  }

  private error(response: ServerResponse, status: number, type: string, message: string): void {
    response
      .writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type })
      .end(JSON.stringify({ message }));
  }
}

function notFound(id: string | undefined): [number, unknown] {
  return [404, { __error: 'ResourceNotFoundException', message: `Virtual cluster ${id ?? ''} does not exist` }];
}

/** A ValidationException (400); the message text is illustrative, the CLI does not parse it. */
function refused(message: string): [number, unknown] {
  return [400, { __error: 'ValidationException', message }];
}

function templateJson(template: FakeJobTemplate) {
  const { deleted: _deleted, ...shown } = template;
  return shown;
}

function templateNotFound(id: string | undefined): [number, unknown] {
  return [404, { __error: 'ResourceNotFoundException', message: `Job template ${id ?? ''} does not exist` }];
}
