import type { MachineView } from '@hangar/contracts';
import { MetadataKeys, isHostUnreachable, type Machine } from '@hangar/machines-api';

/** Maps a machines-API machine to Hangar's view: managed = `fly_platform_version` is `v2` (DESIGN §1). */
export function toMachineView(machine: Machine): MachineView {
  const metadata = machine.config.metadata ?? {};
  const version = Number(metadata[MetadataKeys.releaseVersion]);
  const mount = machine.config.mounts?.[0];
  return {
    id: machine.id,
    processGroup: metadata[MetadataKeys.processGroup] ?? 'app',
    region: machine.region,
    state: machine.state,
    managed: metadata[MetadataKeys.platformVersion] === 'v2',
    ...(metadata[MetadataKeys.releaseId] ? { releaseId: metadata[MetadataKeys.releaseId] } : {}),
    ...(Number.isInteger(version) && version > 0 ? { releaseVersion: version } : {}),
    image: machine.config.image,
    ...(machine.image_ref ? { imageRef: { registry: machine.image_ref.registry, repository: machine.image_ref.repository, tag: machine.image_ref.tag, digest: machine.image_ref.digest } } : {}),
    instanceId: machine.instance_id,
    ...(mount?.volume ? { volume: mount.volume } : {}),
    ...(mount?.path ? { mountPath: mount.path } : {}),
    ...(isHostUnreachable(machine) ? { hostStatus: machine.host_status } : {}),
    // The env is left out: it holds the app's secret values, which no reply may carry (DESIGN G5).
    config: withoutEnv(machine.config),
  };
}

function withoutEnv(config: Machine['config']): Machine['config'] {
  const { env: _env, ...rest } = config;
  return rest;
}

/** Machines that count as existing: not destroyed or on the way there. */
export function isLive(machine: Machine): boolean {
  return machine.state !== 'destroyed' && machine.state !== 'destroying';
}
