import { Inject, Injectable, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { createEventStore, type EventStoreHandle, type EventStoreOptions } from './create-event-store';

/** Injection token of the `EventStore`. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** Injection token of the store's `pg.Pool` (for a service's own tables in the same database). */
export const PG_POOL = Symbol('PG_POOL');
/** Injection token of the audit key (`Buffer`) the store hashes with, for `verifyEventStore`. */
export const AUDIT_KEY = Symbol('AUDIT_KEY');
const EVENT_STORE_HANDLE = Symbol('EVENT_STORE_HANDLE');

export interface EventStoreModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => EventStoreOptions | Promise<EventStoreOptions>;
}

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE_HANDLE) private readonly handle: EventStoreHandle) {}

  // onApplicationShutdown runs after every beforeApplicationShutdown hook, so consumers and the
  // relay (which stop there) are done with the pool by now.
  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

/** Provides `EVENT_STORE`, `PG_POOL` and `AUDIT_KEY` application-wide; closes the pool on shutdown. */
@Module({})
export class EventStoreModule {
  static forRootAsync(options: EventStoreModuleAsyncOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: EVENT_STORE_HANDLE,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => createEventStore(await options.useFactory(...args)),
        },
        { provide: EVENT_STORE, inject: [EVENT_STORE_HANDLE], useFactory: (h: EventStoreHandle) => h.store },
        { provide: PG_POOL, inject: [EVENT_STORE_HANDLE], useFactory: (h: EventStoreHandle): Pool => h.pool },
        { provide: AUDIT_KEY, inject: [EVENT_STORE_HANDLE], useFactory: (h: EventStoreHandle): Buffer => h.auditKey },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE, PG_POOL, AUDIT_KEY],
    };
  }
}
