import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, commandSubject, HangarError } from '@hangar/contracts';
import { TEST_NATS_URL, TEST_NATS_ENDPOINT, testNamespace } from '@hangar/testing';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { connect, type NatsConnection } from 'nats';
import { CommandClient } from './command.client';
import { createMicroserviceOptions } from './namespaced-nats.server';
import { RpcErrorFilter } from './rpc-error.filter';
import { rpcValidationPipe } from './rpc-validation.pipe';

jest.setTimeout(60_000);

class LimitsDto {
  @IsInt()
  @Min(1)
  max!: number;
}

class CreateThingDto {
  @IsString()
  @Matches(/^[a-z][a-z0-9-]*$/)
  app!: string;

  @IsInt()
  @Min(1)
  count!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => LimitsDto)
  limits?: LimitsDto;
}

@Controller()
class ThingController {
  @MessagePattern(commandPattern('releaser', 'create-thing'))
  create(@Payload() dto: CreateThingDto) {
    if (dto.app === 'taken') throw new HangarError('THING.TAKEN', `app ${dto.app} is taken`, { app: dto.app });
    return { thing: { app: dto.app, count: dto.count, isDto: dto instanceof CreateThingDto } };
  }

  @MessagePattern(commandPattern('releaser', 'explode'))
  explode(): never {
    throw new Error('password=hunter2 at /srv/secret.ts:12');
  }

  @MessagePattern(commandPattern('releaser', 'slow'))
  async slow(): Promise<{ ok: true }> {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { ok: true };
  }
}

@Module({ controllers: [ThingController] })
class ThingModule {}

describe('commands over NATS request-reply', () => {
  const ns = testNamespace();
  let app: INestMicroservice;
  let nc: NatsConnection;
  let sut: CommandClient;

  beforeAll(async () => {
    app = await NestFactory.createMicroservice(ThingModule, { ...createMicroserviceOptions({ nats: TEST_NATS_ENDPOINT, ns, service: 'releaser' }), logger: false });
    app.useGlobalFilters(new RpcErrorFilter());
    app.useGlobalPipes(rpcValidationPipe());
    await app.listen();
    nc = await connect({ servers: TEST_NATS_URL });
    sut = new CommandClient(nc, ns);
  });

  afterAll(async () => {
    await nc?.close();
    await app?.close();
  });

  async function raw(command: string, body: string): Promise<unknown> {
    const msg = await nc.request(commandSubject(ns, 'releaser', command), new TextEncoder().encode(body), { timeout: 5000 });
    return JSON.parse(new TextDecoder().decode(msg.data));
  }

  it('answers a CommandClient request with the handler result, validated into the DTO class', async () => {
    await expect(sut.request('releaser', 'create-thing', { app: 'demo', count: 2 })).resolves.toEqual({ thing: { app: 'demo', count: 2, isDto: true } });
  });

  it('answers a plain JSON request from any NATS client with plain JSON', async () => {
    await expect(raw('create-thing', JSON.stringify({ app: 'plain', count: 1 }))).resolves.toEqual({ thing: { app: 'plain', count: 1, isDto: true } });
  });

  it('accepts a Nest-shaped packet too', async () => {
    const packet = { pattern: commandPattern('releaser', 'create-thing'), data: { app: 'nesty', count: 3 }, id: 'abc' };
    await expect(raw('create-thing', JSON.stringify(packet))).resolves.toEqual({ thing: { app: 'nesty', count: 3, isDto: true } });
  });

  it('rejects an invalid DTO with REQUEST.INVALID naming each field', async () => {
    const reply = (await raw('create-thing', JSON.stringify({ app: 'Bad App', count: 0, limits: { max: 'x' }, extra: 1 }))) as {
      error: { code: string; message: string; details: Array<{ path: string; message: string }> };
    };
    expect(reply.error.code).toBe('REQUEST.INVALID');
    const paths = reply.error.details.map((d) => d.path);
    expect(new Set(paths)).toEqual(new Set(['app', 'count', 'limits.max', 'extra']));
    expect(reply.error.message).toContain('count: count must not be less than 1');
    expect(reply.error.message).toContain('extra: property extra should not exist');
    const err = (await sut.request('releaser', 'create-thing', { app: 'ok', count: 'two' }).catch((e: unknown) => e)) as HangarError;
    expect(err).toBeInstanceOf(HangarError);
    expect(err.code).toBe('REQUEST.INVALID');
    expect((err.details as Array<{ path: string }>).map((d) => d.path)).toEqual(['count', 'count']);
  });

  it('rejects a body that is not JSON', async () => {
    await expect(raw('create-thing', '{nope')).resolves.toEqual({ error: { code: 'REQUEST.INVALID', message: 'request body is not valid JSON' } });
  });

  it('rejects a body nested too deep or holding a NUL with REQUEST.INVALID naming where, never INTERNAL.ERROR', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const reply = (await raw('create-thing', deep)) as { error: { code: string; message: string } };
    expect(reply.error.code).toBe('REQUEST.INVALID');
    expect(reply.error.message).toContain('nested deeper than 64 levels');
    await expect(raw('create-thing', JSON.stringify({ app: 'a\u0000b', count: 1 }))).resolves.toEqual({ error: { code: 'REQUEST.INVALID', message: 'app: contains a NUL character' } });
  });

  it('returns a HangarError as its error body, and CommandClient rethrows it', async () => {
    await expect(raw('create-thing', JSON.stringify({ app: 'taken', count: 1 }))).resolves.toEqual({
      error: { code: 'THING.TAKEN', message: 'app taken is taken', details: { app: 'taken' } },
    });
    const err = await sut.request('releaser', 'create-thing', { app: 'taken', count: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HangarError);
    expect(err).toMatchObject({ code: 'THING.TAKEN', message: 'app taken is taken', details: { app: 'taken' } });
  });

  it('hides unexpected errors behind INTERNAL.ERROR', async () => {
    const reply = await raw('explode', '{}');
    expect(reply).toEqual({ error: { code: 'INTERNAL.ERROR', message: 'internal error' } });
    expect(JSON.stringify(reply)).not.toContain('hunter2');
  });

  it('maps no responders and timeouts to transport errors', async () => {
    await expect(sut.request('secrets', 'nobody-home', {})).rejects.toMatchObject({ code: 'TRANSPORT.UNAVAILABLE' });
    await expect(sut.request('releaser', 'slow', {}, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TRANSPORT.TIMEOUT' });
  });

  it('does not answer outside its namespace', async () => {
    const other = new CommandClient(nc, testNamespace());
    await expect(other.request('releaser', 'create-thing', { app: 'demo', count: 1 })).rejects.toMatchObject({ code: 'TRANSPORT.UNAVAILABLE' });
  });
});
