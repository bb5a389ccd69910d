import { ConfigurationError } from '../primitives/errors.js';
import { capacityRules } from './capacity/capacity-rules.js';
import { podTemplateRules } from './capacity/pod-template-rules.js';
import { fargatePodRules } from './capacity/fargate-pod-rules.js';
import { compareFindings, type ObjectDiagnostic } from '../diagnostics/index.js';
import { isSupportedKubernetesVersion, kubernetesSchemaProblem } from './schema/catalog.js';
import { schemaRules } from './schema/schema-rules.js';
import { hardeningRules } from './security/hardening.js';
import { rbacRules, tenantIsolationRules } from './security/rbac-isolation.js';
import { secretRules } from './security/secrets.js';
import { Subject, type ValidationContext, type ValidationInput } from './subject.js';

/**
 * Validates one environment's rendered objects: each object against its kind's schema (built-in kinds: the official
 * OpenAPI of `context.kubernetesVersion`) and the rules schemas cannot express, then the rules that span objects
 * (capacity, tenant isolation). Pure: objects in, findings out, sorted. Throws a ConfigurationError when no schemas
 * are bundled for that Kubernetes version.
 */
export function validateObjects(objects: readonly ValidationInput[], context: ValidationContext): ObjectDiagnostic[] {
  const { kubernetesVersion } = context;
  if (!isSupportedKubernetesVersion(kubernetesVersion)) {
    throw new ConfigurationError('kubernetesVersion', kubernetesSchemaProblem(kubernetesVersion)!, context.environment);
  }
  const subjects = objects.map((input) => new Subject(input, context.environment));
  const findings: ObjectDiagnostic[] = [];
  for (const subject of subjects) {
    findings.push(
      ...schemaRules(subject, context, kubernetesVersion),
      ...podTemplateRules(subject),
      ...rbacRules(subject),
      ...secretRules(subject),
      ...hardeningRules(subject, context),
    );
  }
  findings.push(...capacityRules(subjects), ...fargatePodRules(subjects), ...tenantIsolationRules(subjects));
  return withoutShadowedSchemaFindings(findings).sort(compareFindings);
}

/** A specific rule at a field says more than the generic schema error there (e.g. budget-format over a pattern). */
function withoutShadowedSchemaFindings(findings: readonly ObjectDiagnostic[]): ObjectDiagnostic[] {
  const place = ({ location: at }: ObjectDiagnostic) => `${at.path}\0${at.object}\0${at.fieldPath}`;
  const specific = new Set(findings.filter((f) => f.rule !== 'schema').map(place));
  return findings.filter((f) => f.rule !== 'schema' || !specific.has(place(f)));
}
