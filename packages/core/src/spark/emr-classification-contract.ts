/**
 * The classifications and keys EMR on EKS reads in `configurationOverrides.applicationConfiguration`, as data. Keys
 * outside these lists are not errors at StartJobRun: EMR ignores them, so the setting silently never applies (a
 * misspelt `jobsubmitter.node.selector` leaves the job runner on spot capacity). `spark-defaults` carries Spark's own
 * properties, which are Spark's contract, not EMR's.
 *
 * Sources, read 2026-12-03:
 * - emr-job-submitter: EMR on EKS guide, "Using job submitter classification"
 *   (https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-job-submitter.html)
 * - emr-containers-defaults: EMR on EKS guide, "Using Amazon EMR container defaults classification"
 *   (https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-job-submitter-container-defaults.html)
 */
export const EMR_CLASSIFICATION_CONTRACT: Readonly<
  Record<string, { readonly source: string; readonly keys: readonly string[]; readonly prefixes: readonly string[] }>
> = {
  'spark-defaults': {
    source: 'https://spark.apache.org/docs/latest/configuration.html',
    keys: [],
    prefixes: ['spark.'],
  },
  'emr-job-submitter': {
    source: 'https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-job-submitter.html',
    keys: [],
    // node.toleration.<key> holds the value ("" for Exists), node.toleration.<key>.effect the effect; logging.* the
    // logging container's image, request.cores (100m) and request.memory (200Mi).
    prefixes: [
      'jobsubmitter.node.selector.',
      'jobsubmitter.label.',
      'jobsubmitter.annotation.',
      'jobsubmitter.node.toleration.',
      'jobsubmitter.logging.',
    ],
  },
  'emr-containers-defaults': {
    source:
      'https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-job-submitter-container-defaults.html',
    keys: ['job-start-timeout', 'executor.logging', 'logging.image', 'logging.request.cores', 'logging.request.memory'],
    prefixes: [],
  },
};

/** A classification or key of an applicationConfiguration that EMR does not read. */
export interface ClassificationContractViolation {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Every classification and property key of `applicationConfiguration` outside EMR_CLASSIFICATION_CONTRACT, in order. */
export function classificationContractViolations(
  applicationConfiguration: readonly {
    readonly classification: string;
    readonly properties?: Readonly<Record<string, string>>;
  }[],
): ClassificationContractViolation[] {
  return applicationConfiguration.flatMap((entry, index) => {
    const contract = EMR_CLASSIFICATION_CONTRACT[entry.classification];
    if (!contract) {
      return [
        {
          path: [index, 'classification'],
          message: `classification "${entry.classification}" is not one EMR on EKS reads here; known: ${Object.keys(EMR_CLASSIFICATION_CONTRACT).join(', ')}`,
        },
      ];
    }
    return Object.keys(entry.properties ?? {})
      .filter(
        (key) =>
          !contract.keys.includes(key) &&
          !contract.prefixes.some((prefix) => key.startsWith(prefix) && key.length > prefix.length),
      )
      .map((key) => ({
        path: [index, 'properties', key],
        message: `${key} is not a key of ${entry.classification} (${contract.source}): EMR ignores it`,
      }));
  });
}
