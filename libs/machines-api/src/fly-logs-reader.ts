import { attemptRequest, describeTransportError, sleep } from './http-attempt';
import type { MachineLogs } from './machines-api';
import { authorizationHeader } from './auth-scheme';

export interface FlyLogsReaderOptions {
  /** Fly's platform API, where flyctl's `GetAppLogs` goes; default `https://api.fly.io`. */
  apiUrl?: string;
  /** The machines API token, sent with the scheme fly-go gives it (`authorizationHeader`). */
  token?: string;
  /** How long to keep polling for lines still being ingested, ms; default 10 000 (flyctl waits up to 20 s). */
  settleMs?: number;
  /** Pause between polls that brought nothing, ms; default 1 000. */
  pollMs?: number;
}

interface LogsPage {
  data?: { attributes?: { timestamp?: string; message?: string } }[];
  meta?: { next_token?: string };
}

/**
 * A machine's log lines from Fly, as flyctl's polling stream reads them (fly-go `GetAppLogs`):
 * `GET /api/v1/apps/:app/logs?instance=<machine id>&next_token=…` on Fly's platform API. Lines are
 * ingested with a delay, so pages are read until one comes back empty after lines arrived or the
 * settle time is up. A refusal is reported as logs unavailable, with why, never as "no output".
 */
export class FlyLogsReader {
  private readonly apiUrl: string;

  constructor(private readonly options: FlyLogsReaderOptions = {}) {
    this.apiUrl = (options.apiUrl ?? 'https://api.fly.io').replace(/\/+$/, '');
  }

  async logs(app: string, machineId: string): Promise<MachineLogs> {
    const deadline = Date.now() + (this.options.settleMs ?? 10_000);
    const lines: string[] = [];
    let token = '';
    for (;;) {
      const query = new URLSearchParams({ next_token: token, instance: machineId });
      const outcome = await attemptRequest(`${this.apiUrl}/api/v1/apps/${encodeURIComponent(app)}/logs?${query.toString()}`, {
        method: 'GET',
        headers: { accept: 'application/json', ...this.authorization() },
        timeoutMs: 15_000,
      });
      if (!('status' in outcome)) return unavailable(`Fly's logs API is unreachable: ${describeTransportError(outcome.transportError)}`);
      if (outcome.status === 401 || outcome.status === 403) {
        return unavailable(`not authorized to read app logs (deploy tokens cannot); run \`fly logs -a ${app} -i ${machineId}\``);
      }
      if (!outcome.ok) return unavailable(`Fly's logs API answered ${outcome.status}${outcome.apiMessage ? ` ${outcome.apiMessage}` : ''}`);
      const page = (outcome.body ?? {}) as LogsPage;
      const got = (page.data ?? []).map((d) => d.attributes?.message ?? '').filter((m) => m !== '');
      lines.push(...got);
      token = page.meta?.next_token || token;
      if ((got.length === 0 && lines.length > 0) || Date.now() >= deadline) return { available: true, lines };
      if (got.length === 0) await sleep(Math.min(this.options.pollMs ?? 1000, Math.max(0, deadline - Date.now())));
    }
  }

  private authorization(): Record<string, string> {
    const token = this.options.token;
    if (!token) return {};
    return { authorization: authorizationHeader(token) };
  }
}

function unavailable(reason: string): MachineLogs {
  return { available: false, reason };
}
