import { IDEMPOTENCY_METADATA_KEY, type MachineConfig, type Volume } from '@hangar/machines-api';

/**
 * The config of a clone (DESIGN §6.3): the source's, metadata included, so a clone of a managed
 * machine is managed and of an unmanaged one unmanaged. The source's create idempotency key is
 * dropped (it would make the API hand back the source), and a mount points at the clone's own volume.
 */
export function cloneConfig(source: MachineConfig, volume?: { id: string; name: string }): MachineConfig {
  const { [IDEMPOTENCY_METADATA_KEY]: _key, ...metadata } = source.metadata ?? {};
  const { mounts, ...rest } = source;
  const mount = mounts?.[0];
  return {
    ...rest,
    metadata,
    ...(mount && volume ? { mounts: [{ ...mount, volume: volume.id, name: volume.name }] } : {}),
  };
}

/** The name of the volume the source mounts (what its clone needs one of), if it mounts one. */
export function mountedVolumeName(source: MachineConfig, volumes: readonly Volume[]): string | undefined {
  const mount = source.mounts?.[0];
  if (!mount) return undefined;
  return volumes.find((v) => v.id === mount.volume)?.name ?? mount.name;
}
