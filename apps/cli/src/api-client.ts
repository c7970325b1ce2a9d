import { CliError, ExitCode } from './cli-error';
import type { CliConfig } from './cli.config';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The gateway over HTTP; maps failures to the CLI's exit codes. */
export class ApiClient {
  constructor(private readonly config: CliConfig) {}

  get url(): string {
    return this.config.apiUrl;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) throw toCliError(res.status, parsed, text);
    return parsed as T;
  }

  /** Opens a streaming request (SSE); the caller reads `res.body`. */
  async stream(path: string): Promise<Response> {
    const res = await this.send('GET', path, undefined, { Accept: 'text/event-stream' });
    if (!res.ok) {
      const text = await res.text();
      throw toCliError(res.status, safeJson(text), text);
    }
    return res;
  }

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await fetch(`${this.config.apiUrl}${path}`, {
        method,
        headers: {
          'X-Hangar-Client': 'cli',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(this.config.token ? { Authorization: `Bearer ${this.config.token}` } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `cannot reach the Hangar API at ${this.config.apiUrl} (${cause?.code ?? cause?.message ?? String(error)}); start it with \`hangar server\` or set HANGAR_API_URL`,
        ExitCode.UNREACHABLE,
      );
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toCliError(status: number, parsed: unknown, text: string): CliError {
  const body = parsed as ErrorBody | undefined;
  const message = body?.error?.message ?? (text || `HTTP ${status}`);
  if (status === 401 || status === 403) {
    return new CliError(`not authorised: ${message} (set HANGAR_API_TOKEN)`, ExitCode.UNREACHABLE, body);
  }
  if (status >= 500) return new CliError(message, status === 503 ? ExitCode.UNREACHABLE : ExitCode.FAILED, body);
  return new CliError(message, ExitCode.USAGE, body);
}
