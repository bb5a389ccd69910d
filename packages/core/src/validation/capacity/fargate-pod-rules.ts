// What EKS Fargate cannot run (EKS user guide, "AWS Fargate considerations"): one pod per micro-VM with no host to
// reach (no privileged containers, host namespaces, host ports or hostPath), no DaemonSets, and no dynamic volume
// provisioning or node-side CSI plugins (so no EBS-backed or generic ephemeral volumes).
import { FARGATE_PROFILE_LABEL } from '../../fargate/fargate-profile.js';
import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asList, asRecord, asText, type Segment, type Subject } from '../subject.js';
import { readPlacement } from './placement.js';

/** Annotation of a tenant Namespace whose pods a Fargate profile runs (the profile's name). */
export const FARGATE_NAMESPACE_ANNOTATION = 'emr-eks-gitops.io/fargate-profile';

/** Volume sources that need a node-side plugin (a DaemonSet) or dynamic provisioning, which Fargate does not have. */
const NODE_VOLUMES: Readonly<Record<string, string>> = {
  hostPath: 'a hostPath volume reaches the node, and a Fargate pod has no node of its own to reach',
  persistentVolumeClaim:
    'a PersistentVolumeClaim needs dynamic provisioning or a node CSI plugin (EBS), which Fargate does not run (only statically provisioned EFS volumes mount)',
  ephemeral:
    'a generic ephemeral volume is a PVC per pod, provisioned dynamically (EBS), which Fargate does not support',
  csi: "an inline CSI volume needs the driver's node plugin, a DaemonSet, and Fargate runs no DaemonSets",
  awsElasticBlockStore: 'Fargate pods cannot attach EBS volumes',
};

function podFindings(
  subject: Subject,
  at: readonly Segment[],
  spec: Readonly<Record<string, unknown>>,
): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  const refuse = (path: readonly Segment[], message: string, hint: string) =>
    findings.push(subject.finding('fargate-unsupported', 'error', [...at, ...path], message, hint));
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[key] === true)
      refuse(
        [key],
        `${key} is not supported on Fargate: the pod is never scheduled`,
        `remove ${key}, or run this workload on EC2 nodes`,
      );
  }
  asList(spec.volumes).forEach((volume, index) => {
    const record = asRecord(volume) ?? {};
    for (const [source, why] of Object.entries(NODE_VOLUMES)) {
      if (record[source] !== undefined)
        refuse(
          ['volumes', index, source],
          `volume "${asText(record.name) ?? index}": ${why}`,
          'use an emptyDir sized by an ephemeral-storage request (up to 154 GiB: Fargate adds 10% and 5 GiB within its 175 GiB), or run this workload on EC2 nodes',
        );
    }
  });
  for (const list of ['initContainers', 'containers'] as const) {
    asList(spec[list]).forEach((container, index) => {
      const record = asRecord(container) ?? {};
      if (asRecord(record.securityContext)?.privileged === true) {
        refuse(
          [list, index, 'securityContext', 'privileged'],
          `container "${asText(record.name) ?? index}" is privileged, which Fargate does not run`,
          'drop privileged; Fargate pods run unprivileged in their own micro-VM',
        );
      }
      asList(record.ports).forEach((port, portIndex) => {
        if (asRecord(port)?.hostPort !== undefined)
          refuse(
            [list, index, 'ports', portIndex, 'hostPort'],
            `container "${asText(record.name) ?? index}" asks for a hostPort, which Fargate does not support`,
            'remove hostPort and reach the pod through a Service',
          );
      });
    });
  }
  return findings;
}

/**
 * Pods Fargate would run (labelled with a Fargate profile, or in a namespace annotated as a Fargate tenant's) use
 * nothing Fargate lacks; a DaemonSet in such a namespace never runs there.
 */
export function fargatePodRules(subjects: readonly Subject[]): ObjectDiagnostic[] {
  const fargateNamespaces = new Set(
    subjects
      .filter(
        (s) =>
          s.is('', 'Namespace') &&
          asText(asRecord(asRecord(s.object.metadata)?.annotations)?.[FARGATE_NAMESPACE_ANNOTATION]) !== undefined,
      )
      .map((s) => s.name),
  );
  const findings: ObjectDiagnostic[] = [];
  for (const subject of subjects) {
    const inFargateNamespace = subject.namespace !== undefined && fargateNamespaces.has(subject.namespace);
    if (subject.is('apps', 'DaemonSet') && inFargateNamespace) {
      findings.push(
        subject.finding(
          'fargate-unsupported',
          'error',
          [],
          `a DaemonSet in namespace ${subject.namespace}, whose pods Fargate runs: Fargate runs no DaemonSets, so it never starts a pod`,
          'run node agents as sidecars of the pods that need them, or put this DaemonSet in a namespace on EC2 nodes',
        ),
      );
      continue;
    }
    const pod = readPlacement(subject);
    if (!pod) continue;
    if (!inFargateNamespace && pod.labels[FARGATE_PROFILE_LABEL] === undefined) continue;
    findings.push(...podFindings(subject, pod.at, pod.spec));
  }
  return findings;
}
