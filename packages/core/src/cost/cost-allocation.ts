import { configDiagnostic, type ConfigDiagnostic } from '../diagnostics/index.js';
import { LABELS } from '../primitives/labels.js';
import { isLabelValue, qualifiedNameProblem } from '../primitives/kubernetes-names.js';

/**
 * EKS split cost allocation imports a pod's Kubernetes labels as cost allocation tags: "up to 50 Kubernetes labels per
 * pod, which are sorted alphabetically before being imported ... Any labels beyond the first 50 are automatically
 * discarded" (AWS Data Exports user guide, "Using Kubernetes labels for cost allocation in EKS",
 * https://docs.aws.amazon.com/cur/latest/userguide/split-cost-allocation-data-kubernetes-labels.html).
 */
export const SPLIT_COST_LABEL_LIMIT = 50;

/** The pods of a tenant that cost money, each labelled by whoever creates it. */
export type CostPodKind = 'driver' | 'executor' | 'jobRunner' | 'notebook';

/**
 * The labels each pod gets from others than this project, counted against the import limit. Spark: apache/spark
 * resource-managers/kubernetes/core Constants.scala (spark-app-selector, spark-app-name, spark-role, spark-version on
 * both; spark-exec-id, spark-exec-resourceprofile-id and spark-exec-inactive on executors). EMR on EKS: the labels the
 * Cloud Intelligence Dashboards' "Data on EKS" guide (aws-samples/aws-cudos-framework-deployment, SCAD containers
 * cost allocation) lists for EMR on EKS pods. Notebook servers: KubeSpawner 7's pod labels (app, heritage, component,
 * hub.jupyter.org/username, hub.jupyter.org/servername and their app.kubernetes.io/* forms), zero-to-jupyterhub's chart,
 * release, helm.sh/chart and singleuser.extraLabels default (hub.jupyter.org/network-access-hub), and this project's
 * client-mode driver label. Counting one too many only lowers the room for cost labels; one too few drops a label.
 */
const SPARK_LABELS = ['spark-app-selector', 'spark-app-name', 'spark-role', 'spark-version'] as const;
const EMR_LABELS = [
  'emr-containers.amazonaws.com/virtual-cluster-id',
  'emr-containers.amazonaws.com/job.id',
  'emr-containers.amazonaws.com/resource.type',
  'emr-containers.amazonaws.com/component',
  'eks-subscription.amazonaws.com/emr.internal.id',
] as const;
export const OTHERS_POD_LABELS: Readonly<Record<CostPodKind, readonly string[]>> = {
  driver: [...SPARK_LABELS, ...EMR_LABELS],
  executor: [...SPARK_LABELS, 'spark-exec-id', 'spark-exec-resourceprofile-id', 'spark-exec-inactive', ...EMR_LABELS],
  jobRunner: [...EMR_LABELS],
  notebook: [
    'app',
    'heritage',
    'component',
    'chart',
    'release',
    'helm.sh/chart',
    'app.kubernetes.io/name',
    'app.kubernetes.io/instance',
    'app.kubernetes.io/component',
    'app.kubernetes.io/managed-by',
    'hub.jupyter.org/username',
    'hub.jupyter.org/servername',
    'hub.jupyter.org/network-access-hub',
    'emr-eks-gitops.io/spark-client-driver',
  ],
};

/** What to say about one cost allocation entry, at its key (`[key]`, re-rooted by callers at their map). */
export type CostLabelProblem = ConfigDiagnostic;

/**
 * Label domains others own on these pods: Kubernetes reserves kubernetes.io and k8s.io and their subdomains
 * ("Well-Known Labels, Annotations and Taints"); EMR, JupyterHub, Karpenter and this project set their own.
 */
