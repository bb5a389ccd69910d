// The catalog of every rule the project reports: its id (CI filters and suppressions key on it), default severity,
// the README table it is documented in, a one-line summary and the README text. The README's rule tables are
// generated from it (`pnpm docs:rules`); an id not listed here is a type error wherever a rule reports.

/** The README table a rule is documented in. */
export type RuleTopic =
  | 'environment-file'
  | 'tenant-files'
  | 'promotion'
  | 'rendered-objects'
  | 'platform'
  | 'capacity-backends'
  | 'aws-documents';

export interface RuleSpec {
  /** What the rule reports unless it says otherwise (the production rules are errors only with `production: true`). */
  readonly severity: 'error' | 'warning';
  readonly topic: RuleTopic;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** The README row's text (what the platform guarantees), or the rule whose row also names this one. */
  readonly docs: string | { readonly row: string };
  /** The row's first column when it is not the list of its rules' ids (the text then names them). */
  readonly label?: string;
  /** Its messages predate rule ids: the text output does not name it, so CI output stays as it was. */
  readonly untagged?: true;
}

const CATALOG = {
  // The environment file itself: YAML, schema and the values the builders accept.
  'config-syntax': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'YAML the loader cannot read safely',
    docs: "the file is YAML the loader reads safely: no syntax error, tab indentation, duplicate key, character outside YAML's printable set (YAML 1.2.2 §5.1), alias bomb or nesting too deep to parse",
  },
  'environment-name': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a file name that is no DNS-1123 label',
    docs: 'the file name, which is the environment name, is a DNS-1123 label (lowercase letters, digits, `-`)',
  },
  'config-schema': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a value the environment schema refuses',
    docs: 'every value fits `environments/schema.json`: known fields only (with a "did you mean"), required fields, types, allowed values, list sizes and patterns; an environment has its cluster, capacity, spark and tenants sections',
  },
  'config-value': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a value a builder refuses',
    docs: 'each value is one the builders accept (Kubernetes names and quantities, Go durations, ARNs, label keys, ...): the message names the field and what is allowed',
  },
  'kubernetes-version': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a Kubernetes version without bundled schemas',
    docs: '`cluster.kubernetesVersion` is one whose official OpenAPI is bundled, so the rendered objects can be checked against it',
  },
  'emr-access-entry': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'access entries EMR cannot use',
    docs: "`cluster.emrAccess: access-entry` only on EKS 1.23 or later and with at most 100 tenants (EMR's access entries per cluster)",
  },
  // An environment with clusters: (its own rules; every other rule runs on each cluster's view and names the cluster).
  'fleet-settings': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'settings of the other kind of environment',
    docs: 'an environment has `cluster:` or `clusters:`, not both; `tenants[].clusters` and `delivery.argocd.progressiveSync` only with `clusters:`, `delivery.argocd.destinationServer` only without (each cluster is the Argo CD cluster registered under its name)',
  },
  'fleet-cluster-unique': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'two clusters with one name, or in one account and region',
    docs: 'each entry of `clusters:` has a name of its own (its folder and its EMR registrations are named by it) and an account and region of its own (EMR job templates are per account and region)',
  },
  'fleet-placement': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a tenant on an unknown cluster, or a cluster without tenants',
    docs: '`tenants[].clusters` names clusters of `clusters:`, and every cluster has a tenant running on it',
  },
  'fleet-progressive-sync': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'rollout steps that miss or repeat a cluster',
    docs: '`delivery.argocd.progressiveSync.steps` name clusters of `clusters:`, each in exactly one step (an Application no step selects is never synced by RollingSync)',
  },
  'fleet-region': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'an OIDC issuer or controller role of another region or account',
    docs: "a cluster's `oidcIssuer` is of its own region, and the Karpenter controller role it uses (`capacity.controller.roleArn`, its own or the environment's) of its own account",
  },
  'tenant-unique': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'two tenants with one name or namespace',
    docs: 'each tenant has a name and a namespace of its own',
  },
  'role-partition': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'an execution role in another partition',
    docs: "a tenant's `executionRoleArn` is in the cluster's partition: IRSA works only within one partition",
  },
  'release-pod-templates': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a release that cannot use pod templates',
    docs: "a tenant's `releaseLabel` is emr-6.3.0 or later: earlier releases cannot use the pod templates placement relies on",
  },
  'instance-store-nodes': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'instance-store scratch without NVMe nodes',
    docs: '`spark.localDisk: instance-store` on the default capacity class comes with `capacity.nvmeInstanceStore: true`',
  },
  'egress-settings': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'egress settings of the other mode',
    docs: "restricted egress has `apiServerCidrs` (EMR's job submitter and Spark drivers call the API server); `allow-all` has no `apiServerCidrs`, `cidrs` or `ports`",
  },
  'delivery-settings': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'delivery settings of the other engine',
    docs: '`delivery.argocd` only with engine argocd, `delivery.repository.secretName` only with engine flux',
  },
  'addon-delivery': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a Helm add-on without a delivery section',
    docs: 'an add-on installed as a Helm release (`addons.karpenter`, `addons.jupyterhub`, `addons.nvidiaDevicePlugin`) comes with a `delivery:` section: Flux or Argo CD installs it',
  },
  'history-server-logs': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a history server with no event logs to read',
    docs: "`addons.historyServer` comes with `spark.logs.s3Uri`, where it reads the tenants' Spark event logs",
  },
  'jupyterhub-auth': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'JupyterHub authentication settings that do not fit its type',
    docs: "JupyterHub's authenticator has the settings its type needs and only its own; no `dummy` authentication with `production: true`",
  },
  'jupyterhub-no-tenant': {
    severity: 'warning',
    topic: 'environment-file',
    untagged: true,
    summary: 'JupyterHub serving no tenant',
    docs: 'JupyterHub serves a tenant (a `serviceAccounts` entry with `sparkDriver: true`); without one the hub has no Spark profile and spawns servers in its own namespace',
  },
  'notebook-limits': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'notebook server limits above a LimitRange max',
    docs: "the notebook server's CPU and memory limits are within the LimitRange `max` of every tenant it serves",
  },
  'helm-values': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: "Helm values the chart's own schema refuses",
    docs: 'the rendered Helm values of an add-on pass the `values.schema.json` its chart ships, vendored at the pinned version (what `helm install` checks)',
  },
  'tenant-removal': {
    severity: 'error',
    topic: 'environment-file',
    untagged: true,
    summary: 'a tenant removed before it was retired',
    docs: 'a tenant leaves the file only once it was retired (`retired: true`, rendered, synced, its virtual cluster deleted): a removed tenant whose committed namespace is not retired is refused, as Flux or Argo CD would delete the namespace with any running jobs and leave its virtual cluster behind',
  },
  'trust-policy': {
    severity: 'warning',
    topic: 'environment-file',
    untagged: true,
    summary: "an execution role's trust policy IAM may refuse",
    docs: "the trust policy of an execution role fits IAM's size limit, and the role is in the cluster's account",
  },
  // The tenant files (environments/tenants/<tenant>.yaml), checked before they are composed into environments.
  'tenant-file-name': {
    severity: 'error',
    topic: 'tenant-files',
    untagged: true,
    summary: 'a tenant file name that is no DNS-1123 label',
    docs: 'the file name, which is the tenant name, is a DNS-1123 label (lowercase letters, digits, `-`; at most 63 characters)',
  },
  'tenant-file-shape': {
    severity: 'error',
    topic: 'tenant-files',
    untagged: true,
    summary: 'a tenant file that is not base: and environments:',
    docs: "the file is a mapping of `base:` (a mapping: the tenant's settings in every environment) and `environments:` (at least one environment, each with a mapping of what differs there, `{}` for nothing), no other key, and no `name:` (the file name is the name)",
  },
  'tenant-placement': {
    severity: 'error',
    topic: 'tenant-files',
    untagged: true,
    summary: 'a tenant placed in an environment that has no file',
    docs: 'each environment under `environments:` has its file (`environments/<env>.yaml`): a misspelt one would drop the tenant silently',
  },
  // The promotion chain (`promotion.from`): what an environment may run.
  'promotion-order': {
    severity: 'error',
    topic: 'promotion',
    summary: 'a release label or image the environment before never rendered',
    docs: 'no release label or image newer than, or unknown to, the environment its `promotion.from` names (a `hotfix` reason makes it a warning); `promotion.from` names an environment, and the chain has a first one',
  },
  // The rendered objects (validateObjects).
  schema: {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'an object breaks the schema of its kind',
    docs: "passes the schema of its kind: built-in kinds the official OpenAPI of the environment's `cluster.kubernetesVersion` (bundled for 1.29 to 1.33, named in `validate`'s output), CRDs theirs (Karpenter v1, EKS Auto Mode's NodeClass, Flux, Argo CD, prometheus-operator, SecurityGroupPolicy); no unknown fields, DNS-1123 names, valid labels (`--schema-dir` takes schemas named as kubeconform names them, to validate against your own cluster's)",
  },
  'unknown-field': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'an object has a field its kind does not define',
    docs: { row: 'schema' },
  },
  'unknown-kind': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: "no schema is known for an object's kind",
    docs: { row: 'schema' },
  },
  'dns-name': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'an object name is not a DNS-1123 name',
    docs: { row: 'schema' },
  },
  'label-syntax': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a label key or value is not valid',
    docs: { row: 'schema' },
  },
  'karpenter-label-domain': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a NodePool uses a label domain Karpenter restricts',
    docs: "meets Karpenter's CEL rules: no restricted label domains, valid disruption budgets, a standalone AMI alias",
  },
  'budget-format': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a disruption budget Karpenter would refuse',
    docs: { row: 'karpenter-label-domain' },
  },
  'ami-alias': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'an AMI alias combined with other AMI selectors',
    docs: { row: 'karpenter-label-domain' },
  },
  'node-class-labels': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a NodePool requirement on a label its node class never sets',
    docs: "NodePool requirements only on labels the pool's node class gives its nodes (`karpenter.k8s.aws/*`, or on EKS Auto Mode `eks.amazonaws.com/*`, without `kubernetes.io/os` or `node.kubernetes.io/windows-build`)",
  },
  'capacity-unschedulable': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a pod tolerates no NodePool it could run on',
    docs: 'every pod template schedules on a NodePool whose taints it tolerates, drivers never on spot, executors on spot first unless their capacity class is on-demand only, pods that reach GPU pools request a GPU',
  },
  'driver-on-spot': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a Spark driver can land on spot capacity',
    docs: { row: 'capacity-unschedulable' },
  },
  'executor-spot-first': {
    severity: 'warning',
    topic: 'rendered-objects',
    summary: 'executors do not prefer spot capacity',
    docs: { row: 'capacity-unschedulable' },
  },
  'gpu-pool-device-request': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a pod reaches GPU pools without requesting a GPU',
    docs: { row: 'capacity-unschedulable' },
  },
  'pod-template-container-name': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a pod template container EMR does not recognise',
    docs: 'EMR\'s container names in pod templates, no volume under `/mnt`, only the pod and Spark-container fields EMR allows ("Pod template fields" in the EMR on EKS guide: no pod or Spark-container `securityContext`)',
  },
  'pod-template-reserved-path': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a pod template mounts a volume under /mnt',
    docs: { row: 'pod-template-container-name' },
  },
  'pod-template-field': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a pod template field EMR does not allow',
    docs: { row: 'pod-template-container-name' },
  },
  'rbac-wildcard': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'an RBAC rule with a wildcard',
    docs: 'no RBAC wildcards; every tenant namespace with quota, LimitRange, NetworkPolicy and Pod Security labels; no secret values; IMDSv2 on every node class',
  },
  'tenant-isolation-missing': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a tenant namespace without its isolation objects',
    docs: { row: 'rbac-wildcard' },
  },
  'secret-value': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a secret value in a rendered object',
    docs: { row: 'rbac-wildcard' },
  },
  'imds-v2': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a node class without IMDSv2',
    docs: { row: 'rbac-wildcard' },
  },
  'tenant-pod-security-level': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a tenant namespace enforces Pod Security restricted',
    docs: "no tenant namespace enforces Pod Security `restricted`: EMR's job-runner, driver and executor pods meet `baseline` only (a pod template may set no pod or Spark-container `securityContext`)",
  },
  'prod-dummy-auth': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'dummy notebook authentication in a rendered object',
    docs: 'with `production: true`, no dummy notebook authentication and no `@latest` AMI (a warning elsewhere)',
  },
  'prod-latest-ami': {
    severity: 'error',
    topic: 'rendered-objects',
    summary: 'a node class pinned to a drifting @latest AMI',
    docs: { row: 'prod-dummy-auth' },
  },
  // What the platform guarantees a job: the environment file's rules and the run-time rules.
  'limitrange-cpu-limit': {
    severity: 'error',
    topic: 'platform',
    summary: 'a LimitRange default CPU limit below its max',
    docs: 'no LimitRange default CPU limit below `max.cpu`: Spark sets no CPU limit, so an injected one would reject every pod asking for more cores (and the driver would retry forever)',
  },
  'limitrange-memory-limit': {
    severity: 'error',
    topic: 'platform',
    summary: "a default memory limit below EMR's logging container request",
    docs: "the default memory limit holds the 512Mi EMR's logging container requests",
  },
  'limitrange-max': {
    severity: 'error',
    topic: 'platform',
    summary: 'a Spark container above the LimitRange max',
    docs: "the driver's and each executor's Spark container (heap + overhead) are within the LimitRange `max`",
  },
  'quota-holds-job': {
    severity: 'error',
    topic: 'platform',
    summary: 'the quota does not hold one job',
    docs: "the quota (CPU, memory requests and limits, pods) holds the job runner, one driver and one executor, counting EMR's logging containers and the LimitRange defaults they take",
  },
  'quota-storage-volumes': {
    severity: 'error',
    topic: 'platform',
    summary: "the storage quota does not hold the executors' volumes",
    docs: 'with EBS scratch space, `quota.storage` holds a volume for every executor the CPU quota admits (each driver and executor gets one, counted against `requests.storage`)',
  },
  'node-fits-pod': {
    severity: 'error',
    topic: 'platform',
    summary: 'a driver or executor fits no instance type of its pools',
    docs: "a driver and an executor each fit on some instance type their NodePools may launch, after the kubelet's reservations and DaemonSets (offline catalog of EC2 types)",
  },
  'pool-limit-holds-pod': {
    severity: 'error',
    topic: 'platform',
    summary: "a pool's limits do not hold one pod",
    docs: 'the pools a pod class reaches may grow to at least one such pod',
  },
  'quota-exceeds-capacity': {
    severity: 'warning',
    topic: 'platform',
    summary: 'the quota is larger than the executor pools can launch',
    docs: "executors' share of the quota is not larger than the executor pools they reach may ever launch",
  },
  'driver-account-rbac': {
    severity: 'error',
    topic: 'platform',
    summary: 'an account that mounts its token without the spark-driver Role',
    docs: "a service account that mounts its token is a `sparkDriver` account with the `spark-driver` Role (executor pods, services, configmaps, PVCs in its own namespace): a notebook's Spark session never gets 403",
  },
  'job-runner-placement': {
    severity: 'error',
    topic: 'platform',
    summary: "EMR's job runner not pinned to on-demand driver nodes",
    docs: "EMR's job runner goes to the on-demand driver pool (the `emr-job-submitter` classification in every tenant's configuration overrides), never to spot",
  },
  'egress-aws-services': {
    severity: 'error',
    topic: 'platform',
    summary: 'restricted egress that does not reach S3, STS or CloudWatch Logs',
    docs: 'a tenant with restricted egress reaches S3 (pod templates, code, logs), STS (IRSA) and, when logging there, CloudWatch Logs, through the endpoints `network.awsServices` declares',
  },
  'executor-disk-pools': {
    severity: 'warning',
    topic: 'platform',
    summary: 'executors reach pools whose disks they do not use',
    docs: 'executors reach only pools whose disks they use: EBS tenants never land on NVMe-only pools, instance-store tenants only on them',
  },
  'driver-node-expiry': {
    severity: 'error',
    topic: 'platform',
    summary: "a job can outlive the driver pool's drain bound",
    docs: "no job outlives the driver pool's drain bound: `spark.maxJobDuration` (the driver's `activeDeadlineSeconds`) plus EMR's job-start-timeout (15 minutes, or the tenant's `queue.maxQueueWait`: EMR's job runner, which carries `karpenter.sh/do-not-disrupt` like the driver, waits that long at most for its driver) is at most `capacity.driverNodes.terminationGracePeriod` (on EKS Auto Mode 24h when not set, Auto Mode's own drain bound)",
  },
  'capacity-class-name': {
    severity: 'error',
    topic: 'platform',
    summary: 'a capacity class name used twice or named default',
    label: 'capacity classes',
    docs: "class names are unique and not `default` (`capacity-class-name`); a tenant names only classes that exist and, for exclusive ones, are granted to it (`capacity-class-unknown`, `capacity-class-exclusive`), and offers only classes other than its own (`capacity-class-offered`); a class selects instance types that exist for its architecture (`capacity-class-instances`); a GPU class selects GPU types with enough devices per executor (`capacity-class-gpu`); a GPU class on self-managed Karpenter comes with `addons.nvidiaDevicePlugin`, which needs a GPU class and is refused on Auto Mode (`gpu-device-plugin`, `gpu-device-plugin-unused`, `auto-mode-no-device-plugin`); a tenant with GPU executors is on a release whose RAPIDS Accelerator build EMR publishes: `-latest`, or a date the release's EMR on EKS page lists for `spark-rapids` (not every dated refresh has one; the table is `EMR_RAPIDS_RELEASE_DATES` in `core/src/spark/emr-images.ts`) (`gpu-rapids-release`); the scratch disk a tenant asks for is its executor class's (`capacity-class-local-disk`); `node-fits-pod` and `pool-limit-holds-pod` hold on the tenant's classes and on every class it offers its jobs",
  },
  'capacity-class-unknown': {
    severity: 'error',
    topic: 'platform',
    summary: 'a tenant names a capacity class that does not exist',
    docs: { row: 'capacity-class-name' },
  },
  'capacity-class-exclusive': {
    severity: 'error',
    topic: 'platform',
    summary: 'a tenant names a class exclusive to other tenants',
    docs: { row: 'capacity-class-name' },
  },
  'capacity-class-offered': {
    severity: 'error',
    topic: 'platform',
    summary: 'a tenant offers its own class',
    docs: { row: 'capacity-class-name' },
  },
  'capacity-class-instances': {
    severity: 'error',
    topic: 'platform',
    summary: 'a class selects no instance type',
    docs: { row: 'capacity-class-name' },
  },
  'capacity-class-gpu': {
    severity: 'error',
    topic: 'platform',
    summary: 'a GPU class selects types with too few GPUs',
    docs: { row: 'capacity-class-name' },
  },
  'gpu-device-plugin': {
    severity: 'error',
    topic: 'platform',
    summary: "GPU nodes without NVIDIA's device plugin",
    docs: { row: 'capacity-class-name' },
  },
  'gpu-device-plugin-unused': {
    severity: 'error',
    topic: 'platform',
    summary: 'the device plugin without a GPU class',
    docs: { row: 'capacity-class-name' },
  },
  'auto-mode-no-device-plugin': {
    severity: 'error',
    topic: 'platform',
    summary: 'a device plugin on EKS Auto Mode',
    docs: { row: 'capacity-class-name' },
  },
  'gpu-rapids-release': {
    severity: 'error',
    topic: 'platform',
    summary: 'GPU jobs on a release without a RAPIDS Accelerator image',
    docs: { row: 'capacity-class-name' },
  },
  'capacity-class-local-disk': {
    severity: 'error',
    topic: 'platform',
    summary: "a scratch disk other than the executor class's",
    docs: { row: 'capacity-class-name' },
  },
  'capacity-class-admission': {
    severity: 'error',
    topic: 'platform',
    summary: 'an exclusive class the API server cannot enforce',
    docs: "a class with `exclusiveTo` is enforced by the API server: `platform/admission/` holds a ValidatingAdmissionPolicy and binding per exclusive class that refuse pods in the other tenants' namespaces that tolerate the class taint (including an `Exists` toleration without a key), select the class label, or set `spec.nodeName`; so a tenant's own pod template, `spark.kubernetes.*.node.selector.*` or hand-made pod cannot reach another tenant's class. Refused on Kubernetes 1.29, where the v1 API is not served",
  },
  'driver-account-admission': {
    severity: 'error',
    topic: 'platform',
    summary: "a notebook account's pods cannot be held to its images",
    docs: "a `sparkDriver` account (a notebook's) may create pods, and RBAC lets a pod creator name any service account of its namespace: `platform/admission/` holds a ValidatingAdmissionPolicy and binding per tenant with such accounts that hold the pods they create (matched by `request.userInfo.username`) to `spec.serviceAccountName` = the creating account and to the tenant's images (the notebook image, the EMR Spark image of each release its jobs use, the images its executor templates and spark-defaults name), so no notebook user runs a pod as EMR's `emr-containers-sa-*` accounts (the job execution role) or with an image of their own. Pods the JupyterHub hub (`system:serviceaccount:jupyterhub:hub`) creates in the namespace must run as one of those accounts. Both may mount only emptyDir, ephemeral, configMap, downwardAPI, persistentVolumeClaim and projected (configMap, downwardAPI, own token) volumes: no `secret`, `hostPath`, `csi` or other type. Pods made by anyone else are not matched. Refused on Kubernetes 1.29, where the v1 API is not served, and when no image of the tenant is known (no notebook image, custom code or spark-defaults image, and no EMR image for the region)",
  },
  'single-zone-gpu': {
    severity: 'warning',
    topic: 'platform',
    summary: 'single-zone jobs on an on-demand-only GPU class',
    docs: "single-zone jobs on an on-demand-only GPU class: their executors may only start in the driver's zone, where on-demand GPUs are often short, and stay Pending meanwhile",
  },
  'single-zone-version': {
    severity: 'error',
    topic: 'platform',
    summary: 'single-zone jobs before Kubernetes 1.31',
    docs: "`spark.singleZone` (executors in their driver's Availability Zone, through pod affinity with `matchLabelKeys`) only on Kubernetes 1.31 or later, where the API server applies it",
  },
  'single-zone-notebook': {
    severity: 'error',
    topic: 'platform',
    summary: 'single-zone always on a tenant serving notebooks',
    docs: "no `spark.singleZone: always` on a tenant that serves notebooks: its sessions use the tenant's executor template, whose affinity to a `spark-role=driver` pod a client-mode notebook driver never meets (use `offered`)",
  },
  'spark-logs': {
    severity: 'error',
    topic: 'platform',
    untagged: true,
    summary: 'job logs with no destination',
    docs: "every job's logs go to CloudWatch Logs and/or S3 (`spark.logs`, rendered as `monitoringConfiguration`), with Spark event logs for a History Server",
  },
  'notebook-image': {
    severity: 'error',
    topic: 'platform',
    summary: 'a notebook image that cannot run Spark executors',
    docs: "a notebook's Spark session can start: the JupyterHub image is not a Jupyter Docker Stacks image (whose entrypoint cannot start the executors that run the same image, with no S3 filesystem and user jovyan)",
  },
  'notebook-image-arch': {
    severity: 'warning',
    topic: 'platform',
    summary: 'an arm64 executor class runs the notebook image',
    docs: 'a notebook tenant whose executor capacity class is arm64 runs the notebook image there: build it for linux/amd64 and linux/arm64 (`images/notebook/Dockerfile`)',
  },
  'notebook-account-role': {
    severity: 'error',
    topic: 'platform',
    summary: 'a notebook account without an IAM role',
    docs: 'a notebook account has an IAM role: its sessions read the executor pod template and write event logs on S3 with it',
  },
  'jupyterhub-tls': {
    severity: 'error',
    topic: 'platform',
    summary: 'JupyterHub login over plain HTTP or the wrong service type',
    docs: "an `https://` OAuth callback (`addons.jupyterhub.auth.callbackUrl`) comes with `addons.jupyterhub.tls`: the chart's `proxy-public` serves plain HTTP on port 80 (`proxy.https` is off by default, and an un-annotated LoadBalancer on EKS forwards TCP 80), so without it every login fails; with it, `proxyServiceType` is what the load balancer needs (LoadBalancer for an `nlb`, ClusterIP for an `alb`: no second, plain-HTTP way in), and not on EKS Auto Mode, whose load balancing reads other settings",
  },
  'jupyterhub-tls-certificate': {
    severity: 'error',
    topic: 'platform',
    summary: "a certificate outside the cluster's partition, account or region",
    docs: "the ACM certificate of `addons.jupyterhub.tls` is in the cluster's partition, account and region: a load balancer can use no other",
  },
  'prometheus-node-port': {
    severity: 'warning',
    topic: 'platform',
    summary: 'Prometheus open on a node port',
    docs: "Prometheus on a NodePort (dev: the seed's 30006) is open on every node without authentication: the warning names the inbound rule on the nodes' security groups that must limit it to your administrators' CIDRs",
  },
  'history-server-role': {
    severity: 'error',
    topic: 'platform',
    summary: 'a history server without a read-only role',
    docs: "every active tenant's history server has a read-only IAM role, its own (`addons.historyServer.tenantRoleArns`) or the shared `roleArn`, and no role is listed under a name that is no tenant's",
  },
  'iam-role-shared': {
    severity: 'warning',
    topic: 'platform',
    summary: 'two tenants share one IAM role',
    docs: "a tenant's role (job execution, notebook account, History Server) is no other tenant's: IAM would merge both tenants' permissions into one policy (`artifacts/iam/<role>.json`), and each could read and write the other's prefixes",
  },
  'iam-policy-size': {
    severity: 'error',
    topic: 'platform',
    summary: "a role's inline policy over IAM's size limit",
    docs: "each role's permissions policy (`artifacts/iam/<role>.json`, one inline policy) fits IAM's 10,240 characters for a role's inline policies (whitespace not counted), or `aws iam put-role-policy` would fail with LimitExceeded; the message names the uses to split onto roles of their own",
  },
  'notebook-package-download': {
    severity: 'error',
    topic: 'platform',
    summary: 'notebook sessions download packages through restricted egress',
    docs: 'a notebook session of a tenant with restricted egress downloads nothing at start (`spark.jars.packages` from a Maven repository on the internet would time out): its jars are in the image',
  },
  'yunikorn-addon': {
    severity: 'error',
    topic: 'platform',
    summary: 'a YuniKorn queue without the add-on, or the add-on without queues',
    label: 'YuniKorn (`addons.yunikorn`, `tenants[].queue`)',
    docs: "a tenant queue comes with the add-on, the add-on with a tenant queue and a `delivery:` section (`yunikorn-addon`); no queue on a Fargate tenant, whose pods Fargate's own scheduler places (`yunikorn-fargate`); a tenant's `queue.guaranteed` is within its quota, the queue's max, or YuniKorn refuses the whole queue configuration (`yunikorn-guaranteed-quota`); the guarantees of all tenants together fit what the Spark pools may ever launch, the sum of their limits (`yunikorn-guaranteed-capacity`); no `spark.extraProperties` label or annotation names a queue other than the tenant's own `root.tenants.<namespace>` (placement is by namespace, so it would only mislead) (`yunikorn-queue-name`); `queue.maxQueueWait` is above 0, or EMR fails every job that does not start at once (`yunikorn-queue-wait`)",
  },
  'yunikorn-fargate': {
    severity: 'error',
    topic: 'platform',
    summary: 'a YuniKorn queue on a Fargate tenant',
    docs: { row: 'yunikorn-addon' },
  },
  'yunikorn-guaranteed-quota': {
    severity: 'error',
    topic: 'platform',
    summary: "a queue guarantee above the tenant's quota",
    docs: { row: 'yunikorn-addon' },
  },
  'yunikorn-guaranteed-capacity': {
    severity: 'error',
    topic: 'platform',
    summary: 'queue guarantees above what the pools can launch',
    docs: { row: 'yunikorn-addon' },
  },
  'yunikorn-queue-name': {
    severity: 'error',
    topic: 'platform',
    summary: 'a Spark property naming another YuniKorn queue',
    docs: { row: 'yunikorn-addon' },
  },
  'yunikorn-queue-wait': {
    severity: 'error',
    topic: 'platform',
    summary: 'a queue wait of 0',
    docs: { row: 'yunikorn-addon' },
  },
  'yunikorn-gang-fits': {
    severity: 'error',
    topic: 'platform',
    summary: 'a gang that never fits the queue or the pools',
    docs: "a job's gang (the driver and `queue.gangMinExecutors` executors) fits the tenant's queue max, which is its quota (CPU, memory, pods), counting the job runner and the placeholders the quota counts like any pod (the pending driver beside its placeholder, each real executor beside the placeholder it replaces), and its executors fit one executor pool's limits: a gang that can never fit would wait until EMR's job-start-timeout fails it",
  },
  'cost-label-syntax': {
    severity: 'error',
    topic: 'platform',
    summary: 'a cost label that is not a label or a tag',
    docs: "each `costAllocation` entry (the environment's and each tenant's) is a Kubernetes label and an AWS tag: a label key (`[prefix/]name`) and a label value (at most 63 letters, digits, `-`, `_`, `.`; quote numbers), located at its key; and no key Spark, EMR, JupyterHub, Kubernetes or this project sets on the same pods (`spark-role`, `emr-containers.amazonaws.com/*`, `hub.jupyter.org/*`, `emr-eks-gitops.io/tenant`, ...)",
  },
  'cost-label-reserved': {
    severity: 'error',
    topic: 'platform',
    summary: 'a cost label key someone else sets',
    docs: { row: 'cost-label-syntax' },
  },
  'cost-label-limit': {
    severity: 'error',
    topic: 'platform',
    summary: 'cost labels past the 50 EKS imports',
    docs: "every pod a tenant pays for (driver, executor, EMR's job runner, notebook server) carries at most 50 labels, counting Spark's (`spark-app-selector`, `spark-role`, `spark-exec-id`, ...), EMR's (`emr-containers.amazonaws.com/*`) and JupyterHub's with the cost labels: EKS split cost allocation imports the first 50 in alphabetical order and drops the rest; the message names the cost labels that would never reach the bill",
  },
  'pod-identity-release': {
    severity: 'error',
    topic: 'platform',
    summary: 'Pod Identity on a release EMR does not support it on',
    docs: "a tenant on EKS Pod Identity (`cluster.identity: pod-identity`, or the tenant's `identity`) runs a release EMR supports it on (emr-7.3.0 or later, StartJobRun) and is not on Fargate, which runs no Pod Identity agent; `identity: irsa` on the tenant keeps it on IRSA",
  },
  'pod-identity-fargate': {
    severity: 'error',
    topic: 'platform',
    summary: 'Pod Identity on a Fargate tenant',
    docs: { row: 'pod-identity-release' },
  },
  // The capacity back ends' own rules.
  'capacity-backend-settings': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'karpenter back end without its settings',
    docs: '`capacity.backend: karpenter` comes with what it renders: `capacity.amiAlias` and `capacity.controller`',
  },
  'auto-mode-no-karpenter-controller': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'a Karpenter controller on EKS Auto Mode',
    docs: 'no `addons.karpenter` on EKS Auto Mode: a second controller would act on the same NodePools',
  },
  'auto-mode-addon-pool': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'add-ons on a built-in pool that is not enabled',
    docs: 'the built-in pool the add-ons run on (`capacity.autoMode.addonNodePool`) is enabled in `capacity.autoMode.builtInNodePools`, or their pods would stay Pending',
  },
  'auto-mode-node-lifetime': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: "driver node lifetime past Auto Mode's 21 days",
    docs: "on Auto Mode, the driver nodes' `expireAfter` (default 336h) plus `terminationGracePeriod` is within Auto Mode's 21-day node lifetime (504h): the drain is never cut short by the node's replacement",
  },
  'cluster-access-request-shape': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'a cluster access document the API or eksctl would refuse',
    docs: "the documents that let the Spark nodes' role and EMR into the cluster (`artifacts/platform/cluster-access/`) fit the tools that read them: `eksctl-iam-identity-mappings.yaml` eksctl's `ClusterConfig.iamIdentityMappings` (role ARNs without a path, as aws-auth requires), `node-access-entry.json` and `node-access-policy.json` the EKS API's `CreateAccessEntryRequest` and `AssociateAccessPolicyRequest` (a node entry with no groups or username); see `packages/core/schemas/SOURCES.md`",
  },
  'fargate-profile': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'a Fargate profile without role or private subnets, or shared inconsistently',
    docs: "a Fargate tenant's profile has a pod execution role and private subnets, a name that does not start with `eks-`, and the same role and subnets as every tenant sharing it",
  },
  'fargate-profile-selectors': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'a Fargate profile with more than 5 namespaces',
    docs: 'a profile selects at most 5 namespaces',
  },
  'fargate-pod-size': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'a pod larger than the largest Fargate pod',
    docs: "EMR's job runner, a driver and an executor each fit the largest Fargate pod (16 vCPU / 120 GB) with EMR's logging container and the 256 MB Fargate adds",
  },
  'fargate-rounding': {
    severity: 'warning',
    topic: 'capacity-backends',
    summary: "EMR's logging container lifts a pod to a larger Fargate size",
    docs: "EMR's logging container's CPU request does not lift a pod to the next Fargate vCPU size that Spark never uses",
  },
  'fargate-ephemeral-storage': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: "scratch space past Fargate's ephemeral storage",
    docs: "a Fargate tenant's scratch space (`spark.localDiskSize`) plus the 10% and 5 GiB Fargate adds for system use fits its 175 GiB of ephemeral storage (at most 154Gi)",
  },
  'fargate-unsupported': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'something on Fargate that Fargate cannot run',
    docs: "a Fargate tenant asks for nothing Fargate cannot run: EBS or NVMe scratch (`spark.localDisk`), `spark.capacityClasses`, `spark.singleZone`, notebook accounts (`sparkDriver`); and in a Fargate tenant's namespace nothing needs a node either: no PVCs and dynamically provisioned volumes, hostPath, privileged containers, host namespaces or ports, DaemonSets (checked on the rendered objects too)",
  },
  'fargate-network-policy': {
    severity: 'error',
    topic: 'capacity-backends',
    summary: 'restricted egress on a Fargate tenant',
    docs: 'no restricted egress on a Fargate tenant: NetworkPolicies are not enforced on Fargate pods',
  },
  'fargate-network-isolation': {
    severity: 'warning',
    topic: 'capacity-backends',
    summary: 'a Fargate tenant without security groups of its own',
    docs: 'a Fargate tenant without `fargate.securityGroupIds` is flagged: its pods share the cluster security group with every node and pod',
  },
  // The AWS request documents among the artifacts.
  'emr-request-shape': {
    severity: 'error',
    topic: 'aws-documents',
    summary: 'a job document EMR would refuse',
    docs: "each tenant's `start-job-run.json` (and the per-class / single-zone variants') is a valid `StartJobRunRequest` once its `<...>` placeholders are filled in, and `job-template.json` a valid `CreateJobTemplateRequest`: e.g. every spark-defaults property name and value is 1 to 1024 characters and not blank (`String1024`), at most 100 properties per classification, at most 100 classifications",
  },
  'fargate-request-shape': {
    severity: 'error',
    topic: 'aws-documents',
    summary: 'a Fargate profile document EKS or eksctl would refuse',
    docs: 'each Fargate profile (`platform/fargate/profiles/*.json`) is a valid `CreateFargateProfileRequest` and `eksctl-cluster-config.yaml` a valid eksctl `ClusterConfig` of profiles',
  },
  'pod-identity-request-shape': {
    severity: 'error',
    topic: 'aws-documents',
    summary: 'a Pod Identity document EKS would refuse',
    docs: 'each Pod Identity document (`platform/pod-identity/associations/<namespace>/<account>.json`, and `eks-pod-identity-agent-addon.json` on self-managed capacity) is a valid `CreatePodIdentityAssociationRequest` / `CreateAddonRequest` (`packages/core/schemas/eks/pod-identity.schema.json`)',
  },
} as const satisfies Record<string, RuleSpec>;

/** A rule's id: a key of RULES, so an unknown id does not compile. */
export type RuleId = keyof typeof CATALOG;

/** Every rule, by id, in the order of the README tables. */
export const RULES: Readonly<Record<RuleId, RuleSpec>> = CATALOG;

/** Every rule id, in catalog order. */
export const RULE_IDS = Object.keys(RULES) as RuleId[];
