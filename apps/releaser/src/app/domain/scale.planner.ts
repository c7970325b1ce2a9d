import type { AppConfig } from '@hangar/app-config';
import type { MachineUpdateRequestedData, MachineView } from '@hangar/contracts';
import { machineConfigFor } from '../../release/domain/machine-config';

export interface ScaleInput {
  app: string;
  machines: readonly MachineView[];
  processGroup: string;
  /** Absent: the platform chooses (no `--region`, `primary_region` or managed machine to follow). */
  region?: string;
  count: number;
  /** The app's current (last complete) release: new machines get its config and image. */
  release: { releaseId: string; version: number; config: AppConfig; image: string; secretsVersion?: number };
  /** Unique per scale request, so retried requests of the same operation are recognisable. */
  requestId: string;
  waitTimeoutMs: number;
}

/**
 * `scale count N` (no release): creates or destroys managed machines of one process group so it
 * has N. Destroys stopped machines first, then the newest. Unmanaged machines are never counted.
 */
export function planScale(input: ScaleInput): MachineUpdateRequestedData[] {
  const group = input.machines.filter((m) => m.managed && m.processGroup === input.processGroup);
  const base = {
    app: input.app,
    releaseId: input.release.releaseId,
    releaseVersion: input.release.version,
    processGroup: input.processGroup,
    // New machines get the secrets the current release delivers (DESIGN §6.6).
    ...(input.release.secretsVersion ? { secretsVersion: input.release.secretsVersion } : {}),
    skipLaunch: false,
    waitForHealth: true,
    waitTimeoutMs: input.waitTimeoutMs,
  };
  if (input.count > group.length) {
    const config = machineConfigFor({
      config: input.release.config,
      group: input.processGroup,
      image: input.release.image,
      releaseId: input.release.releaseId,
      releaseVersion: input.release.version,
    });
    return Array.from({ length: input.count - group.length }, (_, i) => ({
      ...base,
      kind: 'create' as const,
      key: `scale:${input.requestId}:create:${i}`,
      ...(input.region === undefined ? {} : { region: input.region }),
      config,
    }));
  }
  const victims = [...group]
    .sort((a, b) => Number(a.state === 'started') - Number(b.state === 'started') || b.id.localeCompare(a.id))
    .slice(0, group.length - input.count);
  return victims.map((m) => ({ ...base, kind: 'destroy' as const, key: `scale:${input.requestId}:destroy:${m.id}`, machineId: m.id, region: m.region }));
}
