import fc from 'fast-check';
import type { AppConfig, DeployStrategy } from '@hangar/app-config';
import type { MachineState } from '@hangar/machines-api';
import { releaseDecider, isTerminal, type ReleaseEvent, type ReleaseState } from '../release.decider';
import type { MachineSnapshot } from '../release.commands';
import type { PlanEntry } from '../release.events';
import { IMAGE, LATER, RELEASE_ID, appConfig, fold, machine, queued, started } from '../release-test.fixtures';
import { MAX_CONCURRENT } from './index';

/**
 * Drives the planners through the release decider over random fleets, strategies, limits, outcome
 * orders and failures, and checks the rollout invariants of DESIGN §6.2 and G2 after every decision.
 */

const GROUPS = ['app', 'web', 'worker'] as const;

type MachineSpec = { group: string; state: MachineState; managed: boolean; atTarget: boolean; region: string };
type Scenario = {
  config: AppConfig;
  machines: MachineSnapshot[];
  strategy: DeployStrategy;
  maxUnavailable: number;
  failPercent: number;
};

const machineSpec: fc.Arbitrary<MachineSpec> = fc.record({
  // `old` is a group the config no longer has.
  group: fc.constantFrom('app', 'web', 'worker', 'old'),
  state: fc.constantFrom<MachineState>('started', 'started', 'started', 'stopped', 'starting', 'created', 'failed', 'destroyed', 'destroying'),
  managed: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  atTarget: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  region: fc.constantFrom('ams', 'iad'),
});

const groupConfig = fc.record({ services: fc.boolean(), mounts: fc.boolean() });

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    groups: fc.subarray([...GROUPS], { minLength: 1 }),
    shapes: fc.tuple(groupConfig, groupConfig, groupConfig),
    primaryRegion: fc.option(fc.constantFrom('ams', 'syd'), { nil: undefined }),
    specs: fc.array(machineSpec, { minLength: 1, maxLength: 200, size: 'max' }),
    strategy: fc.constantFrom<DeployStrategy>('rolling', 'immediate'),
    maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.01, max: 0.99, noNaN: true })),
    failPercent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 25 })),
  })
  .map(({ groups, shapes, primaryRegion, specs, strategy, maxUnavailable, failPercent }) => {
    const config = appConfig({
      ...(primaryRegion ? { primaryRegion } : {}),
      processes: Object.fromEntries(groups.map((g) => [g, `bin/${g}`])),
      services: groups
        .filter((_, i) => shapes[i]?.services)
        .map((g) => ({ protocol: 'tcp' as const, internalPort: 8080, ports: [{ port: 80 }], checks: [], processes: [g] })),
      mounts: groups.filter((_, i) => shapes[i]?.mounts).map((g) => ({ source: `data_${g}`, destination: '/data', processes: [g] })),
    });
    // Listed in reverse id order: the plan must sort. Machines of groups with [mounts] have their
    // volume already (mount changes are replacements, tested in plan-rollout.spec).
    const mounted = new Set<string>(groups.filter((_, i) => shapes[i]?.mounts));
    const machines = specs
      .map((s, i) => {
        const m = machine(i + 1, {
          processGroup: s.group,
          state: s.state,
          managed: s.managed,
          region: s.region,
          ...(s.atTarget ? { releaseId: RELEASE_ID } : {}),
        });
        const mounts = mounted.has(s.group) ? [{ volume: `vol_${i}`, name: `data_${s.group}`, path: '/data' }] : undefined;
        return mounts ? { ...m, config: { ...m.config, mounts } } : m;
      })
      .reverse();
    return { config, machines, strategy, maxUnavailable, failPercent };
  });

type Observed = {
  state: ReleaseState;
  requested: Map<string, number>;
  inFlight: Set<string>;
  sawFailure: boolean;
};

