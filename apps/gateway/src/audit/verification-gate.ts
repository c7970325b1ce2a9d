import { createHash } from 'node:crypto';
import { HangarError } from '@hangar/contracts';
import type { CheckpointExport, VerificationReport } from '@hangar/event-store';

/** `AUDIT.VERIFICATION_RUNNING`: another verification is running in this gateway (429). */
export const VERIFICATION_RUNNING = 'AUDIT.VERIFICATION_RUNNING';

/** The port the gate runs one verification through (`verifyEventStore` on the verification pool). */
export type VerifyStore = (against: CheckpointExport | undefined) => Promise<VerificationReport>;

/**
 * One `audit verify` at a time per gateway (review M6): each hashes the whole store in one snapshot.
 * A caller asking for the verification already running (the same `against`, or none) shares its
 * report; any other waits for nobody and gets `AUDIT.VERIFICATION_RUNNING`. Nothing is cached: a
 * request after the running one finished starts a new verification.
 */
export class VerificationGate {
  private running: { key: string; report: Promise<VerificationReport> } | undefined;

  constructor(
    private readonly verify: VerifyStore,
    /** The `Retry-After` suggested to a refused caller, seconds. */
    private readonly retryAfterSeconds = 10,
  ) {}

  run(against?: CheckpointExport): Promise<VerificationReport> {
    const key = against ? `against:${createHash('sha256').update(JSON.stringify(against)).digest('hex')}` : 'store';
    if (this.running) {
      if (this.running.key === key) return this.running.report;
      throw new HangarError(VERIFICATION_RUNNING, 'another audit verification is running in this gateway; try again once it finished', { retryAfterSeconds: this.retryAfterSeconds });
    }
    const running = {
      key,
      report: this.verify(against).finally(() => {
        if (this.running === running) this.running = undefined;
      }),
    };
    this.running = running;
    return running.report;
  }
}
