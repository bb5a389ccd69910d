import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { requireThat } from '../primitives/errors.js';
import { assertDnsSubdomain } from '../primitives/names.js';
import { requireObjectName } from '../primitives/kubernetes-names.js';
import { assertTenantNamespaceName } from '../tenant/tenant-namespace.js';
import { podAdmissionPolicy } from '../primitives/pod-admission-policy.js';

/**
 * What this policy relies on, as the upstream documents state it:
 * - Kubernetes "RBAC good practices", section "Workload creation"
 *   (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation): permission to create pods
 *   in a namespace lets the creator run them as any ServiceAccount of that namespace; RBAC checks no right on the
 *   account a pod names.
 * - Kubernetes "Validating Admission Policy" (https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/):
 *   `admissionregistration.k8s.io/v1` from 1.30; `request.userInfo.username` is the requester, a ServiceAccount
 *   authenticates as `system:serviceaccount:<namespace>:<name>`; `matchConditions` are evaluated before the rest of
 *   the policy (no `variables` there), and a request that matches none is not checked.
 */
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';

/** The username a ServiceAccount's token authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

export interface DriverAccountPodPolicyProps {
  /** The tenant namespace the accounts live in (and may create pods in). */
  readonly namespace: string;
  /** The accounts that create pods (a notebook's Spark session creating executors); at least one. */
  readonly serviceAccounts: readonly string[];
  /**
   * Every image reference (`repository:tag` or `repository@digest`, compared as written) a pod these accounts create
   * may run, in any container, init container or ephemeral container. At least one.
   */
  readonly allowedImages: readonly string[];
  /**
   * Usernames that start pods in `namespace` to run as these accounts: the JupyterHub hub spawning notebook servers
   * (`system:serviceaccount:jupyterhub:hub`). Their pods in this namespace must run as one of `serviceAccounts`, so
   * whoever takes over the hub cannot borrow EMR's accounts either. @default none
   */
  readonly spawners?: readonly string[];
  /** Name of the policy and of its binding. @default `emr-eks-gitops-driver-pods-<namespace>` */
  readonly name?: string;
}

const cel = (text: string) => JSON.stringify(text);
const celList = (values: readonly string[]) => `[${values.map(cel).join(', ')}]`;

/** CEL: the images of every container, init container and ephemeral container of `pod`. */
function imagesCel(pod: string): string {
  const list = (field: string) => `(has(${pod}.spec.${field}) ? ${pod}.spec.${field}.map(c, c.image) : [])`;
  return `${list('initContainers')} + ${list('containers')} + ${list('ephemeralContainers')}`;
}

/**
 * The volume types a pod of these accounts may have (`spec.volumes[]`, one type per volume after the API server's
 * validation): what Spark's executors and KubeSpawner's notebook servers use (Spark "Running on Kubernetes", Using
 * Kubernetes Volumes: emptyDir, persistentVolumeClaim, ephemeral; its config maps; the API server's `kube-api-access-*`
 * projected volume of the pod's own token, `kube-root-ca.crt` and downwardAPI). Refused: `secret` (creating a pod
 * needs no right on Secrets: "RBAC good practices", Workload creation, "mount any Secret in that namespace"),
 * `hostPath`, `csi` (e.g. a secrets-store driver), and every other type, and a projected `secret` source. A projected
 * `serviceAccountToken` is always the pod's own account's, which the policy already holds to the creator's.
 */
export const DRIVER_POD_VOLUME_TYPES = [
  'configMap',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
] as const;
export const DRIVER_POD_PROJECTED_SOURCES = ['configMap', 'downwardAPI', 'serviceAccountToken'] as const;

const anyOf = (variable: string, fields: readonly string[]) =>
  fields.map((field) => `has(${variable}.${field})`).join(' || ');
const VOLUMES_CEL =
  `!has(object.spec.volumes) || object.spec.volumes.all(v, ${anyOf(
    'v',
    DRIVER_POD_VOLUME_TYPES.filter((t) => t !== 'projected'),
  )}` +
  ` || (has(v.projected) && (!has(v.projected.sources) || v.projected.sources.all(s, ${anyOf('s', DRIVER_POD_PROJECTED_SOURCES)}))))`;

/**
 * Holds the pods a tenant's Spark-driver accounts create to what those accounts are for: a
 * `ValidatingAdmissionPolicy` (`admissionregistration.k8s.io/v1`, Kubernetes 1.30+) and its binding which, for pods
 * created or updated by one of `serviceAccounts` (matched by `request.userInfo.username`), require
 * `spec.serviceAccountName` to be that same account, and every container image to be one of `allowedImages`.
 * Without it, whoever runs code as such an account (any notebook user) could create a pod as EMR's
 * `emr-containers-sa-*` accounts, which carry the tenant's job execution role, or as any other account of the
 * namespace, with any image. The same pods, and those the `spawners` (the JupyterHub hub) create in the namespace, which
 * must run as one of the accounts, may mount only DRIVER_POD_VOLUME_TYPES. Pods created by anyone else (EMR's job
 * runner and drivers, controllers) are not matched. An update may keep the images a pod already had (a pod admitted before the policy, or
 * made by someone else, can still be labelled), never add another. `failurePolicy: Fail`, `validationActions: [Deny]`.
 * The accounts' RBAC (the `spark-driver` Role) grants no workload kind but pods, and no `pods/ephemeralcontainers`,
 * so pods are the only way in.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { DriverAccountPodPolicy } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'admission');
 * new DriverAccountPodPolicy(chart, 'app-dev', {
 *   namespace: 'spark-app-dev',
 *   serviceAccounts: ['notebook-spark'],
 *   allowedImages: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-notebook:emr-7.5.0'],
 * });
 * ```
 */
