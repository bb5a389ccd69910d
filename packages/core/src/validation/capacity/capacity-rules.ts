import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asList, asRecord, asText, type Subject } from '../subject.js';
import { CAPACITY_CLASS_LABEL } from '../../karpenter/spark-capacity.js';
import {
  capacityTypes,
  misfit,
  readPlacement,
  readPool,
  targetsOtherCapacity,
  type PodToPlace,
  type Pool,
} from './placement.js';

function placementFindings(pod: PodToPlace, pools: readonly Pool[]): ObjectDiagnostic[] {
  const reasons = pools.map((pool) => ({ pool, reason: misfit(pod, pool) }));
  const fitting = reasons.filter((r) => r.reason === undefined).map((r) => r.pool);
  const s = pod.subject;
  if (fitting.length === 0) {
    return [
      s.finding(
        'capacity-unschedulable',
        'error',
        pod.at,
        `fits no NodePool: ${reasons.map((r) => `${r.pool.name} ${r.reason}`).join('; ')}`,
        "make the pod's nodeSelector, affinity and tolerations match one NodePool's labels, requirements and taints",
      ),
    ];
  }
  const findings: ObjectDiagnostic[] = [];
  if (pod.role === 'driver') {
    const spot = fitting.filter((pool) => capacityTypes(pod, pool).includes('spot'));
    if (spot.length > 0) {
      findings.push(
        s.finding(
          'driver-on-spot',
          'error',
          pod.at,
          `the Spark driver can be placed on spot capacity of NodePool ${spot.map((p) => p.name).join(', ')}; a reclaimed driver fails the whole job`,
          'add nodeSelector karpenter.sh/capacity-type: on-demand to the driver template, or restrict that pool to on-demand',
        ),
      );
    }
  }
  // A capacity class declared on-demand only (e.g. GPUs, where spot is scarce) has no spot pool by design.
  const capacityClass = asText(asRecord(pod.spec.nodeSelector)?.[CAPACITY_CLASS_LABEL]);
  const onDemandClass =
    capacityClass !== undefined &&
    !pools.some(
      (pool) =>
        pool.nodeRequirements.some((r) => r.key === CAPACITY_CLASS_LABEL && (r.values ?? []).includes(capacityClass)) &&
        pool.nodeRequirements.some((r) => r.key === 'karpenter.sh/capacity-type' && (r.values ?? []).includes('spot')),
    );
  if (pod.role === 'executor' && !onDemandClass) {
    const top = Math.max(...fitting.map((p) => p.weight));
    const first = fitting.filter((p) => p.weight === top);
    if (!first.some((pool) => capacityTypes(pod, pool).includes('spot'))) {
      findings.push(
        s.finding(
          'executor-spot-first',
          'warning',
          pod.at,
          `Spark executors go first to NodePool ${first.map((p) => p.name).join(', ')} (weight ${top}), which gives them no spot capacity`,
          'give the spot executor pool the highest weight among the pools executors fit, and let executors tolerate its taint',
        ),
      );
    }
  }
  findings.push(...gpuFindings(pod, fitting));
  return findings;
}

/** The GPU-count label of either vocabulary (Karpenter's AWS provider, EKS Auto Mode). */
const GPU_COUNT_LABEL = /\/instance-gpu-count$/;

/**
 * A pod that can land on a pool of GPU instance types must request a device (an extended resource such as
 * nvidia.com/gpu in its containers' limits): otherwise it holds a GPU node, at GPU prices, without using its GPUs.
 */
function gpuFindings(pod: PodToPlace, fitting: readonly Pool[]): ObjectDiagnostic[] {
  const gpuPools = fitting.filter((pool) =>
    pool.nodeRequirements.some(
      (r) =>
        GPU_COUNT_LABEL.test(r.key) &&
        (r.operator === 'Exists' ||
          (r.operator === 'Gt' && Number(r.values?.[0]) >= 0) ||
          (r.operator === 'In' && (r.values ?? []).some((v) => Number(v) > 0))),
    ),
  );
  if (gpuPools.length === 0) return [];
  const devices = asList(pod.spec.containers)
    .flatMap((c) => Object.keys(asRecord(asRecord(asRecord(c)?.resources)?.limits) ?? {}))
    .filter((name) => name.endsWith('/gpu'));
  if (devices.length > 0) return [];
  return [
    pod.subject.finding(
      'gpu-pool-device-request',
      'error',
      pod.at,
      `can land on GPU instance types of NodePool ${gpuPools.map((p) => p.name).join(', ')} but no container requests a GPU: it holds a GPU node without using its devices`,
      'add resources.limits of the device (e.g. nvidia.com/gpu: 1) to the Spark container, or keep the pod off GPU pools (their taint untolerated)',
    ),
  ];
}

/**
 * Cross-object capacity rules: every pod fits a NodePool, drivers stay off spot, executors try spot first. (Whether a
 * tenant's quota is backed by the pools its pods reach is a run-time rule: validation/runtime.) Without NodePools in
 * the set there is nothing to check against.
 */
export function capacityRules(subjects: readonly Subject[]): ObjectDiagnostic[] {
  // Sorted by name so that messages listing pools do not depend on the order of the input.
  const pools = subjects
    .filter((s) => s.is('karpenter.sh', 'NodePool'))
    .map(readPool)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (pools.length === 0) return [];
  const findings: ObjectDiagnostic[] = [];
  for (const subject of subjects) {
    const pod = readPlacement(subject);
    if (!pod || targetsOtherCapacity(pod)) continue;
    findings.push(...placementFindings(pod, pools));
  }
  return findings;
}
