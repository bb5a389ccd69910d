import type { CapacityType, PodSecurityGroupRule, SparkJobSize } from '@emr-eks-gitops/core';

// What each chart decided, as plain readonly data: the contract between the charts and the environment README
// (render/readme/), which reads nothing else. Each summary is built by its chart from the values it renders from, so
// the README cannot disagree with the manifests. Types only: nothing here computes.

/** Where one tenant's pods go: the NodePools its drivers (and EMR's job runner) and its executors can reach. */
export interface TenantPlacementSummary {
  readonly tenant: string;
  readonly namespace: string;
  readonly driverPools: readonly string[];
  readonly executorPools: readonly string[];
  /** Pools of the capacity classes a job of the tenant may ask for instead (its pod-template variants). */
  readonly offeredPools?: readonly string[];
  /** The Fargate profile that runs all of the tenant's pods instead (no NodePool then). */
  readonly fargateProfile?: string;
}

/** A NodePool as the README shows it. */
export interface PoolSummary {
  readonly name: string;
  readonly capacityTypes: readonly CapacityType[];
  /** Whether the pool is its class's driver pool (drivers and EMR's job runner) or one of its executor pools. */
  readonly role: 'driver' | 'executor';
  readonly limits?: { readonly cpu?: string | number; readonly memory?: string | number };
  /** The capacity class the pool belongs to (`default` for the environment's own pools). */
  readonly capacityClass?: string;
}

/** The environment file itself: what the README is about, not a decision of any chart. */
export interface EnvironmentSummary {
  readonly name: string;
  readonly sourcePath: string;
  readonly cluster: {
    readonly name: string;
    readonly region: string;
    readonly accountId: string;
    readonly kubernetesVersion: string;
  };
  readonly artifactsS3Uri: string;
}

/** The instance types a capacity class selects, with the defaults the pools apply. */
export interface InstanceSelectionSummary {
  readonly arch: string;
  readonly families?: readonly string[];
  readonly categories?: readonly string[];
  readonly minGeneration?: number;
  readonly sizes?: readonly string[];
}

/** A named capacity class as its pools were rendered. */
export interface CapacityClassSummary {
  readonly name: string;
  readonly description?: string;
  readonly instances: InstanceSelectionSummary;
  readonly executorCapacity: 'on-demand' | 'spot-first';
  readonly scratchDisk: 'nvme' | 'ebs';
  readonly gpu?: { readonly perExecutor: number; readonly resource: string; readonly taintKey: string };
  readonly exclusiveTo?: readonly string[];
  /** The AWS tags of its own node classes (the cost labels its tenants share); absent when it uses the environment's. */
  readonly costTags?: Readonly<Record<string, string>>;
}

/** What the capacity chart rendered: the back end, the pools and classes, the node lifetimes, its artifacts. */
export interface CapacitySummary {
  readonly backend: 'karpenter' | 'auto-mode';
  readonly pools: readonly PoolSummary[];
  readonly defaultClass: { readonly instances: InstanceSelectionSummary; readonly nvmeInstanceStore: boolean };
  readonly classes: readonly CapacityClassSummary[];
  /** Whether NVMe executors get node classes of their own (`spark-nvme`). */
  readonly nvmeNodeClass: boolean;
  /** Self-managed Karpenter's controller settings (capacity.controller). */
  readonly controller?: {
    readonly roleArn: string;
    readonly interruptionQueue: string;
    readonly managedNodeGroups?: readonly string[];
  };
  /** The controller's Helm values, written as an artifact when the controller is installed outside Git. */
  readonly controllerValues?: { readonly chart: { readonly url: string; readonly version: string } };
  readonly autoMode?: {
    readonly addonPool: string;
    readonly builtInPools: readonly string[];
    readonly expireAfter: string;
    /** The NodeClasses' tags, when they need the cluster role's tag policy. */
    readonly tagPolicyTags?: Readonly<Record<string, string>>;
  };
  readonly driverNodes: { readonly expireAfter: string; readonly terminationGracePeriod?: string };
}

