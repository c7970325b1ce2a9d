import { jsonBodyProblem } from './json-limits';

describe(jsonBodyProblem.name, () => {
  const nested = (depth: number, leaf: unknown = 1): unknown => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it('accepts ordinary bodies, up to the depth bound', () => {
    expect(jsonBodyProblem({ app: 'demo', config: { env: { A: 'x' }, services: [{ ports: [{ port: 80 }] }] } })).toBeUndefined();
    expect(jsonBodyProblem(nested(64))).toBeUndefined();
    expect(jsonBodyProblem(undefined)).toBeUndefined();
  });

  it('refuses nesting past the bound, naming where, without recursing (3000 and 200 000 levels)', () => {
    expect(jsonBodyProblem(nested(65))).toMatch(/^a(\.a){63}: nested deeper than 64 levels$/);
    expect(jsonBodyProblem(nested(3000))).toContain('nested deeper than 64 levels');
    expect(jsonBodyProblem(JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`))).toContain('nested deeper than 64 levels');
  });

  it('refuses a NUL character in a value or a key, naming the path', () => {
    expect(jsonBodyProblem({ config: { env: { A: 'a\u0000b' } } })).toBe('config.env.A: contains a NUL character');
    expect(jsonBodyProblem({ list: ['ok', 'n\u0000'] })).toBe('list.1: contains a NUL character');
    expect(jsonBodyProblem({ env: { 'K\u0000': 'v' } })).toBe('env: a key contains a NUL character');
    expect(jsonBodyProblem('\u0000')).toBe('(body): contains a NUL character');
  });
});
