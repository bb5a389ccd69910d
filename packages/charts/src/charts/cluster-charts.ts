import type { Construct } from 'constructs';
import {
  configDiagnostic,
  EMR_SERVICE_LINKED_ROLE_NAME,
  Gp3StorageClass,
  SparkPriorityClasses,
  emrRoleTrustPolicy,
  parseRoleArn,
  podIdentityTrustPolicy,
  roleArn,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { clusterTenants, executionRoleTrustInput } from '../config/role-trust.js';
import { ebsProvisioner } from './auto-mode-capacity.js';
import { ManifestChart } from './manifest-chart.js';

/** The encrypted gp3 StorageClass that Spark scratch volumes and notebooks' disks use. */
export class StorageChart extends ManifestChart {
  readonly storageClass: Gp3StorageClass;

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-storage', { folder: 'platform/storage', environment: config.name, configPath: [] });
    this.storageClass = new Gp3StorageClass(this, 'Gp3', { provisioner: ebsProvisioner(config) });
  }
}

/** PriorityClasses that let Spark drivers preempt executors, never the other way round. */
export class SchedulingChart extends ManifestChart {
  readonly priorityClasses: SparkPriorityClasses;

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-scheduling', { folder: 'platform/scheduling', environment: config.name, configPath: [] });
    this.priorityClasses = new SparkPriorityClasses(this, 'Spark');
  }
}

/**
 * What EMR's access needs outside the tenant namespaces, as artifacts for IAM and EKS:
 * - the IRSA trust policy of each job execution role (one statement per tenant namespace that uses it, as
 *   `aws emr-containers update-role-trust-policy` writes them), with a warning when it passes IAM's size limit;
 * - in access-entry mode, the access entries EMR will create, for review (in aws-auth mode EMR's mapping is one of
 *   the cluster's identity mappings: ClusterAccessChart).
 */
export class EmrAccessChart extends ManifestChart {
  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-emr-access', {
      folder: 'platform/emr-access',
      environment: config.name,
      configPath: ['cluster', 'emrAccess'],
    });
    const { partition, accountId } = config.cluster;
    const serviceLinkedRole = roleArn(partition, accountId, EMR_SERVICE_LINKED_ROLE_NAME);
    this.addTrustPolicies(config);
    // aws-auth mode: EMR's mapping is in platform/cluster-access/ (cluster-access-chart.ts), with the nodes'.
    if (config.cluster.emrAccess === 'access-entry') {
      this.addArtifact({
        path: 'access-entries.json',
        format: 'json',
        kubernetesObject: false,
        value: {
          createdBy: 'Amazon EMR on EKS, when each virtual cluster is created (emr-gitops emr apply)',
          principalArn: serviceLinkedRole,
          accessPolicies: config.tenants.map((tenant) => ({
            policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEMRJobPolicy`,
            accessScope: { type: 'namespace', namespaces: [tenant.namespace] },
          })),
        },
      });
    }
  }

  private addTrustPolicies(config: ResolvedEnvironment): void {
    const irsaRoles = new Set(
      config.tenants.filter((tenant) => tenant.identity === 'irsa').map((tenant) => tenant.executionRoleArn),
    );
    const podIdentityRoles = new Set(
      config.tenants.filter((tenant) => tenant.identity === 'pod-identity').map((tenant) => tenant.executionRoleArn),
    );
    for (const roleArn of podIdentityRoles) {
      if (irsaRoles.has(roleArn)) continue; // shared with IRSA tenants: its statement joins theirs below
      this.addArtifact({
        path: `trust-policies/${parseRoleArn(roleArn).name}.json`,
        format: 'json',
        kubernetesObject: false,
        value: podIdentityTrustPolicy(),
      });
    }
    // A role is one IAM object: on each cluster of a fleet its document trusts every cluster whose tenants use it.
    const clusters = clusterTenants(config);
    for (const roleArn of irsaRoles) {
      const policy = emrRoleTrustPolicy(executionRoleTrustInput(roleArn, clusters)!);
      const document = podIdentityRoles.has(roleArn)
        ? {
            ...policy.document,
            Statement: [...policy.document.Statement, ...(podIdentityTrustPolicy().Statement as unknown[])],
          }
        : policy.document;
      this.addArtifact({
        path: `trust-policies/${parseRoleArn(roleArn).name}.json`,
        format: 'json',
        kubernetesObject: false,
        value: document,
      });
      const tenantIndex = config.tenants.findIndex((tenant) => tenant.executionRoleArn === roleArn);
      this.warnings.push(
        ...policy.warnings.map((message) =>
          configDiagnostic('trust-policy', ['tenants', tenantIndex, 'executionRoleArn'], message),
        ),
      );
    }
  }
}
