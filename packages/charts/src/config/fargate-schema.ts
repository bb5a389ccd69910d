import { Type, type Static } from '@sinclair/typebox';
import { RoleArn, strictObject } from './schema-types.js';

const Subnets = (description: string) =>
  Type.Array(
    Type.String({
      pattern: '^subnet-[0-9a-f]{8,17}$',
      description: 'a subnet id, subnet-<8 or 17 hex digits>',
    }),
    { minItems: 1, maxItems: 16, uniqueItems: true, description },
  );

const PodExecutionRoleArn = () =>
  RoleArn(
    "IAM role Fargate's kubelet runs as (registers the node, pulls the EMR Spark image): the pod execution role, with AmazonEKSFargatePodExecutionRolePolicy",
  );
const PrivateSubnets = () =>
  Subnets(
    "private subnets of the cluster's VPC (no route to an internet gateway) Fargate places the pods in: Fargate pods get no public IP, so they reach S3, STS, ECR and EMR through a NAT gateway or VPC endpoints",
  );

export const EnvironmentFargateSchema = strictObject(
  {
    podExecutionRoleArn: Type.Optional(PodExecutionRoleArn()),
    subnets: Type.Optional(PrivateSubnets()),
  },
  'EKS Fargate defaults of the tenants that run there (tenants[].fargate): the pod execution role and private subnets of their profiles',
);

export const TenantFargateSchema = strictObject(
  {
    profile: Type.Optional(
      Type.String({
        pattern: '^[0-9A-Za-z][A-Za-z0-9_-]*$',
        maxLength: 100,
        description:
          'name of the Fargate profile that selects this tenant\'s namespace (default spark-<tenant>): letters, digits, "-" and "_", not starting with "eks-"; tenants naming the same profile share it (one selector each, at most 5)',
      }),
    ),
    podExecutionRoleArn: Type.Optional(PodExecutionRoleArn()),
    subnets: Type.Optional(PrivateSubnets()),
    securityGroupIds: Type.Optional(
      Type.Array(
        Type.String({
          pattern: '^sg-[0-9a-f]{8,17}$',
          description: 'an EC2 security group id, sg-<8 or 17 hex digits>',
        }),
        {
          minItems: 1,
          maxItems: 5,
          uniqueItems: true,
          description:
            "security groups of every pod of the tenant (a SecurityGroupPolicy in its namespace), instead of the cluster security group: the network isolation of Fargate pods, which NetworkPolicies do not reach. On Fargate they also hold the pod's kubelet: they must admit TCP 10250 from the cluster security group (kubectl logs, exec, port-forward), let the tenant's pods reach each other (driver and executors), CoreDNS, the API server and the AWS endpoints, and let Prometheus scrape port 4040; the environment README lists the rules as aws ec2 commands",
        },
      ),
    ),
  },
  "run this tenant's pods (EMR's job runner, Spark drivers and executors) on EKS Fargate instead of Karpenter nodes: one micro-VM per pod, on-demand only, scratch space from the pod's ephemeral storage (spark.localDiskSize, at most 154Gi: Fargate adds 10% and 5 GiB for system use within its 175 GiB); role and subnets default to the environment's fargate section. NetworkPolicies are not enforced on Fargate pods: isolate them with securityGroupIds",
);

export type EnvironmentFargateConfig = Static<typeof EnvironmentFargateSchema>;
export type TenantFargateConfig = Static<typeof TenantFargateSchema>;
