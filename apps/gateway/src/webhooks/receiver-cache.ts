import { HangarError } from '@hangar/contracts';
import { ReceiverDirectory, type ReceiverCredentials } from './receiver-credentials';
import { WebhookErrorCodes } from './webhook-errors';

export interface ReceiverCacheOptions {
  /** How long an answer is reused, ms (default 30 000): a receiver removed through another gateway answers 404 here at most this late. */
  ttlMs?: number;
  /** Receivers remembered at most (default 10 000); the oldest answer is dropped first. */
  maxEntries?: number;
  /** ms since the epoch (default `Date.now`). */
  now?: () => number;
}

type Entry = { at: number; answer: Promise<ReceiverCredentials> };

/**
 * Receivers as the directory behind it knows them, each answer reused for a short time (review M6):
 * a delivery to a receiver, or to an unknown id, costs builder's lookup of the receivers stream and
 * the secrets service's sealed secret at most once per `ttlMs`, before any authentication. Unknown
 * ids are remembered too; a lookup that failed otherwise (NATS away) is not. Concurrent deliveries to
 * one receiver share one lookup. The secret stays in this process's memory only.
 */
export class ReceiverCache extends ReceiverDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: ReceiverDirectory,
    options: ReceiverCacheOptions = {},
  ) {
    super();
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  credentials(receiverId: string): Promise<ReceiverCredentials> {
    const cached = this.entries.get(receiverId);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.answer;
    this.entries.delete(receiverId);
    const entry: Entry = { at: this.now(), answer: this.inner.credentials(receiverId) };
    entry.answer.catch((error: unknown) => {
      const notFound = error instanceof HangarError && error.code === WebhookErrorCodes.RECEIVER_NOT_FOUND;
      if (!notFound && this.entries.get(receiverId) === entry) this.entries.delete(receiverId);
    });
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(receiverId, entry);
    return entry.answer;
  }

  /** Drops what is remembered of a receiver (after this gateway added or removed it). */
  forget(receiverId: string): void {
    this.entries.delete(receiverId);
  }
}
