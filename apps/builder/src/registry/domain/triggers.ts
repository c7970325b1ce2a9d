import { RegistryEventTypes, type ReceiverAddedData, type RegistrySource, type TriggerAddedData } from '@hangar/contracts';
import { parseTagPolicy, type TagPolicy } from './tag-policy';

/** One stored event, as the folds here read it. */
export interface RecordedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: Date;
  readonly actor?: string;
}

/** A stored event as the folds here read it (its actor from the metadata). */
export function recorded(e: { eventId: string; type: string; data: unknown; recordedAt: Date; metadata: { actor?: string } }): RecordedEvent {
  return { eventId: e.eventId, type: e.type, data: e.data, recordedAt: e.recordedAt, ...(e.metadata.actor ? { actor: e.metadata.actor } : {}) };
}

export interface TriggerDefinition {
  readonly triggerId: string;
  readonly app: string;
  readonly host: string;
  readonly repository: string;
  /** `host/repository`. */
  readonly image: string;
  readonly policy: TagPolicy;
  readonly createdAt: Date;
  readonly createdBy: string;
}

export interface ReceiverDefinition {
  readonly receiverId: string;
  readonly source: RegistrySource;
  /** Absent for receivers added before hosts were recorded. */
  readonly host?: string;
  readonly repositoryPrefix?: string;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/** The live triggers of the `triggers` stream, in the order they were added. */
export function foldTriggers(events: readonly RecordedEvent[]): Map<string, TriggerDefinition> {
  const triggers = new Map<string, TriggerDefinition>();
  for (const e of events) {
    if (e.type === RegistryEventTypes.TriggerAdded) {
      const d = e.data as TriggerAddedData;
      triggers.set(d.triggerId, {
        triggerId: d.triggerId,
        app: d.app,
        host: d.host,
        repository: d.repository,
        image: d.image,
        policy: parseTagPolicy(d.tagPolicy),
        createdAt: e.recordedAt,
        createdBy: e.actor ?? 'anonymous',
      });
    } else if (e.type === RegistryEventTypes.TriggerRemoved) {
      triggers.delete((e.data as { triggerId: string }).triggerId);
    }
  }
  return triggers;
}

/** The live receivers of the `receivers` stream. */
export function foldReceivers(events: readonly RecordedEvent[]): Map<string, ReceiverDefinition> {
  const receivers = new Map<string, ReceiverDefinition>();
  for (const e of events) {
    if (e.type === RegistryEventTypes.ReceiverAdded) {
      const d = e.data as ReceiverAddedData;
      receivers.set(d.receiverId, {
        receiverId: d.receiverId,
        source: d.source,
        ...(d.host !== undefined ? { host: d.host } : {}),
        ...(d.repositoryPrefix !== undefined ? { repositoryPrefix: d.repositoryPrefix } : {}),
        createdAt: e.recordedAt,
        createdBy: e.actor ?? 'anonymous',
      });
    } else if (e.type === RegistryEventTypes.ReceiverRemoved) {
      receivers.delete((e.data as { receiverId: string }).receiverId);
    }
  }
  return receivers;
}