const RESERVED_DOMAINS = [
  'kubernetes.io',
  'k8s.io',
  'amazonaws.com',
  'jupyter.org',
  'karpenter.sh',
  'emr-eks-gitops.io',
];
const reservedDomain = (key: string) => {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  return prefix !== '' && RESERVED_DOMAINS.some((domain) => prefix === domain || prefix.endsWith(`.${domain}`));
};

/**
 * Problems of a cost allocation map: each key a Kubernetes label key that is also an AWS tag key (label key syntax is a
 * subset of the tag key characters; `aws:` cannot occur, a label key has no colon), each value a label value (at most
 * 63 characters, within AWS's 256 for tag values), and no key someone else puts on the same pods.
 */
export function costLabelProblems(labels: Readonly<Record<string, string>>): CostLabelProblem[] {
  const taken = new Set(Object.values(OTHERS_POD_LABELS).flat());
  return Object.entries(labels).flatMap(([key, value]): CostLabelProblem[] => {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem)
      return [configDiagnostic('cost-label-syntax', [key], `"${key}" is not a Kubernetes label key: ${keyProblem}`)];
    if (taken.has(key) || reservedDomain(key)) {
      return [
        configDiagnostic(
          'cost-label-reserved',
          [key],
          `"${key}" is a label Spark, EMR, JupyterHub, Kubernetes or this project sets on the same pods; choose a key of your own, e.g. team or cost-centre`,
        ),
      ];
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      return [
        configDiagnostic(
          'cost-label-syntax',
          [key],
          `"${String(value)}" is not a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (quote numbers)`,
        ),
      ];
    }
    return [];
  });
}

/**
 * A tenant's cost labels: the environment's defaults, the tenant's own over them, and the tenant label (so every pod
 * and EMR resource can be charged to its tenant even where the namespace is unknown, e.g. EMR's own charges).
 */
export function tenantCostLabels(
  environmentDefaults: Readonly<Record<string, string>> | undefined,
  tenant: { readonly name: string; readonly costAllocation?: Readonly<Record<string, string>> },
): Record<string, string> {
  const merged: Record<string, string> = {
    ...environmentDefaults,
    ...tenant.costAllocation,
    [LABELS.tenant]: tenant.name,
  };
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A pod kind whose labels exceed what split cost allocation imports. */
export interface CostLabelOverflow {
  readonly pod: CostPodKind;
  readonly count: number;
  /** Labels of ours that sort after the 50th and so are dropped from the bill. */
  readonly dropped: readonly string[];
}

/**
 * Every label each pod kind will carry (others' and `ours[kind]`) against the 50 split cost allocation imports. The
 * import keeps the first 50 in alphabetical order, so the message names which of ours would fall off.
 */
export function costLabelOverflows(
  ours: Readonly<Partial<Record<CostPodKind, readonly string[]>>>,
): CostLabelOverflow[] {
  return (Object.keys(ours) as CostPodKind[]).flatMap((pod) => {
    const own = new Set(ours[pod]);
    const all = [...new Set([...OTHERS_POD_LABELS[pod], ...own])].sort();
    if (all.length <= SPLIT_COST_LABEL_LIMIT) return [];
    return [{ pod, count: all.length, dropped: all.slice(SPLIT_COST_LABEL_LIMIT).filter((key) => own.has(key)) }];
  });
}

/** `jobsubmitter.label.<key>` properties of the emr-job-submitter classification (EMR on EKS guide, "Using job submitter classification"). */
export function jobSubmitterLabelProperties(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [`jobsubmitter.label.${key}`, value]));
}

/**
 * The cost labels every one of `labelSets` carries with the same value: what can tag a resource all of them share
 * (e.g. the nodes of a capacity class exclusive to those tenants) without charging one tenant's cost to another.
 */
export function sharedCostLabels(labelSets: ReadonlyArray<Readonly<Record<string, string>>>): Record<string, string> {
  const [first, ...rest] = labelSets;
  if (first === undefined) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([key, value]) => rest.every((labels) => labels[key] === value)),
  );
}
