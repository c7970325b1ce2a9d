import { Logger, type INestMicroservice } from '@nestjs/common';
import type { Pool } from 'pg';
import { NestFactory } from '@nestjs/core';
import { ensureDatabase, eventStoreMigrations, PG_POOL, runMigrations } from '@hangar/event-store';
import type { NatsEndpoint, OpsEndpoint } from '@hangar/contracts';
import type { NatsConnection } from 'nats';
import { ApiTokenStore } from './auth/api-token.store';
import { CommandAuthGuard } from './auth/command-auth.guard';
import { messagingMigrations } from './messaging-migrations';
import { MessagingService } from './messaging.service';
import { NATS_CONNECTION } from './messaging.tokens';
import { startOpsServer } from './ops/ops-server';
import { serviceMetrics, serviceReadiness } from './ops/service-ops';
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
  nats: NatsEndpoint;
  ns: string;
  service: string;
  /**
   * Also run an event relay (default true). Every service runs one; the advisory lock keeps exactly
   * one active, so the feed keeps flowing whichever services are up. Needs `EventStoreModule`.
   */
  relay?: boolean;
  /** `HANGAR_OPS_PORT`: serve `/healthz`, `/readyz` and `/metrics` there once started (none in `hangar server`, one process). */
  ops?: OpsEndpoint;
}

/**
 * Starts a command-serving service: a Nest microservice on the namespaced NATS transport with the
 * RPC error filter and validation pipe installed, every command's sender established by
 * `CommandAuthGuard` (needs `EventStoreModule` for the tokens bound to outside NATS identities),
 * shutdown hooks enabled, and the relay (with its audit checkpoints) started.
 */
export async function startService(module: unknown, options: StartServiceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module as Parameters<typeof NestFactory.createMicroservice>[0], {
    ...createMicroserviceOptions(options),
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.useGlobalPipes(rpcValidationPipe());
  const pool = app.get<Pool>(PG_POOL);
  app.useGlobalGuards(new CommandAuthGuard(new ApiTokenStore(pool), options.service, pool));
  if (options.nats.insecure) new Logger(options.service).warn('HANGAR_NATS_INSECURE=1: whoever reaches NATS can send this service commands');
  app.enableShutdownHooks();
  await app.listen();
  const messaging = app.get(MessagingService);
  if (options.relay ?? true) messaging.startRelay();
  if (options.ops) {
    const nc = app.get<NatsConnection>(NATS_CONNECTION);
    const ops = await startOpsServer({
      endpoint: options.ops,
      service: options.service,
      ready: serviceReadiness(options.service, { pool, nc, messaging }),
      metrics: serviceMetrics(options.service, messaging),
    });
    messaging.closeOnShutdown(ops);
  }
  new Logger(options.service).log(`${options.service} service ready`);
  return app;
}
