// EMR on EKS finds the Spark container of a pod template by its name (EMR on EKS guide, "Using pod templates")
// and reserves /mnt for the volumes it mounts itself.
import { EMR_POD_TEMPLATE_CONTRACT, podTemplateContractViolations } from '../../spark/emr-pod-template-contract.js';
import { SESSION_EXECUTOR_TEMPLATE_FILE } from '../../spark/pod-templates.js';
import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asList, asRecord, asText, type Subject } from '../subject.js';

const MAIN_CONTAINERS: readonly string[] = Object.values(EMR_POD_TEMPLATE_CONTRACT.sparkMainContainerNames);
const RESERVED = EMR_POD_TEMPLATE_CONTRACT.reservedMountPath;

function containerNameFindings(subject: Subject, spec: Readonly<Record<string, unknown>>): ObjectDiagnostic[] {
  const names = asList(spec.containers).map((c) => asText(asRecord(c)?.name) ?? '');
  const main = names.filter((name) => MAIN_CONTAINERS.includes(name));
  const findings: ObjectDiagnostic[] = [];
  names.forEach((name, index) => {
    // Other names are sidecars, which EMR supports; a near-miss of the reserved prefix is a typo.
    if (name.startsWith('spark-kubernetes') && !MAIN_CONTAINERS.includes(name)) {
      findings.push(
        subject.finding(
          'pod-template-container-name',
          'error',
          ['spec', 'containers', index, 'name'],
          `container "${name}" looks like the Spark container but EMR only recognises ${MAIN_CONTAINERS.join(' and ')}`,
          `rename it to ${MAIN_CONTAINERS.join(' or ')}`,
        ),
      );
    }
  });
  if (main.length === 0 && findings.length === 0) {
    findings.push(
      subject.finding(
        'pod-template-container-name',
        'error',
        ['spec', 'containers'],
        'the pod template has no spark-kubernetes-driver or spark-kubernetes-executor container, so its container settings never reach Spark',
        'name the Spark container spark-kubernetes-driver (driver template) or spark-kubernetes-executor (executor template)',
      ),
    );
  }
  if (new Set(main).size > 1) {
    findings.push(
      subject.finding(
        'pod-template-container-name',
        'error',
        ['spec', 'containers'],
        'the pod template has both a driver and an executor container',
        'use one template for the driver and another for executors',
      ),
    );
  }
  return findings;
}

function reservedPathFindings(subject: Subject, spec: Readonly<Record<string, unknown>>): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    asList(spec[list]).forEach((container, index) => {
      asList(asRecord(container)?.volumeMounts).forEach((mount, mountIndex) => {
        const path = (asText(asRecord(mount)?.mountPath) ?? '').replace(/\/+$/, '');
        if (path === RESERVED || path.startsWith(`${RESERVED}/`)) {
          findings.push(
            subject.finding(
              'pod-template-reserved-path',
              'error',
              ['spec', list, index, 'volumeMounts', mountIndex, 'mountPath'],
              `mountPath ${path} is at or under ${RESERVED}, which EMR on EKS reserves for its own volumes`,
              'mount it elsewhere, e.g. /data or /local1, and point spark.local.dir there',
            ),
          );
        }
      });
    });
  }
  return findings;
}

/** Fields outside EMR's allow-lists (e.g. a pod or Spark-container securityContext): EMR fails the job before it starts. */
function fieldFindings(subject: Subject): ObjectDiagnostic[] {
  // The executor template of notebook sessions is read by Spark alone, which takes any field.
  if (subject.input.path.endsWith(`/${SESSION_EXECUTOR_TEMPLATE_FILE}`)) return [];
  return podTemplateContractViolations(subject.object).map((violation) =>
    subject.finding(
      'pod-template-field',
      'error',
      violation.path,
      violation.message,
      violation.path.length === 2 && violation.path[1] === 'securityContext'
        ? "remove it: EMR sets the pod's security context itself; put a securityContext on init and sidecar containers only"
        : 'remove it, or move what it does to an init or sidecar container (they may carry any field)',
    ),
  );
}

/** Rules for Spark pod templates: Pod objects that are not applied to the cluster. */
export function podTemplateRules(subject: Subject): ObjectDiagnostic[] {
  if (!subject.is('', 'Pod') || subject.input.applied) return [];
  const spec = asRecord(subject.object.spec) ?? {};
  return [...containerNameFindings(subject, spec), ...reservedPathFindings(subject, spec), ...fieldFindings(subject)];
}
