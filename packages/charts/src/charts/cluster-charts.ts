import type { Construct } from 'constructs';
import { Gp3StorageClass, SparkPriorityClasses } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import { ManifestChart } from './manifest-chart.js';

/** The encrypted gp3 StorageClass that Spark scratch volumes and notebooks' disks use. */
export class StorageChart extends ManifestChart {
  readonly storageClass: Gp3StorageClass;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-storage', { folder: 'platform/storage', environment: config.name, configPath: [] });
    this.storageClass = new Gp3StorageClass(this, 'Gp3');
  }
}

/** PriorityClasses that let Spark drivers preempt executors, never the other way round. */
export class SchedulingChart extends ManifestChart {
  readonly priorityClasses: SparkPriorityClasses;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-scheduling', { folder: 'platform/scheduling', environment: config.name, configPath: [] });
    this.priorityClasses = new SparkPriorityClasses(this, 'Spark');
  }
}

/**
 * What EMR's own access to the cluster needs outside the tenant namespaces: in aws-auth mode, the `mapRoles` entry
 * for kube-system/aws-auth (an artifact: aws-auth holds the nodes' mappings too and is not owned by this repo);
 * in access-entry mode, the access entries EMR will create, for review.
 */
export class EmrAccessChart extends ManifestChart {
  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-emr-access', { folder: 'platform/emr-access', environment: config.name, configPath: ['cluster', 'emrAccess'] });
    const { partition, accountId } = config.cluster;
    const serviceLinkedRole = `arn:${partition}:iam::${accountId}:role/AWSServiceRoleForAmazonEMRContainers`;
    if (config.cluster.emrAccess === 'aws-auth') {
      this.addArtifact({
        path: 'aws-auth-map-roles.yaml',
        format: 'yaml',
        kubernetesObject: false,
        value: { mapRoles: [{ rolearn: serviceLinkedRole, username: 'emr-containers' }] },
      });
    } else {
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
}
