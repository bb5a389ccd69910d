// The kinds this project renders, each with its precompiled validator (kubernetes-models) and the structural schema
// (a data file under packages/core/schemas/) that the unknown-field walk reads: for built-in kinds, the official
// OpenAPI v3 of the environment's Kubernetes minor.
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { EC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import { EksNodeClassModel } from './eks-node-class-model.js';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { crdModel, type ModelClass } from './crd-model.js';
import type { StructuralLocation } from './structural.js';

/** Kubernetes minors whose OpenAPI v3 documents are bundled under `schemas/kubernetes/v<minor>/`. */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.29', '1.30', '1.31', '1.32', '1.33'] as const;
export type SupportedKubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

export function isSupportedKubernetesVersion(version: string): version is SupportedKubernetesVersion {
  return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version);
}

/** Why `version` cannot be validated (no bundled schemas), naming the supported ones; undefined when it can. */
export function kubernetesSchemaProblem(version: string): string | undefined {
  return isSupportedKubernetesVersion(version)
    ? undefined
    : `"${version}" has no bundled Kubernetes schemas; supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`;
}

/**
 * Where a kind's structural schema comes from: a built-in kind's OpenAPI document of the environment's Kubernetes
 * minor (file name inside `kubernetes/v<minor>/`), or a CRD schema that does not depend on it.
 */
export type StructuralSource = { readonly openapi: string; readonly component: string } | { readonly file: string };

export interface KnownKind {
  readonly model: ModelClass;
  /** Absent when no structural schema is bundled; then only the kubernetes-models validator runs. */
  readonly structural?: StructuralSource;
  /** The first Kubernetes minor whose API server serves this apiVersion and kind. @default every supported minor */
  readonly servedFrom?: SupportedKubernetesVersion;
}

const builtin = (file: string, group: string, kind: string): StructuralSource => ({
  openapi: file,
  component: `io.k8s.api.${group}.v1.${kind}`,
});
const crd = (group: string, kind: string, version: string): StructuralSource => ({
  file: `crds/${group}/${kind.toLowerCase()}_${version}.json`,
});

const CORE = 'api__v1_openapi.json';
const RBAC = 'apis__rbac.authorization.k8s.io__v1_openapi.json';
const APPS = 'apis__apps__v1_openapi.json';
const BATCH = 'apis__batch__v1_openapi.json';
// Served as v1 from Kubernetes 1.30 (the 1.29 document has no ValidatingAdmissionPolicy; config semantics refuse it there).
const ADMISSION = 'apis__admissionregistration.k8s.io__v1_openapi.json';

/** The file (and component) of `source` for a cluster of `kubernetesVersion`, which must be supported. */
export function structuralLocation(
  source: StructuralSource,
  kubernetesVersion: SupportedKubernetesVersion,
): StructuralLocation {
  return 'openapi' in source
    ? { file: `kubernetes/v${kubernetesVersion}/${source.openapi}`, component: source.component }
    : { file: source.file };
}

/** ObjectMeta from the core OpenAPI document, to walk the metadata of CRD objects (the CRD schemas leave it open). */
export const OBJECT_META: StructuralSource = {
  openapi: CORE,
  component: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
};