/** The admission policies of `platform/admission/`. */
export interface AdmissionSummary {
  /** Each exclusive class, the tenants granted it and the namespaces whose pods are refused it. */
  readonly exclusiveClasses: ReadonlyArray<{
    readonly name: string;
    readonly granted: ReadonlyArray<{ readonly tenant: string; readonly namespace: string }>;
    readonly checked: readonly string[];
  }>;
  /** Whether any tenant's Spark-driver (notebook) accounts are held to their own account and images. */
  readonly driverAccountPolicies: boolean;
}

/** One tenant as its chart rendered it (retired tenants included, in file order). */
export interface TenantSummary {
  readonly name: string;
  readonly namespace: string;
  readonly retired: boolean;
  readonly quota: {
    readonly cpu: string | number;
    readonly memory: string | number;
    readonly pods: number;
    readonly storage: string | number;
  };
  readonly releaseLabel: string;
  readonly executionRoleArn: string;
  readonly jobSize: SparkJobSize;
  readonly scratchDisk: { readonly kind: 'fargate' | 'instance-store' | 'ebs'; readonly size?: string | number };
  readonly maxJobDuration?: string;
  readonly classes: {
    readonly driver: string;
    readonly executor: string;
    readonly offered: readonly string[];
    readonly executorOnDemandOnly: boolean;
    /** Whether drivers and executors both run on the default class (the environment's own pools). */
    readonly defaultOnly: boolean;
  };
  readonly singleZone?: 'always' | 'offered';
  /** Which job documents its chart wrote besides the tenant's own: per offered class, and for single-AZ jobs. */
  readonly documents: { readonly classVariants: boolean; readonly singleZone: boolean };
  /** Fargate tenants: the pods' security groups and each pod's Fargate size (undefined where it does not fit). */
  readonly fargate?: {
    readonly securityGroupIds?: readonly string[];
    readonly sizes?: { readonly jobRunner?: string; readonly driver?: string; readonly executor?: string };
  };
  readonly costLabels: Readonly<Record<string, string>>;
  readonly logs: { readonly cloudWatchLogGroup?: string; readonly s3LogUri?: string; readonly eventLogDir?: string };
  readonly placement?: TenantPlacementSummary;
  /** The RAPIDS image of each of its job variants on a GPU class. */
  readonly gpuJobs: ReadonlyArray<{
    readonly what: string;
    readonly prefix: string;
    readonly releaseLabel: string;
    readonly image: string;
  }>;
  /** Whether its identity is IRSA (else Pod Identity). */
  readonly irsa: boolean;
}

/** The Fargate profiles the Fargate chart wrote. */
export interface FargateSummary {
  readonly profiles: ReadonlyArray<{
    readonly name: string;
    readonly namespaces: readonly string[];
    readonly podExecutionRoleArn: string;
    readonly subnets: readonly string[];
  }>;
  /** The rules pod security groups need, with why (core's FARGATE_POD_SECURITY_GROUP_RULES). */
  readonly securityGroupRules: readonly PodSecurityGroupRule[];
}

/** The cluster-access chart's plan: who enters the cluster how, and the documents for it. */
export interface ClusterAccessSummary {
  readonly awsAuth: boolean;
  readonly folder: string;
  /** The aws-auth `mapRoles` lines of the mappings (empty without aws-auth mappings). */
  readonly mapRoles: string;
  readonly identityMappings: boolean;
  readonly nodeMapping: boolean;
  readonly nodeAccessEntry?: { readonly type: string; readonly policyArn?: string };
  readonly nodeRoleArn: string;
  readonly serviceLinkedRoleArn: string;
  readonly nodeUsername: string;
  readonly nodeGroups: readonly string[];
  readonly karpenterVersion: string;
}

/** One layer of the delivery order, with what decides what it holds. */
export type LayerSummary =
  | {
      readonly name: 'crds';
      readonly chart: {
        readonly name: string;
        readonly version: string;
        readonly url: string;
        readonly namespace: string;
      };
    }
  | { readonly name: 'karpenter'; readonly chart: { readonly name: string; readonly version: string } }
  | { readonly name: 'platform'; readonly exclusiveClassAdmission: boolean; readonly driverAccountAdmission: boolean }
  | { readonly name: 'tenants'; readonly fargateSecurityGroupPolicy: boolean }
  | { readonly name: 'addons' };

