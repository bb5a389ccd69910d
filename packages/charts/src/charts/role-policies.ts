import {
  configDiagnostic,
  type ConfigDiagnostic,
  IAM_ROLE_INLINE_POLICIES_MAX_SIZE,
  KARPENTER_IAM_SOURCE_VERSION,
  PROJECT_NAME,
  ampRemoteWrite,
  dataAccessStatements,
  karpenterControllerStatements,
  karpenterNodeRoleManagedPolicyArns,
  parseRoleArn,
  policyDocument,
  policySize,
  sidPart,
  type ArnContext,
  type PolicyDocument,
  type PolicyStatement,
  type S3Grant,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment, ResolvedTenant } from '../config/resolve.js';
import type { ConfigPath } from '../config/source-map.js';
import { tenantLocations } from '../config/tenant-locations.js';

/**
 * The permissions policy of every IAM role the environment names, from the same locations the rendered jobs,
 * notebooks and History Servers use (tenantLocations): what the platform makes each role do, and nothing more.
 */

/** Folder of the documents below `artifacts/`. */
export const IAM_ARTIFACTS_FOLDER = 'iam';
/** Name of the inline policy each document is put as (`aws iam put-role-policy --policy-name`). */
export const ROLE_POLICY_NAME = PROJECT_NAME;

/** One thing a role is used for, and where the environment file says so. */
export interface RolePurpose {
  /** For people: "job execution role of tenant app-dev". */
  readonly description: string;
  /** The tenant it serves, when it serves one (a shared History Server role serves several). */
  readonly tenant?: string;
  readonly configPath: ConfigPath;
  readonly statements: readonly PolicyStatement[];
}

/** The permissions policy of one role. */
export interface RolePolicy {
  readonly roleArn: string;
  readonly roleName: string;
  /** The inline policy name to put it as. */
  readonly policyName: string;
  /** What the role is used for, in one sentence. */
  readonly purpose: string;
  readonly purposes: readonly RolePurpose[];
  /** Path of the document relative to `dist-manifests/<env>/`. */
  readonly artifactPath: string;
  readonly document: PolicyDocument;
  /** Characters without whitespace, as IAM counts them against IAM_ROLE_INLINE_POLICIES_MAX_SIZE. */
  readonly size: number;
}

/** A role that gets AWS managed policies only (no inline document): Karpenter's node role. */
export interface ManagedPolicyAttachment {
  readonly roleArn: string;
  readonly purpose: string;
  readonly managedPolicyArns: readonly string[];
  readonly source: string;
}

interface RoleUse extends RolePurpose {
  readonly roleArn: string;
}

/** Read the tenant's artifacts (pod templates of every class and variant) and what its custom code downloads. */
function readGrants(tenant: ResolvedTenant, config: ResolvedEnvironment): S3Grant[] {
  const at = tenantLocations(config, tenant);
  return [
    { uri: at.artifactsPrefix, access: 'read' },
    ...at.customCodeUris.map((uri) => ({ uri, access: 'read' as const })),
  ];
}

/** Write the event logs and the decommission fallback storage, as Spark's Hadoop FileSystem does. */
function sparkWriteGrants(tenant: ResolvedTenant, config: ResolvedEnvironment): S3Grant[] {
  const at = tenantLocations(config, tenant);
  // The event-log directory must exist before the application starts, and Spark checks it (getFileStatus).
  return [
    ...(at.eventLogDir ? [{ uri: at.eventLogDir, access: 'read-write' as const, directory: true }] : []),
    ...(at.fallbackStoragePath ? [{ uri: at.fallbackStoragePath, access: 'read-write' as const }] : []),
  ];
}

