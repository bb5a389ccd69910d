import type { Construct } from 'constructs';
import { ExclusiveCapacityClassPolicy } from '@emr-eks-gitops/core';
import type { EnvironmentConfig } from '../config/schema.js';
import { underField } from '../render/render-error.js';
import { ManifestChart } from './manifest-chart.js';

/** Per exclusive class: the tenants granted it and the namespaces of the tenants that are not. */
export function exclusiveClassScopes(config: EnvironmentConfig): Array<{ index: number; name: string; granted: Array<{ tenant: string; namespace: string }>; checked: string[] }> {
  // A retired tenant's namespace still exists (never pruned): it is checked like any other.
  const tenants = config.tenants;
  return (config.capacity.classes ?? []).flatMap((spec, index) => {
    if (!spec.exclusiveTo) return [];
    const granted = tenants.filter((tenant) => spec.exclusiveTo!.includes(tenant.name)).map((tenant) => ({ tenant: tenant.name, namespace: tenant.namespace }));
    const checked = tenants.filter((tenant) => !spec.exclusiveTo!.includes(tenant.name)).map((tenant) => tenant.namespace);
    return checked.length > 0 && granted.length > 0 ? [{ index, name: spec.name, granted, checked }] : [];
  });
}

/**
 * Admission policies of the platform layer: for each capacity class with `exclusiveTo`, a ValidatingAdmissionPolicy
 * and binding that refuse pods of the other tenants' namespaces that could reach the class's nodes (the rendered pod
 * templates never do; this covers the pod templates, node selectors and pods tenants write themselves).
 */
export class AdmissionChart extends ManifestChart {
  readonly policies: ExclusiveCapacityClassPolicy[] = [];

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, 'platform-admission', { folder: 'platform/admission', environment: config.name, configPath: ['capacity', 'classes'] });
    for (const scope of exclusiveClassScopes(config)) {
      this.policies.push(underField(`[${scope.index}].exclusiveTo`, () => new ExclusiveCapacityClassPolicy(this, `Exclusive-${scope.name}`, {
        capacityClass: scope.name,
        grantedTo: scope.granted,
        checkedNamespaces: scope.checked,
      })));
    }
  }
}