/** Known kinds by `apiVersion/kind`. */
export const KNOWN_KINDS: ReadonlyMap<string, KnownKind> = new Map<string, KnownKind>([
  ['v1/ConfigMap', { model: ConfigMap, structural: builtin(CORE, 'core', 'ConfigMap') }],
  ['v1/LimitRange', { model: LimitRange, structural: builtin(CORE, 'core', 'LimitRange') }],
  ['v1/Namespace', { model: Namespace, structural: builtin(CORE, 'core', 'Namespace') }],
  [
    'v1/PersistentVolumeClaim',
    { model: PersistentVolumeClaim, structural: builtin(CORE, 'core', 'PersistentVolumeClaim') },
  ],
  ['v1/Pod', { model: Pod, structural: builtin(CORE, 'core', 'Pod') }],
  ['v1/ResourceQuota', { model: ResourceQuota, structural: builtin(CORE, 'core', 'ResourceQuota') }],
  ['v1/Secret', { model: Secret, structural: builtin(CORE, 'core', 'Secret') }],
  ['v1/Service', { model: Service, structural: builtin(CORE, 'core', 'Service') }],
  ['v1/ServiceAccount', { model: ServiceAccount, structural: builtin(CORE, 'core', 'ServiceAccount') }],
  [
    'rbac.authorization.k8s.io/v1/ClusterRole',
    { model: ClusterRole, structural: builtin(RBAC, 'rbac', 'ClusterRole') },
  ],
  [
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    { model: ClusterRoleBinding, structural: builtin(RBAC, 'rbac', 'ClusterRoleBinding') },
  ],
  ['rbac.authorization.k8s.io/v1/Role', { model: Role, structural: builtin(RBAC, 'rbac', 'Role') }],
  [
    'rbac.authorization.k8s.io/v1/RoleBinding',
    { model: RoleBinding, structural: builtin(RBAC, 'rbac', 'RoleBinding') },
  ],
  [
    'networking.k8s.io/v1/NetworkPolicy',
    {
      model: NetworkPolicy,
      structural: builtin('apis__networking.k8s.io__v1_openapi.json', 'networking', 'NetworkPolicy'),
    },
  ],
  [
    'storage.k8s.io/v1/StorageClass',
    { model: StorageClass, structural: builtin('apis__storage.k8s.io__v1_openapi.json', 'storage', 'StorageClass') },
  ],
  [
    'scheduling.k8s.io/v1/PriorityClass',
    {
      model: PriorityClass,
      structural: builtin('apis__scheduling.k8s.io__v1_openapi.json', 'scheduling', 'PriorityClass'),
    },
  ],
  [
    'policy/v1/PodDisruptionBudget',
    {
      model: PodDisruptionBudget,
      structural: builtin('apis__policy__v1_openapi.json', 'policy', 'PodDisruptionBudget'),
    },
  ],
  ['apps/v1/DaemonSet', { model: DaemonSet, structural: builtin(APPS, 'apps', 'DaemonSet') }],
  ['apps/v1/Deployment', { model: Deployment, structural: builtin(APPS, 'apps', 'Deployment') }],
  ['apps/v1/StatefulSet', { model: StatefulSet, structural: builtin(APPS, 'apps', 'StatefulSet') }],
  ['batch/v1/CronJob', { model: CronJob, structural: builtin(BATCH, 'batch', 'CronJob') }],
  ['batch/v1/Job', { model: Job, structural: builtin(BATCH, 'batch', 'Job') }],
  [
    'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
    {
      model: ValidatingAdmissionPolicy,
      structural: builtin(ADMISSION, 'admissionregistration', 'ValidatingAdmissionPolicy'),
      servedFrom: '1.30',
    },
  ],
  [
    'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
    {
      model: ValidatingAdmissionPolicyBinding,
      structural: builtin(ADMISSION, 'admissionregistration', 'ValidatingAdmissionPolicyBinding'),
      servedFrom: '1.30',
    },
  ],
  ['karpenter.sh/v1/NodePool', { model: NodePool, structural: crd('karpenter.sh', 'NodePool', 'v1') }],
  [
    'karpenter.k8s.aws/v1/EC2NodeClass',
    { model: EC2NodeClass, structural: crd('karpenter.k8s.aws', 'EC2NodeClass', 'v1') },
  ],
  [
    'eks.amazonaws.com/v1/NodeClass',
    { model: EksNodeClassModel, structural: crd('eks.amazonaws.com', 'NodeClass', 'v1') },
  ],
  [
    'source.toolkit.fluxcd.io/v1/GitRepository',
    { model: GitRepository, structural: crd('source.toolkit.fluxcd.io', 'GitRepository', 'v1') },
  ],
  [
    'source.toolkit.fluxcd.io/v1/HelmRepository',
    { model: HelmRepository, structural: crd('source.toolkit.fluxcd.io', 'HelmRepository', 'v1') },
  ],
  [
    'source.toolkit.fluxcd.io/v1/OCIRepository',
    { model: OCIRepository, structural: crd('source.toolkit.fluxcd.io', 'OCIRepository', 'v1') },
  ],
  [
    'kustomize.toolkit.fluxcd.io/v1/Kustomization',
    { model: Kustomization, structural: crd('kustomize.toolkit.fluxcd.io', 'Kustomization', 'v1') },
  ],
  [
    'helm.toolkit.fluxcd.io/v2/HelmRelease',
    { model: HelmRelease, structural: crd('helm.toolkit.fluxcd.io', 'HelmRelease', 'v2') },
  ],
  [
    'argoproj.io/v1alpha1/Application',
    { model: Application, structural: crd('argoproj.io', 'Application', 'v1alpha1') },
  ],
  [
    'argoproj.io/v1alpha1/ApplicationSet',
    { model: ApplicationSet, structural: crd('argoproj.io', 'ApplicationSet', 'v1alpha1') },
  ],
  [
    'monitoring.coreos.com/v1/PodMonitor',
    { model: PodMonitor, structural: crd('monitoring.coreos.com', 'PodMonitor', 'v1') },
  ],
  [
    'monitoring.coreos.com/v1/ServiceMonitor',
    { model: ServiceMonitor, structural: crd('monitoring.coreos.com', 'ServiceMonitor', 'v1') },
  ],
  // No structural schema bundled: the operator's CRD validator (@kubernetes-models/prometheus-operator) checks it.
  ['monitoring.coreos.com/v1/PrometheusRule', { model: PrometheusRule }],
  // EKS's VPC resource controller (security groups for pods, also on Fargate); no kubernetes-models package has it.
  [
    'vpcresources.k8s.aws/v1beta1/SecurityGroupPolicy',
    {
      model: crdModel('crds/vpcresources.k8s.aws/securitygrouppolicy_v1beta1.json'),
      structural: crd('vpcresources.k8s.aws', 'SecurityGroupPolicy', 'v1beta1'),
    },
  ],
]);
