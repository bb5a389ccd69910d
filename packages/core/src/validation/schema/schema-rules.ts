import { basename } from 'node:path';
import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import type { Segment, Subject, ValidationContext } from '../subject.js';
import { schemaFindings, type SchemaError } from './ajv-findings.js';
import {
  KNOWN_KINDS,
  OBJECT_META,
  structuralLocation,
  type KnownKind,
  type SupportedKubernetesVersion,
} from './catalog.js';
import { karpenterRules } from './karpenter.js';
import { nameRules } from './names.js';
import { dirSchema, schemaFileNames } from './schema-dir.js';
import { closestKey, structuralSchema, walkUnknownFields } from './structural.js';

function modelFindings(subject: Subject, known: KnownKind): ObjectDiagnostic[] {
  try {
    new known.model(subject.object as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return schemaFindings(subject, errors, `${subject.apiVersion} ${subject.kind} schema`);
  }
}

function unknownFieldFindings(
  subject: Subject,
  known: KnownKind,
  kubernetesVersion: SupportedKubernetesVersion,
): ObjectDiagnostic[] {
  if (!known.structural) return [];
  const findings: ObjectDiagnostic[] = [];
  const sink = (at: readonly Segment[], key: string, allowed: readonly string[]) => {
    const guess = closestKey(key, allowed);
    findings.push(
      subject.finding(
        'unknown-field',
        'error',
        [...at, key],
        `unknown field "${key}": the cluster would silently drop it`,
        guess
          ? `did you mean "${guess}"?`
          : `remove it; fields allowed here: ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', ...' : ''}`,
      ),
    );
  };
  const { document, node } = structuralSchema(structuralLocation(known.structural, kubernetesVersion));
  walkUnknownFields(subject.object, node, document, [], sink);
  if (!('openapi' in known.structural)) {
    // CRD schemas leave metadata open; the API server still prunes unknown ObjectMeta fields.
    const meta = structuralSchema(structuralLocation(OBJECT_META, kubernetesVersion));
    walkUnknownFields(subject.object.metadata, meta.node, meta.document, ['metadata'], sink);
  }
  return findings;
}

/**
 * Schema conformance of one object (built-in kinds against the OpenAPI of `kubernetesVersion`), then the name and CRD
 * rules that schemas cannot express.
 */
export function schemaRules(
  subject: Subject,
  context: ValidationContext,
  kubernetesVersion: SupportedKubernetesVersion,
): ObjectDiagnostic[] {
  if (!subject.apiVersion || !subject.kind) {
    return [subject.finding('schema', 'error', '', 'apiVersion and kind are required', 'set apiVersion and kind')];
  }
  const findings: ObjectDiagnostic[] = [];
  const user = context.schemaDir ? dirSchema(context.schemaDir, subject) : null;
  const known = KNOWN_KINDS.get(`${subject.apiVersion}/${subject.kind}`);
  if (user) {
    if ('error' in user) {
      findings.push(
        subject.finding(
          'schema',
          'error',
          '',
          `schema ${user.file} cannot be compiled: ${user.error}`,
          'fix or remove that schema file',
        ),
      );
    } else if (!user.validate(subject.object)) {
      findings.push(...schemaFindings(subject, user.validate.errors ?? [], `schema ${basename(user.file)}`));
    }
  } else if (known?.servedFrom && Number(kubernetesVersion.split('.')[1]) < Number(known.servedFrom.split('.')[1])) {
    // Not served by this cluster: the apply would fail, and there is no schema of this minor to check it against.
    findings.push(
      subject.finding(
        'unknown-kind',
        'error',
        '',
        `${subject.apiVersion} ${subject.kind} is served from Kubernetes ${known.servedFrom}, not by ${kubernetesVersion}`,
        `upgrade the cluster to ${known.servedFrom} or later, or leave the object out`,
      ),
    );
  } else if (known) {
    findings.push(...modelFindings(subject, known), ...unknownFieldFindings(subject, known, kubernetesVersion));
  } else {
    findings.push(
      subject.finding(
        'unknown-kind',
        'error',
        '',
        `no schema for ${subject.apiVersion} ${subject.kind}`,
        `check apiVersion and kind, or provide a schema folder holding ${schemaFileNames(subject).join(' or ')}`,
      ),
    );
  }
  findings.push(...nameRules(subject), ...karpenterRules(subject));
  return findings;
}
