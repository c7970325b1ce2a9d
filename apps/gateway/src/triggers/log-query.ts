import { ErrorCodes, HangarError } from '@hangar/contracts';

/** The most entries one log page returns. */
export const MAX_LOG_LIMIT = 1000;

function invalid(field: string, message: string): HangarError {
  return new HangarError(ErrorCodes.VALIDATION, `${field} ${message}`, [{ path: field, message }]);
}

/** `?name=` given once, as a non-empty string, or absent. */
export function optionalString(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(name, 'must be given once');
  return value;
}

/** `?limit=` as an integer from 1 to 1000, or absent. */
export function optionalLimit(query: Record<string, unknown>): number | undefined {
  const raw = optionalString(query, 'limit');
  if (raw === undefined) return undefined;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LOG_LIMIT) throw invalid('limit', `must be an integer from 1 to ${MAX_LOG_LIMIT}; got "${raw.slice(0, 20)}"`);
  return Number(raw);
}
