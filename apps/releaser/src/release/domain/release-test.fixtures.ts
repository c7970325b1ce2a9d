import type { AppConfig } from '@hangar/app-config';
import type { MachineConfig } from '@hangar/machines-api';
import type { MachineSnapshot } from './release.commands';
import type { ReleaseEvent, ReleaseQueued, ResolvedImage } from './release.events';
import { evolve, initialState, type ReleaseState } from './release.state';

/** Shared by the release domain's specs only. */

export const RELEASE_ID = '01HZRELEASE0000000000000001';
export const APP = 'dry-pond-1475';
export const NOW = '2024-05-01T12:00:00.000Z';
export const LATER = '2024-05-01T12:05:00.000Z';

export const IMAGE: ResolvedImage = {
  ref: '127.0.0.1:5000/demo:1',
  canonicalRef: '127.0.0.1:5000/demo:1',
  digest: `sha256:${'ab'.repeat(32)}`,
  imageId: 'img_0123456789abcdef',
};
export const PINNED_IMAGE = `127.0.0.1:5000/demo:1@sha256:${'ab'.repeat(32)}`;

export function appConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    env: {},
    processes: { app: '' },
    mounts: [],
    services: [],
    checks: {},
    vm: [],
    warnings: [],
    ...overrides,
  };
}

export function queued(overrides: Partial<ReleaseQueued['data']> = {}): ReleaseQueued {
  return {
    type: 'ReleaseQueued',
    data: {
      releaseId: RELEASE_ID,
      app: APP,
      version: 3,
      config: appConfig(),
      imageRef: '127.0.0.1:5000/demo:1',
      strategy: 'rolling',
      maxUnavailable: 1,
      waitTimeoutMs: 60_000,
      trigger: 'cli',
      actor: 'alice',
      createdAt: NOW,
      ...overrides,
    },
  };
}

export function started(): ReleaseEvent {
  return { type: 'ReleaseStarted', data: { releaseId: RELEASE_ID, app: APP, version: 3, imageRef: '127.0.0.1:5000/demo:1' } };
}

export function fold(events: readonly ReleaseEvent[], from: ReleaseState = initialState()): ReleaseState {
  return events.reduce(evolve, from);
}

/** A 14-hex-char machine id from a number, so sorting by id is sorting by number. */
export function machineId(n: number): string {
  return n.toString(16).padStart(14, '0');
}

export function machine(n: number, overrides: Partial<MachineSnapshot> = {}): MachineSnapshot {
  const config: MachineConfig = {
    image: 'registry/old:0',
    guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
    metadata: { fly_platform_version: 'v2', fly_process_group: overrides.processGroup ?? 'app' },
  };
  return {
    id: machineId(n),
    state: 'started',
    region: 'ams',
    processGroup: 'app',
    managed: true,
    releaseId: '01HZOLDRELEASE',
    releaseVersion: 2,
    instanceId: `inst-${n}`,
    config,
    ...overrides,
  };
}
