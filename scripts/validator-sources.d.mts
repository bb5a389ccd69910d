// Types of validator-sources.mjs, for the tests that read it.
import type { ValidatorSource } from '../packages/core/dist/primitives/compiled-validators.js';

export declare function validatorSources(): ValidatorSource[];
