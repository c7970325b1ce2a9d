import type { Volume } from '@hangar/machines-api';

const UNUSABLE = new Set(['destroyed', 'destroying', 'pending_destroy']);

/** flyctl's `popVolumeFor`: an unattached, live volume named `name` in `region` (lowest id first), or undefined. */
export function pickVolume(volumes: readonly Volume[], name: string, region: string | undefined): Volume | undefined {
  return [...volumes]
    .filter((v) => v.name === name && (region === undefined || v.region === region) && !v.attached_machine_id && !UNUSABLE.has(v.state))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}
