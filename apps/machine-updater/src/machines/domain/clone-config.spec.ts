import { IDEMPOTENCY_METADATA_KEY, type MachineConfig, type Volume } from '@hangar/machines-api';
import { cloneConfig, mountedVolumeName } from './clone-config';

const managed: MachineConfig = {
  image: 'registry/app:v1@sha256:abc',
  env: { A: '1' },
  metadata: { fly_platform_version: 'v2', fly_process_group: 'app', fly_release_id: 'r1', fly_release_version: '1', [IDEMPOTENCY_METADATA_KEY]: 'r1:create:0' },
  mounts: [{ volume: 'vol_src', path: '/data', name: 'data' }],
};

describe(cloneConfig.name, () => {
  it('copies the config and the metadata, so a clone of a managed machine is managed', () => {
    const clone = cloneConfig({ ...managed, mounts: [] });
    expect(clone.metadata).toEqual({ fly_platform_version: 'v2', fly_process_group: 'app', fly_release_id: 'r1', fly_release_version: '1' });
    expect(clone).toMatchObject({ image: managed.image, env: { A: '1' } });
  });

  it('drops the source create key (it would return the source) and mounts the clone on its own volume', () => {
    const clone = cloneConfig(managed, { id: 'vol_new', name: 'data' });
    expect(clone.metadata?.[IDEMPOTENCY_METADATA_KEY]).toBeUndefined();
    expect(clone.mounts).toEqual([{ volume: 'vol_new', path: '/data', name: 'data' }]);
  });

  it('keeps an unmanaged machine unmanaged', () => {
    expect(cloneConfig({ image: 'nginx', metadata: {} }).metadata).toEqual({});
  });

  it('finds the name of the volume the source mounts', () => {
    const volumes = [{ id: 'vol_src', name: 'pgdata' } as Volume];
    expect(mountedVolumeName(managed, volumes)).toBe('pgdata');
    expect(mountedVolumeName(managed, [])).toBe('data');
    expect(mountedVolumeName({ image: 'x' }, volumes)).toBeUndefined();
  });
});
