import type { Volume } from '@hangar/machines-api';
import { noVolumeAvailable, pickUnattachedVolume, toVolumeView } from './volume-choice';

const volume = (id: string, over: Partial<Volume> = {}): Volume => ({
  id,
  name: 'data',
  region: 'local',
  size_gb: 1,
  state: 'created',
  attached_machine_id: null,
  created_at: `2024-05-01T12:00:0${id.slice(-1)}.000Z`,
  ...over,
});

describe(pickUnattachedVolume.name, () => {
  it('picks the oldest unattached volume of that name in that region', () => {
    const volumes = [volume('vol_3'), volume('vol_1', { attached_machine_id: '0a0a0a0a0a0a0a' }), volume('vol_2'), volume('vol_0', { region: 'far' }), volume('vol_4', { name: 'logs' })];
    expect(pickUnattachedVolume(volumes, 'data', 'local')?.id).toBe('vol_2');
    expect(pickUnattachedVolume(volumes, 'data', 'far')?.id).toBe('vol_0');
    expect(pickUnattachedVolume(volumes, 'logs', 'far')).toBeUndefined();
  });

  it('names the command that creates one when there is none', () => {
    expect(noVolumeAvailable('data', 'local', 'a clone of machine 0a0a0a0a0a0a0a')).toMatchObject({
      code: 'VOLUME.NONE_AVAILABLE',
      message: expect.stringContaining('create one with `hangar volumes create data -r local`'),
    });
  });

  it('maps the wire volume to the view, without an attachment when there is none', () => {
    expect(toVolumeView(volume('vol_1'))).toEqual({ id: 'vol_1', name: 'data', region: 'local', sizeGb: 1, state: 'created', createdAt: '2024-05-01T12:00:01.000Z' });
  });
});
