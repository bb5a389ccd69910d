import type { IncomingMessage } from 'node:http';
import { evaluate, type FakeContext, type FakePolicy } from './fake-iam-policy.js';
import { FakeServer, xmlText, type Answer } from './fake-server.js';

/**
 * A local stand-in for the control-plane APIs emr preflight reads, on one port (the SDK's per-service endpoint
 * variables all point here): IAM (query protocol, 2010-05-08: GetRole, GetOpenIDConnectProvider,
 * ListOpenIDConnectProviders, SimulatePrincipalPolicy with ContextEntries, ListAttachedRolePolicies), STS (query, 2011-06-15: GetCallerIdentity), EKS (REST-JSON,
 * 2017-11-01: DescribeCluster, ListAccessEntries, DescribeAccessEntry, DescribeFargateProfile) and SQS (JSON 1.0,
 * 2012-11-05: GetQueueUrl). A request is told apart by its shape: X-Amz-Target for SQS, a form Action for IAM and
 * STS, the path for EKS.
 */
export type AccountOperation =
  | 'GetRole'
  | 'GetOpenIDConnectProvider'
  | 'ListOpenIDConnectProviders'
  | 'SimulatePrincipalPolicy'
  | 'ListAttachedRolePolicies'
  | 'GetCallerIdentity'
  | 'DescribeCluster'
  | 'ListAccessEntries'
  | 'DescribeAccessEntry'
  | 'DescribeFargateProfile'
  | 'GetQueueUrl'
  | 'ListPodIdentityAssociations'
  | 'DescribePodIdentityAssociation'
  | 'CreatePodIdentityAssociation'
  | 'UpdatePodIdentityAssociation'
  | 'DeletePodIdentityAssociation';

const QUERY_OPERATIONS = new Set<AccountOperation>([
  'GetRole',
  'GetOpenIDConnectProvider',
  'ListOpenIDConnectProviders',
  'SimulatePrincipalPolicy',
  'ListAttachedRolePolicies',
  'GetCallerIdentity',
]);

export interface FakeRole {
  trust: { Version: string; Statement: unknown[] };
  /** A shorthand for unconditional Allow statements: action and resource patterns with * wildcards. */
  allow?: { action: string; resource: string }[];
  /** Permission policies (inline or attached), evaluated with their conditions (fake-iam-policy.ts). */
  policies?: FakePolicy[];
  /** ARNs of the managed policies attached to the role. */
  attached?: string[];
}

export interface FakeEksCluster {
  issuer: string;
  /** The cluster IAM role (DescribeCluster's roleArn). */
  roleArn?: string;
  authenticationMode: 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';
  /** principal ARN -> access entry type */
  accessEntries: Map<string, string>;
  fargateProfiles: Map<string, { status: string; namespaces: string[] }>;
  /** association id -> association (EKS Pod Identity); made on first use. */
  podIdentityAssociations?: Map<string, FakeAssociation>;
}

export interface FakeAssociation {
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  tags: Record<string, string>;
  token?: string;
}

export class FakeAccount extends FakeServer<AccountOperation> {
  account = '210987654321';
  readonly roles = new Map<string, FakeRole>();
  /** OIDC provider ARN -> client ids (audiences). */
  readonly oidcProviders = new Map<string, string[]>();
  readonly clusters = new Map<string, FakeEksCluster>();
  readonly queues = new Set<string>();
  protected readonly throttleCode = 'Throttling';

