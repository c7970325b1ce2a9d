import { Logger } from '@nestjs/common';
import type { SqlQueryable } from '@hangar/event-store';
import { relayLag, releaseStatusCounts, StoreMetrics } from './store-metrics';

describe(releaseStatusCounts.name, () => {
  it('maps each last event type to its status, every status present', () => {
    const counts = releaseStatusCounts([
      { type: 'ReleaseCompleted', releases: 3 },
      { type: 'ReleaseStarted', releases: 1 },
      { type: 'ReleaseRolledBack', releases: 2 },
      { type: 'SomethingElse', releases: 9 },
    ]);
    expect(counts).toEqual({ queued: 0, running: 1, complete: 3, failed: 0, cancelled: 0, rolled_back: 2 });
  });
});

describe(relayLag.name, () => {
  it('is the newest position minus the checkpoint, all of it before the first batch, never negative', () => {
    expect(relayLag(120, 100)).toBe(20);
    expect(relayLag(120, null)).toBe(120);
    expect(relayLag(0, null)).toBe(0);
    expect(relayLag(100, 120)).toBe(0);
  });
});

/** A database that recognises each gauge's query by its SQL; an answer left undefined is a failed query. */
function fakeDb(answers: { releases?: unknown[]; max?: string; checkpoint?: string | null }, queries: string[] = []): SqlQueryable {
  return {
    async query<R>(sql: string): Promise<{ rows: R[] }> {
      queries.push(sql);
      await Promise.resolve();
      const answer = (value: unknown, rows: () => unknown[]) => {
        if (value === undefined) throw new Error('relation does not exist');
        return { rows: rows() as R[] };
      };
      if (sql.includes('DISTINCT ON')) return answer(answers.releases, () => answers.releases!);
      if (sql.includes('relay_checkpoints')) return answer(answers.checkpoint, () => (answers.checkpoint === null ? [] : [{ position: answers.checkpoint }]));
      return answer(answers.max, () => [{ position: answers.max }]);
    },
  };
}

describe(StoreMetrics.name, () => {
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('exposes the releases by status, the newest position and the relay lag', async () => {
    const sut = new StoreMetrics(fakeDb({ releases: [{ type: 'ReleaseCompleted', releases: 2 }], max: '42', checkpoint: '40' }), { relayName: 'HANGAR_EVENTS', cacheMs: 0 });
    const text = await (await sut.collect()).metrics();
    expect(text).toContain('hangar_releases{status="complete"} 2');
    expect(text).toContain('hangar_releases{status="queued"} 0');
    expect(text).toContain('hangar_events_total 42');
    expect(text).toContain('hangar_relay_lag_events 2');
  });

  it('leaves out only the gauges whose query failed, and the lag with either of its inputs', async () => {
    const noCheckpointTable = await (await new StoreMetrics(fakeDb({ releases: [], max: '7' }), { relayName: 'N', cacheMs: 0 }).collect()).metrics();
    expect(noCheckpointTable).toContain('hangar_events_total 7');
    expect(noCheckpointTable).toContain('hangar_releases{status="running"} 0');
    expect(noCheckpointTable).not.toContain('hangar_relay_lag_events');

    const nothing = await (await new StoreMetrics(fakeDb({ checkpoint: null }), { relayName: 'N', cacheMs: 0 }).collect()).metrics();
    expect(nothing).not.toMatch(/hangar_(releases|events_total|relay_lag_events)/);
  });

  it('logs a failing query once, not at every scrape, and again after it recovered and failed anew', async () => {
    const answers: { releases?: unknown[]; max?: string; checkpoint?: string | null } = { releases: [], max: '1' };
    const sut = new StoreMetrics(fakeDb(answers), { relayName: 'N', cacheMs: 0 });
    await sut.collect();
    await sut.collect();
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^hangar_relay_lag_events left out of \/metrics/)]);
    answers.checkpoint = '1';
    await sut.collect();
    delete answers.checkpoint;
    await sut.collect();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('counts the whole store as lag before the relay saved a checkpoint', async () => {
    const text = await (await new StoreMetrics(fakeDb({ releases: [], max: '5', checkpoint: null }), { relayName: 'N', cacheMs: 0 }).collect()).metrics();
    expect(text).toContain('hangar_relay_lag_events 5');
  });
});

describe(`${StoreMetrics.name} cache`, () => {
  const statusQueries = (queries: string[]) => queries.filter((q) => q.includes('DISTINCT ON')).length;

  it('computes once for many concurrent scrapes, and all of them get the values', async () => {
    const queries: string[] = [];
    const sut = new StoreMetrics(fakeDb({ releases: [{ type: 'ReleaseQueued', releases: 4 }], max: '9', checkpoint: '9' }, queries), { relayName: 'N', cacheMs: 5000, now: () => 0 });
    const texts = await Promise.all(Array.from({ length: 25 }, async () => (await sut.collect()).metrics()));
    expect(statusQueries(queries)).toBe(1);
    expect(queries).toHaveLength(3);
    for (const text of texts) expect(text).toContain('hangar_releases{status="queued"} 4');
  });

  it('computes at most once per interval at any scrape rate, then reads the store again', async () => {
    let now = 1_000_000;
    const queries: string[] = [];
    const answers = { releases: [{ type: 'ReleaseQueued', releases: 1 }], max: '1', checkpoint: '1' };
    const sut = new StoreMetrics(fakeDb(answers, queries), { relayName: 'N', cacheMs: 5000, now: () => now });
    for (let i = 0; i < 50; i++) {
      await sut.collect();
      now += 99;
    }
    // 50 scrapes over 4.95 s: one computation.
    expect(statusQueries(queries)).toBe(1);
    answers.releases = [{ type: 'ReleaseCompleted', releases: 1 }];
    now += 100;
    const fresh = await (await sut.collect()).metrics();
    expect(statusQueries(queries)).toBe(2);
    expect(fresh).toContain('hangar_releases{status="complete"} 1');
    expect(fresh).toContain('hangar_releases{status="queued"} 0');
  });
});
