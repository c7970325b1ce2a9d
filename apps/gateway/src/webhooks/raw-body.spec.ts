import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { HangarError } from '@hangar/contracts';
import { MAX_WEBHOOK_BODY_BYTES, readRawBody } from './raw-body';

const CAP = MAX_WEBHOOK_BODY_BYTES;

/** A stream that yields `chunks`, then ends only when `end` is true (otherwise it stays open, like a slow sender). */
function source(chunks: Buffer[], end = true): Readable & { reads: number } {
  const queue = [...chunks];
  const stream = new Readable({
    read() {
      stream.reads += 1;
      const next = queue.shift();
      if (next) this.push(next);
      else if (end) this.push(null);
    },
  }) as Readable & { reads: number };
  stream.reads = 0;
  return stream;
}

const chunksOf = (total: number, size = 64 * 1024): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < total; at += size) out.push(Buffer.alloc(Math.min(size, total - at), at % 251));
  return out;
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof HangarError ? error.code : `not a HangarError: ${String(error)}`;
  }
  return 'resolved';
}

describe(readRawBody.name, () => {
  it('returns the body byte for byte when it is under the cap', async () => {
    const body = Buffer.concat([Buffer.from('{"events":['), Buffer.from([0xe2, 0x82]), Buffer.from([0xac]), Buffer.from(']}')]);
    const read = await readRawBody(source([body.subarray(0, 5), body.subarray(5, 12), body.subarray(12)]));
    expect(read.equals(body)).toBe(true);
  });

  it('accepts a body of exactly 1 MiB, declared or not', async () => {
    expect((await readRawBody(source(chunksOf(CAP)))).length).toBe(CAP);
    expect((await readRawBody(source(chunksOf(CAP)), { 'content-length': String(CAP) })).length).toBe(CAP);
  });

  it('refuses a declared Content-Length over the cap without reading a byte', async () => {
    const stream = source(chunksOf(CAP + 1));
    expect(await codeOf(readRawBody(stream, { 'content-length': String(CAP + 1) }))).toBe('WEBHOOK.TOO_LARGE');
    expect(stream.reads).toBe(0);
  });

  it('refuses an undeclared body the moment it passes the cap, without waiting for its end', async () => {
    // The sender has sent one byte more than the cap and never finishes.
    const stream = source(chunksOf(CAP + 1), false);
    await expect(readRawBody(stream)).rejects.toMatchObject({ code: 'WEBHOOK.TOO_LARGE', details: { limitBytes: CAP } });
    stream.destroy();
  });

  it('counts bytes, not chunks: a single chunk over a small cap is refused', async () => {
    expect(await codeOf(readRawBody(source([Buffer.alloc(11)]), {}, 10))).toBe('WEBHOOK.TOO_LARGE');
    expect((await readRawBody(source([Buffer.alloc(10)]), {}, 10)).length).toBe(10);
  });

  it('fails as incomplete when the sender goes away before the end', async () => {
    const stream = source([Buffer.from('{"events":[')], false);
    const read = readRawBody(stream);
    stream.once('data', () => setImmediate(() => stream.destroy()));
    expect(await codeOf(read)).toBe('WEBHOOK.INCOMPLETE_BODY');
  });

  it('fails as incomplete, instead of waiting forever, when the sender was gone before reading began', async () => {
    const stream = source([Buffer.from('{}')], false);
    stream.destroy();
    expect(await codeOf(readRawBody(stream))).toBe('WEBHOOK.INCOMPLETE_BODY');
  });

  describe('over a real HTTP connection', () => {
    let server: Server;
    let port: number;
    const outcomes: string[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        readRawBody(req, req.headers).then(
          (body) => {
            outcomes.push(`read ${body.length}`);
            res.end(JSON.stringify({ bytes: body.length }));
          },
          (error: HangarError) => {
            outcomes.push(error.code);
            res.statusCode = error.code === 'WEBHOOK.TOO_LARGE' ? 413 : 400;
            res.setHeader('Connection', 'close');
            res.end(JSON.stringify(error.toBody()));
          },
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    beforeEach(() => {
      outcomes.length = 0;
    });

    /** Sends headers and `chunks` (ending the request only when `end`); resolves with the response, with a deadline. */
    function post(headers: Record<string, string>, chunks: Buffer[], end: boolean): Promise<{ status: number; connection?: string; body: string }> {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('no response within 10 s')), 10_000);
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/webhooks/registry/r', headers }, (res: IncomingMessage) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => {
            clearTimeout(deadline);
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString(), ...(res.headers.connection ? { connection: res.headers.connection } : {}) });
          });
        });
        // Once the server has answered it may close the connection while we still write: that is the point.
        req.on('error', () => undefined);
        req.flushHeaders();
        const writeNext = (i: number): void => {
          if (i >= chunks.length) {
            if (end) req.end();
            return;
          }
          if (req.destroyed) return;
          if (req.write(chunks[i]!)) setImmediate(() => writeNext(i + 1));
          else req.once('drain', () => writeNext(i + 1));
        };
        writeNext(0);
      });
    }

    it('reads a chunked body of exactly 1 MiB', async () => {
      const res = await post({ 'Content-Type': 'application/json' }, chunksOf(CAP), true);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ bytes: CAP });
    });

    it('answers 413 to a declared Content-Length over the cap before any body is sent', async () => {
      const res = await post({ 'Content-Length': String(5 * CAP) }, [], false);
      expect(res.status).toBe(413);
      expect(res.connection).toBe('close');
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'WEBHOOK.TOO_LARGE' } });
      expect(outcomes).toEqual(['WEBHOOK.TOO_LARGE']);
    });

    it('answers 413 to a chunked body as soon as it passes the cap, while the sender is still sending', async () => {
      const res = await post({ 'Content-Type': 'application/json' }, chunksOf(CAP + 1), false);
      expect(res.status).toBe(413);
      expect(res.connection).toBe('close');
      expect(outcomes).toEqual(['WEBHOOK.TOO_LARGE']);
    });
  });
});
