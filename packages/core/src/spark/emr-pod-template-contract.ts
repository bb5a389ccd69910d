/**
 * What EMR on EKS accepts in a Spark pod template, as data. EMR validates every driver and executor template before it
 * starts the job and fails the job on a field outside these lists ("Executor pod template validation failed. Field
 * container.command in Spark main container not allowed but specified."). Init and sidecar containers are not
 * restricted; EMR fills in what it leaves out of the lists itself (the pod's securityContext, the Spark containers'
 * image, command, args, ports and securityContext).
 *
 * Source: Amazon EMR on EKS Development Guide, "Using pod templates" > "Pod template fields"
 * (https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html), read 2026-12-03.
 */
export const EMR_POD_TEMPLATE_CONTRACT = {
  source: 'https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html#pod-template-fields',
  read: '2026-12-03',
  /** Top-level fields of the template. */
  topLevelFields: ['apiVersion', 'kind', 'metadata', 'spec'],
  /** `spec.*` fields; `spec.securityContext` is not among them. */
  podSpecFields: [
    'activeDeadlineSeconds',
    'affinity',
    'containers',
    'enableServiceLinks',
    'ephemeralContainers',
    'hostAliases',
    'hostname',
    'imagePullSecrets',
    'initContainers',
    'nodeName',
    'nodeSelector',
    'overhead',
    'preemptionPolicy',
    'priority',
    'priorityClassName',
    'readinessGates',
    'runtimeClassName',
    'schedulerName',
    'subdomain',
    'terminationGracePeriodSeconds',
    'tolerations',
    'topologySpreadConstraints',
    'volumes',
  ],
  /** Fields of the Spark main container (`spark-kubernetes-driver` / `spark-kubernetes-executor`). */
  sparkMainContainerFields: [
    'env',
    'envFrom',
    'name',
    'lifecycle',
    'livenessProbe',
    'readinessProbe',
    'resources',
    'startupProbe',
    'stdin',
    'stdinOnce',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'tty',
    'volumeDevices',
    'volumeMounts',
    'workingDir',
  ],
  /** The names by which EMR finds the Spark main container; any other container is a sidecar. */
  sparkMainContainerNames: { driver: 'spark-kubernetes-driver', executor: 'spark-kubernetes-executor' },
  /** EMR mounts its own volumes here: nothing of the template may be mounted at or under it. */
  reservedMountPath: '/mnt',
} as const;

/** A field of a template EMR refuses: where (a path into the template) and why. */
export interface PodTemplateContractViolation {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const record = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const MAIN_NAMES: readonly string[] = Object.values(EMR_POD_TEMPLATE_CONTRACT.sparkMainContainerNames);

/**
 * The fields of `template` outside EMR's allow-lists (top level, `spec`, and each Spark main container), in document
 * order. Container names and `/mnt` are checked where the template is built and by the pod-template rules.
 */
export function podTemplateContractViolations(template: unknown): PodTemplateContractViolation[] {
  const { topLevelFields, podSpecFields, sparkMainContainerFields, source } = EMR_POD_TEMPLATE_CONTRACT;
  const violations: PodTemplateContractViolation[] = [];
  const outside = (
    fields: readonly string[],
    object: Readonly<Record<string, unknown>>,
    at: readonly (string | number)[],
    what: string,
  ) => {
    for (const key of Object.keys(object)) {
      if (!fields.includes(key)) {
        violations.push({
          path: [...at, key],
          message: `${key} is not a field EMR on EKS allows in ${what} (${source}): EMR fails the job before it starts`,
        });
      }
    }
  };
  const pod = record(template) ?? {};
  outside(topLevelFields, pod, [], 'a pod template');
  const spec = record(pod.spec);
  if (!spec) return violations;
  outside(podSpecFields, spec, ['spec'], "a pod template's spec");
  (Array.isArray(spec.containers) ? spec.containers : []).forEach((container, index) => {
    const fields = record(container);
    if (fields && MAIN_NAMES.includes(fields.name as string)) {
      outside(
        sparkMainContainerFields,
        fields,
        ['spec', 'containers', index],
        `the Spark main container ${String(fields.name)}`,
      );
    }
  });
  return violations;
}
