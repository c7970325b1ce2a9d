import { Inject, Injectable, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { CommandClient } from './command.client';
import { assertAuthenticatedServer, natsConnectionOptions } from './nats-identity';
import { ConsumerFactory } from './consumer.factory';
import { MessagingService } from './messaging.service';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.tokens';

export interface MessagingModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => MessagingOptions | Promise<MessagingOptions>;
}

/**
 * Connects to NATS as the service's own identity, reconnecting forever (a restarted NATS must not
 * need a restarted service), and refuses a server without authentication unless told it is fine.
 */
export async function connectNats(options: MessagingOptions): Promise<NatsConnection> {
  const nc = await connect({ ...natsConnectionOptions(options.nats, options.service), name: `${options.ns}-${options.service}`, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  try {
    assertAuthenticatedServer(nc, options.nats);
  } catch (err) {
    await nc.close();
    throw err;
  }
  return nc;
}

@Injectable()
class NatsConnectionLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  // After beforeApplicationShutdown, when consumers and relay have stopped: drain flushes pending acks.
  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

/** Provides `NATS_CONNECTION`, `CommandClient`, `MessagingService` and `ConsumerFactory` application-wide. */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: NATS_CONNECTION, inject: [MESSAGING_OPTIONS], useFactory: connectNats },
        { provide: CommandClient, inject: [NATS_CONNECTION, MESSAGING_OPTIONS], useFactory: (nc: NatsConnection, o: MessagingOptions) => new CommandClient(nc, o.ns) },
        MessagingService,
        ConsumerFactory,
        NatsConnectionLifecycle,
      ],
      exports: [NATS_CONNECTION, MESSAGING_OPTIONS, CommandClient, MessagingService, ConsumerFactory],
    };
  }
}
