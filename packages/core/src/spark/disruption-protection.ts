import type { PodPlacement } from '../scheduling/placement.js';

/**
 * Karpenter v1's pod annotation that keeps a node from voluntary disruption (consolidation, drift) and makes the drain
 * of an expiring node wait for the pod, up to the NodePool's terminationGracePeriod; pods without it are evicted as
 * soon as the drain starts. Source: Karpenter docs, "Disruption" > "Pod-Level Controls" and "TerminationGracePeriod"
 * (https://karpenter.sh/docs/concepts/disruption/, aws/karpenter-provider-aws website/content/en/docs/concepts/disruption.md).
 */
export const DO_NOT_DISRUPT_ANNOTATION = 'karpenter.sh/do-not-disrupt';

/**
 * The annotations of a pod whose loss costs a job or a live session (Spark drivers, EMR's job runner, notebook
 * servers), for a placement on Karpenter's pools; none elsewhere (Fargate, managed node groups), where Karpenter
 * does not disrupt.
 */
export function doNotDisruptAnnotations(placement: Pick<PodPlacement, 'nodePools'>): Record<string, string> {
  return placement.nodePools.length > 0 ? { [DO_NOT_DISRUPT_ANNOTATION]: 'true' } : {};
}
