import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, streams, type MachineUpdatedData, type MachineUpdateFailedData, type MachineUpdateRequestedData } from '@hangar/contracts';
import { EVENT_STORE, type EventStore, type Tx } from '@hangar/event-store';
import { MachineOperationExecutor, type OperationResult } from './machine-operation.executor';
import { OperationClaims } from './operation-claims';
import { SecretsDelivery } from './secrets-delivery';
import { operationHistory, type OperationHistory, type RecordedOutcome } from './domain/operation-history';
import { machineFacts } from './domain/machine-facts';

export type { RecordedOutcome } from './domain/operation-history';

/** A `MachineUpdateRequested` as recorded: what to do, and when it was asked for. */
export interface RequestedOperation {
  request: MachineUpdateRequestedData;
  requestEventId: string;
  requestedAt: Date;
}

/** Writes the outcome: in the consumed message's transaction (consumer), or on its own (reconcile). */
export type Persist = (write: (tx?: Tx) => Promise<void>) => Promise<void>;

export type RunOutcome =
  | { kind: 'done'; outcome: RecordedOutcome }
  /** Another delivery or process is carrying it out and will report it. */
  | { kind: 'busy' }
  | { kind: 'retry'; afterMs: number; reason: string };

export type ReconcileStatus = { status: 'done'; outcome: RecordedOutcome } | { status: 'running' } | { status: 'started' };

/**
 * How long an operation may stay undecided because of outages (machines API unreachable, store
 * away) beyond its own wait timeout before it is reported failed rather than retried again.
 */
const OUTAGE_BUDGET_MS = 60_000;
const RETRY_AFTER_MS = 1000;

/**
 * Carries out requested machine operations exactly once in effect, whoever asks: the durable
 * consumer (first delivery or a redelivery) or the releaser's reconciliation after a crash or a lost
 * message. One claim per operation key across processes; the machine stream is read first, so an
 * operation with a recorded outcome is never run again, and one interrupted after recording its
 * lease nonce resumes under that lease.
 */
@Injectable()
export class OperationRunner implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(OperationRunner.name);
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly executor: MachineOperationExecutor,
    private readonly claims: OperationClaims,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly secrets: SecretsDelivery,
  ) {}

  /** Runs the operation to its end in this call, unless someone else is already on it. */
  async run(op: RequestedOperation, persist: Persist): Promise<RunOutcome> {
    if (!(await this.claims.tryClaim(op.request.key))) return { kind: 'busy' };
    try {
      return await this.runClaimed(op, persist, await this.history(op.request));
    } finally {
      await this.claims.release(op.request.key);
    }
  }

  /**
   * What the releaser's reconciliation asks about an operation with no recorded outcome in its view:
   * the outcome when there is one (its message may have been lost), `running` when someone is on it,
   * else the operation is started in the background (`started`) and reports through the feed.
   */
  async reconcile(op: RequestedOperation): Promise<ReconcileStatus> {
    const key = op.request.key;
    if (!(await this.claims.tryClaim(key))) return { status: 'running' };
    let handedOver = false;
    try {
      const history = await this.history(op.request);
      if (history.outcome) return { status: 'done', outcome: history.outcome };
      const persist: Persist = (write) => write();
      const work = this.runClaimed(op, persist, history)
        .then((r) => r.kind === 'retry' && this.logger.warn(`operation ${key} will be retried: ${r.reason}`))
        .catch((error: unknown) => this.logger.warn(`operation ${key}: ${(error as Error).message}`))
        .finally(() => this.claims.release(key));
      handedOver = true;
      this.background.add(work);
      void work.finally(() => this.background.delete(work));
      return { status: 'started' };
    } finally {
      if (!handedOver) await this.claims.release(key);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  /** After the consumers stopped (beforeApplicationShutdown): ending the session drops any claim left. */
  async onApplicationShutdown(): Promise<void> {
    await this.claims.close();
  }

  private async runClaimed(op: RequestedOperation, persist: Persist, history: OperationHistory): Promise<RunOutcome> {
    if (history.outcome) return { kind: 'done', outcome: history.outcome };
    const req = op.request;
    const metadata = { correlationId: req.releaseId, causationId: op.requestEventId, actor: 'system' };
    // The release's secrets go into the config sent to the machines API, and nowhere else (G5).
    const delivery = await this.secrets.prepare(req);
    const result =
      delivery.kind === 'unavailable'
        ? delivery.result
        : delivery.redact(
            await this.executor.execute(delivery.request, {
              ...(history.leaseNonce ? { resumeNonce: history.leaseNonce } : {}),
              ...(history.started ? { resumed: true } : {}),
              beforeMutation: async ({ machineId, nonce }) => {
                await this.claims.assertHeld(req.key);
                const data = { app: req.app, key: req.key, kind: req.kind, releaseId: req.releaseId, ...(nonce ? { leaseNonce: nonce } : {}) };
                await this.store.append(streams.machine(machineId), [{ type: EventTypes.MachineUpdateStarted, data, metadata }], { expectedVersion: 'ANY' });
              },
            }),
          );
    const outageLeft = op.requestedAt.getTime() + req.waitTimeoutMs + OUTAGE_BUDGET_MS - Date.now();
    if (!result.ok && result.retryable && outageLeft > 0) return { kind: 'retry', afterMs: RETRY_AFTER_MS, reason: result.reason };
    const outcome = outcomeOf(req, result);
    if (!result.ok) this.logger.warn(`operation ${req.key} failed: ${result.reason}`);
    await persist(async (tx) => {
      const event = { eventId: outcome.eventId, type: outcome.type, data: { ...outcome.data }, metadata };
      // Where this operation's history is read from, so a recorded outcome is always found: for an
      // operation that makes a machine (create, replace, release command) that is not the new machine's stream.
      await this.store.append(historyStream(req), [event], { expectedVersion: 'ANY', ...(tx ? { tx } : {}) });
    });
    return { kind: 'done', outcome };
  }

  /** The operation's earlier runs, from the stream its events go to (the machine's, or the key's for a create). */
  private async history(req: MachineUpdateRequestedData): Promise<OperationHistory> {
    return operationHistory(await this.store.readStream(historyStream(req)), req.key);
  }
}

/** `machine-<id>` of the machine the request names, or `machine-<key>` when it makes one. */
function historyStream(req: MachineUpdateRequestedData): string {
  return streams.machine(req.machineId ?? req.key);
}

/** The outcome event of a finished run; any further facts the executor reported travel in its data. */
function outcomeOf(req: MachineUpdateRequestedData, result: OperationResult): RecordedOutcome {
  const eventId = randomUUID();
  const base = { app: req.app, key: req.key, kind: req.kind, releaseId: req.releaseId };
  if (result.ok) {
    const { ok: _ok, ...facts } = result;
    const data: MachineUpdatedData = { ...base, ...machineFacts(req), ...facts };
    return { eventId, type: EventTypes.MachineUpdated, data };
  }
  const { ok: _ok, retryable: _retryable, ...facts } = result;
  const data: MachineUpdateFailedData = { ...base, ...facts };
  return { eventId, type: EventTypes.MachineUpdateFailed, data };
}
