import { isDnsLabel, isDnsSubdomain, isLabelValue, qualifiedNameProblem } from '../../primitives/kubernetes-names.js';
import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asRecord, type Segment, type Subject } from '../subject.js';

/** Kinds whose names are DNS-1123 labels (they become DNS names or label values), not subdomains. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
/** RBAC names are path segments: `system:aggregate-to-edit` is valid. */
const PATH_SEGMENT_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function nameFindings(subject: Subject): ObjectDiagnostic[] {
  const name = subject.name;
  if (name === undefined) {
    // Spark pod templates are not applied and need no name; everything applied does.
    return subject.input.applied
      ? [
          subject.finding(
            'dns-name',
            'error',
            ['metadata', 'name'],
            'metadata.name is missing',
            'give the object a name',
          ),
        ]
      : [];
  }
  const at = ['metadata', 'name'];
  if (PATH_SEGMENT_NAMED.has(subject.kind)) {
    return name === '' || name === '.' || name === '..' || /[/%]/.test(name)
      ? [
          subject.finding(
            'dns-name',
            'error',
            at,
            `"${name}" is not a valid ${subject.kind} name`,
            "use a name without '/' or '%', other than '.' and '..'",
          ),
        ]
      : [];
  }
  if (LABEL_NAMED.has(subject.kind)) {
    return isDnsLabel(name)
      ? []
      : [
          subject.finding(
            'dns-name',
            'error',
            at,
            `"${name}" is not a DNS-1123 label${name.length > 63 ? ` (${name.length} characters, at most 63)` : ''}`,
            "use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
          ),
        ];
  }
  return isDnsSubdomain(name)
    ? []
    : [
        subject.finding(
          'dns-name',
          'error',
          at,
          `"${name}" is not a DNS-1123 subdomain${name.length > 253 ? ` (${name.length} characters, at most 253)` : ''}`,
          "use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters",
        ),
      ];
}

function metadataFindings(subject: Subject, metadata: unknown, at: readonly Segment[]): ObjectDiagnostic[] {
  const record = asRecord(metadata);
  if (!record) return [];
  const findings: ObjectDiagnostic[] = [];
  const checkKeys = (field: 'labels' | 'annotations') => {
    for (const [key, value] of Object.entries(asRecord(record[field]) ?? {})) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) {
        findings.push(
          subject.finding(
            'label-syntax',
            'error',
            [...at, field, key],
            `${field === 'labels' ? 'label' : 'annotation'} key "${key}" is invalid: ${keyProblem}`,
            'use an optional DNS subdomain prefix and "/" followed by a name of at most 63 alphanumerics, "-", "_" or "."',
          ),
        );
      }
      if (field === 'labels' && typeof value === 'string' && !isLabelValue(value)) {
        findings.push(
          subject.finding(
            'label-syntax',
            'error',
            [...at, field, key],
            `label value "${value}" is invalid`,
            "use at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (or an empty value)",
          ),
        );
      }
    }
  };
  checkKeys('labels');
  checkKeys('annotations');
  return findings;
}

/** Object, namespace, label and annotation names as the API server checks them. */
export function nameRules(subject: Subject): ObjectDiagnostic[] {
  const findings = nameFindings(subject);
  const namespace = subject.namespace;
  if (namespace !== undefined && !isDnsLabel(namespace)) {
    findings.push(
      subject.finding(
        'dns-name',
        'error',
        ['metadata', 'namespace'],
        `namespace "${namespace}" is not a DNS-1123 label`,
        "use lowercase letters, digits and '-', at most 63 characters",
      ),
    );
  }
  findings.push(...metadataFindings(subject, subject.object.metadata, ['metadata']));
  // Labels that land on pods and nodes: workload and NodePool templates. An ApplicationSet's template holds Go
  // templates (`{{.cluster}}`) that Argo CD fills in per generated Application; the Applications' labels are its.
  const spec = asRecord(subject.object.spec);
  if (subject.kind !== 'ApplicationSet')
    findings.push(...metadataFindings(subject, asRecord(spec?.template)?.metadata, ['spec', 'template', 'metadata']));
  return findings;
}
