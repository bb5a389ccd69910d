import type { PolicyStatement } from './policy-document.js';

/**
 * The Karpenter controller's permissions and the node role's managed policies, as Karpenter documents them for the
 * pinned version: aws/karpenter-provider-aws v1.14.1,
 * `website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml` (the same file as
 * `website/content/en/v1.14/...` on main). Upstream splits the controller's statements into six managed policies
 * (NodeLifecycle, IAMIntegration, EKSIntegration, Interruption, ZonalShift, ResourceDiscovery); here they are one
 * inline document with the same statements, in the same order, with the template's variables filled in. A test
 * compares them with the vendored file.
 */

/** The Karpenter chart version these statements are from. */
export const KARPENTER_IAM_SOURCE_VERSION = '1.14.1';

/**
 * The actions upstream grants on `Resource: "*"`, kept as upstream has them: EC2's Describe* calls support no
 * resource-level permissions (EC2 user guide, "IAM policies for Amazon EC2": "the Resource element ... requires a
 * wildcard"; Service Authorization Reference, "Actions, resources, and condition keys for Amazon EC2", no resource
 * type), nor does the Price List's pricing:GetProducts; iam:ListInstanceProfiles lists across the account (upstream
 * Sid "AllowUnscopedInstanceProfileListAction"); arc-zonal-shift:GetManagedResource is narrowed by its condition to
 * the cluster instead. The Describe* statement is narrowed to the region by aws:RequestedRegion.
 */
export const KARPENTER_UNSCOPED_ACTIONS: ReadonlySet<string> = new Set([
  'ec2:DescribeCapacityReservations',
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceStatus',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribePlacementGroups',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
  'pricing:GetProducts',
  'iam:ListInstanceProfiles',
  'arc-zonal-shift:GetManagedResource',
]);

/** The node role's policies (`KarpenterNodeRole.ManagedPolicyArns` of the same template), for a partition. */
export function karpenterNodeRoleManagedPolicyArns(partition: string): string[] {
  return [
    'AmazonEKS_CNI_Policy',
    'AmazonEKSWorkerNodePolicy',
    'AmazonEC2ContainerRegistryPullOnly',
    'AmazonSSMManagedInstanceCore',
  ].map((name) => `arn:${partition}:iam::aws:policy/${name}`);
}

export interface KarpenterControllerPolicyProps {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** ARN of the node role Karpenter passes to the instances it launches. */
  readonly nodeRoleArn: string;
  /** ARN of the SQS queue Karpenter reads interruption events from. */
  readonly interruptionQueueArn: string;
}

/** The controller's statements for one cluster (upstream's `${...}` variables filled in). */
export function karpenterControllerStatements(props: KarpenterControllerPolicyProps): PolicyStatement[] {
  const { partition: p, region: r, accountId: a, clusterName: c } = props;
  const ec2 = (type: string, account = '*') => `arn:${p}:ec2:${r}:${account}:${type}/*`;
  const cluster = `kubernetes.io/cluster/${c}`;
  const taggedResources = [
    'fleet',
    'instance',
    'volume',
    'network-interface',
    'launch-template',
    'spot-instances-request',
  ].map((type) => ec2(type));
  const instanceProfiles = `arn:${p}:iam::${a}:instance-profile/*`;
  const clusterArn = `arn:${p}:eks:${r}:${a}:cluster/${c}`;
  return [
    // NodeLifecyclePolicy
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [
        ec2('image', ''),
        ec2('snapshot', ''),
        ec2('security-group'),
        ec2('subnet'),
        ec2('capacity-reservation'),
        ec2('placement-group'),
      ],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: ec2('launch-template'),
      Condition: {
        StringEquals: { [`aws:ResourceTag/${cluster}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Resource: taggedResources,
      Condition: {
        StringEquals: { [`aws:RequestTag/${cluster}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': c },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: taggedResources,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${cluster}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': c,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: ec2('instance'),
      Condition: {
        StringEquals: { [`aws:ResourceTag/${cluster}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': c },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Resource: [ec2('instance'), ec2('launch-template')],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${cluster}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    },
    // IAMIntegrationPolicy
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: props.nodeRoleArn,
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Action: ['iam:CreateInstanceProfile'],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${cluster}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': c,
          'aws:RequestTag/topology.kubernetes.io/region': r,
        },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Action: ['iam:TagInstanceProfile'],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${cluster}`]: 'owned',
          'aws:ResourceTag/topology.kubernetes.io/region': r,
          [`aws:RequestTag/${cluster}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': c,
          'aws:RequestTag/topology.kubernetes.io/region': r,
        },
        StringLike: {
          'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*',
          'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*',
        },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: { [`aws:ResourceTag/${cluster}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': r },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    // EKSIntegrationPolicy
    { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: clusterArn },
    // InterruptionPolicy
    {
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: props.interruptionQueueArn,
    },
    // ZonalShiftPolicy
    {
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Action: ['arc-zonal-shift:GetManagedResource'],
      Resource: '*',
      Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
    },
    // ResourceDiscoveryPolicy
    {
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Resource: '*',
      Action: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      Condition: { StringEquals: { 'aws:RequestedRegion': r } },
    },
    {
      Sid: 'AllowSSMReadActions',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: `arn:${p}:ssm:${r}::parameter/aws/service/*`,
    },
    { Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' },
    {
      Sid: 'AllowUnscopedInstanceProfileListAction',
      Effect: 'Allow',
      Action: 'iam:ListInstanceProfiles',
      Resource: '*',
    },
    {
      Sid: 'AllowInstanceProfileReadActions',
      Effect: 'Allow',
      Action: 'iam:GetInstanceProfile',
      Resource: instanceProfiles,
    },
  ];
}
