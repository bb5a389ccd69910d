import Handlebars from 'handlebars';
import { KARPENTER_CHART, mapRolesEntries, NODE_GROUPS, NODE_USERNAME } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { CLUSTER_ACCESS_FOLDER, clusterAccessPlan } from '../charts/cluster-access-chart.js';

// The environment README's "Outside Git" section: what an administrator does once per cluster on the AWS side, in
// order, each step naming the artifact it uses. Sources: EKS user guide (access entries, aws-auth ConfigMap, Auto Mode
// get started), Karpenter v1.14 getting started (node role mapping), EMR on EKS guide (cluster access, IRSA trust).
const template = Handlebars.compile(`## Outside Git (once per cluster, in this order)
What the GitOps controller cannot apply: the AWS side of who may enter the cluster. Each step names the document it
uses, below \`dist-manifests/{{name}}/artifacts/\`; the commands run from the repository's root.

1. **Authentication mode.** {{{modes}}}{{#if accessEntries}}; from \`CONFIG_MAP\`:
   \`aws eks update-cluster-config --name {{cluster.name}} --access-config authenticationMode=API_AND_CONFIG_MAP\` (a one-way
   change: an access-entry mode is never turned back){{/if}}. Check it with
   \`aws eks describe-cluster --name {{cluster.name}} --query cluster.accessConfig.authenticationMode\`.
{{#if autoMode}}
{{step.backend}}. **EKS Auto Mode.** \`aws eks update-cluster-config --cli-input-json file://dist-manifests/{{name}}/artifacts/platform/karpenter/auto-mode-cluster-config.json\`
   (see Capacity back end), before the first sync: the NodePools need its NodeClass API.
{{else}}
{{step.backend}}. **Karpenter's AWS side.** The node role \`{{nodeRoleArn}}\`, the controller's IAM role
   \`{{capacity.controller.roleArn}}\` (IRSA of \`system:serviceaccount:kube-system:karpenter\`) and the interruption queue
   \`{{capacity.controller.interruptionQueue}}\` with its EventBridge rules: Karpenter's getting-started CloudFormation template
   (\`cloudformation.yaml\`, {{karpenterVersion}}) creates the node role, the controller's policies and the queue, naming them
   \`KarpenterNodeRole-<cluster>\` and \`<cluster>\`: where the names above differ, create them under these names.{{#if controllerValues}} Then install the
   controller with \`platform/karpenter/controller-values.yaml\` (see Artifacts).{{else}} The controller itself is installed from Git (\`addons.karpenter\`).{{/if}}
{{/if}}
{{#if identityMappings}}
{{step.mappings}}. **aws-auth mappings{{#if nodeMapping}}: the Spark nodes' role and EMR{{else}}: EMR{{/if}}.**
   \`eksctl create iamidentitymapping -f dist-manifests/{{name}}/artifacts/{{folder}}/eksctl-iam-identity-mappings.yaml\`
   adds {{#if nodeMapping}}both entries{{else}}the entry{{/if}} to the \`mapRoles\` string of \`kube-system/aws-auth\` and keeps the entries already there (the managed
   node groups'); \`noDuplicateARNs\` skips a role that is mapped already. To edit the ConfigMap by hand instead
   (\`kubectl edit -n kube-system configmap/aws-auth\`), append these lines to the list inside \`data.mapRoles: |\`:

   \`\`\`yaml
{{{mapRoles}}}
   \`\`\`

   Never apply a ConfigMap or a patch with only these lines: \`mapRoles\` is one string, replacing it removes the
   managed node groups' roles and their nodes leave the cluster.{{#if nodeMapping}} Without the node entry Karpenter's instances start but
   never join ({{nodeUsername}} in {{nodeGroups}}, as Karpenter's getting-started guide maps \`{{nodeRoleArn}}\`).{{/if}}
   EMR's entry maps \`{{serviceLinkedRoleArn}}\` (the service-linked role, named without its path as aws-auth requires)
   to the user \`emr-containers\` that each tenant namespace's \`emr-containers\` RoleBinding names.
{{/if}}
{{#if nodeAccessEntry}}
{{step.node}}. **The Spark nodes' role, \`{{nodeRoleArn}}\`.**
   \`aws eks create-access-entry --cli-input-json file://dist-manifests/{{name}}/artifacts/{{folder}}/node-access-entry.json\`
   (type \`{{nodeAccessEntry.type}}\`{{#if nodeAccessEntry.policyArn}}){{else}}: EKS names the node {{nodeUsername}} in \`system:nodes\`; a node entry takes no groups and no access policy){{/if}}{{#if nodeAccessEntry.policyArn}}, then
   \`aws eks associate-access-policy --cli-input-json file://dist-manifests/{{name}}/artifacts/{{folder}}/node-access-policy.json\`
   (\`{{nodeAccessEntry.policyArn}}\`, cluster-wide). EKS creates both itself when the role is the compute config's
   \`nodeRoleArn\` and a built-in pool is enabled; \`aws eks list-access-entries --cluster-name {{cluster.name}}\` shows it{{/if}}.
   Creating a node entry needs \`iam:PassRole\` on the role. Without it {{#if autoMode}}Auto Mode's{{else}}Karpenter's{{/if}} instances start but never join.
{{/if}}
{{#unless awsAuth}}
{{step.emr}}. **EMR.** Nothing to map by hand: when \`emr-gitops emr apply --env {{name}}\` creates a tenant's virtual cluster,
   EMR creates an access entry for \`{{serviceLinkedRoleArn}}\` with \`AmazonEMRJobPolicy\` scoped to that namespace,
   and the RBAC it needs; \`emr-access/access-entries.json\` is what to expect (review only). The caller needs
   \`eks:CreateAccessEntry\`, \`eks:DescribeAccessEntry\`, \`eks:DeleteAccessEntry\`, \`eks:AssociateAccessPolicy\`,
   \`eks:DisassociateAccessPolicy\` and \`eks:ListAssociatedAccessPolicies\`. EMR stops using access entries past 100
   virtual clusters on a cluster.
{{/unless}}
{{#if fargate}}
{{step.fargate}}. **Fargate profiles**: \`platform/fargate/\` (see Fargate profiles), before the Fargate tenants' first job.
{{/if}}
{{step.trust}}. **Job execution roles' trust.** \`emr-access/trust-policies/<role>.json\` is each role's whole trust policy, one
   statement per tenant namespace that uses it, as \`aws emr-containers update-role-trust-policy --cluster-name {{cluster.name}}
   --namespace <namespace> --role-name <role>\` writes it: \`aws iam update-assume-role-policy --role-name <role>
   --policy-document file://dist-manifests/{{name}}/artifacts/platform/emr-access/trust-policies/<role>.json\` (it replaces the
   trust policy: add any other statement the role needs), or run that \`update-role-trust-policy\` per tenant.
{{step.sync}}. **Pod templates.** \`aws s3 sync dist-manifests/{{name}}/artifacts/ {{spark.artifactsS3Uri}}/ --exact-timestamps\`
   (see Artifacts), after every merge.
{{step.register}}. **Virtual clusters**, once {{#if argocd}}Argo CD{{else}}Flux{{/if}} has synced the namespaces{{#if awsAuth}} and RBAC{{/if}}: \`emr-gitops emr plan --env {{name}}\`, then
   \`emr-gitops emr apply --env {{name}}\`.

The roles of managed node groups and of Fargate profiles need no mapping: EKS adds them itself.
`, { noEscape: true, strict: true });

