import { checkAvailability, checkRun, median, noViolations, type FinalMachine, type RunObservation, type TimelineEntry } from './fleet-timeline.checks';

const A = 'aaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbb';
const C = 'cccccccccccccc';
const U = 'uuuuuuuuuuuuuu';
const NEW = ['a2a2a2a2a2a2a2', 'b2b2b2b2b2b2b2', 'c2c2c2c2c2c2c2'];

function ev(machine: string, type: string, status: string, timestamp: number): TimelineEntry {
  return { machine_id: machine, instance_id: `i-${timestamp}`, type, status, source: type === 'start' && status === 'started' ? 'flyd' : 'user', timestamp };
}

const seeded = [A, B, C, U].flatMap((m, i) => [ev(m, 'launch', 'created', i), ev(m, 'start', 'started', 10 + i)]);
const onRelease = (ids: string[], release: string): FinalMachine[] => [
  ...ids.map((id): FinalMachine => ({ id, state: 'started', metadata: { fly_release_id: release } })),
  { id: U, state: 'started', metadata: {} },
];

/** Seeds at t=0..13, then one rolling release (v1, max 1) updating A, B, C one by one, ending at 1000. */
function rollingRun(): RunObservation {
  const roll = [A, B, C].flatMap((m, i) => [ev(m, 'update', 'replacing', 100 + i * 200), ev(m, 'start', 'started', 200 + i * 200)]);
  return {
    strategy: 'rolling',
    maxUnavailable: 1,
    managedIds: [A, B, C],
    unmanagedIds: [U],
    releases: [{ id: 'R1', version: 1, status: 'complete', endedAt: 1000 }],
    timeline: [...seeded, ...roll],
    machines: onRelease([A, B, C], 'R1'),
  };
}

/** A canary (launched, booted, later destroyed) around the same rolling updates. */
function canaryRun(): RunObservation {
  const run = rollingRun();
  const canary = [ev('canary0000000a', 'launch', 'created', 50), ev('canary0000000a', 'start', 'started', 90), ev('canary0000000a', 'destroy', 'destroyed', 900)];
  return { ...run, strategy: 'canary', timeline: [...run.timeline, ...canary] };
}

/** One green per blue, launched unrouted (skip_service_registration) until all serve; then the blues are cordoned, stopped and destroyed. */
function bluegreenRun(): RunObservation {
  const launch = (g: string, t: number): TimelineEntry => ({ ...ev(g, 'launch', 'created', t), request: { skip_service_registration: true } });
  const greens = NEW.flatMap((g, i) => [launch(g, 100 + i), ev(g, 'start', 'started', 200 + i)]);
  const switchOver = NEW.map((g, i) => ev(g, 'uncordon', 'started', 300 + i));
  const retire = [A, B, C].flatMap((b, i) => [ev(b, 'cordon', 'started', 400 + i), ev(b, 'stop', 'stopping', 500 + i), ev(b, 'exit', 'stopped', 501 + i), ev(b, 'destroy', 'destroyed', 600 + i)]);
  return {
    strategy: 'bluegreen',
    maxUnavailable: 1,
    managedIds: [A, B, C],
    unmanagedIds: [U],
    releases: [{ id: 'R1', version: 1, status: 'complete', endedAt: 1000 }],
    timeline: [...seeded, ...greens, ...switchOver, ...retire],
    machines: onRelease(NEW, 'R1'),
  };
}

