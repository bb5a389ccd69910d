import { Type, type Static } from '@sinclair/typebox';
import { DnsLabel, RoleArn, StringEnum, strictObject } from './schema-types.js';

const Cidrs = (description: string) =>
  Type.Array(Type.String({ minLength: 9, description: 'an IPv4 or IPv6 CIDR such as 10.0.0.0/16' }), {
    minItems: 1,
    description,
  });

export const TenantNetworkSchema = strictObject(
  {
    allowIngressFromNamespaces: Type.Optional(
      Type.Array(DnsLabel("a namespace whose pods may connect to this tenant's pods, e.g. jupyterhub"), {
        description:
          'namespaces allowed in besides the tenant itself and the monitoring namespace (which may scrape Spark metrics only)',
      }),
    ),
    egress: Type.Optional(
      strictObject(
        {
          mode: StringEnum(['allow-all', 'restricted'], {
            description:
              'allow-all: any destination (Spark reaches S3, STS, EMR over the internet or VPC endpoints); restricted: only the namespace, the API server and the listed CIDRs. DNS is always allowed',
          }),
          apiServerCidrs: Type.Optional(
            Cidrs(
              "restricted: where the Kubernetes API server answers (the kubernetes Service IP and its endpoints); EMR's job submitter and Spark drivers need it",
            ),
          ),
          cidrs: Type.Optional(Cidrs('restricted: other destinations, e.g. the VPC endpoints of S3, STS and EMR')),
          ports: Type.Optional(
            Type.Array(
              strictObject(
                {
                  port: Type.Integer({ minimum: 1, maximum: 65535, description: 'a port number, 1 to 65535' }),
                  protocol: Type.Optional(
                    StringEnum(['TCP', 'UDP', 'SCTP'], { description: 'TCP (default), UDP or SCTP' }),
                  ),
                },
                'a destination port',
              ),
              { minItems: 1, description: 'restricted: ports allowed to the cidrs (all ports when absent)' },
            ),
          ),
        },
        "where the tenant's pods may connect to; DNS is always allowed",
      ),
    ),
  },
  'NetworkPolicies of the tenant namespace beyond the defaults (deny all ingress and egress but the namespace itself, DNS and metrics scraping)',
);

export const TenantServiceAccountSchema = strictObject(
  {
    name: Type.String({
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
      maxLength: 253,
      description:
        'ServiceAccount name: a DNS-1123 subdomain, not starting with emr-containers-sa- (EMR creates those)',
    }),
    roleArn: Type.Optional(RoleArn('IAM role for the account (IRSA annotation eks.amazonaws.com/role-arn)')),
    sparkDriver: Type.Optional(
      Type.Boolean({
        description:
          "true for an account whose pods run Spark drivers themselves (a notebook's Spark session): binds the spark-driver Role (executor pods, services, configmaps, PVCs in this namespace) and mounts the token",
      }),
    ),
    automountServiceAccountToken: Type.Optional(
      Type.Boolean({
        description:
          'mount the Kubernetes API token (default: true for sparkDriver accounts, else false); a mounted token without sparkDriver has no permissions and is refused',
      }),
    ),
  },
  'a ServiceAccount in the tenant namespace, for notebooks or operators',
);

export type TenantNetworkConfig = Static<typeof TenantNetworkSchema>;
export type TenantServiceAccountConfig = Static<typeof TenantServiceAccountSchema>;

export const AWS_INTERFACE_ENDPOINT_SERVICES = ['s3', 'sts', 'logs', 'ecr.api', 'ecr.dkr', 'emr-containers'] as const;

export const EnvironmentNetworkSchema = strictObject(
  {
    awsServices: strictObject(
      {
        interfaceEndpoints: Type.Optional(
          strictObject(
            {
              cidrs: Cidrs("subnets of the VPC interface endpoints (their ENIs' addresses), e.g. 10.40.96.0/24"),
              services: Type.Array(
                StringEnum(AWS_INTERFACE_ENDPOINT_SERVICES, {
                  description: `an AWS service with an interface endpoint there: ${AWS_INTERFACE_ENDPOINT_SERVICES.join(', ')}`,
                }),
                {
                  minItems: 1,
                  uniqueItems: true,
                  description: 'the services those endpoints serve (com.amazonaws.<region>.<service>)',
                },
              ),
            },
            'VPC interface endpoints (PrivateLink): AWS services answering on addresses inside the VPC',
          ),
        ),
        s3GatewayPrefixListCidrs: Type.Optional(
          Cidrs(
            "with an S3 gateway endpoint: the CIDRs of the region's com.amazonaws.<region>.s3 managed prefix list (aws ec2 get-managed-prefix-list-entries); S3 keeps its public addresses",
          ),
        ),
      },
      'how pods reach AWS services from inside the VPC; tenants with restricted egress are allowed HTTPS to exactly these',
    ),
  },
  "Network facts of the cluster's VPC",
);

export type EnvironmentNetworkConfig = Static<typeof EnvironmentNetworkSchema>;