function check(sc: Scenario, g: fc.GeneratorValue): void {
  let state = fold([queued({ config: sc.config, strategy: sc.strategy, maxUnavailable: sc.maxUnavailable }), started()]);
  const o: Observed = { state, requested: new Map(), inFlight: new Set(), sawFailure: false };
  const gone = new Set(sc.machines.filter((m) => !m.managed || m.state === 'destroyed' || m.state === 'destroying').map((m) => m.id));
  const rolling = sc.strategy !== 'immediate';

  apply(o, releaseDecider.decide({ type: 'PlanRollout', image: IMAGE, machines: sc.machines, now: LATER }, o.state), rolling);
  const entries = o.state.plan?.entries ?? [];
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const actionable = entries.filter((e) => e.action !== 'skip');
  const spearhead = actionable.find((e) => e.action === 'update' && e.wasStarted);
  checkPlan(sc, entries);

  let steps = 0;
  while (!isTerminal(o.state)) {
    // No deadlock: a release that is not over always has something in flight.
    expect(o.inFlight.size).toBeGreaterThan(0);
    expect(++steps).toBeLessThanOrEqual(actionable.length + 1);
    const keys = [...o.inFlight];
    const key = keys[g(fc.nat, keys.length - 1)] as string;
    const entry = byKey.get(key) as PlanEntry;
    const ok = g(fc.integer, { min: 1, max: 100 }) > sc.failPercent;
    const machineId = entry.machineId ?? `new-${key}`;
    const events = releaseDecider.decide(
      { type: 'RecordStepOutcome', key, ok, machineId, ...(ok ? { instanceId: 'i2' } : { reason: 'boom' }), now: LATER },
      o.state,
    );
    o.inFlight.delete(key);
    if (!ok) o.sawFailure = true;
    apply(o, events, rolling);

    // A redelivered outcome changes nothing.
    if (g(fc.integer, { min: 0, max: 9 }) === 0) {
      expect(releaseDecider.decide({ type: 'RecordStepOutcome', key, ok: !ok, machineId, now: LATER }, o.state)).toEqual([]);
    }
    checkInFlight(o, byKey, spearhead, rolling);
  }

  for (const key of o.requested.keys()) {
    const entry = byKey.get(key);
    expect(entry?.action).not.toBe('skip');
    if (entry?.machineId && entry.action !== 'destroy') expect(gone.has(entry.machineId)).toBe(false);
  }
  const failed = o.state.failures.length > 0;
  expect(o.state.status).toBe(failed ? 'failed' : 'complete');
  if (!failed || !rolling) {
    // Every planned operation was requested exactly once.
    expect([...o.requested.keys()].sort()).toEqual(actionable.map((e) => e.key).sort());
  }
}

function apply(o: Observed, events: readonly ReleaseEvent[], rolling: boolean): void {
  for (const e of events) {
    if (e.type === 'MachineUpdateRequested') {
      const { key } = e.data;
      expect(o.requested.has(key)).toBe(false);
      // Rolling: after a failure nothing new is requested.
      if (rolling) expect(o.sawFailure).toBe(false);
      o.requested.set(key, 1);
      o.inFlight.add(key);
    }
    o.state = releaseDecider.evolve(o.state, e);
  }
}

function checkInFlight(o: Observed, byKey: Map<string, PlanEntry>, spearhead: PlanEntry | undefined, rolling: boolean): void {
  const inFlight = [...o.inFlight].map((k) => byKey.get(k) as PlanEntry);
  if (!rolling) {
    expect(inFlight.length).toBeLessThanOrEqual(MAX_CONCURRENT);
    return;
  }
  const startedUpdates = inFlight.filter((e) => e.action === 'update' && e.wasStarted);
  expect(startedUpdates.length).toBeLessThanOrEqual(o.state.plan?.maxUnavailableCount ?? 0);
  expect(inFlight.length - startedUpdates.length).toBeLessThanOrEqual(MAX_CONCURRENT);
  // The spearhead goes alone: no other started update before it succeeded.
  if (spearhead && o.state.ops[spearhead.key] !== 'succeeded') {
    expect(startedUpdates.every((e) => e.key === spearhead.key)).toBe(true);
  }
  // Destroys of removed groups go first.
  const destroysDone = [...byKey.values()].filter((e) => e.action === 'destroy').every((e) => o.state.ops[e.key] === 'succeeded');
  if (!destroysDone) expect([...o.requested.keys()].every((k) => byKey.get(k)?.action === 'destroy')).toBe(true);
}

function checkPlan(sc: Scenario, entries: readonly PlanEntry[]): void {
  const groups = Object.keys(sc.config.processes);
  const live = sc.machines.filter((m) => m.managed && m.state !== 'destroyed' && m.state !== 'destroying');
  const expected = live.map((m) => [
    m.id,
    !groups.includes(m.processGroup ?? 'app') ? 'destroy' : m.releaseId === RELEASE_ID ? 'skip' : 'update',
  ]);
  const planned = entries.filter((e) => e.action !== 'create').map((e) => [e.machineId, e.action]);
  expect(planned.sort()).toEqual(expected.sort());
  for (const group of groups) {
    const has = live.some((m) => m.processGroup === group);
    expect(entries.some((e) => e.action === 'create' && e.processGroup === group)).toBe(!has);
  }
}

describe('rollout planners (property)', () => {
  it('keep the rollout invariants for any fleet, limit, outcome order and failures', () => {
    fc.assert(
      fc.property(scenario, fc.gen(), (sc, g) => check(sc, g)),
      { numRuns: 200 },
    );
  });
});
