/**
 * JSON Merge Patch (RFC 7386), the one merge rule of tenant files: a mapping in the patch merges into the target's
 * mapping key by key, `null` removes the key, and anything else (a scalar, a list) replaces the target's value whole.
 * Lists are never merged element by element: they have no keys to match entries by. Keys keep the target's order;
 * keys only the patch has come after them. Neither argument is changed.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = mergePatch(merged[key], value);
  }
  return merged;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
