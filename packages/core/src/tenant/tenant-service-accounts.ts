import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import { assertDnsSubdomain } from '../primitives/names.js';
import { requireIamRoleArn } from '../primitives/aws-arn.js';
import { requireLabels } from '../primitives/kubernetes-names.js';
import { assertTenantNamespaceName } from './tenant-namespace.js';
import { SparkDriverRbac } from './spark-driver-rbac.js';

/** Annotations the EKS Pod Identity Webhook reads to give a pod IAM credentials (IRSA). */
export const IRSA_ANNOTATIONS = {
  roleArn: 'eks.amazonaws.com/role-arn',
  stsRegionalEndpoints: 'eks.amazonaws.com/sts-regional-endpoints',
} as const;

/** Prefix of the service accounts EMR on EKS creates for each job run; a tenant account must not take it. */
export const EMR_JOB_SERVICE_ACCOUNT_PREFIX = 'emr-containers-sa-';

/** One service account in the tenant namespace. */
export interface TenantServiceAccount {
  /** Name, a DNS-1123 subdomain not starting with `emr-containers-sa-`. */
  readonly name: string;
  /** IAM role the account's pods assume through IRSA (`eks.amazonaws.com/role-arn`). @default no IAM role */
  readonly roleArn?: string;
  /**
   * Annotate `eks.amazonaws.com/sts-regional-endpoints: "true"` so SDKs call the region's STS endpoint, which keeps
   * working when egress is restricted to VPC endpoints (STS endpoints are regional). Only with `roleArn`.
   * @default true when roleArn is set
   */
  readonly stsRegionalEndpoints?: boolean;
  /**
   * The account runs Spark drivers itself (a notebook's Spark session in client mode): it gets the `spark-driver` Role
   * in its namespace (see SparkDriverRbac) and its token is mounted. @default false
   */
  readonly sparkDriver?: boolean;
  /**
   * Mount the Kubernetes API token into pods. Set true only for pods that call the Kubernetes API, such as a
   * notebook that starts Spark executors or an operator. IRSA does not need it: the webhook projects its own token.
   * @default true for a sparkDriver account, else false
   */
  readonly automountServiceAccountToken?: boolean;
  /** Extra labels. @default none */
  readonly labels?: Record<string, string>;
}

export interface TenantServiceAccountsProps {
  /** The tenant namespace, a DNS-1123 label; not one of RESERVED_NAMESPACES. */
  readonly namespace: string;
  /** The accounts to create; names must be unique. */
  readonly serviceAccounts: readonly TenantServiceAccount[];
  /** `pod-identity`: no IRSA annotations; an EKS Pod Identity association binds each account's role. @default 'irsa' */
  readonly identity?: 'irsa' | 'pod-identity';
}

/**
 * Service accounts of a tenant for workloads other than EMR jobs (EMR creates `emr-containers-sa-*` accounts for
 * those), optionally bound to an IAM role through IRSA. Tokens are not mounted unless asked for.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { TenantServiceAccounts } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'analytics');
 * new TenantServiceAccounts(chart, 'service-accounts', {
 *   namespace: 'spark-analytics',
 *   serviceAccounts: [{
 *     name: 'notebook-spark',
 *     roleArn: 'arn:aws:iam::123456789012:role/analytics-notebook', // IRSA
 *     automountServiceAccountToken: true, // the notebook's driver creates executor pods
 *   }],
 * });
 * ```
 */
export class TenantServiceAccounts extends Construct {
  /** The created accounts, by name. */
  readonly serviceAccounts: ReadonlyMap<string, k8s.KubeServiceAccount>;
  /** The `spark-driver` Role and RoleBinding of the sparkDriver accounts, when there are any. */
  readonly driverRbac: SparkDriverRbac | undefined;

  constructor(scope: Construct, id: string, props: TenantServiceAccountsProps) {
    super(scope, id);
    const subject = `TenantServiceAccounts ${props.namespace}`;
    assertTenantNamespaceName(props.namespace, 'namespace', subject);
    const accounts = new Map<string, k8s.KubeServiceAccount>();
    props.serviceAccounts.forEach((account, i) => {
      const field = `serviceAccounts[${i}]`;
      assertDnsSubdomain(account.name, `${field}.name`, subject);
      requireThat(
        !account.name.startsWith(EMR_JOB_SERVICE_ACCOUNT_PREFIX),
        `${field}.name`,
        `"${account.name}" starts with "${EMR_JOB_SERVICE_ACCOUNT_PREFIX}", which EMR on EKS uses for the accounts it creates per job run`,
        subject,
      );
      requireThat(
        !accounts.has(account.name),
        `${field}.name`,
        `"${account.name}" is already the name of an earlier service account`,
        subject,
      );
      if (account.labels) requireLabels(account.labels, `${field}.labels`);
      if (account.roleArn !== undefined) requireIamRoleArn(account.roleArn, `${field}.roleArn`, subject);
      const stsRegional = account.stsRegionalEndpoints ?? account.roleArn !== undefined;
      requireThat(
        !stsRegional || account.roleArn !== undefined,
        `${field}.stsRegionalEndpoints`,
        'only applies to an account with a roleArn',
        subject,
      );

      requireThat(
        !account.sparkDriver || account.automountServiceAccountToken !== false,
        `${field}.automountServiceAccountToken`,
        'a sparkDriver account calls the Kubernetes API to create executors; it needs its token mounted',
        subject,
      );

      const irsa = props.identity !== 'pod-identity';
      const annotations = {
        ...(irsa && account.roleArn !== undefined ? { [IRSA_ANNOTATIONS.roleArn]: account.roleArn } : {}),
        ...(irsa && stsRegional ? { [IRSA_ANNOTATIONS.stsRegionalEndpoints]: 'true' } : {}),
      };
      accounts.set(
        account.name,
        new k8s.KubeServiceAccount(this, account.name, {
          metadata: {
            name: account.name,
            namespace: props.namespace,
            ...(account.labels ? { labels: { ...account.labels } } : {}),
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
          },
          automountServiceAccountToken: account.automountServiceAccountToken ?? account.sparkDriver ?? false,
        }),
      );
    });
    this.serviceAccounts = accounts;
    const drivers = props.serviceAccounts.filter((account) => account.sparkDriver).map((account) => account.name);
    this.driverRbac =
      drivers.length > 0
        ? new SparkDriverRbac(this, 'SparkDriver', { namespace: props.namespace, serviceAccounts: drivers })
        : undefined;
  }
}
