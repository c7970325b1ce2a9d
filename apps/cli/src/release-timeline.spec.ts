import { releaseTimeline, type TimelineEvent } from './release-timeline';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, 0, ms)).toISOString();
const ev = (ms: number, type: string, data: Record<string, unknown>, actor = 'system'): TimelineEvent => ({ type, data, metadata: { actor }, recordedAt: at(ms) });

describe(releaseTimeline.name, () => {
  it('lists every step with its machine, its duration and who caused it', () => {
    const rows = releaseTimeline([
      ev(0, 'ReleaseQueued', { trigger: 'cli', strategy: 'rolling', imageRef: 'demo:v2' }, 'ci-bot'),
      ev(10, 'ReleaseStarted', {}, 'ci-bot'),
      ev(400, 'RolloutPlanned', { strategy: 'rolling', entries: [{ action: 'update' }, { action: 'update' }, { action: 'create' }] }),
      ev(410, 'MachineUpdateRequested', { key: 'k1', kind: 'update', machineId: 'aaaaaaaaaaaaaa', processGroup: 'app' }),
      ev(1660, 'RolloutStepSucceeded', { key: 'k1', machineId: 'aaaaaaaaaaaaaa' }),
      ev(1670, 'MachineUpdateRequested', { key: 'k2', kind: 'create', processGroup: 'worker' }),
      ev(2670, 'RolloutStepFailed', { key: 'k2', machineId: 'bbbbbbbbbbbbbb', reason: 'unhealthy' }),
      ev(3000, 'ReleaseFailed', { reason: '1 machine failed' }),
    ]);
    expect(rows[0]).toEqual(['AT', 'TIME', 'EVENT', 'DETAIL', 'ACTOR']);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ['+0.00s', 'ReleaseQueued', 'trigger cli, strategy rolling, image demo:v2', 'ci-bot'],
      ['+0.01s', 'ReleaseStarted', '', 'ci-bot'],
      ['+0.40s', 'RolloutPlanned', '3 machine(s): 2 update, 1 create, rolling', 'system'],
      ['+0.41s', 'MachineUpdateRequested', 'update aaaaaaaaaaaaaa (app)', 'system'],
      ['+1.66s', 'RolloutStepSucceeded', 'update aaaaaaaaaaaaaa (app) in 1.25s', 'system'],
      ['+1.67s', 'MachineUpdateRequested', 'create (worker)', 'system'],
      ['+2.67s', 'RolloutStepFailed', 'create bbbbbbbbbbbbbb (worker) in 1.00s: unhealthy', 'system'],
      ['+3.00s', 'ReleaseFailed', 'total 3.00s, 1 machine failed', 'system'],
    ]);
    expect(rows[1]![1]).toBe(at(0));
  });

  it('has only the header for a release without events', () => {
    expect(releaseTimeline([])).toHaveLength(1);
  });
});
