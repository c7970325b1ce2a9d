/** How deep a request body may nest: far more than any DTO needs, far less than what overflows a validator's recursion. */
export const MAX_JSON_DEPTH = 64;

/**
 * What is wrong with a parsed request body that JSON itself allows but Hangar cannot take, or
 * undefined: nesting deeper than `maxDepth` (class-transformer and class-validator recurse per level),
 * or a NUL character in a string or key (Postgres jsonb and text cannot store it). The answer names
 * the path, e.g. `config.env.A: contains a NUL character`. Walks iteratively, so any depth is safe.
 */
export function jsonBodyProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return `${path || '(body)'}: contains a NUL character`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return `${path || '(body)'}: nested deeper than ${maxDepth} levels`;
    for (const [key, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      const childPath = path ? `${path}.${String(key)}` : String(key);
      if (typeof key === 'string' && key.includes('\u0000')) return `${path || '(body)'}: a key contains a NUL character`;
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
