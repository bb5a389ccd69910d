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
export type EmrSparkImage =
  | { readonly image: string }
  | { readonly unknown: string };

/**
 * The default Spark image of EMR on EKS jobs with `releaseLabel` in `region`: EMR pulls it from its own registry
 * account of that region. A release label `emr-<version>-<tag>` is the image `spark/emr-<version>:<tag>` (the release
 * notes' "container image tag": `emr-7.5.0-latest` -> `emr-7.5.0:latest`, `emr-7.2.0-20240610` -> `emr-7.2.0:20240610`;
 * Java variants keep their suffix in the repository: `emr-6.11.0-java17-latest` -> `emr-6.11.0-java17:latest`).
 */
export function emrSparkImage(region: string, releaseLabel: string, partition = 'aws'): EmrSparkImage {
  const split = /^(emr-.+)-(latest|[0-9]{8})$/.exec(releaseLabel);
  if (!split) return { unknown: `release label ${releaseLabel} is not emr-<version>-latest or emr-<version>-<YYYYMMDD>` };
  if (partition !== 'aws') return { unknown: `EMR on EKS image registries of partition ${partition} are not in the table (only the commercial partition is)` };
  const account = EMR_ON_EKS_IMAGE_ACCOUNTS[region];
  if (!account) return { unknown: `no EMR on EKS image registry account known for region ${region}; add it to packages/cli/src/images/emr-base-images.ts from the EMR on EKS guide ("Details for selecting a base image URI")` };
  return { image: `${account}.dkr.ecr.${region}.amazonaws.com/spark/${split[1]}:${split[2]}` };
}
