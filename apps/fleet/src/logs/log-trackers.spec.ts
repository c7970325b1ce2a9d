import type { AppLogLine } from '@hangar/contracts';
import type { SimMachine } from '../machines/domain/sim.types';
import { containerName } from '../runtime/container-spec';
import type { ContainerLogs } from './container-logs';
import type { LineOrigin } from './log-lines';
import { PodmanLogTracker, SimLogTracker } from './log-trackers';

const machine = (id: string, over: Partial<SimMachine> = {}): SimMachine => ({
  id,
  app: 'demo',
  name: id,
  region: 'local',
  state: 'started',
  instanceId: `I-${id}`,
  config: { image: 'demo:v1' },
  cordoned: false,
  createdAt: 0,
  updatedAt: 0,
  stateEnteredAt: Date.UTC(2026, 11, 3, 16, 0, 0),
  run: null,
  logs: [],
  ...over,
});

type Raw = [timestamp: string, stream: AppLogLine['stream'], message: string];

/** Containers whose whole output is known: `read` gives it all, `follow` replays it from `since` and ends. */
class FakeContainers {
  readonly output = new Map<string, Raw[]>();
  readonly follows: { name: string; since?: string }[] = [];

  async read(name: string, origin: LineOrigin): Promise<AppLogLine[] | null> {
    const raw = this.output.get(name);
    return raw ? raw.map(([timestamp, stream, message]) => ({ timestamp, ...origin, stream, message })) : null;
  }

  async follow(name: string, origin: LineOrigin, opts: { since?: string }, onLine: (l: AppLogLine) => void): Promise<void> {
    this.follows.push({ name, ...(opts.since ? { since: opts.since } : {}) });
    for (const [timestamp, stream, message] of this.output.get(name) ?? []) {
      if (!opts.since || timestamp >= opts.since) onLine({ timestamp, ...origin, stream, message });
    }
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(PodmanLogTracker.name, () => {
  const a = machine('aaaaaaaaaaaaaa');
  const b = machine('bbbbbbbbbbbbbb', { config: { image: 'demo:v1', metadata: { fly_process_group: 'worker' } } });
  const nameOf = (m: SimMachine) => containerName('hangar', m.id, m.instanceId);
  let containers: FakeContainers;
  let sut: PodmanLogTracker;

  beforeEach(() => {
    containers = new FakeContainers();
    sut = new PodmanLogTracker(containers as unknown as ContainerLogs, 'hangar');
  });

  it("merges the machines' containers by time, each line with its machine, group and stream", async () => {
    containers.output.set(nameOf(a), [['2026-12-03T16:00:01.000000000Z', 'stdout', 'a1'], ['2026-12-03T16:00:03.000000000Z', 'stderr', 'a2']]);
    containers.output.set(nameOf(b), [['2026-12-03T16:00:02.000000000Z', 'stdout', 'b1']]);
    const lines = await sut.backlog([a, b]);
    expect(lines.map((l) => `${l.processGroup}[${l.machineId}] ${l.stream} ${l.message}`)).toEqual([
      `app[${a.id}] stdout a1`,
      `worker[${b.id}] stdout b1`,
      `app[${a.id}] stderr a2`,
    ]);
  });

  it("shows fleet's stored lines of a machine that has no container (a failed pull)", async () => {
    const failed = machine('cccccccccccccc', { state: 'stopped', logs: ['fleet: could not pull the image: denied'] });
    expect((await sut.backlog([failed])).map((l) => l.message)).toEqual(['fleet: could not pull the image: denied']);
  });

  it('following, goes on after the backlog without repeating a line, lines of one write included', async () => {
    const t = '2026-12-03T16:00:01.000000000Z';
    containers.output.set(nameOf(a), [[t, 'stdout', 'one'], [t, 'stdout', 'two'], [t, 'stderr', 'err']]);
    await sut.backlog([a]);
    containers.output.get(nameOf(a))!.push([t, 'stdout', 'three'], ['2026-12-03T16:00:02.000000000Z', 'stderr', 'later']);
    const seen: string[] = [];
    sut.poll([a], (l) => seen.push(l.message), new AbortController().signal);
    await flush();
    expect(containers.follows).toEqual([{ name: nameOf(a), since: t }]);
    expect(seen).toEqual(['three', 'later']);
  });

  it('picks up a container that starts later (a new instance or machine) from its first line', async () => {
    containers.output.set(nameOf(a), [['2026-12-03T16:00:01.000000000Z', 'stdout', 'a1']]);
    await sut.backlog([a]);
    const seen: string[] = [];
    const next = { ...a, instanceId: 'I-new' };
    containers.output.set(nameOf(next), [['2026-12-03T16:00:05.000000000Z', 'stdout', 'started v2']]);
    containers.output.set(nameOf(b), [['2026-12-03T16:00:06.000000000Z', 'stdout', 'b started']]);
    sut.poll([next, b], (l) => seen.push(`${l.instanceId} ${l.message}`), new AbortController().signal);
    await flush();
    expect(seen).toEqual(['I-new started v2', `${b.instanceId} b started`]);
  });

  it('does not follow again a stopped container it has read, but does one it never saw', async () => {
    const stopped = machine('dddddddddddddd', { state: 'stopped' });
    const quick = machine('eeeeeeeeeeeeee', { state: 'stopped' });
    containers.output.set(nameOf(stopped), [['2026-12-03T16:00:01.000000000Z', 'stdout', 'bye']]);
    await sut.backlog([stopped]);
    containers.output.set(nameOf(quick), [['2026-12-03T16:00:02.000000000Z', 'stdout', 'ran and exited between polls']]);
    const seen: string[] = [];
    sut.poll([stopped, quick], (l) => seen.push(l.message), new AbortController().signal);
    await flush();
    sut.poll([stopped, quick], (l) => seen.push(l.message), new AbortController().signal);
    await flush();
    expect(containers.follows.map((f) => f.name)).toEqual([nameOf(quick)]);
    expect(seen).toEqual(['ran and exited between polls']);
  });
});

describe(SimLogTracker.name, () => {
  it('shows the stored lines, then only the ones added since', async () => {
    const sut = new SimLogTracker();
    const m = machine('aaaaaaaaaaaaaa', { logs: ['boot'] });
    expect((await sut.backlog([m])).map((l) => l.message)).toEqual(['boot']);
    const seen: string[] = [];
    sut.poll([{ ...m, logs: ['boot', 'exit 3'] }, machine('bbbbbbbbbbbbbb', { logs: ['new machine'] })], (l) => seen.push(l.message));
    sut.poll([{ ...m, logs: ['boot', 'exit 3'] }], (l) => seen.push(l.message));
    expect(seen).toEqual(['exit 3', 'new machine']);
  });
});
