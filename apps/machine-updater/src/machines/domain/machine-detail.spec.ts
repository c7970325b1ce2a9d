import type { Machine } from '@hangar/machines-api';
import { redactEnv, secretNamesOf, toMachineDetail } from './machine-detail';

const machine: Machine = {
  id: '0123456789abcd',
  name: 'machine-0123456789abcd',
  state: 'started',
  region: 'local',
  instance_id: '01INSTANCE',
  private_ip: 'fdaa::1',
  config: {
    image: 'registry.local/web:v1@sha256:abc',
    env: { PORT: '8080', DATABASE_URL: 'postgres://user:hunter2@db/app', GREETING: 'hello' },
    metadata: { fly_platform_version: 'v2', fly_process_group: 'web', fly_release_version: '3', fly_release_id: '01REL' },
  },
  image_ref: { registry: 'registry.local', repository: 'web', tag: 'v1', digest: 'sha256:abc' },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:01:00Z',
  events: [{ type: 'start', status: 'started', source: 'flyd', timestamp: 2 }],
  checks: [{ name: 'alive', status: 'passing', output: 'Success', updated_at: '2026-01-01T00:01:00Z' }],
  cordoned: false,
  host_status: 'ok',
};

describe('secretNamesOf', () => {
  it('collects every name any secrets version set, including ones a later version unset', () => {
    const names = secretNamesOf([
      { type: 'SecretsUpdated', data: { set: { DATABASE_URL: 'digest1', OLD_TOKEN: 'digest2' }, unset: [] } },
      { type: 'SecretsReleased', data: { version: 1 } },
      { type: 'SecretsUpdated', data: { set: {}, unset: ['OLD_TOKEN'] } },
    ]);
    expect([...names].sort()).toEqual(['DATABASE_URL', 'OLD_TOKEN']);
  });
});

describe('redactEnv', () => {
  it('replaces the values of secret names and keeps the rest', () => {
    expect(redactEnv({ A: '1', SECRET: 's3cret' }, new Set(['SECRET', 'UNUSED']))).toEqual({ A: '1', SECRET: '[REDACTED]' });
    expect(redactEnv(undefined, new Set(['SECRET']))).toBeUndefined();
  });
});

describe('toMachineDetail', () => {
  it('shows the config with secret values redacted, the events, checks and image ref', () => {
    const detail = toMachineDetail(machine, new Set(['DATABASE_URL']));
    expect(detail).toMatchObject({
      id: machine.id,
      processGroup: 'web',
      managed: true,
      releaseVersion: 3,
      imageRef: { registry: 'registry.local', repository: 'web', tag: 'v1', digest: 'sha256:abc' },
      privateIp: 'fdaa::1',
      hostStatus: 'ok',
      events: machine.events,
      checks: machine.checks,
    });
    expect(detail.config.env).toEqual({ PORT: '8080', DATABASE_URL: '[REDACTED]', GREETING: 'hello' });
    expect(JSON.stringify(detail)).not.toContain('hunter2');
  });
});
