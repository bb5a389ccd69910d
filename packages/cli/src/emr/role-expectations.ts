import { managedPolicyAttachments, rolePolicyDocuments, type ResolvedEnvironment } from '@emr-eks-gitops/charts';
import type { PolicyCondition, PolicyDocument } from '@emr-eks-gitops/core';

/**
 * What preflight asks IAM's policy simulator about each role: every statement of the role's rendered permissions
 * policy (rolePolicyDocuments, the documents in artifacts/iam/), its actions on its resources made concrete, with the
 * condition context the statement needs to apply. Nothing here decides what a role needs: the documents do.
 *
 * Simulator contract (IAM API reference, SimulatePrincipalPolicy and ContextEntry, 2010-05-08): ResourceArns are
 * resource names, not patterns (a `*` in them is a literal), so a key or id stands in for "any object under the
 * prefix"; a Condition key absent from ContextEntries makes the statement not apply (implicitDeny, the key listed in
 * MissingContextValues); ContextKeyType is one of string, stringList, boolean, ...
 */

/** The stand-in for a `*` of a resource or condition pattern: "any object Spark writes there". */
export const PROBE = 'emr-gitops-preflight-probe';

export interface ContextEntry {
  readonly ContextKeyName: string;
  readonly ContextKeyType: 'string' | 'stringList' | 'boolean';
  readonly ContextKeyValues: readonly string[];
}

/** One SimulatePrincipalPolicy call: one statement of a document under one of its contexts. */
export interface StatementProbe {
  /** The statement's Sid, with the condition values of this context when the statement has several. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** Concrete ARN simulated -> the document's resource pattern it stands for (what a report names). */
  readonly resources: ReadonlyMap<string, string>;
  readonly context: readonly ContextEntry[];
}

export interface RoleExpectation {
  readonly roleArn: string;
  /** What the role is for, for people: "job execution role of tenant app-dev". */
  readonly purpose: string;
  /** The rendered document's path relative to dist-manifests/<env>/. */
  readonly artifactPath: string;
  /** The command that gives the role what it lacks. */
  readonly fix: string;
  readonly probes: readonly StatementProbe[];
}

export interface AttachmentExpectation {
  readonly roleArn: string;
  readonly purpose: string;
  readonly managedPolicyArns: readonly string[];
}

const asList = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

/** The command that puts a rendered document as a role's inline policy. */
export function putRolePolicyCommand(roleName: string, policyName: string, env: string, artifactPath: string): string {
  return `aws iam put-role-policy --role-name ${roleName} --policy-name ${policyName} --policy-document file://dist-manifests/${env}/${artifactPath}`;
}

/** Each rendered role document, statement by statement, as the simulator takes it. */
export function roleExpectations(config: ResolvedEnvironment): RoleExpectation[] {
  const { region, accountId } = config.cluster;
  return rolePolicyDocuments(config).map((policy) => ({
    roleArn: policy.roleArn,
    purpose: policy.purpose,
    artifactPath: policy.artifactPath,
    fix: putRolePolicyCommand(policy.roleName, policy.policyName, config.name, policy.artifactPath),
    probes: documentProbes(policy.document, { region, accountId }),
  }));
}

/** The roles that get AWS managed policies, each with the policies it must have attached. */
export function attachmentExpectations(config: ResolvedEnvironment): AttachmentExpectation[] {
  return managedPolicyAttachments(config).map(({ roleArn, purpose, managedPolicyArns }) => ({
    roleArn,
    purpose,
    managedPolicyArns,
  }));
}

export function documentProbes(
  document: Pick<PolicyDocument, 'Statement'>,
  where: { region: string; accountId: string },
): StatementProbe[] {
  return document.Statement.flatMap((statement, index) => {
    const resources = new Map(asList(statement.Resource).map((pattern) => [concreteArn(pattern, where), pattern]));
    const actions = asList(statement.Action);
    return contextsFor(statement.Condition ?? {}).map(({ context, varied }) => ({
      sid: `${statement.Sid || `statement ${index + 1}`}${varied}`,
      actions,
      resources,
      context,
    }));
  });
}

