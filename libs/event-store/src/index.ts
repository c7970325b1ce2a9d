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
export { computeEventHash, computeLegacyEventHash, isKeyedHash, KEYED_HASH_PREFIX, canonicalJson, normalizeJson } from './event-hash';
export type { HashedEvent } from './event-hash';
export { eventStoreMigrations } from './event-store-migrations';
export { queryEvents, MAX_EVENT_QUERY_LIMIT, DEFAULT_EVENT_QUERY_LIMIT } from './event-query';
export type { EventQuery, EventPage, SqlQueryable } from './event-query';
export { recordAuditCheckpoint } from './audit/audit-checkpoint';
export type { RecordCheckpointOptions, RecordCheckpointResult } from './audit/audit-checkpoint';
export { verifyEventStore, exportAuditCheckpoint } from './audit/store-verifier';
export type { VerificationReport, CheckpointSummary, VerifyOptions, AuditCrossCheck } from './audit/store-verifier';
export { parseCheckpointExport, CHECKPOINT_EXPORT_FORMAT } from './audit/checkpoint-export';
export type { CheckpointExport } from './audit/checkpoint-export';
export { resolveAuditKey } from './audit/audit-key';
export type { AuditKeySource } from './audit/audit-key';
export { checkStreamChain } from './audit/chain-check';
export type { TamperFinding, TamperKind, ChainRow } from './audit/chain-check';
export { AUDIT_CHECKPOINT_EVENT, digestOf } from './audit/checkpoint-digest';
export type { AuditCheckpointData, StreamHead, HeadRegression } from './audit/checkpoint-digest';
export { runMigrations, ensureDatabase } from './run-migrations';
export type { RunMigrationsOptions } from './run-migrations';
export { createEventStore, createPool } from './create-event-store';
export type { EventStoreOptions, EventStoreHandle } from './create-event-store';
export { EventStoreModule, EVENT_STORE, PG_POOL, AUDIT_KEY } from './event-store.module';
export type { EventStoreModuleAsyncOptions } from './event-store.module';
export { sqlFilesIn } from './sql-files';
