import fc from 'fast-check';
import type { DeployStrategy } from '@hangar/app-config';
import type { MachineUpdateRequestedData } from '@hangar/contracts';
import type { MachineState } from '@hangar/machines-api';
import { releaseDecider, isTerminal, type ReleaseEvent, type ReleaseState } from '../release.decider';
import { IMAGE, LATER, appConfig, fold, machine, queued, started } from '../release-test.fixtures';

/**
 * Canary and bluegreen driven through the release decider over random fleets, outcome orders and
 * failures (STYLE.md Shape 2): neither touches an existing machine before its gate passed, canaries
 * serve until the roll is done and are then destroyed, a green failure destroys the greens and leaves
 * the blues untouched, `max_unavailable` holds, and every release ends.
 */
type Scenario = { strategy: DeployStrategy; states: MachineState[]; groups: string[]; maxUnavailable: number; failPercent: number };

const scenario: fc.Arbitrary<Scenario> = fc.record({
  strategy: fc.constantFrom<DeployStrategy>('canary', 'bluegreen'),
  states: fc.array(fc.constantFrom<MachineState>('started', 'started', 'started', 'stopped'), { minLength: 1, maxLength: 120, size: 'max' }),
  groups: fc.subarray(['app', 'web'], { minLength: 1 }),
  maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.05, max: 0.9, noNaN: true })),
  failPercent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
});

function run(sc: Scenario, g: fc.GeneratorValue): void {
  const config = appConfig({
    processes: Object.fromEntries(sc.groups.map((name) => [name, `bin/${name}`])),
    checks: { alive: { type: 'tcp', port: 8080 } },
  });
  const machines = sc.states.map((state, i) => machine(i + 1, { state, processGroup: sc.groups[i % sc.groups.length]! }));
  const existing = new Set(machines.map((m) => m.id));
  let state: ReleaseState = fold([queued({ config, strategy: sc.strategy, maxUnavailable: sc.maxUnavailable }), started()]);
  const inFlight = new Map<string, MachineUpdateRequestedData>();
  const requested: MachineUpdateRequestedData[] = [];
  const created = new Map<string, string>();
  let gateFailed = false;
  let gateKeys: string[] = [];
  const gateOpen = () =>
    gateKeys.every((k) => state.ops[k] === 'succeeded') &&
    (sc.strategy === 'canary' || gateKeys.every((k) => state.ops[`${k}:uncordon`] === 'succeeded'));

  const apply = (events: readonly ReleaseEvent[]) => {
    for (const e of events) {
      if (e.type === 'MachineUpdateRequested') {
        const r = e.data;
        expect(inFlight.has(r.key) || requested.some((x) => x.key === r.key)).toBe(false);
        // The gate: no existing machine is touched before every canary / green is healthy (and uncordoned).
        if (r.machineId && existing.has(r.machineId)) expect(gateOpen() && !gateFailed).toBe(true);
        inFlight.set(r.key, r);
        requested.push(r);
      }
      state = releaseDecider.evolve(state, e);
    }
    const startedUpdates = [...inFlight.values()].filter((r) => r.kind === 'update' && !r.skipLaunch).length;
    expect(startedUpdates).toBeLessThanOrEqual(state.plan?.maxUnavailableCount ?? 1);
  };

  apply(releaseDecider.decide({ type: 'PlanRollout', image: IMAGE, machines, now: LATER }, state));
  gateKeys = (state.plan?.entries ?? []).filter((e) => e.action === 'canary' || e.action === 'green').map((e) => e.key);
  for (let steps = 0; !isTerminal(state); steps++) {
    expect(inFlight.size).toBeGreaterThan(0);
    expect(steps).toBeLessThan(10 * machines.length + 20);
    const keys = [...inFlight.keys()];
    const key = keys[g(fc.nat, keys.length - 1)]!;
    const r = inFlight.get(key)!;
    inFlight.delete(key);
    const ok = g(fc.integer, { min: 1, max: 100 }) > sc.failPercent;
    const machineId = r.machineId ?? `new${key}`;
    // A failed create may have made its machine (it came up unhealthy): cleanup must still find it.
    if (r.kind === 'create') created.set(key, machineId);
    if (!ok && gateKeys.includes(key)) gateFailed = true;
    apply(releaseDecider.decide({ type: 'RecordStepOutcome', key, ok, machineId, ...(ok ? {} : { reason: 'boom' }), now: LATER }, state));
  }

  const destroyedIds = new Set(requested.filter((r) => r.kind === 'destroy').map((r) => r.machineId));
  if (gateFailed) {
    expect(requested.some((r) => r.machineId !== undefined && existing.has(r.machineId))).toBe(false);
  }
  if (sc.strategy === 'canary' || gateFailed) {
    // Canaries (and greens after a failed gate) never outlive the release.
    for (const [key, id] of created) if (gateKeys.includes(key)) expect(destroyedIds.has(id)).toBe(true);
  }
  if (sc.strategy === 'canary') {
    // The canary serves until every other operation has finished.
    const firstCanaryDestroy = requested.findIndex((r) => r.kind === 'destroy' && [...created.values()].includes(r.machineId!));
    if (firstCanaryDestroy >= 0 && state.failures.length === 0) {
      expect(requested.slice(firstCanaryDestroy).every((r) => r.kind === 'destroy')).toBe(true);
    }
  }
  expect(state.status).toBe(state.failures.length > 0 ? 'failed' : 'complete');
  if (state.status === 'complete' && sc.strategy === 'bluegreen') {
    for (const id of existing) expect(destroyedIds.has(id)).toBe(true);
  }
}

describe('canary and bluegreen planners (property)', () => {
  it('keep their gates, clean up after themselves and always end', () => {
    fc.assert(fc.property(scenario, fc.gen(), run), { numRuns: 150 });
  });
});