  protected route(request: IncomingMessage, url: URL, body: Buffer) {
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('AmazonSQS.')) {
      return target === 'AmazonSQS.GetQueueUrl'
        ? { operation: 'GetQueueUrl' as const, detail: JSON.parse(body.toString()) as Record<string, unknown> }
        : undefined;
    }
    if (request.method === 'POST' && url.pathname === '/') {
      const form = Object.fromEntries(new URLSearchParams(body.toString()));
      const action = form.Action as AccountOperation | undefined;
      return action && QUERY_OPERATIONS.has(action) ? { operation: action, detail: form } : undefined;
    }
    const path = url.pathname.split('/').map(decodeURIComponent);
    if (path[1] !== 'clusters' || !path[2]) return undefined;
    const detail = { cluster: path[2], name: path[4] };
    if (path[3] === 'pod-identity-associations') {
      const input = body.length > 0 ? (JSON.parse(body.toString()) as Record<string, unknown>) : {};
      const withBody = { ...detail, ...input, nextToken: url.searchParams.get('nextToken') ?? undefined };
      if (path.length === 4)
        return {
          operation:
            request.method === 'POST'
              ? ('CreatePodIdentityAssociation' as const)
              : ('ListPodIdentityAssociations' as const),
          detail: withBody,
        };
      const byMethod = {
        GET: 'DescribePodIdentityAssociation',
        POST: 'UpdatePodIdentityAssociation',
        DELETE: 'DeletePodIdentityAssociation',
      } as const;
      const operation = byMethod[request.method as keyof typeof byMethod];
      return operation ? { operation, detail: withBody } : undefined;
    }
    if (request.method !== 'GET') return undefined;
    if (path.length === 3) return { operation: 'DescribeCluster' as const, detail };
    if (path[3] === 'access-entries')
      return {
        operation: path.length === 4 ? ('ListAccessEntries' as const) : ('DescribeAccessEntry' as const),
        detail,
      };
    if (path[3] === 'fargate-profiles' && path.length === 5)
      return { operation: 'DescribeFargateProfile' as const, detail };
    return undefined;
  }

  protected perform(
    operation: AccountOperation,
    request: IncomingMessage,
    _url: URL,
    _body: Buffer,
    detail: Record<string, unknown>,
  ): Answer {
    const d = detail as Record<string, string>;
    switch (operation) {
      case 'GetCallerIdentity':
        return this.query(
          operation,
          `<Arn>arn:aws:iam::${this.account}:user/operator</Arn><UserId>AIDAFAKE</UserId><Account>${this.account}</Account>`,
          'sts',
        );
      case 'GetRole': {
        const role = this.roles.get(d.RoleName!);
        if (!role) return this.error(404, 'NoSuchEntity', `The role with name ${d.RoleName} cannot be found.`, request);
        return this.query(
          operation,
          `<Role><Path>/</Path><RoleName>${d.RoleName}</RoleName><RoleId>AROAFAKE</RoleId>` +
            `<Arn>arn:aws:iam::${this.account}:role/${d.RoleName}</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate>` +
            `<AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(role.trust))}</AssumeRolePolicyDocument></Role>`,
        );
      }
      case 'GetOpenIDConnectProvider': {
        const clients = this.oidcProviders.get(d.OpenIDConnectProviderArn!);
        if (!clients)
          return this.error(
            404,
            'NoSuchEntity',
            `OpenIDConnect Provider not found for arn ${d.OpenIDConnectProviderArn}`,
            request,
          );
        const url = d.OpenIDConnectProviderArn!.replace(/^.*:oidc-provider\//, '');
        return this.query(
          operation,
          `<Url>${xmlText(url)}</Url><ClientIDList>${clients.map((c) => `<member>${c}</member>`).join('')}</ClientIDList>` +
            '<ThumbprintList><member>9e99a48a9960b14926bb7f3b02e22da2b0ab7280</member></ThumbprintList><CreateDate>2025-01-01T00:00:00Z</CreateDate>',
        );
      }
      case 'ListOpenIDConnectProviders':
        return this.query(
          operation,
          `<OpenIDConnectProviderList>${[...this.oidcProviders.keys()].map((arn) => `<member><Arn>${xmlText(arn)}</Arn></member>`).join('')}</OpenIDConnectProviderList>`,
        );
      case 'SimulatePrincipalPolicy':
        return this.simulate(d, request);
      case 'ListAttachedRolePolicies': {
        const role = this.roles.get(d.RoleName!);
        if (!role) return this.error(404, 'NoSuchEntity', `The role with name ${d.RoleName} cannot be found.`, request);
        const members = (role.attached ?? []).map(
          (arn) =>
            `<member><PolicyName>${arn.split('/').pop()}</PolicyName><PolicyArn>${xmlText(arn)}</PolicyArn></member>`,
        );
        return this.query(
          operation,
          `<IsTruncated>false</IsTruncated><AttachedPolicies>${members.join('')}</AttachedPolicies>`,
        );
      }
      case 'DescribeCluster': {
        const cluster = this.clusters.get(d.cluster!);
        if (!cluster)
          return this.error(404, 'ResourceNotFoundException', `No cluster found for name: ${d.cluster}.`, request);
        return json({
          cluster: {
            name: d.cluster,
            arn: `arn:aws:eks:ap-northeast-2:${this.account}:cluster/${d.cluster}`,
            status: 'ACTIVE',
            roleArn: cluster.roleArn,
            identity: { oidc: { issuer: cluster.issuer } },
            accessConfig: { authenticationMode: cluster.authenticationMode },
          },
        });
      }
      case 'ListAccessEntries': {
        const cluster = this.clusters.get(d.cluster!);
        if (!cluster)
          return this.error(404, 'ResourceNotFoundException', `No cluster found for name: ${d.cluster}.`, request);
        return json({ accessEntries: [...cluster.accessEntries.keys()] });
      }
      case 'DescribeAccessEntry': {
        const type = this.clusters.get(d.cluster!)?.accessEntries.get(d.name!);
        if (!type)
          return this.error(
            404,
            'ResourceNotFoundException',
            `The specified principalArn could not be found.`,
            request,
          );
        return json({ accessEntry: { clusterName: d.cluster, principalArn: d.name, type } });
      }
      case 'DescribeFargateProfile': {
        const profile = this.clusters.get(d.cluster!)?.fargateProfiles.get(d.name!);
        if (!profile)
          return this.error(
            404,
            'ResourceNotFoundException',
            `No Fargate Profile found with name: ${d.name}.`,
            request,
          );
        return json({
          fargateProfile: {
            fargateProfileName: d.name,
            clusterName: d.cluster,
            status: profile.status,
            selectors: profile.namespaces.map((namespace) => ({ namespace })),
          },
        });
      }
      case 'ListPodIdentityAssociations':
      case 'DescribePodIdentityAssociation':
      case 'CreatePodIdentityAssociation':
      case 'UpdatePodIdentityAssociation':
      case 'DeletePodIdentityAssociation':
        return this.podIdentity(operation, detail, request);
      case 'GetQueueUrl': {
        if (!this.queues.has(d.QueueName!)) {
          return {
            status: 400,
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender',
            },
            body: JSON.stringify({
              __type: 'com.amazonaws.sqs#QueueDoesNotExist',
              message: 'The specified queue does not exist.',
            }),
          };
        }
        return {
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify({ QueueUrl: `https://sqs.ap-northeast-2.amazonaws.com/${this.account}/${d.QueueName}` }),
        };
      }
    }
  }

  /** EKS Pod Identity associations: one per namespace and service account; a create repeating its token gets the same one. */
  private podIdentity(operation: AccountOperation, detail: Record<string, unknown>, request: IncomingMessage): Answer {
    const d = detail as Record<string, string> & { tags?: Record<string, string> };
    const cluster = this.clusters.get(d.cluster!);
    if (!cluster)
      return this.error(404, 'ResourceNotFoundException', `No cluster found for name: ${d.cluster}.`, request);
    const associations = (cluster.podIdentityAssociations ??= new Map());
    const view = (id: string, a: FakeAssociation) => ({
      clusterName: d.cluster,
      associationId: id,
      associationArn: `arn:aws:eks:ap-northeast-2:${this.account}:podidentityassociation/${d.cluster}/${id}`,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn,
      tags: a.tags,
    });
    if (operation === 'ListPodIdentityAssociations') {
      // Two per page, so that callers must follow nextToken.
      const all = [...associations].map(([id, a]) => {
        const { roleArn: _r, tags: _t, ...summary } = view(id, a);
        return summary;
      });
      const start = Number(d.nextToken ?? 0);
      return json({
        associations: all.slice(start, start + 2),
        ...(start + 2 < all.length ? { nextToken: String(start + 2) } : {}),
      });
    }
    if (operation === 'CreatePodIdentityAssociation') {
      const existing = [...associations].find(
        ([, a]) => a.namespace === d.namespace && a.serviceAccount === d.serviceAccount,
      );
      if (existing && d.clientRequestToken !== undefined && existing[1].token === d.clientRequestToken)
        return json({ association: view(...existing) });
      if (existing)
        return this.error(409, 'ResourceInUseException', `Association already exists: ${existing[0]}`, request);
      const id = `a-${(associations.size + 1).toString(36).padStart(17, '0')}`;
      associations.set(id, {
        namespace: d.namespace!,
        serviceAccount: d.serviceAccount!,
        roleArn: d.roleArn!,
        tags: { ...d.tags },
        token: d.clientRequestToken,
      });
      return json({ association: view(id, associations.get(id)!) });
    }
    const found = associations.get(d.name!);
    if (!found) return this.error(404, 'ResourceNotFoundException', `No association found for id: ${d.name}.`, request);
    if (operation === 'UpdatePodIdentityAssociation') found.roleArn = d.roleArn ?? found.roleArn;
    if (operation === 'DeletePodIdentityAssociation') associations.delete(d.name!);
    return json({ association: view(d.name!, found) });
  }

  /**
   * One EvaluationResult per action, its per-resource decisions in ResourceSpecificResults (IAM's current answer
   * shape); the top-level decision is the most restrictive one. The context is ContextEntries.member.N.*.
   */
  private simulate(d: Record<string, string>, request: IncomingMessage): Answer {
    const role = this.roles.get((d.PolicySourceArn ?? '').replace(/^.*:role\//, ''));
    if (!role) return this.error(404, 'NoSuchEntity', `Could not find entity for ${d.PolicySourceArn}`, request);
    const list = (name: string) =>
      Object.keys(d)
        .filter((key) => new RegExp(`^${name.replace(/\./g, '\\.')}\\.member\\.\\d+$`).test(key))
        .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
        .map((key) => d[key]!);
    const context: FakeContext = new Map(contextEntries(d));
    const policies: FakePolicy[] = [
      ...(role.policies ?? []),
      {
        Statement: (role.allow ?? []).map((rule) => ({
          Effect: 'Allow' as const,
          Action: rule.action,
          Resource: rule.resource,
        })),
      },
    ];
    const resources = list('ResourceArns');
    const results = list('ActionNames').map((action) => {
      const decisions = (resources.length > 0 ? resources : ['*']).map((resource) => ({
        resource,
        decision: evaluate(policies, action, resource, context),
      }));
      const overall =
        decisions.find((entry) => entry.decision === 'explicitDeny') ??
        decisions.find((entry) => entry.decision === 'implicitDeny') ??
        decisions[0]!;
      return (
        `<member><EvalActionName>${action}</EvalActionName><EvalResourceName>${xmlText(overall.resource)}</EvalResourceName><EvalDecision>${overall.decision}</EvalDecision>` +
        `<ResourceSpecificResults>${decisions
          .map(
            (entry) =>
              `<member><EvalResourceName>${xmlText(entry.resource)}</EvalResourceName>` +
              `<EvalResourceDecision>${entry.decision}</EvalResourceDecision></member>`,
          )
          .join('')}</ResourceSpecificResults></member>`
      );
    });
    return this.query(
      'SimulatePrincipalPolicy',
      `<IsTruncated>false</IsTruncated><EvaluationResults>${results.join('')}</EvaluationResults>`,
    );
  }

  private query(operation: string, result: string, service: 'iam' | 'sts' = 'iam'): Answer {
    const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body:
        `<${operation}Response xmlns="https://${service}.amazonaws.com/doc/${version}/"><${operation}Result>${result}</${operation}Result>` +
        `<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${operation}Response>`,
    };
  }

  protected error(status: number, code: string, message: string, request: IncomingMessage): Answer {
    if (typeof request.headers['x-amz-target'] === 'string') {
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }),
      };
    }
    if (request.method === 'POST' && !(request.url ?? '').startsWith('/clusters/')) {
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlText(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
      };
    }
    return {
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
      body: JSON.stringify({ message }),
    };
  }
}

const json = (body: unknown): Answer => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** ContextEntries.member.N.ContextKeyName / .ContextKeyValues.member.M of a query request, as key -> values. */
function contextEntries(d: Record<string, string>): [string, string[]][] {
  const entries = new Map<string, string[]>();
  for (const [field, name] of Object.entries(d)) {
    const n = /^ContextEntries\.member\.(\d+)\.ContextKeyName$/.exec(field)?.[1];
    if (n === undefined) continue;
    const values = Object.keys(d)
      .filter((key) => key.startsWith(`ContextEntries.member.${n}.ContextKeyValues.member.`))
      .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
      .map((key) => d[key]!);
    entries.set(name, values);
  }
  return [...entries];
}