/** The GitOps wiring: engine, settings and the layers in the order they reach the cluster. */
export interface DeliverySummary {
  readonly engine?: 'flux' | 'argocd';
  readonly repository?: { readonly url: string; readonly branch: string; readonly secretName?: string };
  /** The engine's settings (absent without an engine). */
  readonly prune: boolean | undefined;
  readonly selfHeal: boolean | undefined;
  readonly interval: string | undefined;
  readonly retryInterval: string | undefined;
  readonly timeout: string | undefined;
  readonly argocdNamespace: string | undefined;
  readonly projectName: string;
  /** The prefix of the environment's Argo CD Application names (on a cluster of an environment with clusters:, naming it). */
  readonly argoName: string;
  /** A cluster of an environment with clusters: (its root Application comes from the environment's ApplicationSet). */
  readonly fleetCluster: boolean;
  readonly crdChart: { readonly name: string; readonly namespace: string };
  readonly layers: readonly LayerSummary[];
}

/** A README section an add-on contributes: its own template, in the add-on's folder (`addons/<name>/`), and the data it reads. */
export interface AddonNotes {
  /** The README section it belongs to. */
  readonly section: 'addons' | 'nodepools' | 'artifacts';
  /** Template path below the package's `src/` without `.md.hbs`, e.g. `addons/karpenter/karpenter`. */
  readonly template: string;
  /** Where it stands among the add-ons' notes of its section (the README's long-standing order). */
  readonly order: number;
  readonly data: object;
}

/** What an add-on contributes to the README: its row(s) of the add-on table and its notes. */
export interface AddonSummary {
  /** The add-on's key under `addons:`. */
  readonly name: string;
  readonly rows: ReadonlyArray<{
    readonly name: string;
    readonly chart: string;
    readonly namespace: string;
    readonly folder: string;
    readonly reach: string;
  }>;
  readonly notes: readonly AddonNotes[];
  /** Set by an add-on that runs notebook servers on the driver nodes (JupyterHub's profiles of Spark-driver accounts). */
  readonly notebooks?: NotebookSummary;
}

/** Notebook servers on the driver nodes (JupyterHub profiles of tenants with a Spark-driver account). */
export interface NotebookSummary {
  readonly cullMinutes: number;
}

/** The IAM chart's documents. */
export interface IamSummary {
  readonly policyName: string;
  readonly kmsKey?: string;
  readonly maxSize: number;
  readonly rows: ReadonlyArray<{
    readonly roleArn: string;
    readonly purpose: string;
    readonly artifactPath: string;
    readonly size: number;
  }>;
  readonly managed: ReadonlyArray<{
    readonly roleArn: string;
    readonly purpose: string;
    readonly managedPolicyArns: readonly string[];
  }>;
  /** Whether the roles write CloudWatch Logs groups they may not create. */
  readonly cloudWatchLogs: boolean;
}

/** The cost chart's queries and the labels that say whose a cost is. */
export interface CostSummary {
  readonly folder: string;
  readonly files: { readonly query: string; readonly virtualClusters: string };
  readonly environmentLabel: string;
  readonly tenantLabel: string;
  readonly splitCostLabelLimit: number;
}

/** The Pod Identity chart's associations. */
export interface PodIdentitySummary {
  readonly bindings: ReadonlyArray<{
    readonly tenant: string;
    readonly purpose: 'emr-job' | 'notebook' | 'history-server';
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly roleArn: string;
    readonly path: string;
  }>;
  readonly folder: string;
  /** The agent add-on request, when the agent is not Auto Mode's own. */
  readonly agentAddonFile?: string;
  readonly servicePrincipal: string;
  readonly trustActions: readonly string[];
}

/** Everything the environment README reads, collected by render.ts from the charts. */
export interface ReadmeSummaries {
  readonly environment: EnvironmentSummary;
  readonly capacity: CapacitySummary;
  readonly admission: AdmissionSummary;
  readonly tenants: readonly TenantSummary[];
  readonly fargate?: FargateSummary;
  readonly clusterAccess: ClusterAccessSummary;
  readonly delivery: DeliverySummary;
  /** In the add-on table's order (the add-on charts are built in it). */
  readonly addons: readonly AddonSummary[];
  readonly iam: IamSummary;
  readonly cost: CostSummary;
  readonly podIdentity: PodIdentitySummary;
}
