import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { steadyLoad } from './steady-load';

describe(steadyLoad.name, () => {
  let server: Server;
  let url: string;
  const connections = new Set<unknown>();
  const hosts: string[] = [];

  beforeAll(async () => {
    let n = 0;
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      n += 1;
      if (req.url === '/flaky' && n % 5 === 0) {
        res.writeHead(503).end('down for a moment');
        return;
      }
      res.end('ok');
    });
    server.on('connection', (socket) => connections.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends rps requests a second with the given Host, mixing kept-alive and new connections', async () => {
    connections.clear();
    hosts.length = 0;

    const result = await steadyLoad({ url, host: 'demo.localhost', rps: 200, keepAliveShare: 0.5, durationMs: 300 });

    expect(result.requests).toBeGreaterThanOrEqual(40);
    expect(result.requests).toBeLessThanOrEqual(60);
    expect(result).toMatchObject({ failed: 0, failures: [], statuses: { '200': result.requests } });
    expect(hosts.every((h) => h === 'demo.localhost')).toBe(true);
    // Half the requests open their own connection; the other half share a few.
    expect(connections.size).toBeGreaterThan(result.requests / 2 - 2);
    expect(connections.size).toBeLessThan(result.requests);
    expect(result.p99Ms).toBeGreaterThan(0);
  });

  it('counts error statuses and refused connections as failures with their reasons, and stops when `until` settles', async () => {
    const flaky = await steadyLoad({ url: `${url}/flaky`, rps: 100, keepAliveShare: 1, until: new Promise((resolve) => setTimeout(resolve, 200)) });
    expect(flaky.failed).toBe(flaky.statuses['503']);
    expect(flaky.failed).toBeGreaterThan(0);
    expect(flaky.failures[0]).toBe('503 down for a moment');

    const refused = await steadyLoad({ url: 'http://127.0.0.1:1/', rps: 50, durationMs: 100 });
    expect(refused.failed).toBe(refused.requests);
    expect(refused.failures.length).toBe(Math.min(10, refused.requests));
    expect(refused.failures[0]).toBe('ECONNREFUSED');
  });
});
