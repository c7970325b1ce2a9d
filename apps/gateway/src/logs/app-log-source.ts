import { ErrorCodes, HangarError, resolveMachinesApiToken, type AppLogLine } from '@hangar/contracts';
import { FleetLogsClient, MachinesApiError, MachinesApiErrorCodes } from '@hangar/machines-api';
import type { GatewayConfig } from '../gateway.config';
import type { LogsQuery } from './logs-query';

/** Injection token of the gateway's `AppLogSource`. */
export const APP_LOG_SOURCE = Symbol('APP_LOG_SOURCE');

/** Where the lines of an app's machines come from (fleet, over HTTP). */
export interface AppLogSource {
  /** Resolves once the source answered (errors as `HangarError`s), then yields lines until they end or `signal` aborts. */
  open(app: string, query: LogsQuery & { signal: AbortSignal }): Promise<AsyncIterable<AppLogLine>>;
}

/** Fleet's NDJSON route, its failures told as the gateway's own errors. */
export class FleetAppLogSource implements AppLogSource {
  constructor(private readonly client: FleetLogsClient | null) {}

  async open(app: string, query: LogsQuery & { signal: AbortSignal }): Promise<AsyncIterable<AppLogLine>> {
    if (!this.client) {
      throw new HangarError(ErrorCodes.UNAVAILABLE, 'logs are not available: the gateway has no machines API token (set HANGAR_FLEET_VIEWER_TOKEN or HANGAR_MACHINES_API_TOKEN)');
    }
    try {
      return await this.client.open(app, query);
    } catch (error) {
      // Fleet knows an app once a machine was made for it: before that, an app of Hangar's has no lines yet.
      if (isNotFound(error) && !query.machineId && !query.follow) return (async function* () {})();
      throw describe(error, app, query.machineId);
    }
  }
}

/** The source the gateway's config allows: in production only with a token given, in development with the generated one too. */
export function appLogSourceFor(config: GatewayConfig): AppLogSource {
  const token = config.machinesApi.token ?? (config.production ? undefined : resolveMachinesApiToken({ stateDir: config.stateDir, production: false }));
  return new FleetAppLogSource(token ? new FleetLogsClient({ baseUrl: config.machinesApi.url, token }) : null);
}

function isNotFound(error: unknown): boolean {
  return error instanceof MachinesApiError && error.code === MachinesApiErrorCodes.NOT_FOUND;
}

function describe(error: unknown, app: string, machineId: string | undefined): unknown {
  if (!(error instanceof MachinesApiError)) return error;
  if (error.code === MachinesApiErrorCodes.NOT_FOUND) {
    return machineId
      ? new HangarError(ErrorCodes.MACHINE_NOT_FOUND, `machine ${machineId} not found in app ${app}`, undefined, { cause: error })
      : new HangarError(ErrorCodes.APP_NOT_FOUND, `app ${app} has no machines yet: nothing to follow`, undefined, { cause: error });
  }
  if (error.status === 0 || error.status >= 500) return new HangarError(ErrorCodes.UNAVAILABLE, `cannot read logs from the machines API: ${error.message}`, undefined, { cause: error });
  return error;
}
