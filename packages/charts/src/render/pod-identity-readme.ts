import { POD_IDENTITY } from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { POD_IDENTITY_FOLDER, associationPath, podIdentityBindings } from '../charts/pod-identity-chart.js';

const PURPOSE = { 'emr-job': 'EMR job (client, driver, executor)', notebook: 'notebook', 'history-server': 'History Server' } as const;

/** The environment README's "EKS Pod Identity" section; empty while every tenant uses IRSA. */
export function podIdentitySection(config: ResolvedEnvironment): string {
  const bindings = podIdentityBindings(config);
  if (bindings.length === 0) return '';
  const irsa = config.tenants.filter((tenant) => tenant.identity === 'irsa').map((tenant) => tenant.name);
  const folder = `artifacts/${POD_IDENTITY_FOLDER}`;
  const agent = config.capacity.backend === 'auto-mode'
    ? 'EKS Auto Mode runs the Pod Identity agent itself: nothing to install.'
    : `Install the agent once, before the first job: \`aws eks create-addon --cli-input-json file://dist-manifests/${config.name}/${folder}/${POD_IDENTITY.agentAddonName}-addon.json\`
(the node role needs \`eks-auth:AssumeRoleForPodIdentity\`, which \`AmazonEKSWorkerNodePolicy\` grants).`;
  const rows = bindings.map((b) => `| ${b.tenant} | ${PURPOSE[b.purpose]} | \`${b.namespace}/${b.serviceAccount}\` | \`${b.roleArn}\` | [\`${associationPath(b)}\`](${folder}/${associationPath(b)}) |`);
  return `## EKS Pod Identity
Pods get their IAM roles through EKS Pod Identity (\`cluster.identity: pod-identity\`${irsa.length > 0 ? `; ${irsa.join(', ')} keep IRSA` : ''}):
no \`eks.amazonaws.com/role-arn\` annotation, one association per service account, and each role's trust policy
(\`platform/emr-access/trust-policies/<role>.json\`) is one statement for \`${POD_IDENTITY.servicePrincipal}\`
(\`${POD_IDENTITY.trustActions.join('`, `')}\`) whatever the clusters and namespaces. EMR's job accounts are the three
\`aws emr-containers create-role-associations\` associates (EMR on EKS supports Pod Identity from emr-7.3.0). ${agent}
\`emr-gitops emr apply --env ${config.name}\` creates, keeps or replaces the associations, \`emr plan\` shows them and \`emr destroy\`
removes them; each file is also an \`aws eks create-pod-identity-association --cli-input-json\` request. Switching back is
\`identity: irsa\` in \`${config.sourcePath}\`, \`pnpm render\`, then the trust policies of \`update-role-trust-policy\`.

| tenant | used by | service account | role | request |
|---|---|---|---|---|
${rows.join('\n')}
`;
}