function roleUses(config: ResolvedEnvironment): RoleUse[] {
  const { partition, region, accountId } = config.cluster;
  const context: ArnContext = { partition, region, accountId };
  const uses: RoleUse[] = [];
  const s3KmsKeyArn = config.spark.s3KmsKeyArn;
  config.tenants.forEach((tenant, index) => {
    const at = tenantLocations(config, tenant);
    // Retired tenants keep their policy: their last jobs may still run (the trust policy stays too).
    uses.push({
      roleArn: tenant.executionRoleArn,
      description: `job execution role of tenant ${tenant.name}`,
      tenant: tenant.name,
      configPath: ['tenants', index, 'executionRoleArn'],
      statements: dataAccessStatements(
        {
          sid: `Job${sidPart(tenant.name)}`,
          s3: [
            ...readGrants(tenant, config),
            ...(at.s3LogUri ? [{ uri: at.s3LogUri, access: 'upload' as const }] : []),
            ...sparkWriteGrants(tenant, config),
          ],
          logGroups: at.cloudWatchLogGroup ? [at.cloudWatchLogGroup] : [],
          s3KmsKeyArn,
        },
        context,
      ),
    });
    // A notebook server is the driver of its sessions, with the tenant's spark-defaults (JupyterHub profiles); its
    // executors run the executor pod template as the same account. EMR's logUri and log group are not used there.
    if (!config.addons?.jupyterhub || tenant.retired) return;
    tenant.serviceAccounts.forEach((account, j) => {
      if (!account.sparkDriver || !account.roleArn) return;
      uses.push({
        roleArn: account.roleArn,
        description: `notebook account ${account.name} of tenant ${tenant.name}`,
        tenant: tenant.name,
        configPath: ['tenants', index, 'serviceAccounts', j, 'roleArn'],
        statements: dataAccessStatements(
          {
            sid: `Notebook${sidPart(tenant.name)}${sidPart(account.name)}`,
            s3: [...readGrants(tenant, config), ...sparkWriteGrants(tenant, config)],
            logGroups: [],
            s3KmsKeyArn,
          },
          context,
        ),
      });
    });
  });
  uses.push(...historyServerUses(config, context));
  const remoteWrite = config.addons?.prometheus?.remoteWrite;
  if (remoteWrite) {
    uses.push({
      roleArn: remoteWrite.roleArn,
      description:
        'Prometheus server (IRSA of monitoring/prometheus-server): remote write to its Amazon Managed Prometheus workspace',
      configPath: ['addons', 'prometheus', 'remoteWrite', 'roleArn'],
      statements: ampRemoteWrite(remoteWrite).permissionsPolicy.Statement,
    });
  }
  const capacity = config.capacity;
  if (capacity.backend === 'karpenter') {
    const { controller } = capacity;
    uses.push({
      roleArn: controller.roleArn,
      description: `Karpenter controller (statements of Karpenter ${KARPENTER_IAM_SOURCE_VERSION}'s getting-started CloudFormation)`,
      configPath: ['capacity', 'controller', 'roleArn'],
      statements: karpenterControllerStatements({
        partition,
        region,
        accountId,
        clusterName: config.cluster.name,
        nodeRoleArn: nodeRoleArn(config),
        interruptionQueueArn: `arn:${partition}:sqs:${region}:${accountId}:${controller.interruptionQueue}`,
      }),
    });
  }
  return uses;
}

/**
 * Each History Server role reads the event logs of the tenants it serves: a tenant's own role (tenantRoleArns) its
 * tenant's, the shared role (roleArn) those of every other active tenant.
 */
function historyServerUses(config: ResolvedEnvironment, context: ArnContext): RoleUse[] {
  const history = config.addons?.historyServer;
  if (!history || !config.spark.logs.s3Uri) return [];
  const active = config.tenants.filter((tenant) => !tenant.retired);
  const read = (tenants: readonly ResolvedTenant[]) =>
    tenants.map((tenant) => ({
      uri: tenantLocations(config, tenant).eventLogDir!,
      access: 'read' as const,
      directory: true,
    }));
  const uses: RoleUse[] = active.flatMap((tenant) => {
    const roleArn = history.tenantRoleArns?.[tenant.name];
    return roleArn
      ? [
          {
            roleArn,
            description: `History Server role of tenant ${tenant.name}`,
            tenant: tenant.name,
            configPath: ['addons', 'historyServer', 'tenantRoleArns', tenant.name],
            statements: dataAccessStatements(
              {
                sid: `HistoryServer${sidPart(tenant.name)}`,
                s3: read([tenant]),
                logGroups: [],
                s3KmsKeyArn: config.spark.s3KmsKeyArn,
              },
              context,
            ),
          },
        ]
      : [];
  });
  const shared = active.filter((tenant) => history.tenantRoleArns?.[tenant.name] === undefined);
  if (history.roleArn && shared.length > 0) {
    uses.push({
      roleArn: history.roleArn,
      description: `shared History Server role (tenants ${shared.map((tenant) => tenant.name).join(', ')})`,
      configPath: ['addons', 'historyServer', 'roleArn'],
      statements: dataAccessStatements(
        { sid: 'HistoryServer', s3: read(shared), logGroups: [], s3KmsKeyArn: config.spark.s3KmsKeyArn },
        context,
      ),
    });
  }
  return uses;
}

/** Path (relative to `dist-manifests/<env>/`) of the permissions policy of a role. */
export const rolePolicyArtifactPath = (roleArn: string): string =>
  `artifacts/${IAM_ARTIFACTS_FOLDER}/${parseRoleArn(roleArn).name}.json`;

const nodeRoleArn = (config: ResolvedEnvironment) =>
  `arn:${config.cluster.partition}:iam::${config.cluster.accountId}:role/${config.capacity.nodeRole}`;

