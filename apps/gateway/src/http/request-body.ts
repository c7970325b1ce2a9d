import { ErrorCodes, HangarError } from '@hangar/contracts';

/** The body as an object, or a `REQUEST.INVALID` error; field rules are the command DTO's (one validator). */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new HangarError(ErrorCodes.VALIDATION, 'request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Path `:version` as `v3` or `3`. */
export function parseVersion(raw: string): number {
  const m = /^v?(\d{1,9})$/.exec(raw);
  if (!m || Number(m[1]) < 1) throw new HangarError(ErrorCodes.VALIDATION, `release version must look like v3; got "${raw}"`, [{ path: 'version', message: 'must look like v3' }]);
  return Number(m[1]);
}
