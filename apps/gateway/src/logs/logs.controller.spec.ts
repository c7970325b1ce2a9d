import { EventEmitter } from 'node:events';
import { HangarError, type AppLogLine } from '@hangar/contracts';
import type { CommandClient } from '@hangar/messaging';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { statusFor } from '../http/http-error.filter';
import { StreamLimits } from '../releases/stream-limits';
import type { AppLogSource } from './app-log-source';
import { LogsController } from './logs.controller';

const line = (message: string): AppLogLine => ({ timestamp: '2026-12-03T16:21:05.1Z', machineId: '0123456789abcd', instanceId: 'I', region: 'local', processGroup: 'app', stream: 'stdout', message });

/** The parts of an express response the controller uses, recording what it wrote. */
class FakeResponse extends EventEmitter {
  written = '';
  body: unknown;
  ended = false;
  status = () => this;
  set = () => this;
  flushHeaders = () => undefined;
  write = (chunk: string) => ((this.written += chunk), true);
  json = (body: unknown) => ((this.body = body), this);
  end = () => ((this.ended = true), this);
}

/** A follow: two lines, then nothing until the client goes (`signal`). */
const following: AppLogSource = {
  open: async (_app, query) =>
    (async function* () {
      yield line('one');
      yield line('two');
      await new Promise((resolve) => query.signal.addEventListener('abort', resolve));
    })(),
};

describe(LogsController.name, () => {
  const commands = { request: jest.fn().mockResolvedValue({ app: { name: 'demo' } }) } as unknown as CommandClient;
  const req = (accept = '') => ({ actor: 'ci', headers: { accept } }) as unknown as AuthenticatedRequest;

  it('answers JSON without follow', async () => {
    const source: AppLogSource = {
      open: async () =>
        (async function* () {
          yield line('one');
        })(),
    };
    const res = new FakeResponse();
    await new LogsController(commands, source, new StreamLimits()).logs('demo', {}, req(), res as unknown as Response);
    expect(res.body).toEqual({ app: 'demo', lines: [line('one')] });
    expect(res.written).toBe('');
  });

  it('streams server-sent events while following, counting against the stream limits until the client goes', async () => {
    const sut = new LogsController(commands, following, new StreamLimits({ total: 10, perCaller: 1 }));
    const res = new FakeResponse();
    const first = sut.logs('demo', { follow: 'true' }, req(), res as unknown as Response);
    await new Promise((resolve) => setImmediate(resolve));
    expect(res.written).toBe(`event: log\ndata: ${JSON.stringify(line('one'))}\n\nevent: log\ndata: ${JSON.stringify(line('two'))}\n\n`);

    const second = sut.logs('demo', { follow: 'true' }, req(), new FakeResponse() as unknown as Response);
    await expect(second).rejects.toThrow(HangarError);
    await second.catch((e: HangarError) => expect(statusFor(e.code)).toBe(429));

    res.emit('close');
    await first;
    expect(res.ended).toBe(true);
    const third = new FakeResponse();
    const again = sut.logs('demo', { follow: 'true' }, req(), third as unknown as Response);
    await new Promise((resolve) => setImmediate(resolve));
    expect(third.written).toContain('event: log');
    third.emit('close');
    await again;
  });

  it('refuses a bad machine id before asking anyone', async () => {
    const request = jest.fn();
    const sut = new LogsController({ request } as unknown as CommandClient, following, new StreamLimits());
    await expect(sut.logs('demo', { machine: 'nope' }, req(), new FakeResponse() as unknown as Response)).rejects.toMatchObject({ code: 'REQUEST.INVALID' });
    expect(request).not.toHaveBeenCalled();
  });
});