describe(checkRun.name, () => {
  it('finds nothing wrong with clean rolling, canary and bluegreen rollouts', () => {
    expect(checkRun(rollingRun())).toEqual(noViolations());
    expect(checkRun(canaryRun())).toEqual(noViolations());
    expect(checkRun(bluegreenRun())).toEqual(noViolations());
  });

  it('counts a second update of the same machine within one release as duplicated', () => {
    const run = rollingRun();
    const v = checkRun({ ...run, timeline: [...run.timeline, ev(B, 'update', 'replacing', 700), ev(B, 'start', 'started', 750)] });
    expect(v.duplicated).toBe(1);
    expect(v.messages.join('\n')).toContain(`machine ${B} was updated 2 times`);
  });

  it('counts a machine a complete release never updated, and one left on the old release, as lost', () => {
    const run = rollingRun();
    const timeline = run.timeline.filter((e) => !(e.machine_id === C && e.timestamp >= 100));
    const machines = run.machines.map((m) => (m.id === C ? { ...m, metadata: { fly_release_id: 'R0' } } : m));
    const v = checkRun({ ...run, timeline, machines });
    expect(v.lost).toBe(2);
    expect(v.messages.join('\n')).toContain(`machine ${C} was never updated`);
  });

  it('attributes updates to releases by their windows: one per release is right, an update after the last is not', () => {
    const run = rollingRun();
    const second = [A, B, C].flatMap((m, i) => [ev(m, 'update', 'replacing', 1100 + i * 200), ev(m, 'start', 'started', 1200 + i * 200)]);
    const twoReleases: RunObservation = {
      ...run,
      releases: [...run.releases, { id: 'R2', version: 2, status: 'complete', endedAt: 2000 }],
      timeline: [...run.timeline, ...second],
      machines: onRelease([A, B, C], 'R2'),
    };
    expect(checkRun(twoReleases)).toEqual(noViolations());
    const late = checkRun({ ...twoReleases, timeline: [...twoReleases.timeline, ev(A, 'update', 'replacing', 2500), ev(A, 'start', 'started', 2600)] });
    expect(late.duplicated).toBe(1);
  });

  it('counts a second canary (a create not made idempotent) and a canary left behind', () => {
    const run = canaryRun();
    const twice = checkRun({ ...run, timeline: [...run.timeline, ev('canary0000000b', 'launch', 'created', 60), ev('canary0000000b', 'start', 'started', 95)], machines: [...run.machines, { id: 'canary0000000b', state: 'started', metadata: { fly_release_id: 'R1' } }] });
    expect(twice.duplicated).toBeGreaterThanOrEqual(2);
    const leftBehind = checkRun({ ...run, timeline: run.timeline.filter((e) => !(e.type === 'destroy' && e.machine_id === 'canary0000000a')), machines: [...run.machines, { id: 'canary0000000a', state: 'started', metadata: { fly_release_id: 'R1' } }] });
    expect(leftBehind.messages.join('\n')).toContain('canary canary0000000a was left behind');
  });

  it('counts a green made twice and a blue never retired under bluegreen', () => {
    const run = bluegreenRun();
    const extraGreen = checkRun({ ...run, timeline: [...run.timeline, ev('d2d2d2d2d2d2d2', 'launch', 'created', 150)] });
    expect(extraGreen.duplicated).toBeGreaterThanOrEqual(1);
    const blueLeft = checkRun({ ...run, timeline: run.timeline.filter((e) => !(e.machine_id === C && e.timestamp >= 400)) });
    expect(blueLeft.messages.join('\n')).toContain(`blue ${C} was not destroyed`);
  });

  it('counts a release still running as stuck', () => {
    const v = checkRun({ ...rollingRun(), releases: [{ id: 'R1', version: 1, status: 'running' }] });
    expect(v.stuck).toBe(1);
    expect(v.messages).toContain('release v1 is still running');
  });

  it('counts any change to an unmanaged machine', () => {
    const run = rollingRun();
    const v = checkRun({ ...run, timeline: [...run.timeline, ev(U, 'update', 'replacing', 500)] });
    expect(v.duplicated).toBe(1);
    expect(v.messages.join('\n')).toContain(`unmanaged machine ${U} was touched`);
  });
});

describe(checkAvailability.name, () => {
  const over = (run: RunObservation) => {
    const v = noViolations();
    checkAvailability(run, v);
    return v.overUnavailable;
  };

  it('flags two machines out of service at once when max_unavailable is 1', () => {
    const run = rollingRun();
    expect(over({ ...run, timeline: run.timeline.map((e) => (e.machine_id === B && e.type === 'update' ? { ...e, timestamp: 150 } : e)) })).toBe(1);
  });

  it('allows the next update at the very millisecond the previous machine is back', () => {
    const run = rollingRun();
    expect(over({ ...run, timeline: run.timeline.map((e) => (e.machine_id === B && e.type === 'update' ? { ...e, timestamp: 200 } : e)) })).toBe(0);
  });

  it('keeps a machine that never came back out of service: each later update goes below the floor', () => {
    const run = rollingRun();
    expect(over({ ...run, timeline: run.timeline.filter((e) => !(e.machine_id === A && e.type === 'start' && e.timestamp === 200)) })).toBe(2);
  });

  it('does not count the seeded machines booting, only what happens once they all serve', () => {
    expect(over(rollingRun())).toBe(0);
  });

  it('flags a blue retired before its green serves', () => {
    const run = bluegreenRun();
    expect(over({ ...run, timeline: run.timeline.map((e) => (e.machine_id === A && e.type === 'cordon' ? { ...e, timestamp: 250 } : e)) })).toBe(1);
  });
});

describe(median.name, () => {
  it('is the middle sample, the lower one for an even count, and undefined without samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBeUndefined();
  });
});
