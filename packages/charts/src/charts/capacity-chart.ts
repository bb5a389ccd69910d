import type { Construct } from 'constructs';
import { Ec2NodeClass, LABELS, SparkCapacity, karpenterControllerHelmValues } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import { autoModeClusterConfigArtifact, autoModeSparkNodes, isAutoMode } from './auto-mode-capacity.js';
import { ManifestChart } from './manifest-chart.js';

/**
 * Karpenter capacity for Spark: the node class(es), the driver pool and the spot / on-demand executor pools (EBS, and
 * NVMe when capacity.nvmeInstanceStore is set). With self-managed Karpenter: EC2NodeClasses, plus the controller's Helm
 * values as an artifact when the controller is installed with the cluster (addons.karpenter absent; with
 * addons.karpenter the same values are the release's, addon-charts.ts). With EKS Auto Mode (capacity.backend
 * auto-mode): eks.amazonaws.com NodeClasses, Auto Mode's label names and node lifetime, and the cluster's compute config
 * as an artifact (auto-mode-capacity.ts). The pools, taints and placements are the same on both.
 */
export class CapacityChart extends ManifestChart {
  readonly spark: SparkCapacity;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-karpenter', { folder: 'platform/karpenter', environment: config.name, configPath: ['capacity'] });
    const capacity = config.capacity;
    const nodes = isAutoMode(config) ? autoModeSparkNodes(this, config) : this.karpenterNodes(config);

    const limits = capacity.limits;
    const poolLimits = (pool: { cpu: string | number; memory: string | number } | undefined) =>
      pool ? { cpu: String(pool.cpu), memory: String(pool.memory) } : undefined;
    this.spark = new SparkCapacity(this, 'Spark', {
      ...nodes,
      limits: {
        driver: poolLimits(limits?.driver),
        executorSpot: poolLimits(limits?.executorSpot),
        executorOnDemand: poolLimits(limits?.executorOnDemand),
      },
      executorIdleTimeout: capacity.executorIdleTimeout,
      executorConsolidateAfter: capacity.executorConsolidateAfter,
      noDisruptionWindows: capacity.noDisruptionWindows,
    });

    if (isAutoMode(config)) {
      this.addArtifact({ path: 'auto-mode-cluster-config.json', format: 'json', kubernetesObject: false, value: autoModeClusterConfigArtifact(config) });
    } else if (!config.addons?.karpenter) {
      const controller = capacity.controller!; // required with backend karpenter (semantics.ts)
      this.addArtifact({
        path: 'controller-values.yaml',
        format: 'yaml',
        kubernetesObject: false,
        value: karpenterControllerHelmValues({
          clusterName: config.cluster.name,
          interruptionQueue: controller.interruptionQueue,
          controllerRoleArn: controller.roleArn,
          managedNodeGroups: controller.managedNodeGroups,
        }),
      });
    }
  }

  /** Self-managed Karpenter's EC2NodeClasses: `spark`, and `spark-nvme` (RAID0 instance store) for NVMe executors. */
  private karpenterNodes(config: EnvironmentConfig) {
    const capacity = config.capacity;
    const nodeClass = {
      clusterName: config.cluster.name,
      amiAlias: capacity.amiAlias!, // required with backend karpenter (semantics.ts)
      role: capacity.nodeRole,
      rootVolume: { sizeGiB: capacity.rootVolumeGiB ?? 100 },
      tags: { [LABELS.environment]: config.name },
    };
    const driverNodeClass = new Ec2NodeClass(this, 'SparkNodeClass', { name: 'spark', ...nodeClass });
    // NVMe executor pools are rendered beside the EBS ones; only tenants with localDisk instance-store reach them.
    const nvmeExecutorNodeClass = capacity.nvmeInstanceStore
      ? new Ec2NodeClass(this, 'SparkNvmeNodeClass', { name: 'spark-nvme', ...nodeClass, instanceStorePolicy: 'RAID0' })
      : undefined;
    return { driverNodeClass, nvmeExecutorNodeClass, driverNodes: capacity.driverNodes };
  }
}
