import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ensureDatabase, eventStoreMigrations, runMigrations } from '@hangar/event-store';
import { messagingMigrations } from './messaging-migrations';
import { MessagingService } from './messaging.service';
import { createMicroserviceOptions } from './namespaced-nats.server';
import { RpcErrorFilter } from './rpc-error.filter';
import { rpcValidationPipe } from './rpc-validation.pipe';

/**
 * Creates the database when missing and runs the event store's and messaging's migrations
 * (DESIGN §7.4). Safe to call from every service at boot: concurrent runs are serialised.
 * A service with tables of its own runs its migrations after this with `runMigrations`.
 */
export async function prepareHangarDatabase(databaseUrl: string): Promise<void> {
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl, [...eventStoreMigrations, ...messagingMigrations]);
}

export interface StartServiceOptions {
  natsUrl: string;
  ns: string;
  service: string;
  /**
   * Also run an event relay (default true). Every service runs one; the advisory lock keeps exactly
   * one active, so the feed keeps flowing whichever services are up. Needs `EventStoreModule`.
   */
  relay?: boolean;
}

/**
 * Starts a command-serving service: a Nest microservice on the namespaced NATS transport with the
 * RPC error filter and validation pipe installed, shutdown hooks enabled, and the relay started.
 */
export async function startService(module: unknown, options: StartServiceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module as Parameters<typeof NestFactory.createMicroservice>[0], {
    ...createMicroserviceOptions(options),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.useGlobalPipes(rpcValidationPipe());
  app.enableShutdownHooks();
  await app.listen();
  if (options.relay ?? true) app.get(MessagingService).startRelay();
  new Logger(options.service).log(`${options.service} service ready`);
  return app;
}
