import { advance, effectiveState, nextTransitionAt, pendingState } from './machine-sim';
import { destroyMachine, launchMachine, startMachine, stopMachine, updateMachine, updateBoots } from './machine-ops';
import type { RunProfile, SimMachine } from './sim.types';

const serve = (bootMs = 50): RunProfile => ({ bootMs, outcome: 'serve', exitCode: 0, runMs: 0, logs: [], unhealthy: false });
const T0 = 1_000_000;

function launched(run: RunProfile | null = serve(), config: SimMachine['config'] = { image: 'nginx' }): SimMachine {
  return launchMachine({ id: 'abc', app: 'a', name: 'n', region: 'local', config, instanceId: 'i1', now: T0, run }).machine;
}

describe('effectiveState', () => {
  it('is starting during boot and started once the boot time has passed', () => {
    const m = launched(serve(50));
    expect(effectiveState(m, T0)).toBe('starting');
    expect(effectiveState(m, T0 + 49)).toBe('starting');
    expect(effectiveState(m, T0 + 50)).toBe('started');
    expect(effectiveState(m, T0 + 10_000_000)).toBe('started');
  });

  it('keeps a skip_launch machine created', () => {
    expect(effectiveState(launched(null), T0 + 1000)).toBe('created');
  });

  it('takes a crash-on-start machine to stopped without ever being started, with exit code 1', () => {
    const m = launched({ ...serve(10), outcome: 'crash', exitCode: 1, logs: ['boom'] });
    const { machine, events } = advance(m, T0 + 10);
    expect(machine.state).toBe('stopped');
    expect(events.map((e) => e.type)).toEqual(['exit']);
    expect(events[0].request).toMatchObject({ exit_event: { exit_code: 1, requested_stop: false } });
    expect(machine.logs).toEqual(['boom']);
  });

  it('runs an exiting job, then destroys it when auto_destroy is set', () => {
    const job = launched({ ...serve(10), outcome: 'exit', exitCode: 3, runMs: 100, logs: ['migrating', 'failed'] }, { image: 'app', auto_destroy: true });
    expect(effectiveState(job, T0 + 50)).toBe('started');
    const { machine, events } = advance(job, T0 + 110);
    expect(machine.state).toBe('destroyed');
    expect(events.map((e) => [e.type, e.timestamp])).toEqual([
      ['start', T0 + 10],
      ['exit', T0 + 110],
      ['destroy', T0 + 110],
    ]);
    expect(events[1].request).toMatchObject({ exit_event: { exit_code: 3 } });
  });

  it('reports when the next transition happens and to which state', () => {
    const m = launched(serve(50));
    expect(nextTransitionAt(m)).toBe(T0 + 50);
    expect(pendingState(m)).toBe('started');
    expect(nextTransitionAt(advance(m, T0 + 50).machine)).toBeNull();
  });

  it('is a pure function of the row and the time (evaluating twice gives the same events)', () => {
    const m = launched(serve(5));
    expect(advance(m, T0 + 7)).toEqual(advance(m, T0 + 7));
    expect(m.state).toBe('starting');
  });
});

describe('operations', () => {
  const started = () => advance(launched(serve(50)), T0 + 50).machine;

  it('update boots a new instance: replacing → starting → started', () => {
    const m = started();
    expect(updateBoots(m, false)).toBe(true);
    const { machine, events } = updateMachine(m, { config: { image: 'nginx:2' }, instanceId: 'i2', now: T0 + 100, run: serve(50) });
    expect(machine.instanceId).toBe('i2');
    expect(events).toEqual([expect.objectContaining({ type: 'update', instanceId: 'i2', source: 'user' })]);
    expect(effectiveState(machine, T0 + 100)).toBe('starting');
    expect(effectiveState(machine, T0 + 150)).toBe('started');
  });

  it('update of a stopped machine keeps it stopped', () => {
    const stopped = advance(stopMachine(started(), T0 + 60).machine, T0 + 60).machine;
    expect(stopped.state).toBe('stopped');
    expect(updateBoots(stopped, false)).toBe(false);
    const { machine } = updateMachine(stopped, { config: { image: 'x' }, instanceId: 'i3', now: T0 + 70, run: null });
    expect(effectiveState(machine, T0 + 1000)).toBe('stopped');
    expect(machine.instanceId).toBe('i3');
  });

  it('stop records a requested stop', () => {
    const { machine, events } = stopMachine(started(), T0 + 60);
    const after = advance(machine, T0 + 60);
    expect([...events, ...after.events].map((e) => e.type)).toEqual(['stop', 'exit']);
    expect(after.events[0].request).toMatchObject({ exit_event: { requested_stop: true } });
    expect(after.machine.state).toBe('stopped');
  });

  it('start boots a stopped machine and leaves a running one alone', () => {
    const stopped = advance(stopMachine(started(), T0 + 60).machine, T0 + 60).machine;
    const restarted = startMachine(stopped, T0 + 70, serve(10));
    expect(restarted.previousState).toBe('stopped');
    expect(effectiveState(restarted.machine, T0 + 80)).toBe('started');
    expect(startMachine(started(), T0 + 70, serve(10)).events).toEqual([]);
  });

  it('destroy needs kill for a running machine and is a no-op when repeated', () => {
    expect(() => destroyMachine(started(), T0 + 60, false)).toThrow(/not currently stopped/);
    const { machine } = destroyMachine(started(), T0 + 60, true);
    expect(machine.state).toBe('destroyed');
    expect(destroyMachine(machine, T0 + 70, true).events).toEqual([]);
    expect(() => updateMachine(machine, { config: { image: 'x' }, instanceId: 'i4', now: T0 + 80, run: null })).toThrow(/not found/);
  });
});

describe('exit event shapes (faults exit-nested, vanish)', () => {
  const job = (exitEvent?: RunProfile['exitEvent']): RunProfile => ({ bootMs: 10, outcome: 'exit', exitCode: 1, runMs: 5, logs: ['boom'], unhealthy: false, ...(exitEvent ? { exitEvent } : {}) });
  const config = { image: 'img', auto_destroy: true };

  it('reports the exit only under request.MonitorEvent.exit_event for exit-nested', () => {
    const { events } = advance(launched(job('nested'), config), T0 + 100);
    const exit = events.find((e) => e.type === 'exit');
    expect(exit?.request).toEqual({ MonitorEvent: { exit_event: expect.objectContaining({ exit_code: 1 }) } });
  });

  it('destroys a vanishing machine with no exit event at all', () => {
    const { machine, events } = advance(launched(job('none'), config), T0 + 100);
    expect(machine.state).toBe('destroyed');
    expect(events.map((e) => e.type)).toEqual(['start', 'destroy']);
    expect(machine.logs).toEqual(['boom']);
  });
});

describe('skip_service_registration', () => {
  it('launches the machine cordoned (no proxy traffic) and records it on the launch event', () => {
    const { machine, events } = launchMachine({ id: 'g', app: 'a', name: 'n', region: 'local', config: { image: 'x' }, instanceId: 'i', now: T0, run: serve(), skipServiceRegistration: true });
    expect(machine.cordoned).toBe(true);
    expect(events[0]?.request).toEqual({ skip_service_registration: true });
    expect(launched().cordoned).toBe(false);
  });
});
