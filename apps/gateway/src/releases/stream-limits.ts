import { HangarError } from '@hangar/contracts';

/** `REQUEST.TOO_MANY_STREAMS`: answered 429. */
export const TOO_MANY_STREAMS = 'REQUEST.TOO_MANY_STREAMS';

/**
 * Bounds the event streams a gateway keeps open (review M6): at most `total` at once, and at most
 * `perCaller` for one caller, so no token can hold the gateway's connections and database reads.
 */
export class StreamLimits {
  private open = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(private readonly limits: { total: number; perCaller: number } = { total: 200, perCaller: 20 }) {}

  /** Takes a slot for `caller`, or throws `REQUEST.TOO_MANY_STREAMS`; call the returned function once the stream ends. */
  enter(caller: string): () => void {
    const mine = this.byCaller.get(caller) ?? 0;
    if (mine >= this.limits.perCaller) throw new HangarError(TOO_MANY_STREAMS, `${caller} already follows ${mine} event streams, the most one caller may; close one first`, { limit: this.limits.perCaller });
    if (this.open >= this.limits.total) throw new HangarError(TOO_MANY_STREAMS, `the gateway already serves ${this.open} event streams; try again later`, { limit: this.limits.total });
    this.open += 1;
    this.byCaller.set(caller, mine + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.open -= 1;
      const now = (this.byCaller.get(caller) ?? 1) - 1;
      if (now === 0) this.byCaller.delete(caller);
      else this.byCaller.set(caller, now);
    };
  }
}
