import type { EventStore } from '@hangar/event-store';
import { streams } from '@hangar/contracts';
import { releaseDecider, type ReleaseEvent, type ReleaseState } from './domain/release.decider';
import { evolveAll, type Loaded } from '../decider-store';

const MAX_ENTRIES = 500;

/**
 * Folded release states kept between messages, caught up from the store on every load. Streams
 * are append-only, so a cached (state, version) is always a valid prefix: a load reads only the
 * events after it, instead of the whole stream (thousands of events for a large rollout).
 */
export class ReleaseStateCache {
  private readonly entries = new Map<string, Loaded<ReleaseState>>();

  constructor(private readonly store: EventStore) {}

  async load(releaseId: string): Promise<Loaded<ReleaseState>> {
    const cached = this.entries.get(releaseId);
    const base = cached ?? { state: releaseDecider.initialState(), version: 0 };
    const events = await this.store.readStream(streams.release(releaseId), { from: base.version + 1 });
    const loaded = {
      state: evolveAll(releaseDecider, base.state, events.map((e) => ({ type: e.type, data: e.data }) as unknown as ReleaseEvent)),
      version: base.version + events.length,
    };
    this.remember(releaseId, loaded);
    return loaded;
  }

  /** Records events this process appended and committed on top of `loaded`. */
  committed(releaseId: string, loaded: Loaded<ReleaseState>, events: readonly ReleaseEvent[]): void {
    this.remember(releaseId, { state: evolveAll(releaseDecider, loaded.state, events), version: loaded.version + events.length });
  }

  private remember(releaseId: string, loaded: Loaded<ReleaseState>): void {
    this.entries.delete(releaseId);
    this.entries.set(releaseId, loaded);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Runs tasks with the same key one after another in this process; different keys run in parallel. */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
