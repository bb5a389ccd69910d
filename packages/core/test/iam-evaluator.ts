import type { PolicyDocument } from '../src/index.js';

/**
 * A small evaluator of Allow statements, for tests: IAM's wildcard matching (`*` any run of characters, `?` one; the
 * action's service prefix and name case-insensitive) of Action and Resource, and the StringLike / StringEquals
 * condition operators (and their IfExists forms). A condition on a key the request does not carry fails, as in IAM.
 */

const globToRegExp = (pattern: string, flags = '') =>
  new RegExp(
    `^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`,
    flags,
  );
const list = (value: string | readonly string[]) => (typeof value === 'string' ? [value] : value);

function conditionHolds(
  condition: PolicyDocument['Statement'][number]['Condition'],
  context: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => {
      const ifExists = operator.endsWith('IfExists');
      const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
      const actual = context[key];
      if (actual === undefined) return ifExists;
      if (base === 'StringLike') return list(values).some((value) => globToRegExp(value).test(actual));
      if (base === 'StringEquals') return list(values).includes(actual);
      throw new Error(`the test evaluator does not know the condition operator ${operator}`);
    }),
  );
}

/** Whether `document` allows `action` on `resource` for a request carrying the condition keys `context`. */
export function allows(
  document: PolicyDocument,
  action: string,
  resource: string,
  context: Readonly<Record<string, string>> = {},
): boolean {
  return document.Statement.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      list(statement.Action).some((pattern) => globToRegExp(pattern, 'i').test(action)) &&
      list(statement.Resource).some((pattern) => globToRegExp(pattern).test(resource)) &&
      conditionHolds(statement.Condition, context),
  );
}
