import type { EventStore, StoredEvent } from '@hangar/event-store';
import { releaseEvents } from './release-feed';

/** A store with one release stream; `append` notifies listeners as LISTEN/NOTIFY would. */
function fakeStore() {
  const events: StoredEvent[] = [];
  const listeners = new Set<() => void>();
  let reads = 0;
  const store = {
    readStream: async (_id: string, opts: { from?: number } = {}) => {
      reads += 1;
      return events.filter((e) => e.streamPosition >= (opts.from ?? 1));
    },
    onAppended: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as EventStore;
  const append = (type: string) => {
    events.push({ type, streamPosition: events.length + 1, data: {}, metadata: {}, recordedAt: new Date(0) } as StoredEvent);
    for (const l of [...listeners]) l();
  };
  return { store, append, reads: () => reads, listeners: () => listeners.size };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe(releaseEvents.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('follows by waiting for the next append, not by polling: an idle follower reads once per fallback period (review M6)', async () => {
    const f = fakeStore();
    f.append('ReleaseQueued');
    const it = releaseEvents(f.store, 'r1', { follow: true, signal: new AbortController().signal });
    expect((await it.next()).value).toMatchObject({ type: 'ReleaseQueued' });
    const next = it.next();
    await settle();
    expect(f.reads()).toBe(1);
    jest.advanceTimersByTime(1900);
    await settle();
    expect(f.reads()).toBe(1);
    f.append('ReleaseStarted');
    await settle();
    expect((await next).value).toMatchObject({ type: 'ReleaseStarted' });
    expect(f.reads()).toBe(2);
    const after = it.next();
    await settle();
    jest.advanceTimersByTime(2000);
    await settle();
    expect(f.reads()).toBe(3);
    f.append('ReleaseCompleted');
    await settle();
    expect((await after).value).toMatchObject({ type: 'ReleaseCompleted' });
    expect((await it.next()).done).toBe(true);
    expect(f.listeners()).toBe(0);
  });

  it('stops waiting as soon as the client goes away', async () => {
    const f = fakeStore();
    f.append('ReleaseQueued');
    const abort = new AbortController();
    const it = releaseEvents(f.store, 'r1', { follow: true, signal: abort.signal });
    await it.next();
    const next = it.next();
    await settle();
    abort.abort();
    expect((await next).done).toBe(true);
    expect(f.listeners()).toBe(0);
  });
});
