// Credentials must not reach Git: rendered manifests are committed and read by every reviewer and CI job.
import type { ObjectDiagnostic } from '../../diagnostics/index.js';
import { asRecord, type Segment, type Subject } from '../subject.js';

/** Formats of real credentials; each specific enough that ARNs, role names and S3 URIs never match. */
const TOKEN_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { name: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
];

/** Keys whose value is a credential (compared lower-case, without `-`, `_` and `.`); `existingSecret` or `passwordSecretRef` are references and do not match. */
const CREDENTIAL_KEY =
  /^(?:secret|token)$|(?:password|passwd|passphrase|pwd|clientsecret|secrettoken|cookiesecret|cryptokey|apikey|apitoken|accesstoken|authtoken|secretaccesskey|privatekey)$/;
/** Values that stand for a credential without being one: empty, templated, masked, or a reference. */
const NOT_A_LITERAL = /^(?:|\$\{.*\}|\$\(.*\)|\{\{.*\}\}|<.*>|\*+|(?:arn|s3|ssm|file|vault|secretsmanager):.*|\/.*)$/;
const KEY_VALUE_LINE = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)\s*$/;

const isCredentialKey = (key: string) => CREDENTIAL_KEY.test(key.toLowerCase().replace(/[-_.]/g, ''));
const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/, '$2');
const LITERAL_HINT =
  'keep the value out of Git (an external secret store or a sealed/SOPS-encrypted Secret) and reference it, e.g. through existingSecret or valueFrom';

/** Calls `visit` for every string below `value`; `at` is one array reused for the whole walk, valid during the call. */
function visitStrings(
  value: unknown,
  at: Segment[],
  visit: (at: readonly Segment[], key: Segment | undefined, text: string) => void,
): void {
  if (typeof value === 'string') {
    visit(at, at[at.length - 1], value);
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      at.push(index);
      visitStrings(value[index], at, visit);
      at.pop();
    }
  } else if (asRecord(value)) {
    for (const [key, child] of Object.entries(value as object)) {
      at.push(key);
      visitStrings(child, at, visit);
      at.pop();
    }
  }
}

function tokenFindings(subject: Subject): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  visitStrings(subject.object, [], (at, _key, text) => {
    const hit = TOKEN_PATTERNS.find(({ pattern }) => pattern.test(text));
    if (hit)
      findings.push(
        subject.finding(
          'secret-value',
          'error',
          at,
          `the value contains what looks like ${hit.name}`,
          `remove it and rotate it; ${LITERAL_HINT}`,
        ),
      );
  });
  return findings;
}

/** `password: hunter2` style lines inside text (config files in ConfigMaps, Helm values as a string). */
function literalLines(subject: Subject, at: readonly Segment[], text: string): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  for (const line of text.split('\n')) {
    const match = KEY_VALUE_LINE.exec(line);
    if (match && isCredentialKey(match[1]!) && !NOT_A_LITERAL.test(unquote(match[2]!))) {
      findings.push(
        subject.finding(
          'secret-value',
          'error',
          at,
          `"${match[1]}" is set to a literal value in the text`,
          LITERAL_HINT,
        ),
      );
    }
  }
  return findings;
}

/** Credential-named keys with literal values, in ConfigMap data and in Helm values (Flux HelmRelease, Argo CD). */
function literalFindings(subject: Subject): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  if (subject.is('', 'ConfigMap')) {
    for (const [key, value] of Object.entries(asRecord(subject.object.data) ?? {})) {
      if (typeof value !== 'string') continue;
      if (isCredentialKey(key) && !NOT_A_LITERAL.test(value)) {
        findings.push(
          subject.finding(
            'secret-value',
            'error',
            ['data', key],
            `"${key}" holds a literal credential in a ConfigMap`,
            LITERAL_HINT,
          ),
        );
      } else {
        findings.push(...literalLines(subject, ['data', key], value));
      }
    }
  } else if (subject.is('helm.toolkit.fluxcd.io', 'HelmRelease') || subject.group === 'argoproj.io') {
    visitStrings(subject.object.spec, ['spec'], (at, key, text) => {
      if (typeof key === 'string' && isCredentialKey(key) && !NOT_A_LITERAL.test(text)) {
        findings.push(
          subject.finding(
            'secret-value',
            'error',
            at,
            `"${key}" is set to a literal value in the Helm values`,
            LITERAL_HINT,
          ),
        );
      } else if (key === 'values') {
        findings.push(...literalLines(subject, at, text)); // Argo CD's helm.values is YAML in a string
      }
    });
  }
  return findings;
}

export function secretRules(subject: Subject): ObjectDiagnostic[] {
  const findings: ObjectDiagnostic[] = [];
  if (subject.is('', 'Secret')) {
    for (const field of ['data', 'stringData'] as const) {
      const values = asRecord(subject.object[field]);
      if (values && Object.keys(values).length > 0) {
        findings.push(
          subject.finding(
            'secret-value',
            'error',
            [field],
            `the Secret carries ${Object.keys(values).length} value(s) in Git`,
            LITERAL_HINT,
          ),
        );
      }
    }
  }
  return [...findings, ...tokenFindings(subject), ...literalFindings(subject)];
}
