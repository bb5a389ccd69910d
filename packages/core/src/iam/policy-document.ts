/**
 * IAM permissions policy documents: the statement and document types, with keys in one fixed order (Sid, Effect,
 * Action, Resource, Condition) so that a rendered document is byte-stable, and the checks every rendered document
 * passes: IAM PutRolePolicy's parameter shapes, IAM's size limit for a role's inline policies, and least privilege
 * (no action wildcards, `Resource: "*"` only on the actions that have no resource of their own).
 */

/** A condition block: operator -> condition key -> value(s), as IAM writes it. */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One Allow statement of a permissions policy. */
export interface PolicyStatement {
  /** Alphanumeric only (IAM's rule for Sid in identity-based policies); unique within the document. */
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/** A permissions policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** A statement with its keys in the document order, whatever order they were given in. */
export function orderedStatement(statement: PolicyStatement): PolicyStatement {
  return {
    Sid: statement.Sid,
    Effect: statement.Effect,
    Action: statement.Action,
    Resource: statement.Resource,
    ...(statement.Condition ? { Condition: statement.Condition } : {}),
  };
}

/** A document holding `statements` in the given order; throws when two share a Sid (IAM refuses that document). */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  const sids = new Set<string>();
  for (const statement of statements) {
    if (sids.has(statement.Sid)) throw new Error(`two statements share the Sid ${statement.Sid}`);
    sids.add(statement.Sid);
  }
  return { Version: '2012-10-17', Statement: statements.map(orderedStatement) };
}

/** Size of a policy as IAM counts it against its limits: the JSON text without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

/**
 * IAM quota "Role policy size": the inline policies of one role together, in characters without whitespace (IAM User
 * Guide, "IAM and AWS STS quotas": 10,240 for roles; a managed policy is limited to 6,144). The documents here are
 * one inline policy per role (put-role-policy), so the whole document must fit 10,240.
 */
export const IAM_ROLE_INLINE_POLICIES_MAX_SIZE = 10_240;

/**
 * The parameter shapes of IAM's PutRolePolicy (botocore 1.34.22, `data/iam/2010-05-08/service-2.json`,
 * `PutRolePolicyRequest`: roleNameType, policyNameType, policyDocumentType): what `aws iam put-role-policy` validates
 * before it sends the request.
 */
export const PUT_ROLE_POLICY_SHAPES = {
  RoleName: { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/ },
  PolicyName: { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/ },
  // biome-ignore lint/suspicious/noControlCharactersInRegex: IAM's own pattern for PolicyDocument (tab, LF, CR, printable Latin-1)
  PolicyDocument: { min: 1, max: 131_072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ },
} as const;

/** A PutRolePolicy request as `aws iam put-role-policy --cli-input-json` takes it. */
export interface PutRolePolicyRequest {
  readonly RoleName: string;
  readonly PolicyName: string;
  readonly PolicyDocument: string;
}

/** Every constraint of PutRolePolicy's shapes `request` breaks, one sentence each (empty when it fits). */
export function putRolePolicyProblems(request: PutRolePolicyRequest): string[] {
  return (Object.keys(PUT_ROLE_POLICY_SHAPES) as (keyof PutRolePolicyRequest)[]).flatMap((member) => {
    const shape = PUT_ROLE_POLICY_SHAPES[member];
    const value = request[member];
    const problems: string[] = [];
    if (value.length < shape.min || value.length > shape.max)
      problems.push(`${member} is ${value.length} characters, outside ${shape.min}-${shape.max}`);
    if (!shape.pattern.test(value)) problems.push(`${member} does not match ${shape.pattern.source}`);
    return problems;
  });
}

/**
 * Least-privilege problems of a document: an action with a wildcard, `Resource: "*"` on an action not in `unscoped`
 * (the actions that have no resource of their own, each listed with the source that says so), an empty Sid or one
 * IAM refuses.
 */
export function leastPrivilegeProblems(document: PolicyDocument, unscoped: ReadonlySet<string>): string[] {
  return document.Statement.flatMap((statement) => {
    const actions = typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
    const resources = typeof statement.Resource === 'string' ? [statement.Resource] : statement.Resource;
    return [
      ...(/^[A-Za-z0-9]+$/.test(statement.Sid) ? [] : [`statement ${statement.Sid}: a Sid must be alphanumeric`]),
      ...actions
        .filter((action) => /[*?]/.test(action))
        .map((action) => `statement ${statement.Sid}: action ${action} is a wildcard`),
      ...(resources.includes('*')
        ? actions
            .filter((action) => !unscoped.has(action))
            .map((action) => `statement ${statement.Sid}: ${action} on Resource "*"`)
        : []),
    ];
  });
}
