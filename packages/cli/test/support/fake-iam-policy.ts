/**
 * The fake IAM's policy evaluation, enough of IAM's ("Policy evaluation logic", "IAM JSON policy elements:
 * Condition operators") for the documents this project renders: Allow statements whose Action and Resource patterns
 * (`*`, `?`) match and whose every condition holds on the simulation's context entries. A missing key fails a
 * condition, except with ...IfExists and ForAllValues (true on an absent key, as IAM has it); policy variables
 * `${key}` are read from the context. An operator outside these throws, so a test meets it instead of a false pass.
 */
export interface FakeStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface FakePolicy {
  Statement: FakeStatement[];
}
/** Context key -> its values, as ContextEntries carry them. */
export type FakeContext = ReadonlyMap<string, readonly string[]>;

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

export function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`,
  );
}

function conditionHolds(operator: string, key: string, wanted: string[], context: FakeContext): boolean {
  const forAll = operator.startsWith('ForAllValues:');
  const forAny = operator.startsWith('ForAnyValue:');
  const ifExists = operator.endsWith('IfExists');
  const base = operator.replace(/^For(All|Any)Values?:/, '').replace(/IfExists$/, '');
  const values = context.get(key);
  if (values === undefined || values.length === 0) return ifExists || forAll;
  const resolved = wanted.map((text) =>
    text.replace(/\$\{([^}]+)\}/g, (_, variable: string) => context.get(variable)?.[0] ?? '\u0000'),
  );
  let match: (value: string) => boolean;
  if (base === 'StringEquals' || base === 'ArnEquals') match = (value) => resolved.includes(value);
  else if (base === 'StringLike' || base === 'ArnLike')
    match = (value) => resolved.some((pattern) => wildcard(pattern).test(value));
  else if (base === 'Bool') match = (value) => resolved.includes(value.toLowerCase());
  else throw new Error(`the fake IAM does not evaluate the condition operator ${operator}`);
  return forAll ? values.every(match) : forAny ? values.some(match) : match(values[0]!);
}

/** Whether one statement applies to the action on the resource in the context. */
function applies(statement: FakeStatement, action: string, resource: string, context: FakeContext): boolean {
  return (
    asList(statement.Action).some((pattern) => wildcard(pattern).test(action)) &&
    asList(statement.Resource).some((pattern) => wildcard(pattern).test(resource)) &&
    Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, wanted]) => conditionHolds(operator, key, asList(wanted), context)),
    )
  );
}

/** IAM's decision for one action on one resource: an explicit Deny wins, then any Allow, else implicitDeny. */
export function evaluate(
  policies: readonly FakePolicy[],
  action: string,
  resource: string,
  context: FakeContext,
): 'allowed' | 'explicitDeny' | 'implicitDeny' {
  const statements = policies.flatMap((policy) => policy.Statement);
  if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement, action, resource, context)))
    return 'explicitDeny';
  return statements.some((statement) => statement.Effect === 'Allow' && applies(statement, action, resource, context))
    ? 'allowed'
    : 'implicitDeny';
}
