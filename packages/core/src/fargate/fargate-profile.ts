import { requireThat } from '../primitives/errors.js';
import { requireIamRoleArn } from '../primitives/aws-arn.js';
import { isDnsLabel, requireLabels } from '../primitives/kubernetes-names.js';

/** EKS limits of a Fargate profile (CreateFargateProfile; "Define which Pods use AWS Fargate when launched"). */
export const FARGATE_PROFILE_LIMITS = { selectors: 5, name: 100 } as const;

/** The pod label that picks one profile when several match a pod (EKS user guide, Fargate profiles). */
export const FARGATE_PROFILE_LABEL = 'eks.amazonaws.com/fargate-profile';

/** Which pods a profile takes: every pod of `namespace` that carries all of `labels`. */
export interface FargateProfileSelector {
  readonly namespace: string;
  /** Labels a pod must all carry. @default none: every pod of the namespace */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface FargateProfileProps {
  /** Profile name: letters, digits, "-" and "_", starting with a letter or digit, not with "eks-", at most 100 characters. */
  readonly name: string;
  /** EKS cluster the profile belongs to. */
  readonly clusterName: string;
  /** IAM role Fargate's kubelet runs as (registers the node, pulls images): the pod execution role. */
  readonly podExecutionRoleArn: string;
  /** Private subnets (no route to an internet gateway) Fargate places the pods in; at least one. */
  readonly subnets: readonly string[];
  /** One to five selectors. */
  readonly selectors: readonly FargateProfileSelector[];
  /** AWS tags of the profile. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What both documents of a profile state besides its name and role. */
interface FargateProfileDocument {
  readonly subnets: readonly string[];
  readonly selectors: ReadonlyArray<{ readonly namespace: string; readonly labels?: Readonly<Record<string, string>> }>;
  readonly tags?: Readonly<Record<string, string>>;
}

/** `aws eks create-fargate-profile --cli-input-json` input (CreateFargateProfileRequest). */
export interface CreateFargateProfileRequest extends FargateProfileDocument {
  readonly fargateProfileName: string;
  readonly clusterName: string;
  readonly podExecutionRoleArn: string;
}

/** One entry of eksctl's `ClusterConfig.fargateProfiles`. */
export interface EksctlFargateProfile extends FargateProfileDocument {
  readonly name: string;
  readonly podExecutionRoleARN: string;
}

const PROFILE_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;

/**
 * An EKS Fargate profile: which pods Fargate runs (namespace and labels), in which private subnets, under which pod
 * execution role. It is an AWS resource, not a Kubernetes object: this builder renders it as the input of
 * `aws eks create-fargate-profile --cli-input-json` and as an eksctl `ClusterConfig.fargateProfiles` entry. Profiles
 * are immutable in EKS: a change is a new profile (create it, then delete the old one).
 *
 * @example
 * ```ts
 * import { FargateProfile } from '@emr-eks-gitops/core';
 *
 * const profile = new FargateProfile({
 *   name: 'spark-reporting', clusterName: 'spark-platform',
 *   podExecutionRoleArn: 'arn:aws:iam::123456789012:role/AmazonEKSFargatePodExecutionRole',
 *   subnets: ['subnet-0a1b2c3d4e5f60718'], selectors: [{ namespace: 'spark-reporting' }],
 * });
 * // profile.createRequest(): JSON for aws eks create-fargate-profile --cli-input-json file://...
 * ```
 */
export class FargateProfile {
  readonly name: string;
  readonly selectors: readonly FargateProfileSelector[];
  private readonly props: FargateProfileProps;

  constructor(props: FargateProfileProps) {
    requireThat(
      PROFILE_NAME.test(props.name) && props.name.length <= FARGATE_PROFILE_LIMITS.name,
      'name',
      `"${props.name}" must be letters, digits, "-" and "_", starting with a letter or digit, at most ${FARGATE_PROFILE_LIMITS.name} characters`,
    );
    // eksctl refuses names with the prefix EKS keeps for its own profiles.
    requireThat(!props.name.startsWith('eks-'), 'name', `"${props.name}" must not start with "eks-"`);
    requireThat(props.clusterName !== '', 'clusterName', 'must not be empty');
    requireIamRoleArn(props.podExecutionRoleArn, 'podExecutionRoleArn');
    requireThat(
      props.subnets.length > 0,
      'subnets',
      'needs at least one private subnet: Fargate pods get no public IP',
    );
    props.subnets.forEach((subnet, i) => {
      requireThat(
        SUBNET_ID.test(subnet),
        `subnets[${i}]`,
        `"${subnet}" must be a subnet id, subnet-<8 or 17 hex digits>`,
      );
    });
    requireThat(new Set(props.subnets).size === props.subnets.length, 'subnets', 'lists a subnet twice');
    requireThat(
      props.selectors.length >= 1 && props.selectors.length <= FARGATE_PROFILE_LIMITS.selectors,
      'selectors',
      `a Fargate profile has 1 to ${FARGATE_PROFILE_LIMITS.selectors} selectors, got ${props.selectors.length}; split the namespaces over more profiles`,
    );
    props.selectors.forEach((selector, i) => {
      requireThat(
        isDnsLabel(selector.namespace),
        `selectors[${i}].namespace`,
        `"${selector.namespace}" must be a namespace name (DNS-1123 label)`,
      );
      requireLabels(selector.labels ?? {}, `selectors[${i}].labels`);
    });
    this.props = props;
    this.name = props.name;
    this.selectors = props.selectors;
  }

  /** The request of `aws eks create-fargate-profile --cli-input-json file://<this>.json`. */
  createRequest(): CreateFargateProfileRequest {
    const p = this.props;
    return {
      fargateProfileName: p.name,
      clusterName: p.clusterName,
      podExecutionRoleArn: p.podExecutionRoleArn,
      subnets: [...p.subnets],
      selectors: this.selectorList(),
      ...(p.tags && Object.keys(p.tags).length > 0 ? { tags: sorted(p.tags) } : {}),
    };
  }

  /** The same profile as an eksctl `ClusterConfig.fargateProfiles` entry. */
  eksctlProfile(): EksctlFargateProfile {
    const p = this.props;
    return {
      name: p.name,
      podExecutionRoleARN: p.podExecutionRoleArn,
      subnets: [...p.subnets],
      selectors: this.selectorList(),
      ...(p.tags && Object.keys(p.tags).length > 0 ? { tags: sorted(p.tags) } : {}),
    };
  }

  /** Whether this profile selects a pod of `namespace` with `labels`, as EKS's admission matches them. */
  selects(namespace: string, labels: Readonly<Record<string, string>>): boolean {
    // A pod naming a profile in its label is matched against that profile only.
    const named = labels[FARGATE_PROFILE_LABEL];
    if (named !== undefined && named !== this.name) return false;
    return this.selectors.some(
      (s) => s.namespace === namespace && Object.entries(s.labels ?? {}).every(([k, v]) => labels[k] === v),
    );
  }

  private selectorList(): CreateFargateProfileRequest['selectors'] {
    return this.selectors.map((s) => ({
      namespace: s.namespace,
      ...(s.labels && Object.keys(s.labels).length > 0 ? { labels: sorted(s.labels) } : {}),
    }));
  }
}

/** eksctl's `ClusterConfig` holding only the Fargate profiles, for `eksctl create fargateprofile -f`. */
export function eksctlFargateClusterConfig(
  cluster: { readonly name: string; readonly region: string },
  profiles: readonly FargateProfile[],
): Record<string, unknown> {
  return {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: cluster.name, region: cluster.region },
    fargateProfiles: profiles.map((profile) => profile.eksctlProfile()),
  };
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]!]),
  );
}
