import { HangarError, MAX_SECRET_VALUE_BYTES } from '@hangar/contracts';
import { SecretsErrorCodes, validateChange } from './secret-rules';

function rejection(set: Record<string, unknown>, unset: string[] = []): HangarError {
  try {
    validateChange(set, unset);
  } catch (error) {
    return error as HangarError;
  }
  throw new Error('expected the change to be refused');
}

describe(validateChange.name, () => {
  const VALUE = 'sup3r-s3cret-value';

  it('accepts upper-case names with digits and underscores, and values up to 64 KiB', () => {
    expect(() => validateChange({ DATABASE_URL: VALUE, _PRIVATE: '', A1: 'x'.repeat(MAX_SECRET_VALUE_BYTES) }, ['OLD_NAME'])).not.toThrow();
  });

  it.each([
    ['lower-case', 'database_url', SecretsErrorCodes.INVALID_NAME],
    ['a leading digit', '1PASSWORD', SecretsErrorCodes.INVALID_NAME],
    ['a dash', 'MY-KEY', SecretsErrorCodes.INVALID_NAME],
    ['the FLY_ prefix', 'FLY_API_TOKEN', SecretsErrorCodes.RESERVED_NAME],
    ['the HANGAR_ prefix', 'HANGAR_SECRETS_KEY', SecretsErrorCodes.RESERVED_NAME],
  ])('refuses a name with %s, naming it and not the value', (_what, name, code) => {
    const error = rejection({ [name]: VALUE });
    expect(error.code).toBe(code);
    expect(error.message).toContain(`"${name}"`);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(VALUE);
  });

  it('refuses a value over 64 KiB (in UTF-8 bytes), naming the secret and the size only', () => {
    const big = 'é'.repeat(MAX_SECRET_VALUE_BYTES / 2 + 1);
    const error = rejection({ BIG: big });
    expect(error.code).toBe(SecretsErrorCodes.VALUE_TOO_LARGE);
    expect(error.message).toBe(`the value of secret BIG is ${MAX_SECRET_VALUE_BYTES + 2} bytes; at most ${MAX_SECRET_VALUE_BYTES} bytes (64 KiB) a value`);
  });

  it('refuses non-string values, NUL characters, a name both set and unset, and an empty change', () => {
    expect(rejection({ A: 5 }).code).toBe(SecretsErrorCodes.INVALID_VALUE);
    expect(rejection({ A: 'x\u0000y' }).code).toBe(SecretsErrorCodes.INVALID_VALUE);
    expect(rejection({ A: 'x' }, ['A']).code).toBe(SecretsErrorCodes.CONFLICTING_CHANGE);
    expect(rejection({}).code).toBe(SecretsErrorCodes.EMPTY_CHANGE);
  });

  it('lists every problem at once, each with the path of its secret', () => {
    const error = rejection({ bad: VALUE, FLY_X: VALUE }, ['also-bad']);
    expect(error.details).toEqual([
      { path: 'set.bad', message: expect.stringContaining('"bad" is invalid') },
      { path: 'set.FLY_X', message: expect.stringContaining('"FLY_X" is reserved') },
      { path: 'unset.0', message: expect.stringContaining('"also-bad" is invalid') },
    ]);
    expect(error.message).toMatch(/^3 problems: /);
  });
});
