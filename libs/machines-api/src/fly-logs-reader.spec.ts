import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlyLogsReader } from './fly-logs-reader';

/** A stand-in for Fly's logs API: answers pages in turn and records each request. */
function logsApi(pages: { status: number; body: unknown }[]): Promise<{ url: string; seen: IncomingMessage[]; server: Server }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const page = pages[Math.min(seen.length - 1, pages.length - 1)]!;
    res.writeHead(page.status, { 'content-type': 'application/json' }).end(JSON.stringify(page.body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server })));
}

const page = (messages: string[], next = 'tok') => ({ status: 200, body: { data: messages.map((m, i) => ({ id: String(i), attributes: { timestamp: '', message: m } })), meta: { next_token: next } } });

describe(FlyLogsReader.name, () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('reads the machine’s lines as flyctl does: /api/v1/apps/:app/logs?instance=…, following next_token, with the token’s own scheme', async () => {
    const api = await logsApi([page(['migrating', 'ERROR: boom'], 't1'), page([], 't1')]);
    server = api.server;
    const sut = new FlyLogsReader({ apiUrl: api.url, token: 'FlyV1 fm2_abc', settleMs: 5_000, pollMs: 10 });
    expect(await sut.logs('my-app', 'm123')).toEqual({ available: true, lines: ['migrating', 'ERROR: boom'] });
    const [first, second] = api.seen.map((r) => new URL(r.url!, api.url));
    expect(first!.pathname).toBe('/api/v1/apps/my-app/logs');
    expect(first!.searchParams.get('instance')).toBe('m123');
    expect(second!.searchParams.get('next_token')).toBe('t1');
    expect(api.seen[0]!.headers.authorization).toBe('FlyV1 fm2_abc');
  });

  it('says logs are unavailable, and why, when the token may not read them or the route is missing', async () => {
    const api = await logsApi([{ status: 401, body: { error: 'unauthorized' } }]);
    server = api.server;
    const denied = await new FlyLogsReader({ apiUrl: api.url, token: 'deploy-token' }).logs('my-app', 'm123');
    expect(denied).toEqual({ available: false, reason: expect.stringContaining('not authorized to read app logs') });
    expect(api.seen[0]!.headers.authorization).toBe('Bearer deploy-token');
    api.server.close();
    const missing = await logsApi([{ status: 404, body: { error: 'Not Found' } }]);
    server = missing.server;
    expect(await new FlyLogsReader({ apiUrl: missing.url }).logs('my-app', 'm123')).toEqual({ available: false, reason: "Fly's logs API answered 404 Not Found" });
  });
});
