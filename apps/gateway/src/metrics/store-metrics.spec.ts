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
function fakeDb(answers: { releases?: unknown[]; max?: string; checkpoint?: string | null }): SqlQueryable {
  return {
    async query<R>(sql: string): Promise<{ rows: R[] }> {
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
    const sut = new StoreMetrics(fakeDb({ releases: [{ type: 'ReleaseCompleted', releases: 2 }], max: '42', checkpoint: '40' }), 'HANGAR_EVENTS');
    const text = await (await sut.collect()).metrics();
    expect(text).toContain('hangar_releases{status="complete"} 2');
    expect(text).toContain('hangar_releases{status="queued"} 0');
    expect(text).toContain('hangar_events_total 42');
    expect(text).toContain('hangar_relay_lag_events 2');
  });

  it('leaves out only the gauges whose query failed, and the lag with either of its inputs', async () => {
    const noCheckpointTable = await (await new StoreMetrics(fakeDb({ releases: [], max: '7' }), 'N').collect()).metrics();
    expect(noCheckpointTable).toContain('hangar_events_total 7');
    expect(noCheckpointTable).toContain('hangar_releases{status="running"} 0');
    expect(noCheckpointTable).not.toContain('hangar_relay_lag_events');

    const nothing = await (await new StoreMetrics(fakeDb({ checkpoint: null }), 'N').collect()).metrics();
    expect(nothing).not.toMatch(/hangar_(releases|events_total|relay_lag_events)/);
  });

  it('logs a failing query once, not at every scrape, and again after it recovered and failed anew', async () => {
    const answers: { releases?: unknown[]; max?: string; checkpoint?: string | null } = { releases: [], max: '1' };
    const sut = new StoreMetrics(fakeDb(answers), 'N');
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
    const text = await (await new StoreMetrics(fakeDb({ releases: [], max: '5', checkpoint: null }), 'N').collect()).metrics();
    expect(text).toContain('hangar_relay_lag_events 5');
  });
});
