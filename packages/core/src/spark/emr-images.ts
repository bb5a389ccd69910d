/**
 * The Amazon ECR registry account that serves EMR on EKS's Spark base images, per AWS Region (commercial partition).
 *
 * Source: Amazon EMR on EKS Development Guide, "Details for selecting a base image URI", section "Amazon ECR registry
 * accounts by Region": https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/docker-custom-images-tag.html#docker-custom-images-ECR
 * The image URI is `<account>.dkr.ecr.<region>.amazonaws.com/spark/<container-image-tag>`, e.g.
 * `895885662937.dkr.ecr.us-west-2.amazonaws.com/spark/emr-7.12.0:latest` (the guide's own example).
 *
 * ap-* , ca-central-1 and eu-central-1 were read from that page; eu-north-1, eu-west-*, sa-east-1 and us-* as an
 * earlier version of the page listed them (quoted, with a link to it, in AWS's aws-analytics-reference-architecture),
 * us-west-2 matching the page's example. The page lists more regions (eu-central-2, eu-south-1, ...) not copied here,
 * and China and GovCloud have tables of their own. A region missing from this table is reported as unknown, never
 * guessed: add it here from the guide.
 */
export const EMR_ON_EKS_IMAGE_ACCOUNTS: Readonly<Record<string, string>> = {
  'ap-east-1': '736135916053',
  'ap-northeast-1': '059004520145',
  'ap-northeast-2': '996579266876',
  'ap-northeast-3': '705689932349',
  'ap-south-1': '235914868574',
  'ap-south-2': '691480105545',
  'ap-southeast-1': '671219180197',
  'ap-southeast-2': '038297999601',
  'ap-southeast-3': '946962994502',
  'ca-central-1': '351826393999',
  'eu-central-1': '107292555468',
  'eu-north-1': '830386416364',
  'eu-west-1': '483788554619',
  'eu-west-2': '118780647275',
  'eu-west-3': '307523725174',
  'sa-east-1': '052806832358',
  'us-east-1': '755674844232',
  'us-east-2': '711395599931',
  'us-west-1': '608033475327',
  'us-west-2': '895885662937',
};

/** The EMR Spark image a release label runs on, or why it cannot be named. */
export type EmrSparkImage = { readonly image: string } | { readonly unknown: string };

/**
 * The default Spark image of EMR on EKS jobs with `releaseLabel` in `region`: EMR pulls it from its own registry
 * account of that region. A release label `emr-<version>-<tag>` is the image `spark/emr-<version>:<tag>` (the release
 * notes' "container image tag": `emr-7.5.0-latest` -> `emr-7.5.0:latest`, `emr-7.2.0-20240610` -> `emr-7.2.0:20240610`;
 * Java variants keep their suffix in the repository: `emr-6.11.0-java17-latest` -> `emr-6.11.0-java17:latest`).
 */
export function emrSparkImage(region: string, releaseLabel: string, partition = 'aws'): EmrSparkImage {
  const split = /^(emr-.+)-(latest|[0-9]{8})$/.exec(releaseLabel);
  if (!split)
    return { unknown: `release label ${releaseLabel} is not emr-<version>-latest or emr-<version>-<YYYYMMDD>` };
  if (partition !== 'aws')
    return {
      unknown: `EMR on EKS image registries of partition ${partition} are not in the table (only the commercial partition is)`,
    };
  const account = EMR_ON_EKS_IMAGE_ACCOUNTS[region];
  if (!account)
    return {
      unknown: `no EMR on EKS image registry account known for region ${region}; add it to packages/core/src/spark/emr-images.ts from the EMR on EKS guide ("Details for selecting a base image URI")`,
    };
  return { image: `${account}.dkr.ecr.${region}.amazonaws.com/spark/${split[1]}:${split[2]}` };
}

/** The first EMR on EKS release with a RAPIDS Accelerator variant (the guide's RAPIDS page: "6.9.0 and later"). */
export const EMR_RAPIDS_MIN_RELEASE = '6.9.0';

