import type { Construct } from 'constructs';
import {
  FARGATE_POD_SECURITY_GROUP_RULES,
  eksctlFargateClusterConfig,
  type FargateProfile,
} from '@emr-eks-gitops/core';
import type { ResolvedEnvironment } from '../config/resolve.js';
import { ManifestChart } from './manifest-chart.js';
import type { FargateSummary } from './summaries.js';
import { fargateProfiles } from './fargate-tenant.js';

/**
 * The Fargate profiles of the tenants that run on Fargate, as artifacts: Fargate profiles are AWS resources (EKS API),
 * not Kubernetes objects, so no GitOps controller applies them. Each profile is rendered as the input of
 * `aws eks create-fargate-profile --cli-input-json`, and all of them as one eksctl ClusterConfig.
 */
export class FargateChart extends ManifestChart {
  readonly profiles: readonly FargateProfile[];
  /** The profiles' requests and the pod security groups' rules, for the README's "Fargate profiles". */
  readonly summary: FargateSummary;

  constructor(scope: Construct, config: ResolvedEnvironment) {
    super(scope, 'platform-fargate', { folder: 'platform/fargate', environment: config.name, configPath: ['fargate'] });
    this.profiles = fargateProfiles(config);
    const summaries = this.profiles.map((profile) => {
      const request = profile.createRequest();
      this.addArtifact({
        path: `profiles/${profile.name}.json`,
        format: 'json',
        kubernetesObject: false,
        value: request,
      });
      return {
        name: profile.name,
        namespaces: profile.selectors.map((selector) => selector.namespace),
        podExecutionRoleArn: request.podExecutionRoleArn,
        subnets: request.subnets,
      };
    });
    this.summary = { profiles: summaries, securityGroupRules: FARGATE_POD_SECURITY_GROUP_RULES };
    this.addArtifact({
      path: 'eksctl-cluster-config.yaml',
      format: 'yaml',
      kubernetesObject: false,
      value: eksctlFargateClusterConfig({ name: config.cluster.name, region: config.cluster.region }, this.profiles),
    });
  }
}
