import type { Construct } from 'constructs';
import {
  EmrContainersRbac, LABELS, SparkPodTemplates, TenantNamespace, TenantNetworkPolicies, TenantServiceAccounts, sparkDefaults,
  type SparkLocalDisk, type SparkPlacements, type TenantEgress,
} from '@emr-eks-gitops/core';
import type { EnvironmentConfig, TenantConfig } from '../config/schema.js';
import { ManifestChart } from './manifest-chart.js';
import { underField } from '../render/render-error.js';

/** What tenants share from the platform layer: where Spark pods go and what they may use there. */
export interface SparkPlatform {
  readonly placements: SparkPlacements;
  readonly priorityClassNames: { readonly driver: string; readonly executor: string };
  readonly storageClassName: string;
}

/**
 * Everything one tenant's namespace holds, isolation (namespace, quota, limits, network policies, service accounts)
 * and EMR's access to it, and the
 * tenant's Spark artifacts: pod templates and the spark-defaults that point at them.
 */
export class TenantChart extends ManifestChart {
  constructor(scope: Construct, config: EnvironmentConfig, tenant: TenantConfig, index: number, platform: SparkPlatform) {
    super(scope, `tenant-${tenant.name}`, {
      folder: `tenants/${tenant.name}`,
      environment: config.name,
      configPath: ['tenants', index],
      labels: { [LABELS.tenant]: tenant.name },
    });

    new TenantNamespace(this, 'Namespace', {
      namespace: tenant.namespace,
      tenant: tenant.name,
      quota: tenant.quota,
      containerDefaults: tenant.containerDefaults,
      podSecurity: { version: `v${config.cluster.kubernetesVersion}` },
    });

    const network = tenant.network ?? {};
    new TenantNetworkPolicies(this, 'Network', {
      namespace: tenant.namespace,
      allowIngressFromNamespaces: network.allowIngressFromNamespaces,
      egress: network.egress?.mode === 'restricted'
        ? { mode: 'restricted', apiServerCidrs: network.egress.apiServerCidrs ?? [], cidrs: network.egress.cidrs ?? [], ports: network.egress.ports }
        : { mode: 'allow-all' } satisfies TenantEgress,
    });
    if (tenant.serviceAccounts?.length) {
      new TenantServiceAccounts(this, 'ServiceAccounts', { namespace: tenant.namespace, serviceAccounts: tenant.serviceAccounts });
    }

    if (config.cluster.emrAccess === 'aws-auth') {
      new EmrContainersRbac(this, 'EmrAccess', {
        namespace: tenant.namespace,
        kubernetesVersion: config.cluster.kubernetesVersion,
      });
    }

    underField('spark', () => this.addSparkArtifacts(config, tenant, platform));
  }

  private addSparkArtifacts(config: EnvironmentConfig, tenant: TenantConfig, platform: SparkPlatform): void {
    const spark = tenant.spark ?? {};
    const localDisk: SparkLocalDisk | undefined =
      spark.localDisk === 'instance-store' ? { kind: 'instance-store' }
        : spark.localDisk === 'ebs' || spark.localDiskSize !== undefined
          ? { kind: 'generic-ephemeral-volume', storageClassName: platform.storageClassName, size: String(spark.localDiskSize ?? '100Gi') }
          : undefined;
    const templates = new SparkPodTemplates({
      placements: platform.placements,
      priorityClassNames: platform.priorityClassNames,
      localDisk,
      executorTerminationGracePeriodSeconds: spark.executorTerminationGracePeriodSeconds,
      customCode: spark.customCode,
    });
    const templateUri = (role: string) => `${config.spark.artifactsS3Uri}/${this.artifactKey(`pod-templates/${role}.yaml`)}`;
    this.addArtifact({ path: 'pod-templates/driver.yaml', value: templates.driver, format: 'yaml', kubernetesObject: true });
    this.addArtifact({ path: 'pod-templates/executor.yaml', value: templates.executor, format: 'yaml', kubernetesObject: true });
    this.addArtifact({
      path: 'configuration-overrides.json',
      format: 'json',
      kubernetesObject: false,
      value: {
        applicationConfiguration: [sparkDefaults({
          placements: platform.placements,
          podTemplates: templates,
          driverPodTemplateUri: templateUri('driver'),
          executorPodTemplateUri: templateUri('executor'),
          decommissionFallbackStoragePath: spark.decommissionFallbackStorage ? `${spark.decommissionFallbackStorage}/` : undefined,
          extraProperties: spark.extraProperties,
        })],
      },
    });
  }
}
