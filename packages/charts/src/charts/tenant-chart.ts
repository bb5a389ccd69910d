import type { Construct } from 'constructs';
import { EmrContainersRbac, LABELS, TenantNamespace } from '@emr-eks-gitops/core';
import type { EnvironmentConfig, TenantConfig } from '../config/schema.js';
import { ManifestChart } from './manifest-chart.js';

/** Everything one tenant's namespace holds: isolation (namespace, quota, limits) and EMR's access to it. */
export class TenantChart extends ManifestChart {
  constructor(scope: Construct, config: EnvironmentConfig, tenant: TenantConfig, index: number) {
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

    if (config.cluster.emrAccess === 'aws-auth') {
      new EmrContainersRbac(this, 'EmrAccess', {
        namespace: tenant.namespace,
        kubernetesVersion: config.cluster.kubernetesVersion,
      });
    }
  }
}
