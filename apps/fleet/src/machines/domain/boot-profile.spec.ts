import { faultMatches, runProfile, selectBootFaults, selectUpdateError } from './boot-profile';
import type { Fault } from './sim.types';

const fault = (over: Partial<Fault>): Fault => ({
  id: 'f',
  match: {},
  effect: 'unhealthy',
  delayMs: 0,
  remaining: null,
  code: null,
  logs: [],
  createdAt: 0,
  ...over,
});
const ctx = (config: Partial<Fault['match']> & { cmd?: string[]; image?: string } = {}) => ({
  app: 'a',
  machineId: 'm1',
  config: { image: config.image ?? 'registry.local/app:v2', ...(config.cmd ? { init: { cmd: config.cmd } } : {}) },
});

describe('faultMatches', () => {
  it('requires every given criterion, with prefix matching on image and command words', () => {
    expect(faultMatches(fault({ match: { app: 'a', image: 'registry.local/app' } }), ctx())).toBe(true);
    expect(faultMatches(fault({ match: { app: 'b' } }), ctx())).toBe(false);
    expect(faultMatches(fault({ match: { machineId: 'm2' } }), ctx())).toBe(false);
    expect(faultMatches(fault({ match: { command: 'bin/migrate' } }), ctx({ cmd: ['bin/migrate', '--all'] }))).toBe(true);
    expect(faultMatches(fault({ match: { command: 'bin/migrate' } }), ctx({ cmd: ['bin/migrated'] }))).toBe(false);
    expect(faultMatches(fault({ match: { command: 'bin/migrate' } }), ctx())).toBe(false);
  });

  it('never matches an exhausted fault', () => {
    expect(faultMatches(fault({ remaining: 0 }), ctx())).toBe(false);
  });
});

describe('runProfile', () => {
  it('serves after the base boot time when nothing matched', () => {
    expect(runProfile({ image: 'x' }, 50, [])).toEqual({ bootMs: 50, outcome: 'serve', exitCode: 0, runMs: 0, logs: [], unhealthy: false });
  });

  it('adds slow-start delays, marks unhealthy, and lets crash win over exit', () => {
    const applied = selectBootFaults(
      [
        fault({ id: '1', effect: 'slow-start', delayMs: 200 }),
        fault({ id: '2', effect: 'exit', code: 2 }),
        fault({ id: '3', effect: 'crash-on-start', logs: ['segfault'] }),
        fault({ id: '4', effect: 'update-error' }),
        fault({ id: '5', effect: 'unhealthy' }),
      ],
      ctx(),
    );
    expect(applied.map((f) => f.id)).toEqual(['1', '3', '5']);
    expect(runProfile({ image: 'x' }, 50, applied)).toMatchObject({ bootMs: 250, outcome: 'crash', exitCode: 1, logs: ['segfault'], unhealthy: true });
  });

  it('makes one-shot machines exit 0 unless an exit fault gives a code and logs', () => {
    const job = { image: 'x', auto_destroy: true };
    expect(runProfile(job, 0, [])).toMatchObject({ outcome: 'exit', exitCode: 0 });
    expect(runProfile(job, 0, [fault({ effect: 'exit', code: 7, delayMs: 30, logs: ['nope'] })])).toMatchObject({
      outcome: 'exit',
      exitCode: 7,
      runMs: 30,
      logs: ['nope'],
    });
  });

  it('finds update-error faults separately from boot faults', () => {
    expect(selectUpdateError([fault({ effect: 'unhealthy' }), fault({ id: 'u', effect: 'update-error' })], ctx())?.id).toBe('u');
  });
});
