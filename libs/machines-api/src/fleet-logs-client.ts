import type { AppLogLine } from '@hangar/contracts';
import { describeTransportError } from './http-attempt';
import { MachinesApiError, MachinesApiErrorCodes } from './machines-api.error';

export interface FleetLogsClientOptions {
  /** The local fleet (`HANGAR_MACHINES_API_URL`). */
  baseUrl: string;
  /** Fleet's machines API token or its read-only viewer token. */
  token?: string;
  /** Budget until the response's headers arrive, ms; default 30 000. The lines themselves have none. */
  connectTimeoutMs?: number;
}

export interface FleetLogsQuery {
  machineId?: string;
  follow?: boolean;
  /** RFC 3339. */
  since?: string;
  /** Ends the request (following stops when it aborts). */
  signal: AbortSignal;
}

/**
 * Fleet only: `GET /fleet/v1/apps/:app/logs` (NDJSON), the lines of an app's machines. The real Fly
 * Machines API has no such route (Fly ships logs elsewhere): against it, every call fails with 404.
 */
export class FleetLogsClient {
  private readonly baseUrl: string;

  constructor(private readonly options: FleetLogsClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** Resolves once fleet answered (a `MachinesApiError` for 4xx/5xx: 404 for an unknown app or machine), then yields its lines. */
  async open(app: string, query: FleetLogsQuery): Promise<AsyncIterable<AppLogLine>> {
    const params = new URLSearchParams();
    if (query.machineId) params.set('machine_id', query.machineId);
    if (query.follow) params.set('follow', 'true');
    if (query.since) params.set('since', query.since);
    const path = `/fleet/v1/apps/${encodeURIComponent(app)}/logs${params.size ? `?${params}` : ''}`;
    // A timeout for the headers only: the signal of fetch also ends the body, which may follow for hours.
    const request = new AbortController();
    const connect = setTimeout(() => request.abort(new DOMException('no answer from fleet in time', 'TimeoutError')), this.options.connectTimeoutMs ?? 30_000);
    const cancel = () => request.abort();
    query.signal.addEventListener('abort', cancel, { once: true });
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        headers: { accept: 'application/x-ndjson', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) },
        signal: request.signal,
      });
    } catch (error) {
      query.signal.removeEventListener('abort', cancel);
      throw new MachinesApiError(MachinesApiErrorCodes.API_ERROR, `GET ${path} failed: ${describeTransportError(error)}`, { method: 'GET', path, status: 0, attempts: 1 }, { cause: error });
    } finally {
      clearTimeout(connect);
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      const apiMessage = apiText(text);
      throw new MachinesApiError(MachinesApiError.codeFor(res.status, apiMessage), `GET ${path} failed: ${res.status}${apiMessage ? ` ${apiMessage}` : ''}`, {
        method: 'GET',
        path,
        status: res.status,
        attempts: 1,
        ...(apiMessage ? { apiMessage } : {}),
      });
    }
    return ndjson(res.body, query.signal);
  }
}

async function* ndjson(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<AppLogLine> {
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as AppLogLine;
      }
    }
  } catch (error) {
    // The caller went away: the aborted fetch ends the body with an AbortError, which is no failure.
    if (!signal.aborted) throw error;
  }
}

function apiText(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: the raw text below
  }
  return text.trim().slice(0, 500) || undefined;
}
