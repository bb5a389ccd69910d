import { Type, type Static } from '@sinclair/typebox';
import { DnsLabel, Quantity, StringEnum, strictObject } from '../../config/schema-types.js';

const HttpsUrl = (description: string) =>
  Type.String({ pattern: '^https://[^\\s/?#]+(/[^\\s?#]*)?$', maxLength: 2048, description });

const SecretName = (description: string) =>
  Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253, description });

export const JupyterHubSchema = strictObject(
  {
    auth: strictObject(
      {
        type: StringEnum(['dummy', 'github', 'oidc'], {
          description:
            'how users log in: "dummy" (anyone, any name: development only, refused with production: true), "github" (GitHub OAuth, members of allowedOrganizations) or "oidc" (any OpenID Connect provider through GenericOAuthenticator: Keycloak, Okta, Microsoft Entra ID, Cognito, ...; members of allowedGroups)',
        }),
        clientId: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'github, oidc: the OAuth client id registered with the provider (not a secret)',
          }),
        ),
        callbackUrl: Type.Optional(
          Type.String({
            pattern: '^https://[^\\s]+/hub/oauth_callback$',
            description:
              'github, oidc: the OAuth callback registered with the provider, https://<host>/hub/oauth_callback',
          }),
        ),
        clientSecret: Type.Optional(
          strictObject(
            {
              secretName: SecretName(
                'an existing Secret in the jupyterhub namespace, created outside Git (e.g. by External Secrets)',
              ),
              key: Type.String({
                pattern: '^[-._a-zA-Z0-9]+$',
                maxLength: 253,
                description: 'the key of the Secret holding the client secret',
              }),
            },
            'github, oidc: where the OAuth client secret is: an existing Secret, never a value in this file',
          ),
        ),
        allowedOrganizations: Type.Optional(
          Type.Array(
            Type.String({
              pattern: '^[A-Za-z0-9][A-Za-z0-9-]*(:[A-Za-z0-9._-]+)?$',
              description: 'a GitHub organization, or org:team',
            }),
            {
              minItems: 1,
              description: 'github: who may log in: members of these organizations (or org:team)',
            },
          ),
        ),
        authorizeUrl: Type.Optional(
          HttpsUrl(
            "oidc: the provider's authorization endpoint (authorization_endpoint of <issuer>/.well-known/openid-configuration)",
          ),
        ),
        tokenUrl: Type.Optional(
          HttpsUrl("oidc: the provider's token endpoint (token_endpoint of <issuer>/.well-known/openid-configuration)"),
        ),
        userdataUrl: Type.Optional(
          HttpsUrl(
            "oidc: the provider's userinfo endpoint (userinfo_endpoint of <issuer>/.well-known/openid-configuration); its answer must carry usernameClaim and groupsClaim",
          ),
        ),
        scopes: Type.Optional(
          Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$', description: 'an OAuth scope' }), {
            minItems: 1,
            uniqueItems: true,
            description:
              'oidc: scopes requested (default [openid, profile, email]); add the one your provider needs to put groups in the userinfo answer (e.g. groups)',
          }),
        ),
        usernameClaim: Type.Optional(
          Type.String({
            pattern: '^[A-Za-z0-9_:.-]{1,100}$',
            description:
              'oidc: the userinfo claim used as the JupyterHub user name (default preferred_username; email or sub where names are not unique)',
          }),
        ),
        groupsClaim: Type.Optional(
          Type.String({
            pattern: '^[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*$',
            description:
              "oidc: the userinfo claim listing the user's groups, dotted for a nested one (default groups; e.g. realm_access.roles for Keycloak roles)",
          }),
        ),
        allowedGroups: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 256, description: 'a group (a value of groupsClaim)' }), {
            minItems: 1,
            uniqueItems: true,
            description: 'oidc: who may log in: users whose groupsClaim holds one of these values',
          }),
        ),
        adminGroups: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
            minItems: 1,
            uniqueItems: true,
            description:
              'oidc: users whose groupsClaim holds one of these are JupyterHub admins (and may log in); admin rights follow the group at each login',
          }),
        ),
        loginService: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 60,
            description:
              'oidc: the provider\'s name on the login button ("Sign in with <loginService>"; default "OAuth 2.0")',
          }),
        ),
        adminUsers: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
            description: 'user names with admin rights in JupyterHub',
          }),
        ),
      },
      'authentication of JupyterHub users',
    ),
    proxyServiceType: Type.Optional(
      StringEnum(['ClusterIP', 'LoadBalancer', 'NodePort'], {
        description:
          'Service type of the proxy (proxy-public), which serves plain HTTP on port 80: ClusterIP (default; kubectl port-forward), LoadBalancer or NodePort; with tls it follows the load balancer (LoadBalancer for an nlb, ClusterIP for an alb) and may be left out',
      }),
    ),
    tls: Type.Optional(
      strictObject(
        {
          loadBalancer: StringEnum(['nlb', 'alb'], {
            description:
              'who terminates TLS, through the AWS Load Balancer Controller (installed in the cluster): "nlb", a Network Load Balancer for proxy-public with a TLS listener on 443 (no port 80); "alb", an Ingress of class alb (an Application Load Balancer: HTTPS on 443, HTTP 80 redirected to it)',
          }),
          certificateArn: Type.String({
            pattern:
              '^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
            description:
              "the ACM certificate of the callback's host, issued (validated) in the cluster's account and region, e.g. arn:aws:acm:ap-northeast-2:123456789012:certificate/<id>",
          }),
          scheme: Type.Optional(
            StringEnum(['internal', 'internet-facing'], {
              default: 'internal',
              description:
                'internal (default: reachable inside the VPC and what is routed to it, e.g. a VPN) or internet-facing',
            }),
          ),
        },
        'TLS in front of JupyterHub (required by an https:// callbackUrl): the load balancer, its ACM certificate and scheme',
      ),
    ),
    storageClass: Type.Optional(
      strictObject(
        {
          name: Type.Optional(DnsLabel("name of JupyterHub's own encrypted gp3 StorageClass (default jupyterhub-gp3)")),
          kmsKeyId: Type.Optional(
            Type.String({
              pattern: '^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$',
              description: "KMS key ARN for the volumes (default: the account's EBS key)",
            }),
          ),
        },
        "the StorageClass of the hub database and the users' home volumes",
      ),
    ),
    hubDbSize: Type.Optional(Quantity('size of the hub database volume, e.g. "1Gi" (default)', { default: '1Gi' })),
    userStorageSize: Quantity(
      'size of each user\'s home volume, e.g. "10Gi"; counted against the tenant\'s quota.storage',
    ),
    image: strictObject(
      {
        name: Type.String({
          pattern: '^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$',
          description:
            'notebook image repository, e.g. <account>.dkr.ecr.<region>.amazonaws.com/spark-notebook (not a Jupyter Docker Stacks image: refused)',
        }),
        tag: Type.String({
          pattern: '^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
          description: 'notebook image tag, pinned (not latest), e.g. emr-7.2.0-20240610',
        }),
      },
      "the notebook server image, also run by the notebook's Spark executors: built FROM the EMR on EKS Spark image of the tenants' release with JupyterHub's single-user server added (images/notebook/Dockerfile), so that its entrypoint starts the executors, EMRFS reads the tenant's s3:// executor pod template and writes its s3:// event logs with the notebook account's IAM role, and it runs as the image's user hadoop (uid 999) like the pod templates",
    ),
    resources: strictObject(
      {
        cpu: strictObject(
          {
            guarantee: Type.Number({ exclusiveMinimum: 0, description: 'CPU cores requested' }),
            limit: Type.Number({ exclusiveMinimum: 0, description: 'CPU cores at most' }),
          },
          'CPU of each notebook server (it also runs the Spark driver)',
        ),
        memory: strictObject(
          {
            guarantee: Type.String({
              pattern: '^[0-9]+[KMGT]$',
              description: 'memory requested, KubeSpawner style: e.g. "4G"',
            }),
            limit: Type.String({
              pattern: '^[0-9]+[KMGT]$',
              description: 'memory at most, KubeSpawner style: e.g. "8G"',
            }),
          },
          'memory of each notebook server',
        ),
      },
      'resources of each notebook server',
    ),
    cullTimeoutSeconds: Type.Integer({
      minimum: 300,
      maximum: 604800,
      description: 'idle notebook servers are stopped after this many seconds, e.g. 3600',
    }),
  },
  'JupyterHub in namespace jupyterhub (Helm chart jupyterhub): one profile per tenant with a sparkDriver service account, whose server runs in the tenant namespace and starts Spark there in client mode',
);

export type JupyterHubConfig = Static<typeof JupyterHubSchema>;

declare module '../../config/schema.js' {
  /** addons.jupyterhub: the type of this add-on's section (its schema above is the list's, addons/index.ts). */
  interface AddonsConfig {
    jupyterhub?: JupyterHubConfig;
  }
}
