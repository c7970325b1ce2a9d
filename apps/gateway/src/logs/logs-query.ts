import { ErrorCodes, HangarError, MACHINE_ID_PATTERN } from '@hangar/contracts';
import { parseInstant } from '../audit/audit-query';

/** `GET /v1/apps/:app/logs` parameters, checked. */
export interface LogsQuery {
  machineId?: string;
  follow: boolean;
  /** RFC 3339, normalised to UTC. */
  since?: string;
}

const PARAMETERS = ['machine', 'follow', 'since'] as const;

/** The query string → `LogsQuery`; anything else (unknown parameter, bad machine id or time) is `REQUEST.INVALID`. */
export function parseLogsQuery(query: Record<string, unknown>): LogsQuery {
  for (const key of Object.keys(query)) {
    if (!(PARAMETERS as readonly string[]).includes(key)) throw invalid(`unknown parameter ${key}; use ${PARAMETERS.join(', ')}`, key);
    if (typeof query[key] !== 'string') throw invalid(`${key} may be given once`, key);
  }
  const { machine, follow, since } = query as Partial<Record<(typeof PARAMETERS)[number], string>>;
  if (machine !== undefined && !MACHINE_ID_PATTERN.test(machine)) throw invalid(`machine must be a machine id (14 lowercase hex characters); got "${machine}"`, 'machine');
  if (follow !== undefined && !['true', 'false', '1', '0'].includes(follow)) throw invalid(`follow must be true or false; got "${follow}"`, 'follow');
  return {
    ...(machine ? { machineId: machine } : {}),
    follow: follow === 'true' || follow === '1',
    ...(since !== undefined ? { since: parseInstant(since, 'since').toISOString() } : {}),
  };
}

function invalid(message: string, field: string): HangarError {
  return new HangarError(ErrorCodes.VALIDATION, message, { field });
}
