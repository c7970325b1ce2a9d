export { START_CHECKPOINT } from './event-store.types';
export type {
  ExpectedVersion,
  EventMetadata,
  NewEvent,
  StoredEvent,
  AppendResult,
  GlobalCheckpoint,
  Tx,
  EventStore,
} from './event-store.types';
export { PostgresEventStore, DEFAULT_NOTIFY_CHANNEL, wrapClient } from './postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres-event-store';
export { StreamVersionConflictError, isStreamVersionConflict, retryOnConflict } from './stream-version-conflict.error';
export { computeEventHash, canonicalJson, normalizeJson } from './event-hash';
export { eventStoreMigrations } from './event-store-migrations';
export { runMigrations, ensureDatabase } from './run-migrations';
export type { RunMigrationsOptions } from './run-migrations';
export { createEventStore, createPool } from './create-event-store';
export type { EventStoreOptions, EventStoreHandle } from './create-event-store';
export { EventStoreModule, EVENT_STORE, PG_POOL } from './event-store.module';
export type { EventStoreModuleAsyncOptions } from './event-store.module';
