import type { Finding } from '../finding.js';
import { parseQuantity } from '../../quantity.js';
import { LABELS } from '../../labels.js';
import { asRecord, type Subject } from '../subject.js';
import { capacityTypes, misfit, readPlacement, readPool, targetsOtherCapacity, type PodPlacement, type Pool } from './placement.js';

const formatCores = (cores: number) => `${Number(cores.toFixed(3))}`;
const formatGi = (bytes: number) => `${Number((bytes / 2 ** 30).toFixed(1))}Gi`;

function placementFindings(pod: PodPlacement, pools: readonly Pool[]): { findings: Finding[]; fitting: Pool[] } {
  const reasons = pools.map((pool) => ({ pool, reason: misfit(pod, pool) }));
  const fitting = reasons.filter((r) => r.reason === undefined).map((r) => r.pool);
  const s = pod.subject;
  if (fitting.length === 0) {
    return {
      fitting,
      findings: [s.finding('capacity-unschedulable', 'error', pod.at,
        `fits no NodePool: ${reasons.map((r) => `${r.pool.name} ${r.reason}`).join('; ')}`,
        "make the pod's nodeSelector, affinity and tolerations match one NodePool's labels, requirements and taints")],
    };
  }
  const findings: Finding[] = [];
  if (pod.role === 'driver') {
    const spot = fitting.filter((pool) => capacityTypes(pod, pool).includes('spot'));
    if (spot.length > 0) {
      findings.push(s.finding('driver-on-spot', 'error', pod.at,
        `the Spark driver can be placed on spot capacity of NodePool ${spot.map((p) => p.name).join(', ')}; a reclaimed driver fails the whole job`,
        'add nodeSelector karpenter.sh/capacity-type: on-demand to the driver template, or restrict that pool to on-demand'));
    }
  }
  if (pod.role === 'executor') {
    const top = Math.max(...fitting.map((p) => p.weight));
    const first = fitting.filter((p) => p.weight === top);
    if (!first.some((pool) => capacityTypes(pod, pool).includes('spot'))) {
      findings.push(s.finding('executor-spot-first', 'warning', pod.at,
        `Spark executors go first to NodePool ${first.map((p) => p.name).join(', ')} (weight ${top}), which gives them no spot capacity`,
        'give the spot executor pool the highest weight among the pools executors fit, and let executors tolerate its taint'));
    }
  }
  return { findings, fitting };
}

function quotaFindings(quota: Subject, pools: readonly Pool[]): Finding[] {
  const hard = asRecord(asRecord(quota.object.spec)?.hard) ?? {};
  const findings: Finding[] = [];
  const checks = [
    { resource: 'cpu', keys: ['requests.cpu', 'cpu'], format: formatCores },
    { resource: 'memory', keys: ['requests.memory', 'memory'], format: formatGi },
  ] as const;
  for (const { resource, keys, format } of checks) {
    const key = keys.find((k) => hard[k] !== undefined);
    if (!key) continue;
    const limits = pools.map((p) => p.limits[resource]);
    if (limits.some((l) => l === undefined)) continue; // an unlimited pool can always grow to the quota
    let requested: number;
    try {
      requested = parseQuantity(String(hard[key]));
    } catch {
      continue; // reported by the schema rules
    }
    const total = (limits as number[]).reduce((sum, l) => sum + l, 0);
    if (requested > total) {
      findings.push(quota.finding('quota-exceeds-capacity', 'warning', ['spec', 'hard', key],
        `quota ${key} ${String(hard[key])} exceeds the ${resource} limit of the NodePools its pods can use (${pools.map((p) => p.name).join(', ')}: ${format(total)} in total)`,
        `lower the quota to at most ${format(total)} or raise those pools' spec.limits.${resource}`));
    }
  }
  return findings;
}

/**
 * Cross-object capacity rules: every pod fits a NodePool, drivers stay off spot, executors try spot first, and tenant
 * quotas are backed by pool limits. Without NodePools in the set there is nothing to check against.
 */
export function capacityRules(subjects: readonly Subject[]): Finding[] {
  // Sorted by name so that messages listing pools do not depend on the order of the input.
  const pools = subjects.filter((s) => s.is('karpenter.sh', 'NodePool')).map(readPool).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (pools.length === 0) return [];
  const findings: Finding[] = [];
  const poolsByNamespaceOrTenant = new Map<string, Set<Pool>>();
  for (const subject of subjects) {
    const pod = readPlacement(subject);
    if (!pod || targetsOtherCapacity(pod)) continue;
    const result = placementFindings(pod, pools);
    findings.push(...result.findings);
    // Spark pod templates carry no namespace; the tenant label ties them to their tenant.
    for (const owner of [subject.namespace, pod.labels[LABELS.tenant] ?? subject.labels[LABELS.tenant]]) {
      if (!owner) continue;
      const set = poolsByNamespaceOrTenant.get(owner) ?? poolsByNamespaceOrTenant.set(owner, new Set()).get(owner)!;
      result.fitting.forEach((pool) => set.add(pool));
    }
  }
  const tenantOf = new Map(subjects.filter((s) => s.is('', 'Namespace') && s.labels[LABELS.tenant] && s.name)
    .map((s) => [s.name!, s.labels[LABELS.tenant]!]));
  for (const quota of subjects.filter((s) => s.is('', 'ResourceQuota') && s.namespace && tenantOf.has(s.namespace))) {
    const namespace = quota.namespace!;
    const used = new Set([...(poolsByNamespaceOrTenant.get(namespace) ?? []), ...(poolsByNamespaceOrTenant.get(tenantOf.get(namespace)!) ?? [])]);
    // Without pods of the tenant in the set, all pools together are the most the tenant could ever get.
    findings.push(...quotaFindings(quota, used.size > 0 ? pools.filter((pool) => used.has(pool)) : pools));
  }
  return findings;
}
