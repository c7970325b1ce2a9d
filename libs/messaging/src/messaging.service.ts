import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import type { EventsStreamLimits } from '@hangar/contracts';
import { EVENT_STORE, PG_POOL, type EventStore } from '@hangar/event-store';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { DurableConsumerOptions } from './consumer.types';
import { DurableConsumer } from './durable-consumer';
import { AuditCheckpointSchedule } from './audit-checkpoint.schedule';
import { EventRelay, type EventRelayOptions } from './event-relay';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from './messaging.tokens';

export type StartRelayOptions = Omit<EventRelayOptions, 'store' | 'pool' | 'nc' | 'ns'> & {
  /** The active relay also records audit checkpoints this often (default 5 minutes; 0 = never). */
  auditCheckpointIntervalMs?: number;
};
export type StartConsumerOptions = Omit<DurableConsumerOptions, 'store' | 'pool' | 'nc' | 'ns' | 'service'>;

/**
 * Starts the relay and durable consumers of a service with the shared connection, store and pool,
 * and stops them before the connection and pool close. Needs `EventStoreModule` in the app.
 */
@Injectable()
export class MessagingService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly relays: EventRelay[] = [];
  private readonly consumers: DurableConsumer[] = [];
  private readonly schedules: AuditCheckpointSchedule[] = [];
  private shuttingDown = false;
  private readonly closeables: { close(): Promise<void> }[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Optional() @Inject(EVENT_STORE) private readonly store?: EventStore,
    @Optional() @Inject(PG_POOL) private readonly pool?: Pool,
  ) {}

  /** Starts an `EventRelay` for this namespace (it waits as a standby while another holds the lock). */
  startRelay(options: StartRelayOptions = {}): EventRelay {
    const { auditCheckpointIntervalMs, ...relayOptions } = options;
    const deps = this.storeDeps();
    const relay = new EventRelay({ ...this.streamLimits(), ...relayOptions, ...deps, nc: this.nc, ns: this.options.ns });
    relay.start();
    this.relays.push(relay);
    const schedule = new AuditCheckpointSchedule({ store: deps.store, db: deps.pool, isWriter: () => relay.isLeader, intervalMs: auditCheckpointIntervalMs });
    schedule.start();
    this.schedules.push(schedule);
    return relay;
  }

  /** Creates or updates the durable `durableName(ns, service, purpose)` and starts consuming. */
  async startConsumer(options: StartConsumerOptions): Promise<DurableConsumer> {
    const consumer = new DurableConsumer({ ...this.streamLimits(), ...options, ...this.storeDeps(), nc: this.nc, ns: this.options.ns, service: this.options.service });
    await consumer.start();
    this.consumers.push(consumer);
    return consumer;
  }

  /** What `/metrics` and `/readyz` of the ops port read (DESIGN §7.2): the relays and consumers this replica runs. */
  get running(): { relays: readonly EventRelay[]; consumers: readonly DurableConsumer[]; stopping: boolean } {
    return { relays: this.relays, consumers: this.consumers, stopping: this.shuttingDown };
  }

  /** Closes `closeable` (the ops port) last, once the application has shut down. */
  closeOnShutdown(closeable: { close(): Promise<void> }): void {
    this.closeables.push(closeable);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.closeables.splice(0).map((c) => c.close()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.allSettled([...this.consumers.map((c) => c.stop()), ...this.relays.map((r) => r.stop()), ...this.schedules.map((s) => s.stop())]);
  }

  private streamLimits(): { eventsStream?: EventsStreamLimits } {
    return this.options.eventsStream ? { eventsStream: this.options.eventsStream } : {};
  }

  private storeDeps(): { store: EventStore; pool: Pool } {
    if (!this.store || !this.pool) throw new Error('MessagingService needs EventStoreModule.forRootAsync() in the application');
    return { store: this.store, pool: this.pool };
  }
}
