import type { CheckConfig } from './app-config.types';
import { compact, oneOf, type Section } from './config-reader';
import { formatGoDuration } from './durations';
import type { Provenance } from './provenance';

/**
 * `headers` as a table, or as the list of `{ name, value }` tables older files use
 * (`[[services.http_checks.headers]]`), which flyctl reads the same way (`_patchCheckHeaders`): a
 * missing `value` is `""`, a later name wins, values become strings. Absent when empty, as flyctl drops
 * an empty `headers` (`headers = []`).
 */
function readHeaders(section: Section): Record<string, string> | undefined {
  if (!Array.isArray(section.raw['headers'])) {
    const headers = section.stringMap('headers');
    return headers && Object.keys(headers).length > 0 ? headers : undefined;
  }
  const headers: Record<string, string> = {};
  for (const item of section.tables('headers')) {
    if (!item.has('name')) item.error('name', 'is required in a headers list entry ({ name, value })');
    const name = item.scalarString('name');
    const value = item.has('value') ? item.scalarString('value') : '';
    item.finish();
    if (name !== undefined && value !== undefined) headers[name] = value;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/**
 * The bounds Fly puts on check durations, as warnings: flyctl warns that a service check's interval
 * or timeout under 1s (a grace period above 0 and under 1s) is raised to 1s and anything over 1m
 * lowered to 1m (`validateServiceCheckDurations`); it refuses a top-level check with an interval under
 * 2s or a timeout over 60s (`validateChecksSection`), which Hangar, whose local checks may run faster,
 * only warns about.
 */
function warnCheckDurations(section: Section, check: Omit<CheckConfig, 'type'>, topLevel: boolean): void {
  const warn = (key: string, message: string) => section.issues.warn(section.at(key), message);
  const durations: [string, number | undefined, boolean][] = [
    ['interval', check.intervalMs, false],
    ['timeout', check.timeoutMs, false],
    ['grace_period', check.gracePeriodMs, true],
  ];
  for (const [key, ms, zeroOk] of durations) {
    if (ms === undefined) continue;
    const shown = formatGoDuration(ms);
    if (topLevel) {
      if (key === 'interval' && ms < 2000) warn(key, `is less than 2 seconds (${shown}); flyctl refuses a top-level check interval under 2 seconds`);
      if (key === 'timeout' && ms > 60_000) warn(key, `is greater than 60 seconds (${shown}); flyctl refuses a top-level check timeout over 60 seconds`);
    } else if (ms < 1000 && !(zeroOk && ms === 0)) {
      warn(key, `is ${zeroOk ? 'non-zero and ' : ''}less than 1 second (${shown}); Fly raises it to 1 second`);
    } else if (ms > 60_000) {
      warn(key, `is greater than 1 minute (${shown}); Fly lowers it to 1 minute`);
    }
  }
}

/**
 * The keys every check shares; `type`, `port` and `processes` are read by the caller when they apply.
 * A bare number is milliseconds and `""` leaves a duration unset (flyctl `_patchCheck`).
 */
function readCheckBody(section: Section, topLevel: boolean): Omit<CheckConfig, 'type'> {
  const body = compact({
    name: section.string('name'),
    intervalMs: section.duration('interval', 'milliseconds'),
    timeoutMs: section.duration('timeout', 'milliseconds'),
    gracePeriodMs: section.duration('grace_period', 'milliseconds'),
    method: section.string('method'),
    path: section.string('path'),
    protocol: section.string('protocol'),
    headers: readHeaders(section),
    tlsSkipVerify: section.boolean('tls_skip_verify'),
    tlsServerName: section.string('tls_server_name'),
  });
  warnCheckDurations(section, body, topLevel);
  section.ignore('restart_limit', 'kind');
  return body;
}

/**
 * A `[[services.tcp_checks]]`, `[[services.http_checks]]` or `[[http_service.checks]]` entry. flyctl
 * patches only the first two (`patchServices`); Hangar reads `[http_service]` checks the same way
 * rather than take their bare numbers as nanoseconds and refuse their `""` and headers lists.
 */
export function readServiceCheck(section: Section, type: CheckConfig['type'], internalPort: number | undefined, prov: Provenance): CheckConfig {
  const body = readCheckBody(section, false);
  // A service check probes the service's internal port unless it names another one.
  const check: CheckConfig = compact({ ...body, type, port: section.port('port') ?? internalPort });
  section.finish();
  prov.origins.set(check, section.path);
  return check;
}

function readTopLevelCheck(section: Section, httpServicePort: number | undefined, prov: Provenance): CheckConfig | undefined {
  const body = readCheckBody(section, true);
  const type = section.has('type') ? oneOf(section, 'type', ['http', 'tcp'] as const) : undefined;
  if (!section.has('type')) section.error('type', 'is required (http or tcp)');
  const port = section.port('port') ?? httpServicePort;
  if (!section.has('port') && httpServicePort === undefined) {
    section.error('port', 'is required when there is no [http_service] to take internal_port from');
  }
  const processes = section.stringList('processes');
  prov.scoped.push({ kind: 'check', path: section.path, processes });
  section.finish();
  if (type === undefined || port === undefined) return undefined;
  const { name: _name, ...rest } = body;
  const check: CheckConfig = compact({ ...rest, type, port, processes });
  prov.origins.set(check, section.path);
  return check;
}

/**
 * Top-level `[checks.<name>]`, or the older `[[checks]]` list whose entries carry a `name`, a later
 * entry replacing an earlier one of the same name (flyctl `patchTopLevelChecks`).
 */
export function readTopLevelChecks(root: Section, httpServicePort: number | undefined, prov: Provenance): Record<string, CheckConfig> {
  const checks: Record<string, CheckConfig> = {};
  const raw = root.raw['checks'];
  if (Array.isArray(raw)) {
    for (const section of root.tables('checks')) {
      const name = section.raw['name'];
      if (typeof name !== 'string' || name === '') {
        section.error('name', 'is required in a [[checks]] list entry');
        continue;
      }
      const check = readTopLevelCheck(section, httpServicePort, prov);
      if (check) checks[name] = check;
    }
    return checks;
  }
  const table = root.table('checks');
  if (!table) return checks;
  for (const name of Object.keys(table.raw)) {
    const section = table.table(name);
    const check = section && readTopLevelCheck(section, httpServicePort, prov);
    if (check) checks[name] = check;
  }
  return checks;
}
