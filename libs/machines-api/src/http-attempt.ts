import { parseRetryAfter } from './retry-policy';

/** One HTTP attempt's result: a response (any status), or the error that kept it from arriving. */
export type AttemptOutcome =
  | { ok: boolean; status: number; body: unknown; apiMessage?: string; retryAfterMs?: number }
  | { transportError: unknown };

/** Sends one JSON request with a time budget; never throws. */
export async function attemptRequest(
  url: string,
  req: { method: string; headers: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<AttemptOutcome> {
  const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-type': 'application/json' };
  try {
    const response = await fetch(url, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const text = await response.text();
    const body = parseJson(text);
    return {
      ok: response.ok,
      status: response.status,
      body,
      apiMessage: response.ok ? undefined : errorText(body, text),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    };
  } catch (error) {
    return { transportError: error };
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The API's error text: Fly answers `{ error }`, sometimes `{ message }`, proxies plain text. */
function errorText(body: unknown, raw: string): string | undefined {
  if (body && typeof body === 'object') {
    const { error, message } = body as { error?: unknown; message?: unknown };
    if (typeof error === 'string') return error;
    if (typeof message === 'string') return message;
  }
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, 500);
}

/** `fetch failed (ECONNREFUSED)`, `request timed out (…)`: what a person needs to see. */
export function describeTransportError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `request timed out (${error.message})`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
