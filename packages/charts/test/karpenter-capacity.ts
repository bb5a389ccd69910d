import type { KarpenterCapacity, ResolvedEnvironment } from '../src/index.js';

/** The environment's self-managed Karpenter capacity; a test that needs it fails plainly on an Auto Mode environment. */
export function karpenterCapacity(config: ResolvedEnvironment): KarpenterCapacity {
  if (config.capacity.backend !== 'karpenter')
    throw new Error(`${config.name} runs on ${config.capacity.backend}, not self-managed Karpenter`);
  return config.capacity;
}
