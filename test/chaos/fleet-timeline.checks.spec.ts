import { checkAvailability, checkRun, median, noViolations, type FinalMachine, type RunObservation, type TimelineEntry } from './fleet-timeline.checks';

const A = 'aaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbb';
const C = 'cccccccccccccc';
const U = 'uuuuuuuuuuuuuu';

function ev(machine: string, type: string, status: string, timestamp: number): TimelineEntry {
  return { machine_id: machine, instance_id: `i-${timestamp}`, type, status, source: type === 'start' && status === 'started' ? 'flyd' : 'user', timestamp };
}

/** Seeds (launch + boot) at t=0..10, then one rolling release (v1, max 1) updating A, B, C one by one, ending at 1000. */
function cleanRun(): RunObservation {
  const seed = [A, B, C, U].flatMap((m, i) => [ev(m, 'launch', 'created', i), ev(m, 'start', 'started', 10 + i)]);
  const roll = [A, B, C].flatMap((m, i) => [ev(m, 'update', 'replacing', 100 + i * 200), ev(m, 'start', 'started', 200 + i * 200)]);
  return {
    maxUnavailable: 1,
    managedIds: [A, B, C],
    unmanagedIds: [U],
    releases: [{ id: 'R1', version: 1, status: 'complete', endedAt: 1000 }],
    timeline: [...seed, ...roll],
    machines: [
      ...[A, B, C].map((id): FinalMachine => ({ id, state: 'started', metadata: { fly_release_id: 'R1' } })),
      { id: U, state: 'started', metadata: {} },
    ],
  };
}

describe(checkRun.name, () => {
  it('finds nothing wrong with a clean rollout', () => {
    const v = checkRun(cleanRun());
    expect(v).toEqual(noViolations());
  });

  it('counts a second update of the same machine within one release as duplicated', () => {
    const run = cleanRun();
    const v = checkRun({ ...run, timeline: [...run.timeline, ev(B, 'update', 'replacing', 700), ev(B, 'start', 'started', 750)] });
    expect(v.duplicated).toBe(1);
    expect(v.messages.join('\n')).toContain(`machine ${B} was updated 2 times by release v1`);
  });

  it('counts a machine a complete release never updated, and one left on the old release, as lost', () => {
    const run = cleanRun();
    const timeline = run.timeline.filter((e) => !(e.machine_id === C && e.timestamp >= 100));
    const machines = run.machines.map((m) => (m.id === C ? { ...m, metadata: { fly_release_id: 'R0' } } : m));
    const v = checkRun({ ...run, timeline, machines });
    expect(v.lost).toBe(2);
    expect(v.messages.join('\n')).toContain(`machine ${C} was never updated by release v1`);
  });

  it('attributes updates to releases by their windows: one per release is right, an update after the last is not', () => {
    const run = cleanRun();
    const second = [A, B, C].flatMap((m, i) => [ev(m, 'update', 'replacing', 1100 + i * 200), ev(m, 'start', 'started', 1200 + i * 200)]);
    const twoReleases: RunObservation = {
      ...run,
      releases: [...run.releases, { id: 'R2', version: 2, status: 'complete', endedAt: 2000 }],
      timeline: [...run.timeline, ...second],
      machines: run.machines.map((m) => (m.id === U ? m : { ...m, metadata: { fly_release_id: 'R2' } })),
    };
    expect(checkRun(twoReleases)).toEqual(noViolations());
    const late = checkRun({ ...twoReleases, timeline: [...twoReleases.timeline, ev(A, 'update', 'replacing', 2500), ev(A, 'start', 'started', 2600)] });
    expect(late.duplicated).toBe(1);
  });

  it('counts a release still running as stuck', () => {
    const run = cleanRun();
    const v = checkRun({ ...run, releases: [{ id: 'R1', version: 1, status: 'running' }] });
    expect(v.stuck).toBe(1);
    expect(v.messages).toContain('release v1 is still running');
  });

  it('counts any change to an unmanaged machine', () => {
    const run = cleanRun();
    const v = checkRun({ ...run, timeline: [...run.timeline, ev(U, 'update', 'replacing', 500)] });
    expect(v.duplicated).toBe(1);
    expect(v.messages.join('\n')).toContain(`unmanaged machine ${U} was touched`);
  });
});

describe(checkAvailability.name, () => {
  it('flags two machines out of service at once when max_unavailable is 1', () => {
    const run = cleanRun();
    const overlapping = run.timeline.map((e) => (e.machine_id === B && e.type === 'update' ? { ...e, timestamp: 150 } : e));
    const v = noViolations();
    checkAvailability({ ...run, timeline: overlapping }, v);
    expect(v.overUnavailable).toBe(1);
  });

  it('allows the next update at the very millisecond the previous machine is back', () => {
    const run = cleanRun();
    const touching = run.timeline.map((e) => (e.machine_id === B && e.type === 'update' ? { ...e, timestamp: 200 } : e));
    const v = noViolations();
    checkAvailability({ ...run, timeline: touching }, v);
    expect(v.overUnavailable).toBe(0);
  });

  it('keeps a machine that never came back out of service: each later update goes over the limit', () => {
    const run = cleanRun();
    const neverBack = run.timeline.filter((e) => !(e.machine_id === A && e.type === 'start' && e.timestamp === 200));
    const v = noViolations();
    checkAvailability({ ...run, timeline: neverBack }, v);
    expect(v.overUnavailable).toBe(2);
  });
});

describe(median.name, () => {
  it('is the middle sample, the lower one for an even count, and undefined without samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBeUndefined();
  });
});
