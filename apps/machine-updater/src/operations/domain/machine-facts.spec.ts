import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { machineFacts } from './machine-facts';

const request = (over: Partial<MachineUpdateRequestedData>): MachineUpdateRequestedData => ({
  app: 'demo',
  key: 'k',
  kind: 'create',
  releaseId: 'r1',
  releaseVersion: 3,
  processGroup: 'worker',
  region: 'ams',
  skipLaunch: false,
  waitForHealth: true,
  waitTimeoutMs: 1000,
  ...over,
});

describe(machineFacts.name, () => {
  it('records group, region, release, image and whether deploys manage the machine', () => {
    expect(machineFacts(request({ config: { image: 'img@sha256:1', metadata: { fly_platform_version: 'v2' } } }))).toEqual({
      processGroup: 'worker',
      region: 'ams',
      releaseVersion: 3,
      image: 'img@sha256:1',
      managed: true,
    });
    expect(machineFacts(request({ config: { image: 'img', metadata: {} } })).managed).toBe(false);
  });

  it('leaves image and managed unsaid without a config (destroy, stop)', () => {
    expect(machineFacts(request({ kind: 'destroy', machineId: 'm' }))).toEqual({ processGroup: 'worker', region: 'ams', releaseVersion: 3 });
  });
});
