import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { valueAt, type Segment, type Subject } from '../subject.js';

/** The part of an ajv ErrorObject this module reads (kubernetes-models throws the same shape). */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** `/spec/requirements/0` -> ['spec', 'requirements', 0], numbers only where the object holds an array. */
function segmentsOf(instancePath: string, root: unknown): Segment[] {
  const segments: Segment[] = [];
  for (const raw of instancePath.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    segments.push(Array.isArray(valueAt(root, segments)) && /^\d+$/.test(part) ? Number(part) : part);
  }
  return segments;
}

function describe(error: SchemaError): { message: string; hint: string } {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { message: 'is required', hint: `add ${String(p.missingProperty)}` };
    case 'enum':
      return { message: 'is not an allowed value', hint: `use one of: ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return {
        message: `does not match the pattern ${String(p.pattern)}`,
        hint: 'change the value to match the pattern',
      };
    case 'additionalProperties':
      return { message: `unknown field "${String(p.additionalProperty)}"`, hint: 'remove it or fix its spelling' };
    default:
      return {
        message: error.message ?? `fails schema keyword ${error.keyword}`,
        hint: 'change the value to match the schema',
      };
  }
}

/**
 * Findings for the errors of one object, one per field: alternatives (`oneOf`/`anyOf`, e.g. int-or-string quantities)
 * are reported as one finding instead of one per branch.
 */
export function schemaFindings(subject: Subject, errors: readonly SchemaError[], origin: string): ObjectDiagnostic[] {
  const byField = new Map<string, { segments: Segment[]; errors: SchemaError[] }>();
  for (const error of errors) {
    const segments = segmentsOf(error.instancePath, subject.object);
    if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
    const rule = error.keyword === 'additionalProperties' ? `+${String(error.params.additionalProperty)}` : '';
    const key = JSON.stringify(segments) + rule;
    const entry = byField.get(key) ?? byField.set(key, { segments, errors: [] }).get(key)!;
    entry.errors.push(error);
  }
  const findings: ObjectDiagnostic[] = [];
  for (const { segments, errors: fieldErrors } of byField.values()) {
    const first = fieldErrors[0]!;
    if (first.keyword === 'additionalProperties') {
      const { message, hint } = describe(first);
      findings.push(subject.finding('unknown-field', 'error', segments, message, hint));
      continue;
    }
    const alternatives = fieldErrors.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    const specific = fieldErrors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    const described = (specific.length > 0 ? specific : fieldErrors).map(describe);
    const message = alternatives
      ? `matches none of the allowed forms: ${[...new Set(described.map((d) => d.message))].join('; or ')}`
      : [...new Set(described.map((d) => d.message))].join('; ');
    findings.push(subject.finding('schema', 'error', segments, `${message} (${origin})`, described[0]!.hint));
  }
  return findings;
}
