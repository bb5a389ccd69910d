/** The EMR on EKS image registry table lives in core (the charts name GPU jobs' RAPIDS images from it). */
export {
  EMR_ON_EKS_IMAGE_ACCOUNTS,
  emrRapidsRelease,
  emrSparkImage,
  type EmrRapidsRelease,
  type EmrSparkImage,
} from '@emr-eks-gitops/core';