/**
 * A resource name the pattern matches: a `*` region or account is the environment's (the simulator evaluates the
 * role's own account), any other `*` the probe. `*` alone stays: the actions that have no resource of their own.
 */
export function concreteArn(pattern: string, where: { region: string; accountId: string }): string {
  if (pattern === '*') return pattern;
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return pattern.replaceAll('*', PROBE);
  const [arn, partition, service, region, account, ...resource] = parts;
  return [
    arn,
    partition,
    service,
    region === '*' ? where.region : region,
    account === '*' ? where.accountId : account,
    resource.join(':').replaceAll('*', PROBE),
  ].join(':');
}

const VARIABLE = /\$\{([^}]+)\}/g;

/** A condition key with the values that each satisfy it (one per simulation), of one type. */
interface KeyAlternatives {
  readonly type: ContextEntry['ContextKeyType'];
  readonly alternatives: readonly (readonly string[])[];
}

/**
 * The contexts under which every condition of the statement holds, enough of them that each value a condition lists
 * is simulated once (a role allowing `s3:prefix` ml/* only must not pass for a statement listing app-dev/* and ml/*):
 * an equality's values, a pattern's with its `*` made the probe, a ForAllValues/ForAnyValue set whole. A policy
 * variable (`${aws:PrincipalTag/k}`) becomes the probe, and the variable's key gets that value. An operator outside
 * these is a document this code has not learnt to simulate: refused rather than reported as a pass. `varied` names
 * the values that differ between the contexts, for the report.
 */
export function contextsFor(condition: PolicyCondition): { context: ContextEntry[]; varied: string }[] {
  const keys = new Map<string, KeyAlternatives>();
  const add = (key: string, entry: KeyAlternatives) => {
    if (!keys.has(key)) keys.set(key, entry);
  };
  for (const [operator, byKey] of Object.entries(condition)) {
    const set = /^For(All|Any)Values?:/.test(operator);
    const base = operator.replace(/^For(All|Any)Values?:/, '').replace(/IfExists$/, '');
    for (const [key, value] of Object.entries(byKey)) {
      const values = asList(value).map((text) =>
        text.replace(VARIABLE, (_, variable: string) => {
          add(variable, { type: 'string', alternatives: [[PROBE]] });
          return PROBE;
        }),
      );
      let concrete: readonly string[];
      if (base === 'StringEquals' || base === 'ArnEquals' || base === 'Bool') concrete = values;
      else if (base === 'StringLike' || base === 'ArnLike')
        concrete = values.map((text) => text.replaceAll('*', PROBE).replaceAll('?', 'x'));
      else
        throw new Error(
          `preflight cannot simulate the condition operator ${operator} (key ${key}): teach role-expectations.ts its context`,
        );
      const type = base === 'Bool' ? 'boolean' : set ? 'stringList' : 'string';
      add(key, { type, alternatives: set ? [concrete] : concrete.map((one) => [one]) });
    }
  }
  const count = Math.max(1, ...[...keys.values()].map((key) => key.alternatives.length));
  return Array.from({ length: count }, (_, i) => {
    const context = [...keys].map(
      ([name, key]): ContextEntry => ({
        ContextKeyName: name,
        ContextKeyType: key.type,
        ContextKeyValues: key.alternatives[Math.min(i, key.alternatives.length - 1)]!,
      }),
    );
    const varied = context
      .filter((entry) => keys.get(entry.ContextKeyName)!.alternatives.length > 1)
      .map((entry) => `${entry.ContextKeyName}=${entry.ContextKeyValues.join(',')}`);
    return { context, varied: varied.length > 0 ? `, ${varied.join(', ')}` : '' };
  });
}
