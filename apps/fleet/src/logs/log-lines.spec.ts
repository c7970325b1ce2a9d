import type { AppLogLine } from '@hangar/contracts';
import { linesSince, mergeByTime, parsePodmanLine, simLines, timeKey } from './log-lines';

const origin = { machineId: '0123456789abcd', instanceId: '01JINSTANCE', region: 'local', processGroup: 'web' };
const at = (timestamp: string, message: string, stream: AppLogLine['stream'] = 'stdout'): AppLogLine => ({ timestamp, ...origin, stream, message });

describe(parsePodmanLine.name, () => {
  it('takes the time podman puts before the line and keeps the message as printed', () => {
    expect(parsePodmanLine('2026-12-03T16:27:17.953713610Z listening on :8080 ', 'stderr', origin)).toEqual(at('2026-12-03T16:27:17.953713610Z', 'listening on :8080 ', 'stderr'));
  });

  it('keeps an empty line, and converts a zone offset to UTC with its fraction', () => {
    expect(parsePodmanLine('2026-12-03T16:27:17.1Z ', 'stdout', origin)?.message).toBe('');
    expect(parsePodmanLine('2026-12-03T18:27:17.123456789+02:00 hi', 'stdout', origin)?.timestamp).toBe('2026-12-03T16:27:17.123456789Z');
  });

  it("refuses podman's own messages, which carry no time", () => {
    expect(parsePodmanLine('Error: no container with name or ID "x" found: no such container', 'stderr', origin)).toBeNull();
    expect(parsePodmanLine('', 'stdout', origin)).toBeNull();
  });
});

describe(timeKey.name, () => {
  it("sorts podman's nanoseconds and Date's milliseconds as the times they are", () => {
    const keys = ['2026-12-03T16:27:17.9537Z', '2026-12-03T16:27:17.953713610Z', '2026-12-03T16:27:17Z', '2026-12-03T16:27:18.000Z'].map(timeKey);
    expect([...keys].sort()).toEqual([keys[2], keys[0], keys[1], keys[3]]);
  });
});

describe(mergeByTime.name, () => {
  it('interleaves stdout and stderr (and machines) by time', () => {
    const out = [at('2026-12-03T16:00:01.000000001Z', 'a'), at('2026-12-03T16:00:03Z', 'c')];
    const err = [at('2026-12-03T16:00:02Z', 'b', 'stderr'), at('2026-12-03T16:00:04Z', 'd', 'stderr')];
    expect(mergeByTime([out, err]).map((l) => l.message)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps lines of the same time in their order, the first list first', () => {
    const t = '2026-12-03T16:00:01.5Z';
    const merged = mergeByTime([[at(t, 'one'), at(t, 'two'), at(t, 'three')], [at(t, 'other', 'stderr')]]);
    expect(merged.map((l) => l.message)).toEqual(['one', 'two', 'three', 'other']);
  });
});

describe(linesSince.name, () => {
  it('drops lines before the time, keeps the ones at it', () => {
    const lines = [at('2026-12-03T16:00:01Z', 'old'), at('2026-12-03T16:00:02.000000000Z', 'at'), at('2026-12-03T16:00:03Z', 'new')];
    expect(linesSince(lines, '2026-12-03T16:00:02.000Z').map((l) => l.message)).toEqual(['at', 'new']);
    expect(linesSince(lines, undefined)).toHaveLength(3);
  });
});

describe(simLines.name, () => {
  it("times a sim machine's stored lines at its last state change, on stdout, with its process group", () => {
    const m = { id: 'aaaaaaaaaaaaaa', instanceId: 'I1', region: 'ams', config: { image: 'x', metadata: { fly_process_group: 'worker' } }, logs: ['one', 'two'], stateEnteredAt: Date.UTC(2026, 11, 3, 16, 21, 5) };
    expect(simLines(m, 1)).toEqual([{ timestamp: '2026-12-03T16:21:05.000Z', machineId: m.id, instanceId: 'I1', region: 'ams', processGroup: 'worker', stream: 'stdout', message: 'two' }]);
    expect(simLines({ ...m, config: { image: 'x' } })[0]!.processGroup).toBe('app');
  });
});