export class DriverAccountPodPolicy extends Construct {
  readonly name: string;
  readonly policy: ApiObject;
  readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: DriverAccountPodPolicyProps) {
    super(scope, id);
    const subject = `DriverAccountPodPolicy ${props.namespace}`;
    assertTenantNamespaceName(props.namespace, 'namespace', subject);
    this.name = props.name ?? `emr-eks-gitops-driver-pods-${props.namespace}`;
    requireObjectName(this.name, 'name');
    requireThat(props.serviceAccounts.length > 0, 'serviceAccounts', 'must name at least one service account', subject);
    props.serviceAccounts.forEach((name, i) => {
      assertDnsSubdomain(name, `serviceAccounts[${i}]`, subject);
    });
    requireThat(
      props.allowedImages.length > 0,
      'allowedImages',
      'must name at least one image: pods of these accounts could run none',
      subject,
    );
    props.allowedImages.forEach((image, i) => {
      requireThat(
        image.length > 0 && !/\s/.test(image),
        `allowedImages[${i}]`,
        `"${image}" is not an image reference`,
        subject,
      );
    });

    const accounts = [...new Set(props.serviceAccounts)].sort();
    const usernames = accounts.map((name) => serviceAccountUsername(props.namespace, name));
    const spawners = [...new Set(props.spawners ?? [])].sort();
    spawners.forEach((name, i) => {
      requireThat(
        name.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX),
        `spawners[${i}]`,
        `"${name}" is not a service account's username (${SERVICE_ACCOUNT_USERNAME_PREFIX}<namespace>:<name>)`,
        subject,
      );
    });
    const images = [...new Set(props.allowedImages)].sort();
    const who = `pods created by the Spark-driver service account${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')} of namespace ${props.namespace}`;
    const byDriver = `request.userInfo.username in ${celList(usernames)}`;
    // A spawner works in every tenant's namespace: this policy holds only its requests in this one.
    const bySpawner = `(request.userInfo.username in ${celList(spawners)} && request.namespace == ${cel(props.namespace)})`;
    ({ policy: this.policy, binding: this.binding } = podAdmissionPolicy(this, this.name, {
      matchConditions: [
        {
          name: 'created-by-a-driver-account',
          expression: spawners.length > 0 ? `${byDriver} || ${bySpawner}` : byDriver,
        },
      ],
      variables: [
        { name: 'allowedImages', expression: celList(images) },
        { name: 'images', expression: imagesCel('object') },
        // On CREATE oldObject is null: the conditional stops before it is read.
        { name: 'imagesBefore', expression: `request.operation == "UPDATE" ? ${imagesCel('oldObject')} : []` },
        { name: 'byDriver', expression: byDriver },
      ],
      validations: [
        {
          // The ServiceAccount admission plugin (mutating, before this) sets "default" when the pod names none.
          expression: `!variables.byDriver || request.operation != "CREATE" || (has(object.spec.serviceAccountName) && ${cel(SERVICE_ACCOUNT_USERNAME_PREFIX)} + request.namespace + ":" + object.spec.serviceAccountName == request.userInfo.username)`,
          reason: 'Forbidden',
          message: `${who} must run as the account that creates them (spec.serviceAccountName, and in its own namespace): another account, such as EMR's emr-containers-sa-* (the job execution role), would lend its identity to whoever runs code as this one`,
        },
        {
          expression:
            '!variables.byDriver || variables.images.all(image, image in variables.allowedImages || image in variables.imagesBefore)',
          reason: 'Forbidden',
          message: `${who} may run only the images ${images.join(', ')}: set spark.kubernetes.container.image and the pod template's containers to one of them`,
        },
        ...(spawners.length > 0
          ? [
              {
                expression: `variables.byDriver || request.operation != "CREATE" || (has(object.spec.serviceAccountName) && object.spec.serviceAccountName in ${celList(accounts)})`,
                reason: 'Forbidden' as const,
                message: `pods ${spawners.join(', ')} creates in namespace ${props.namespace} must run as ${accounts.length > 1 ? 'one of its Spark-driver accounts' : 'its Spark-driver account'} ${accounts.join(', ')} (spec.serviceAccountName): any other, such as EMR's emr-containers-sa-* (the job execution role), would lend its identity to whoever controls the spawner`,
              },
            ]
          : []),
        {
          // Volumes cannot change after creation.
          expression: `request.operation != "CREATE" || ${VOLUMES_CEL}`,
          reason: 'Forbidden' as const,
          message: `${who}${spawners.length > 0 ? ` or by ${spawners.join(', ')} in it` : ''} may mount only volumes of the types ${DRIVER_POD_VOLUME_TYPES.join(', ')} (projected: ${DRIVER_POD_PROJECTED_SOURCES.join(', ')}): a secret, hostPath, csi or other volume would hand them credentials their account has no right to read`,
        },
      ],
      // No matchResources: every namespace; the match condition picks the requests by who makes them.
    }));
  }
}