/**
 * The dated `spark-rapids` release labels EMR on EKS publishes, per release: EMR does not build a RAPIDS variant for
 * every dated refresh of a release (6.9.0 has 20230905, 6.12.0 has 20240321, neither with a spark-rapids build).
 * Source: the "Spark releases" list of each release page of the EMR on EKS Development Guide,
 * https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-<version>.html (read from the pages'
 * source text). Each of these pages also lists `emr-<version>-spark-rapids-latest`, which EMR resolves to the newest
 * build. 7.3.0's page lists its RAPIDS build as 29240920 (sic; the plain build is 20240920), kept as published. A
 * release missing here has no RAPIDS label this tool can vouch for: add it from its page.
 */
export const EMR_RAPIDS_RELEASE_DATES: Readonly<Record<string, readonly string[]>> = {
  '6.9.0': ['20221108', '20230624'],
  '6.10.0': ['20230220', '20230624'],
  '6.11.0': ['20230509'],
  '6.12.0': ['20230701'],
  '6.14.0': ['20231005'],
  '6.15.0': ['20231109'],
  '7.0.0': ['20231211'],
  '7.1.0': ['20240321'],
  '7.2.0': ['20240610'],
  '7.3.0': ['29240920'],
  '7.9.0': ['20250425'],
  '7.11.0': ['20251020'],
  '7.13.0': ['20260410'],
};

/** The RAPIDS Accelerator variant of a release: its release label and its image in the cluster's region. */
export type EmrRapidsRelease = { readonly releaseLabel: string; readonly image: string } | { readonly unknown: string };

/**
 * The `spark-rapids` variant of an EMR on EKS release, whose image carries the RAPIDS Accelerator for Apache Spark, its
 * CUDA libraries and the GPU discovery configuration: release label `emr-<version>-spark-rapids-<tag>` and image
 * `spark/emr-<version>-spark-rapids:<tag>` (`emr-7.2.0-20240610` -> `emr-7.2.0-spark-rapids-20240610`,
 * `.../spark/emr-7.2.0-spark-rapids:20240610`). Only labels EMR publishes are named (EMR_RAPIDS_RELEASE_DATES): `latest`
 * for a release in the table, a date only when that release's page lists a RAPIDS build of that date. Java variants
 * (`-java11`, ...) and anything else are reported as unknown, never guessed.
 */
export function emrRapidsRelease(region: string, releaseLabel: string, partition = 'aws'): EmrRapidsRelease {
  const split = /^emr-([0-9]+\.[0-9]+\.[0-9]+)-(latest|[0-9]{8})$/.exec(releaseLabel);
  if (!split)
    return {
      unknown: `release label ${releaseLabel} has no RAPIDS Accelerator variant known to this tool: it exists for plain releases (emr-<version>-latest or emr-<version>-<YYYYMMDD>) from ${EMR_RAPIDS_MIN_RELEASE}`,
    };
  const [, version, tag] = split as unknown as [string, string, string];
  const dates = EMR_RAPIDS_RELEASE_DATES[version];
  if (!dates) {
    return {
      unknown: `${releaseLabel} has no RAPIDS Accelerator variant known to this tool: EMR on EKS publishes emr-<version>-spark-rapids for ${EMR_RAPIDS_MIN_RELEASE} and later, and the releases whose labels are on record are ${Object.keys(EMR_RAPIDS_RELEASE_DATES).join(', ')} (add ${version} to EMR_RAPIDS_RELEASE_DATES from its EMR on EKS release page)`,
    };
  }
  if (tag !== 'latest' && !dates.includes(tag)) {
    return {
      unknown: `EMR on EKS publishes no emr-${version}-spark-rapids-${tag}: the ${version} release page lists RAPIDS builds ${dates.map((date) => `emr-${version}-spark-rapids-${date}`).join(', ')} and emr-${version}-spark-rapids-latest (the release labels ${[...dates, 'latest'].map((date) => `emr-${version}-${date}`).join(', ')} name them)`,
    };
  }
  const rapidsLabel = `emr-${version}-spark-rapids-${tag}`;
  const image = emrSparkImage(region, rapidsLabel, partition);
  if ('unknown' in image) return image;
  return { releaseLabel: rapidsLabel, image: image.image };
}
