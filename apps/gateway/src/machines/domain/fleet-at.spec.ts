import { fleetAt, type FleetEvent } from './fleet-at';

const T = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
const managedConfig = (image: string, release: string, version: number) => ({
  image,
  metadata: { fly_platform_version: 'v2', fly_process_group: 'app', fly_release_id: release, fly_release_version: String(version) },
});

/** A scripted history of one app: deploys, a machine run, scaling, a clone, destroys. */
function history(): FleetEvent[] {
  const e = (minute: number, type: string, data: Record<string, unknown>): FleetEvent => ({ type, data: { app: 'demo', ...data }, recordedAt: T(minute) });
  const request = (minute: number, key: string, kind: string, releaseId: string, version: number, image: string | undefined, machineId?: string, processGroup = 'app') =>
    e(minute, 'MachineUpdateRequested', {
      key,
      kind,
      releaseId,
      releaseVersion: version,
      processGroup,
      region: 'ams',
      skipLaunch: false,
      ...(machineId ? { machineId } : {}),
      ...(image ? { config: managedConfig(image, releaseId, version) } : {}),
    });
  return [
    // 10:01 first deploy (v1) creates m1 and m2; these outcomes predate the facts on MachineUpdated.
    request(1, 'r1:create:app:0', 'create', 'r1', 1, 'img:v1'),
    request(1, 'r1:create:app:1', 'create', 'r1', 1, 'img:v1'),
    e(2, 'MachineUpdated', { key: 'r1:create:app:0', kind: 'create', machineId: 'm1', releaseId: 'r1', state: 'started' }),
    e(2, 'MachineUpdated', { key: 'r1:create:app:1', kind: 'create', machineId: 'm2', releaseId: 'r1', state: 'started' }),
    // 10:03 machine run: unmanaged u1.
    e(3, 'MachineCreated', { machineId: 'u1', image: 'other:1', managed: false, region: 'fra' }),
    // 10:04 scale to 3: m3, with the facts on the outcome.
    request(4, 'scale:s1:create:0', 'create', 'r1', 1, 'img:v1', undefined, 'worker'),
    e(5, 'MachineUpdated', { key: 'scale:s1:create:0', kind: 'create', machineId: 'm3', releaseId: 'r1', releaseVersion: 1, image: 'img:v1', processGroup: 'worker', region: 'ams', managed: true }),
    // 10:06 deploy v2 updates all three.
    ...['m1', 'm2', 'm3'].map((id) => request(6, `r2:update:${id}`, 'update', 'r2', 2, 'img:v2', id, id === 'm3' ? 'worker' : 'app')),
    ...['m1', 'm2', 'm3'].map((id) => e(7, 'MachineUpdated', { key: `r2:update:${id}`, kind: 'update', machineId: id, releaseId: 'r2', releaseVersion: 2, image: 'img:v2', managed: true, state: 'started' })),
    // 10:08 scale back down: m3 destroyed.
    request(8, 'scale:s2:destroy:m3', 'destroy', 'r2', 2, undefined, 'm3', 'worker'),
    e(8, 'MachineUpdated', { key: 'scale:s2:destroy:m3', kind: 'destroy', machineId: 'm3', releaseId: 'r2', state: 'destroyed' }),
    // 10:09 m1 cloned to m4; 10:10 u1 destroyed; 10:11 m2 stopped by a deploy step.
    e(9, 'MachineCloned', { machineId: 'm4', sourceId: 'm1', managed: true, region: 'lhr' }),
    e(10, 'MachineDestroyed', { machineId: 'u1', managed: false }),
    e(11, 'MachineUpdated', { key: 'r3:stop:m2', kind: 'stop', machineId: 'm2', releaseId: 'r3' }),
  ];
}

const summary = (at: Date) => fleetAt(history(), at).map((m) => `${m.id} ${m.processGroup} ${m.region} ${m.managed ? 'managed' : 'unmanaged'} v${m.releaseVersion ?? '-'} ${m.image} ${m.state}`);

describe(fleetAt.name, () => {
  it('has no machines before the first one was created', () => {
    expect(summary(T(0))).toEqual([]);
  });

  it('shows the first deploy, taking facts from the requests when the outcome lacks them', () => {
    expect(summary(T(2))).toEqual(['m1 app ams managed v1 img:v1 started', 'm2 app ams managed v1 img:v1 started']);
  });

  it('includes an unmanaged machine run and a scaled-up machine', () => {
    expect(summary(T(5))).toEqual([
      'm1 app ams managed v1 img:v1 started',
      'm2 app ams managed v1 img:v1 started',
      'm3 worker ams managed v1 img:v1 started',
      'u1 app fra unmanaged v- other:1 started',
    ]);
  });

  it('is exact at an event boundary: a request alone changes nothing, its outcome does', () => {
    expect(summary(T(6)).filter((l) => l.includes('v2'))).toEqual([]);
    expect(summary(T(7))).toEqual([
      'm1 app ams managed v2 img:v2 started',
      'm2 app ams managed v2 img:v2 started',
      'm3 worker ams managed v2 img:v2 started',
      'u1 app fra unmanaged v- other:1 started',
    ]);
  });

  it('drops destroyed machines and gives a clone its source state in its own region', () => {
    expect(summary(T(9))).toEqual([
      'm1 app ams managed v2 img:v2 started',
      'm2 app ams managed v2 img:v2 started',
      'm4 app lhr managed v2 img:v2 started',
      'u1 app fra unmanaged v- other:1 started',
    ]);
    expect(summary(T(30))).toEqual(['m1 app ams managed v2 img:v2 started', 'm2 app ams managed v2 img:v2 stopped', 'm4 app lhr managed v2 img:v2 started']);
  });

  it('says when each machine last changed', () => {
    expect(fleetAt(history(), T(30)).find((m) => m.id === 'm1')).toMatchObject({ releaseId: 'r2', since: T(7).toISOString() });
  });

  it('follows a user’s machine stop, start and restart outside a deploy; a failed or merely requested one changes nothing', () => {
    const e = (minute: number, type: string, machineId: string): FleetEvent => ({ type, data: { app: 'demo', machineId, action: 'x' }, recordedAt: T(minute) });
    const events = [
      ...history(),
      e(12, 'MachineActionRequested', 'm1'),
      e(12, 'MachineStopped', 'm1'),
      e(13, 'MachineActionRequested', 'm4'),
      e(13, 'MachineActionFailed', 'm4'),
      e(14, 'MachineStarted', 'm2'),
      e(15, 'MachineStopped', 'm4'),
      e(16, 'MachineRestarted', 'm4'),
    ];
    const states = (minute: number) => fleetAt(events, T(minute)).map((m) => `${m.id} ${m.state}`);
    expect(states(13)).toEqual(['m1 stopped', 'm2 stopped', 'm4 started']);
    expect(states(15)).toEqual(['m1 stopped', 'm2 started', 'm4 stopped']);
    expect(states(16)).toEqual(['m1 stopped', 'm2 started', 'm4 started']);
    expect(fleetAt(events, T(16)).find((m) => m.id === 'm4')).toMatchObject({ since: T(16).toISOString(), releaseVersion: 2 });
  });
});
