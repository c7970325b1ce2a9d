import { HangarError, MAX_SECRET_VALUE_BYTES, RESERVED_SECRET_PREFIXES, SECRET_NAME_PATTERN } from '@hangar/contracts';

export const SecretsErrorCodes = {
  INVALID_NAME: 'SECRETS.INVALID_NAME',
  RESERVED_NAME: 'SECRETS.RESERVED_NAME',
  VALUE_TOO_LARGE: 'SECRETS.VALUE_TOO_LARGE',
  INVALID_VALUE: 'SECRETS.INVALID_VALUE',
  NOT_SET: 'SECRETS.NOT_SET',
  CONFLICTING_CHANGE: 'SECRETS.CONFLICTING_CHANGE',
  EMPTY_CHANGE: 'SECRETS.EMPTY_CHANGE',
  NOTHING_STAGED: 'SECRETS.NOTHING_STAGED',
  NO_RELEASE: 'SECRETS.NO_RELEASE',
  VERSION_NOT_FOUND: 'SECRETS.VERSION_NOT_FOUND',
  VERSION_PRUNED: 'SECRETS.VERSION_PRUNED',
  VALUE_MISSING: 'SECRETS.VALUE_MISSING',
} as const;

/** One rule a requested change breaks; `path` names the secret (`set.DATABASE_URL`), never its value. */
export interface SecretIssue {
  path: string;
  code: string;
  message: string;
}

const utf8 = new TextEncoder();

/** The problem with a secret name, if any (DESIGN §6.6: `[A-Z_][A-Z0-9_]*`, no `FLY_` / `HANGAR_`). */
export function nameIssue(name: string, path: string): SecretIssue | undefined {
  const shown = JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);
  if (!SECRET_NAME_PATTERN.test(name)) {
    return { path, code: SecretsErrorCodes.INVALID_NAME, message: `secret name ${shown} is invalid: names are upper-case letters, digits and _, not starting with a digit ([A-Z_][A-Z0-9_]*)` };
  }
  const prefix = RESERVED_SECRET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return { path, code: SecretsErrorCodes.RESERVED_NAME, message: `secret name ${shown} is reserved: names starting with ${RESERVED_SECRET_PREFIXES.join(' or ')} are refused` };
  return undefined;
}

/** The problem with a value, if any; the message names the secret and the size, never the value. */
export function valueIssue(name: string, value: unknown): SecretIssue | undefined {
  const path = `set.${name}`;
  if (typeof value !== 'string') return { path, code: SecretsErrorCodes.INVALID_VALUE, message: `the value of secret ${name} must be a string` };
  const bytes = utf8.encode(value).length;
  if (bytes > MAX_SECRET_VALUE_BYTES) {
    return { path, code: SecretsErrorCodes.VALUE_TOO_LARGE, message: `the value of secret ${name} is ${bytes} bytes; at most ${MAX_SECRET_VALUE_BYTES} bytes (64 KiB) a value` };
  }
  if (value.includes('\u0000')) return { path, code: SecretsErrorCodes.INVALID_VALUE, message: `the value of secret ${name} contains a NUL character, which no environment variable can hold` };
  return undefined;
}

/**
 * Checks a requested change before anything is encrypted or stored (DESIGN G6): every name and
 * value, no name both set and unset, at least one name. Throws one error listing every issue.
 */
export function validateChange(set: Readonly<Record<string, unknown>>, unset: readonly string[]): void {
  const issues: SecretIssue[] = [];
  for (const [name, value] of Object.entries(set)) {
    const issue = nameIssue(name, `set.${name}`) ?? valueIssue(name, value);
    if (issue) issues.push(issue);
  }
  for (const [i, name] of unset.entries()) {
    const issue = nameIssue(name, `unset.${i}`);
    if (issue) issues.push(issue);
    else if (name in set) issues.push({ path: `unset.${i}`, code: SecretsErrorCodes.CONFLICTING_CHANGE, message: `secret ${name} is both set and unset in one change` });
  }
  if (Object.keys(set).length === 0 && unset.length === 0) {
    issues.push({ path: '(body)', code: SecretsErrorCodes.EMPTY_CHANGE, message: 'nothing to change: give at least one NAME=VALUE to set or NAME to unset' });
  }
  if (issues.length > 0) throw issuesError(issues);
}

export function issuesError(issues: readonly SecretIssue[]): HangarError {
  const first = issues[0]!;
  const message = issues.length === 1 ? first.message : `${issues.length} problems: ${issues.map((i) => i.message).join('; ')}`;
  return new HangarError(first.code, message, issues.map(({ path, message: m }) => ({ path, message: m })));
}
