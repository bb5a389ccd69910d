import { requireThat } from '../primitives/errors.js';

// EKS user guide, "Custom AWS tags for EKS Auto resources" (awsdocs/amazon-eks-user-guide
// latest/ug/automode/auto-learn-iam.adoc, section tag-prop): "By default, the managed policies related to EKS Auto Mode do
// not permit applying user defined tags to Auto Mode provisioned AWS resources. If you want to apply user defined tags
// to AWS resources, you must attach additional permissions to the Cluster IAM Role". A NodeClass with `spec.tags` is
// such a case: without the policy Auto Mode cannot launch its nodes. The statements below are the guide's example
// policy for what a NodeClass launches (its Compute, Storage and Networking statements; the load balancer and Shield
// ones concern Services and Ingresses, which carry no tags here), with the ARNs in the cluster's partition.

/** An IAM policy document, as `aws iam put-role-policy --policy-document` reads it. */
export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition: Readonly<Record<string, Readonly<Record<string, string>>>>;
  }>;
}

/** The EC2 actions through which a NodeClass's tags reach AWS resources: each must be allowed with request tags. */
export const AUTO_MODE_TAGGED_NODE_ACTIONS = [
  'ec2:CreateFleet',
  'ec2:RunInstances',
  'ec2:CreateLaunchTemplate',
  'ec2:CreateVolume',
  'ec2:CreateSnapshot',
  'ec2:CreateNetworkInterface',
] as const;

const SAME_CLUSTER = { 'aws:RequestTag/eks:eks-cluster-name': '${aws:PrincipalTag/eks:eks-cluster-name}' };

/** The policy the cluster IAM role needs before Auto Mode can put a NodeClass's `spec.tags` on nodes and volumes. */
export function autoModeTagPolicy(partition: string): IamPolicyDocument {
  requireThat(
    /^aws[a-z-]*$/.test(partition),
    'partition',
    `"${partition}" is not an AWS partition (aws, aws-cn, aws-us-gov, ...)`,
  );
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Compute',
        Effect: 'Allow',
        Action: ['ec2:CreateFleet', 'ec2:RunInstances', 'ec2:CreateLaunchTemplate'],
        Resource: '*',
        Condition: {
          StringEquals: SAME_CLUSTER,
          StringLike: {
            'aws:RequestTag/eks:kubernetes-node-class-name': '*',
            'aws:RequestTag/eks:kubernetes-node-pool-name': '*',
          },
        },
      },
      {
        Sid: 'Storage',
        Effect: 'Allow',
        Action: ['ec2:CreateVolume', 'ec2:CreateSnapshot'],
        Resource: [`arn:${partition}:ec2:*:*:volume/*`, `arn:${partition}:ec2:*:*:snapshot/*`],
        Condition: { StringEquals: SAME_CLUSTER },
      },
      {
        Sid: 'Networking',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterface',
        Resource: '*',
        Condition: { StringEquals: SAME_CLUSTER, StringLike: { 'aws:RequestTag/eks:kubernetes-cni-node-name': '*' } },
      },
    ],
  };
}
