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