/**
 * The permissions policy of every role the environment names, one document per role (what several uses of one role
 * need, merged), in the order the roles first appear. Each is put as the inline policy ROLE_POLICY_NAME.
 */
export function rolePolicyDocuments(config: ResolvedEnvironment): RolePolicy[] {
  const byRole = new Map<string, RoleUse[]>();
  for (const use of roleUses(config)) byRole.set(use.roleArn, [...(byRole.get(use.roleArn) ?? []), use]);
  return [...byRole].map(([roleArn, uses]) => {
    const roleName = parseRoleArn(roleArn).name;
    const document = policyDocument(uses.flatMap((use) => use.statements));
    return {
      roleArn,
      roleName,
      policyName: ROLE_POLICY_NAME,
      purpose: uses.map((use) => use.description).join('; '),
      purposes: uses.map(({ roleArn: _, ...purpose }) => purpose),
      artifactPath: rolePolicyArtifactPath(roleArn),
      document,
      size: policySize(document),
    };
  });
}

/**
 * Roles that get AWS managed policies only: the node role of self-managed Karpenter, and the pod execution role of
 * each Fargate profile (its kubelet registers the node and pulls the images).
 */
export function managedPolicyAttachments(config: ResolvedEnvironment): ManagedPolicyAttachment[] {
  const partition = config.cluster.partition;
  const karpenter: ManagedPolicyAttachment[] =
    config.capacity.backend !== 'karpenter'
      ? []
      : [
          {
            roleArn: nodeRoleArn(config),
            purpose: 'node role of the instances Karpenter launches (capacity.nodeRole)',
            managedPolicyArns: karpenterNodeRoleManagedPolicyArns(partition),
            source: `aws/karpenter-provider-aws v${KARPENTER_IAM_SOURCE_VERSION} website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml, KarpenterNodeRole.ManagedPolicyArns`,
          },
        ];
  const fargateTenants = new Map<string, string[]>();
  for (const tenant of config.tenants) {
    if (tenant.retired || !tenant.fargate) continue;
    const roleArn = tenant.fargate.podExecutionRoleArn;
    fargateTenants.set(roleArn, [...(fargateTenants.get(roleArn) ?? []), tenant.name]);
  }
  return [
    ...karpenter,
    ...[...fargateTenants].map(([roleArn, tenants]) => ({
      roleArn,
      purpose: `Fargate pod execution role (tenants ${tenants.join(', ')})`,
      managedPolicyArns: [`arn:${partition}:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy`],
      source:
        'Amazon EKS user guide, "Amazon EKS Pod execution IAM role": attach AmazonEKSFargatePodExecutionRolePolicy',
    })),
  ];
}

/** An issue of the IAM documents, located at the environment-file field of the role. */
export type RolePolicyIssue = ConfigDiagnostic;

/**
 * A role used by two tenants (their permissions merge: each tenant's jobs may then read and write the other's
 * prefixes) is a warning; a document over IAM's size limit for a role's inline policies is an error, since
 * put-role-policy would fail with LimitExceeded.
 */
export function rolePolicyIssues(policies: readonly RolePolicy[]): RolePolicyIssue[] {
  return policies.flatMap((policy) => {
    const issues: RolePolicyIssue[] = [];
    const first = policy.purposes.find((purpose) => purpose.tenant !== undefined);
    for (const purpose of policy.purposes) {
      if (!first || purpose.tenant === undefined || purpose.tenant === first.tenant) continue;
      issues.push(
        configDiagnostic(
          'iam-role-shared',
          purpose.configPath,
          `role ${policy.roleName} is also the ${first.description}: IAM merges what both need into one policy (${policy.artifactPath}), so the ${purpose.description} may read and write tenant ${first.tenant}'s prefixes and the other way round; give each tenant a role of its own`,
        ),
      );
    }
    if (policy.size > IAM_ROLE_INLINE_POLICIES_MAX_SIZE) {
      const tenants = [...new Set(policy.purposes.flatMap((purpose) => (purpose.tenant ? [purpose.tenant] : [])))];
      issues.push(
        configDiagnostic(
          'iam-policy-size',
          policy.purposes[0]!.configPath,
          `the permissions policy of role ${policy.roleName} (${policy.artifactPath}) would be ${policy.size} characters without whitespace, over IAM's limit of ${IAM_ROLE_INLINE_POLICIES_MAX_SIZE} for a role's inline policies (put-role-policy fails with LimitExceeded); it serves ${policy.purposes.length} uses: ${policy.purpose}; split it: ${tenants.length > 1 ? `give tenants ${tenants.join(', ')} roles of their own` : 'give these uses roles of their own'}`,
        ),
      );
    }
    return issues;
  });
}