/** The README section, from the same plan ClusterAccessChart renders its documents from. */
export function clusterAccessSection(config: ResolvedEnvironment): string {
  const plan = clusterAccessPlan(config);
  const awsAuth = config.cluster.emrAccess === 'aws-auth';
  const fargate = config.tenants.some((tenant) => !tenant.retired && tenant.fargate);
  const steps = ['mode', 'backend', ...(plan.identityMappings.length > 0 ? ['mappings'] : []), ...(plan.nodeAccessEntry ? ['node'] : []),
    ...(awsAuth ? [] : ['emr']), ...(fargate ? ['fargate'] : []), 'trust', 'sync', 'register'];
  const step = Object.fromEntries(steps.map((name, index) => [name, index + 1]));
  const autoMode = config.capacity.backend === 'auto-mode';
  const modes = awsAuth && !autoMode
    ? 'This environment maps IAM roles through `kube-system/aws-auth` (`cluster.emrAccess: aws-auth`): the cluster\'s `authenticationMode` must be `CONFIG_MAP` or `API_AND_CONFIG_MAP`'
    : awsAuth
      ? 'EMR is mapped through `kube-system/aws-auth` (`cluster.emrAccess: aws-auth`) and EKS Auto Mode\'s nodes enter through an access entry: the cluster\'s `authenticationMode` must be `API_AND_CONFIG_MAP`'
      : `EMR${autoMode ? ' and EKS Auto Mode\'s nodes enter' : ' and the Spark nodes enter'} through access entries: the cluster's \`authenticationMode\` must be \`API_AND_CONFIG_MAP\` or \`API\``;
  return template({
    ...config,
    awsAuth,
    modes,
    accessEntries: plan.nodeAccessEntry !== undefined,
    autoMode,
    folder: CLUSTER_ACCESS_FOLDER,
    identityMappings: plan.identityMappings.length > 0,
    nodeMapping: plan.identityMappings.some((mapping) => mapping.arn === plan.nodeRoleArn),
    mapRoles: mapRolesEntries(plan.identityMappings).split('\n').map((line) => `   ${line}`).join('\n'),
    nodeAccessEntry: plan.nodeAccessEntry && { ...plan.nodeAccessEntry, policyArn: plan.nodeAccessEntry.policyArn },
    nodeRoleArn: plan.nodeRoleArn,
    serviceLinkedRoleArn: plan.serviceLinkedRoleArn,
    nodeUsername: `\`${NODE_USERNAME}\``,
    nodeGroups: NODE_GROUPS.map((group) => `\`${group}\``).join(' and '),
    step,
    fargate,
    karpenterVersion: `v${KARPENTER_CHART.version}`,
    // As the chart decides it (capacity-chart.ts): without the add-on the controller's values are an artifact.
    controllerValues: !config.addons?.karpenter,
    argocd: config.delivery?.engine === 'argocd',
  });
}
