import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asList, asRecord, asText, valueAt, type Subject, type ValidationContext } from '../subject.js';

/** IMDSv2 only: with IMDSv1 any pod that reaches the node's metadata endpoint can take the node role's credentials. */
function imdsFindings(subject: Subject): ObjectDiagnostic[] {
  const httpTokens = valueAt(subject.object, ['spec', 'metadataOptions', 'httpTokens']);
  if (httpTokens === 'required') return [];
  return [
    subject.finding(
      'imds-v2',
      'error',
      ['spec', 'metadataOptions', 'httpTokens'],
      httpTokens === undefined
        ? 'httpTokens is not set: IMDSv2 is left to a default that is not in the reviewed manifest'
        : `httpTokens is ${JSON.stringify(httpTokens)}: IMDSv1 stays open`,
      'set spec.metadataOptions.httpTokens: required (and httpPutResponseHopLimit: 1 so pods cannot reach IMDS)',
    ),
  ];
}

/** `@latest` AMI aliases drift: nodes are replaced whenever AWS publishes an AMI, untested. */
function latestAmiFindings(subject: Subject, production: boolean): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  asList(valueAt(subject.object, ['spec', 'amiSelectorTerms'])).forEach((term, index) => {
    const alias = asText(asRecord(term)?.alias);
    if (alias?.endsWith('@latest') && !alias.startsWith('windows')) {
      findings.push(
        subject.finding(
          'prod-latest-ami',
          production ? 'error' : 'warning',
          ['spec', 'amiSelectorTerms', index, 'alias'],
          `AMI alias ${alias} drifts to every new AMI release${production ? ' in a production environment' : ''}`,
          `pin a version, e.g. ${alias.replace('@latest', '@v20250101')}, and promote new versions from dev to prod`,
        ),
      );
    }
  });
  return findings;
}

/** JupyterHub's dummy authenticator lets anyone in with any name: development only. */
function dummyAuthFindings(subject: Subject): ObjectDiagnostic[] {
  // Flux HelmRelease `spec.values`; Argo CD Application `spec.source.helm.valuesObject`.
  const values = subject.is('helm.toolkit.fluxcd.io', 'HelmRelease')
    ? ['spec', 'values']
    : ['spec', 'source', 'helm', 'valuesObject'];
  const at = [...values, 'hub', 'config', 'JupyterHub', 'authenticator_class'];
  const authenticator = asText(valueAt(subject.object, at));
  if (authenticator !== 'dummy' && !authenticator?.endsWith('DummyAuthenticator')) return [];
  return [
    subject.finding(
      'prod-dummy-auth',
      'error',
      at,
      `JupyterHub uses the dummy authenticator (${authenticator}) in a production environment`,
      'use an OAuthenticator (e.g. generic-oauth or github) with its client secret held outside Git',
    ),
  ];
}

export function hardeningRules(subject: Subject, context: ValidationContext): ObjectDiagnostic[] {
  if (subject.is('karpenter.k8s.aws', 'EC2NodeClass'))
    return [...imdsFindings(subject), ...latestAmiFindings(subject, context.production)];
  if (
    context.production &&
    (subject.is('helm.toolkit.fluxcd.io', 'HelmRelease') || subject.is('argoproj.io', 'Application'))
  )
    return dummyAuthFindings(subject);
  return [];
}
