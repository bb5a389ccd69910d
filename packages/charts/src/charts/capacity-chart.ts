import type { Construct } from 'constructs';
import { Ec2NodeClass, LABELS, SparkCapacity, karpenterControllerHelmValues } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import { ManifestChart } from './manifest-chart.js';

/**
 * Karpenter capacity for Spark: the node class(es), the driver pool and the spot / on-demand executor pools (EBS, and
 * NVMe when capacity.nvmeInstanceStore is set), plus
 * the controller's Helm values as an artifact when the controller is installed with the cluster (addons.karpenter
 * absent); with addons.karpenter the same values are the release's (addon-charts.ts) and the artifact is not rendered.
 */
export class CapacityChart extends ManifestChart {
  readonly spark: SparkCapacity;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-karpenter', { folder: 'platform/karpenter', environment: config.name, configPath: ['capacity'] });
    const capacity = config.capacity;
    const nodeClass = {
      clusterName: config.cluster.name,
      amiAlias: capacity.amiAlias,
      role: capacity.nodeRole,
      rootVolume: { sizeGiB: capacity.rootVolumeGiB ?? 100 },
      tags: { [LABELS.environment]: config.name },
    };
    const driverNodeClass = new Ec2NodeClass(this, 'SparkNodeClass', { name: 'spark', ...nodeClass });
    // NVMe executor pools are rendered beside the EBS ones; only tenants with localDisk instance-store reach them.
    const nvmeExecutorNodeClass = capacity.nvmeInstanceStore
      ? new Ec2NodeClass(this, 'SparkNvmeNodeClass', { name: 'spark-nvme', ...nodeClass, instanceStorePolicy: 'RAID0' })
      : undefined;

    const limits = capacity.limits;
    const poolLimits = (pool: { cpu: string | number; memory: string | number } | undefined) =>
      pool ? { cpu: String(pool.cpu), memory: String(pool.memory) } : undefined;
    this.spark = new SparkCapacity(this, 'Spark', {
      driverNodeClass,
      nvmeExecutorNodeClass,
      driverNodes: capacity.driverNodes,
      limits: {
        driver: poolLimits(limits?.driver),
        executorSpot: poolLimits(limits?.executorSpot),
        executorOnDemand: poolLimits(limits?.executorOnDemand),
      },
      executorIdleTimeout: capacity.executorIdleTimeout,
      executorConsolidateAfter: capacity.executorConsolidateAfter,
      noDisruptionWindows: capacity.noDisruptionWindows,
    });

    if (!config.addons?.karpenter) this.addArtifact({
      path: 'controller-values.yaml',
      format: 'yaml',
      kubernetesObject: false,
      value: karpenterControllerHelmValues({
        clusterName: config.cluster.name,
        interruptionQueue: capacity.controller.interruptionQueue,
        controllerRoleArn: capacity.controller.roleArn,
        managedNodeGroups: capacity.controller.managedNodeGroups,
      }),
    });
  }
}
