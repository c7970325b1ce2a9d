import { Agent, request } from 'node:http';

export interface SteadyLoadOptions {
  /** Where requests go, e.g. the edge's `http://127.0.0.1:4290/`; its path and query are kept. */
  url: string;
  /** The Host header, e.g. `demo.localhost`; default the URL's host. */
  host?: string;
  /** Requests started per second, evenly spread. */
  rps: number;
  /**
   * Share of the requests (0 to 1) sent over kept-alive connections; each of the others opens a new
   * connection and closes it (`Connection: close`). Default 0.5.
   */
  keepAliveShare?: number;
  /** Keep-alive connections at most; default 16. */
  keepAliveConnections?: number;
  /** Stop starting requests after this long, ms. */
  durationMs?: number;
  /** Or once this settles (either way), e.g. a deploy; with both, whichever comes first. */
  until?: Promise<unknown>;
  /** A request with no byte moving for this long fails, ms; default 10 000. */
  timeoutMs?: number;
  /** Which statuses count as answered; default 200-399. */
  ok?: (status: number) => boolean;
}

export interface SteadyLoadResult {
  /** Requests started (every one has ended when the promise resolves). */
  requests: number;
  failed: number;
  /** 99th percentile of the time to a complete response or failure, ms. */
  p99Ms: number;
  /** Why the first ten failures failed: `503 <body start>` or the error code. */
  failures: string[];
  /** Responses by status; `error` for requests with none. */
  statuses: Record<string, number>;
}

const TICK_MS = 5;

/**
 * A steady stream of GET requests for zero-downtime checks: `rps` a second, a mix of kept-alive and
 * new connections, until `durationMs` passed or `until` settled; resolves once the last one ended.
 */
export async function steadyLoad(options: SteadyLoadOptions): Promise<SteadyLoadResult> {
  if (!(options.rps > 0)) throw new Error(`steadyLoad: rps must be positive; got ${options.rps}`);
  const share = options.keepAliveShare ?? 0.5;
  if (share < 0 || share > 1) throw new Error(`steadyLoad: keepAliveShare must be from 0 to 1; got ${share}`);
  if (options.durationMs === undefined && options.until === undefined) throw new Error('steadyLoad: give durationMs or until');

  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.keepAliveConnections ?? 16, timeout: 2000 });
  const ok = options.ok ?? ((status: number) => status >= 200 && status < 400);
  const result: SteadyLoadResult = { requests: 0, failed: 0, p99Ms: 0, failures: [], statuses: {} };
  const latencies: number[] = [];
  const running = new Set<Promise<void>>();

  const fire = (index: number): void => {
    const keepAlive = Math.floor((index + 1) * share) > Math.floor(index * share);
    const started = performance.now();
    const one = send(target, options.host ?? target.host, keepAlive ? agent : undefined, options.timeoutMs ?? 10_000).then((outcome) => {
      latencies.push(performance.now() - started);
      const key = outcome.status === undefined ? 'error' : String(outcome.status);
      result.statuses[key] = (result.statuses[key] ?? 0) + 1;
      if (outcome.status === undefined || !ok(outcome.status)) {
        result.failed += 1;
        if (result.failures.length < 10) result.failures.push(outcome.reason);
      }
      running.delete(one);
    });
    running.add(one);
  };

  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  void options.until?.then(stop, stop);
  const began = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - began;
      if (stopped || (options.durationMs !== undefined && elapsed >= options.durationMs)) {
        // Those due before the end are sent even when this tick came late (a busy machine): the count
        // for a duration is rps × duration, however the timer was served.
        if (!stopped && options.durationMs !== undefined) {
          const dueByEnd = Math.ceil((options.durationMs * options.rps) / 1000);
          while (result.requests < dueByEnd) fire(result.requests++);
        }
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor((elapsed * options.rps) / 1000) + 1;
      while (result.requests < due) fire(result.requests++);
    }, TICK_MS);
  });
  while (running.size > 0) await Promise.all([...running]);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  result.p99Ms = latencies.length === 0 ? 0 : Math.round(latencies[Math.ceil(latencies.length * 0.99) - 1]!);
  return result;
}

function send(target: URL, host: string, agent: Agent | undefined, timeoutMs: number): Promise<{ status?: number; reason: string }> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { host, ...(agent ? {} : { connection: 'close' }) },
        agent: agent ?? false,
        timeout: timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let head = '';
        res.on('data', (chunk: Buffer) => {
          if (head.length < 80) head += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status, reason: `${status} ${head.slice(0, 80).trim()}` }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ reason: `${status} then ${error.code ?? error.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ reason: error.code ?? error.message }));
    req.end();
  });
}
