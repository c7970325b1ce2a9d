import { EventTypes, type MachineUpdatedData, type MachineUpdateFailedData } from '@hangar/contracts';

/** An outcome machine-updater recorded for an operation key. */
export type RecordedOutcome =
  | { eventId: string; type: typeof EventTypes.MachineUpdated; data: MachineUpdatedData }
  | { eventId: string; type: typeof EventTypes.MachineUpdateFailed; data: MachineUpdateFailedData };

/** What earlier runs of one operation left in its stream. */
export type OperationHistory = {
  /** Set once the operation was reported: it is never carried out again. */
  readonly outcome?: RecordedOutcome;
  /** The lease nonce the latest interrupted run recorded before mutating under it. */
  readonly leaseNonce?: string;
  /** An earlier run got as far as its first mutation (it may have sent a create whose machine exists). */
  readonly started?: boolean;
};

type StreamEvent = { readonly eventId: string; readonly type: string; readonly data: Readonly<Record<string, unknown>> };

/** Folds a machine stream (`machine-<id>`, or `machine-<key>` for a create) for the operation `key`. */
export function operationHistory(events: readonly StreamEvent[], key: string): OperationHistory {
  let history: OperationHistory = {};
  for (const e of events) {
    if (e.data.key !== key) continue;
    if (history.outcome) break;
    if (e.type === EventTypes.MachineUpdated || e.type === EventTypes.MachineUpdateFailed) {
      history = { ...history, outcome: { eventId: e.eventId, type: e.type, data: e.data } as unknown as RecordedOutcome };
    } else if (e.type === EventTypes.MachineUpdateStarted) {
      const nonce = e.data.leaseNonce;
      history = typeof nonce === 'string' ? { leaseNonce: nonce, started: true } : { started: true };
    }
  }
  return history;
}
